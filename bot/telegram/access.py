"""Who holds which role, and whether a set of roles may run a command.

Which roles each command needs is a column of the command table (`commands.py`); the
checks themselves are here so that the menus (`menus.py`) and the table share them.
Administrators (FICHEBOT_ADMIN_IDS) may run everything.
"""

from __future__ import annotations

from typing import Final

from sqlite_utils import Database

from bot.settings import Settings
from storage.roles import COORDINATEUR, roles_of

ADMIN: Final = "admin"
EVERYONE: frozenset[str] = frozenset()
STAFF: frozenset[str] = frozenset({COORDINATEUR})


def person_roles(db: Database, settings: Settings, user_id: int) -> set[str]:
    """The roles a Telegram user holds, 'admin' included."""
    roles = roles_of(db, user_id)
    if settings.is_admin(user_id):
        roles.add(ADMIN)
    return roles


def may_run(roles: set[str], needed: frozenset[str]) -> bool:
    """Whether someone with `roles` may run a command that needs one of `needed`."""
    return not needed or ADMIN in roles or bool(roles & needed)
