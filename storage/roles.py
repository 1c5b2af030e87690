"""Who may do what: managers of a place, coordinators, recipients; and the current place.

A manager ('gestionnaire') answers the questionnaire for a place; that link lives in the
`managers` table (see `storage.people`). 'coordinateur' and 'destinataire' are not tied
to a place and live in `roles`. A manager of several places answers for one at a time:
`people.current_place_id`, set when they open a place's invitation link.
"""

from enum import StrEnum
from typing import Final

from sqlite_utils import Database

from .db import now_iso
from .errors import NotFound
from .people import get_person, places_of_manager
from .places import _COLUMNS as PLACE_COLUMNS
from .places import Place, get_place, place_of
from .responses import COLUMNS as RESPONSE_COLUMNS
from .responses import Response, find_response

_PLACE_NAMES = PLACE_COLUMNS.split(", ")
_JOINED_COLUMNS = ", ".join([f"p.{name}" for name in _PLACE_NAMES]
                            + [f"r.{name}" for name in RESPONSE_COLUMNS.split(", ")])



class Role(StrEnum):
    """The roles stored in the database (administrators are a setting: `bot.telegram.access`)."""

    GESTIONNAIRE = "gestionnaire"
    COORDINATEUR = "coordinateur"
    DESTINATAIRE = "destinataire"


GESTIONNAIRE: Final = Role.GESTIONNAIRE
COORDINATEUR: Final = Role.COORDINATEUR
DESTINATAIRE: Final = Role.DESTINATAIRE
ROLES: Final = tuple(Role)
PERSON_ROLES: Final = (COORDINATEUR, DESTINATAIRE)  # the ones kept in `roles`


def _check_role(role: str) -> None:
    if role not in PERSON_ROLES:
        raise ValueError(f"unknown role {role!r} (expected one of {', '.join(PERSON_ROLES)})")


def grant_role(db: Database, person_id: int, role: str) -> None:
    """Give a person a role ('coordinateur' or 'destinataire'). Idempotent.

    Raises `NotFound` if the person does not exist, ValueError for another role.
    """
    _check_role(role)
    if get_person(db, person_id) is None:
        raise NotFound(f"no person with telegram id {person_id}")
    db.execute(
        "INSERT INTO roles (person_id, role, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (person_id, role) DO NOTHING",
        [person_id, role, now_iso()],
    )


def revoke_role(db: Database, person_id: int, role: str) -> bool:
    """Return True if the person had the role."""
    _check_role(role)
    cursor = db.execute("DELETE FROM roles WHERE person_id = ? AND role = ?", [person_id, role])
    return cursor.rowcount > 0


def roles_of(db: Database, person_id: int) -> set[str]:
    """The person's roles, 'gestionnaire' included when they manage an active place."""
    rows = db.execute("SELECT role FROM roles WHERE person_id = ?", [person_id]).fetchall()
    roles = {role for (role,) in rows}
    if places_of_manager(db, person_id):
        roles.add(GESTIONNAIRE)
    return roles


def has_role(db: Database, person_id: int, role: str) -> bool:
    return role in roles_of(db, person_id)


def people_with_role(db: Database, role: str) -> list[int]:
    """Telegram ids of the people holding a role ('coordinateur' or 'destinataire')."""
    _check_role(role)
    rows = db.execute(
        "SELECT person_id FROM roles WHERE role = ? ORDER BY created_at, person_id", [role]
    ).fetchall()
    return [person_id for (person_id,) in rows]


def people_with_any_role(db: Database) -> set[int]:
    """Everyone who holds at least one role."""
    return {row[0] for row in db.execute("SELECT DISTINCT person_id FROM roles")}


def set_current_place(db: Database, person_id: int, place_id: int) -> None:
    """Make `place_id` the place this manager answers for.

    Raises `NotFound` if the person or place does not exist or the person does not
    manage that place.
    """
    get_place(db, place_id)
    if get_person(db, person_id) is None:
        raise NotFound(f"no person with telegram id {person_id}")
    manages = db.execute(
        "SELECT 1 FROM managers WHERE place_id = ? AND person_id = ?", [place_id, person_id]
    ).fetchall()
    if not manages:
        raise NotFound(f"person {person_id} does not manage place {place_id}")
    db.execute(
        "UPDATE people SET current_place_id = ? WHERE telegram_id = ?", [place_id, person_id]
    )


def current_place(db: Database, person_id: int) -> Place | None:
    """The active place this person answers for, if they manage any.

    Their `current_place_id` while they still manage it and it is active; otherwise the
    first place they manage (by name); None if they manage none.
    """
    found = current_place_and_response(db, person_id, None)
    return found[0] if found else None


def current_place_and_response(db: Database, person_id: int, year: int | None
                               ) -> tuple[Place, Response | None] | None:
    """`current_place`, and that place's response of `year` if there is one.

    Read together, in one query in the common case, because the bot needs both before
    every step of an interview.
    """
    row = db.execute(
        f"""
        SELECT {_JOINED_COLUMNS}
        FROM people pe
        JOIN managers m ON m.person_id = pe.telegram_id AND m.place_id = pe.current_place_id
        JOIN places p ON p.id = m.place_id AND p.active = 1
        LEFT JOIN responses r ON r.place_id = p.id AND r.year = ?
        WHERE pe.telegram_id = ?
        """,
        [year, person_id],
    ).fetchone()
    if row is not None:
        count = len(_PLACE_NAMES)
        return place_of(row[:count]), Response(*row[count:]) if row[count] is not None else None
    places = places_of_manager(db, person_id)
    if not places:
        return None
    return places[0], find_response(db, places[0].id, year) if year is not None else None
