"""Who receives the sent fiches and the coordinators' notices.

Without a choice of their own, the role decides: recipients ('destinataire') receive the
fiches, coordinators the one-line notices, administrators (FICHEBOT_ADMIN_IDS, known to
the bot's settings, not to the database) nothing. `/recevoir oui|non` records a choice
that overrides it: an administrator may ask for both, a recipient or a coordinator may
stop them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from .db import now_iso
from .roles import COORDINATEUR, DESTINATAIRE, people_with_role


def set_receive(db: Database, person_id: int, receive: bool) -> None:
    """Record the person's choice (replacing an earlier one)."""
    db.execute(
        "INSERT INTO receive_preferences (person_id, receive, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (person_id) DO UPDATE SET receive = excluded.receive,"
        " updated_at = excluded.updated_at",
        [person_id, int(receive), now_iso()],
    )


def receive_choice(db: Database, person_id: int) -> bool | None:
    """The person's choice, or None if they never chose."""
    row = db.execute("SELECT receive FROM receive_preferences WHERE person_id = ?",
                     [person_id]).fetchone()
    return None if row is None else bool(row[0])


def _choices(db: Database) -> dict[int, bool]:
    return {person_id: bool(receive) for person_id, receive in
            db.execute("SELECT person_id, receive FROM receive_preferences")}


def _recipients(db: Database, role: str, admin_ids: Iterable[int]) -> list[int]:
    choices = _choices(db)
    by_role = people_with_role(db, role)
    admins = [a for a in admin_ids if a not in by_role]
    return [p for p in by_role if choices.get(p, True)] + [
        a for a in sorted(admins) if choices.get(a, False)]


def fiche_recipients(db: Database, admin_ids: Iterable[int] = ()) -> list[int]:
    """Who gets each sent fiche (besides the place's managers), in a stable order."""
    return _recipients(db, DESTINATAIRE, admin_ids)


def notice_recipients(db: Database, admin_ids: Iterable[int] = ()) -> list[int]:
    """Who gets the coordinators' one-line notices ("La Tréso a envoyé sa fiche")."""
    return _recipients(db, COORDINATEUR, admin_ids)
