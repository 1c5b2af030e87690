"""Each person's Telegram command menu: exactly the commands their roles allow.

`Menus` is built by `commands.py` from the command table (name, roles, menu text), so
the menus, the role checks and the handlers cannot disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram.access import may_run, person_roles
from storage.roles import people_with_any_role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuEntry:
    name: str
    roles: frozenset[str]  # empty: everyone
    text: str | None  # None: not in any menu (e.g. /help, the alias of /aide)


class Menus:
    def __init__(self, entries: Sequence[MenuEntry]) -> None:
        self.entries = list(entries)

    def commands_for(self, roles: set[str]) -> list[str]:
        """The commands this person may run, for their menu, in the table's order."""
        return [e.name for e in self.entries if e.text and may_run(roles, e.roles)]

    def _bot_commands(self, roles: set[str]) -> list[BotCommand]:
        texts = {e.name: e.text for e in self.entries}
        return [BotCommand(name, texts[name] or "") for name in self.commands_for(roles)]

    async def set_menu(self, bot: Bot, db: Database, settings: Settings,
                       person_id: int) -> None:
        """Someone with no role gets the default menu back (their chat's own menu is
        deleted)."""
        roles = person_roles(db, settings, person_id)
        scope = BotCommandScopeChat(person_id)
        try:
            if not roles:
                await bot.delete_my_commands(scope=scope)
                return
            await bot.set_my_commands(self._bot_commands(roles), scope=scope)
        except TelegramError as exc:
            log.info("could not set the menu of %s: %s", person_id, exc)

    async def set_all(self, application: Application[Any, Any, Any, Any, Any, Any],
                      db: Database, settings: Settings) -> None:
        """At start: the default menu, then those of admins, coordinators and recipients.

        Managers' menus are set when they open their link (and menus persist on
        Telegram's side): setting thousands of them at every start would hold the rate
        limiter for minutes.
        """
        try:
            await application.bot.set_my_commands(self._bot_commands(set()))
        except TelegramError as exc:
            log.warning("could not set the default menu: %s", exc)
        people = people_with_any_role(db) | set(settings.admin_ids)
        for person_id in sorted(people):
            if person_id > 0:
                await self.set_menu(application.bot, db, settings, person_id)
