"""What the bot keeps about a person, and erasing it (`/mes_donnees`, `/oublier`).

Erasing removes the person's row (Telegram id, name, username), their roles, manager
links, positions, snoozes and the logs of reminders and fiches sent to them; every
reference left to them in data that belongs to places or campaigns (who last changed an
answer, who sent a fiche, who created an invitation or a campaign, who left a place or a
comment out of a synthesis) becomes NULL: the places' answers stay, nobody can tell they
came from this person.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from .db import immediate_transaction
from .people import get_person, places_of_manager
from .roles import roles_of


@dataclass(frozen=True)
class PersonalData:
    telegram_id: int
    display_name: str | None
    username: str | None
    roles: tuple[str, ...]
    places: tuple[str, ...]
    answers_written: int
    fiches_sent: int
    fiches_received: int
    reminders_received: int
    snoozed: bool
    unreachable: bool


def personal_data(db: Database, telegram_id: int) -> PersonalData | None:
    """Everything stored about a person; None if the bot keeps nothing about them."""
    person = get_person(db, telegram_id)
    if person is None:
        return None

    def count(sql: str) -> int:
        return db.execute(sql, [telegram_id]).fetchone()[0]

    unreachable = db.execute("SELECT unreachable_at FROM people WHERE telegram_id = ?",
                             [telegram_id]).fetchone()[0]
    return PersonalData(
        telegram_id, person.display_name, person.username,
        tuple(sorted(roles_of(db, telegram_id))),
        tuple(place.name for place in places_of_manager(db, telegram_id)),
        count("SELECT count(*) FROM answers WHERE updated_by = ?"),
        count("SELECT count(*) FROM responses WHERE submitted_by = ?"),
        count("SELECT count(*) FROM deliveries WHERE person_id = ? AND outcome = 'sent'"),
        count("SELECT count(*) FROM reminders WHERE person_id = ?"),
        bool(count("SELECT count(*) FROM snoozes WHERE person_id = ?")),
        unreachable is not None,
    )


_DELETE = (
    "DELETE FROM managers WHERE person_id = ?",
    "DELETE FROM roles WHERE person_id = ?",
    "DELETE FROM positions WHERE person_id = ?",
    "DELETE FROM snoozes WHERE person_id = ?",
    "DELETE FROM reminders WHERE person_id = ?",
    "DELETE FROM deliveries WHERE person_id = ?",
    "DELETE FROM delivery_parts WHERE person_id = ?",
    "DELETE FROM receive_preferences WHERE person_id = ?",
)
_UNLINK = (
    "UPDATE answers SET updated_by = NULL WHERE updated_by = ?",
    "UPDATE responses SET submitted_by = NULL WHERE submitted_by = ?",
    "UPDATE invitations SET created_by = NULL WHERE created_by = ?",
    "UPDATE campaigns SET created_by = NULL WHERE created_by = ?",
    "UPDATE campaigns SET manual_reminder_by = NULL WHERE manual_reminder_by = ?",
    "UPDATE synthesis_exclusions SET created_by = NULL WHERE created_by = ?",
)


def forget_person(db: Database, telegram_id: int) -> bool:
    """Erase a person's personal data in one transaction; False if nothing was kept."""
    with immediate_transaction(db):
        if get_person(db, telegram_id) is None:
            return False
        for sql in (*_DELETE, *_UNLINK):
            db.execute(sql, [telegram_id])
        db.execute("DELETE FROM people WHERE telegram_id = ?", [telegram_id])
    return True
