"""People (Telegram users; the terminal user is 0) and who manages which place."""

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .db import now_iso, select
from .errors import NotFound
from .places import Place, _place, get_place


@dataclass(frozen=True, slots=True)
class Person:
    telegram_id: int
    display_name: str
    username: str | None
    created_at: str
    updated_at: str


_COLUMNS = "telegram_id, display_name, username, created_at, updated_at"


def _person(row: dict[str, Any]) -> Person:
    return Person(
        telegram_id=row["telegram_id"],
        display_name=row["display_name"],
        username=row["username"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def upsert_person(
    db: Database, telegram_id: int, display_name: str, username: str | None = None
) -> Person:
    """Create or refresh a person; display_name and username are replaced (even by None)."""
    now = now_iso()
    db.execute(
        """
        INSERT INTO people (telegram_id, display_name, username, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (telegram_id) DO UPDATE SET
            display_name = excluded.display_name,
            username = excluded.username,
            updated_at = excluded.updated_at
        """,
        [telegram_id, display_name, username, now, now],
    )
    person = get_person(db, telegram_id)
    assert person is not None
    return person


def get_person(db: Database, telegram_id: int) -> Person | None:
    rows = select(db, f"SELECT {_COLUMNS} FROM people WHERE telegram_id = ?", [telegram_id])
    return _person(rows[0]) if rows else None


def add_manager(db: Database, place_id: int, person_id: int) -> None:
    """Make a person a manager of a place. Idempotent.

    Both must exist (`upsert_person` first, also for the terminal user 0),
    otherwise `NotFound` is raised.
    """
    get_place(db, place_id)
    if get_person(db, person_id) is None:
        raise NotFound(f"no person with telegram id {person_id}")
    db.execute(
        "INSERT INTO managers (place_id, person_id, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (place_id, person_id) DO NOTHING",
        [place_id, person_id, now_iso()],
    )


def remove_manager(db: Database, place_id: int, person_id: int) -> bool:
    """Return True if the person was a manager of the place."""
    cursor = db.execute(
        "DELETE FROM managers WHERE place_id = ? AND person_id = ?", [place_id, person_id]
    )
    return cursor.rowcount > 0


def places_of_manager(db: Database, person_id: int) -> list[Place]:
    """The active places this person manages, sorted by name."""
    rows = select(db,
        """
        SELECT p.id, p.name, p.active, p.created_at, p.removed_at
        FROM managers m JOIN places p ON p.id = m.place_id
        WHERE m.person_id = ? AND p.active = 1
        ORDER BY p.name_key, p.id
        """,
        [person_id],
    )
    return [_place(row) for row in rows]


def managers_of_place(db: Database, place_id: int) -> list[Person]:
    """The managers of a place, in the order they were added."""
    rows = select(db,
        """
        SELECT pe.telegram_id, pe.display_name, pe.username, pe.created_at, pe.updated_at
        FROM managers m JOIN people pe ON pe.telegram_id = m.person_id
        WHERE m.place_id = ?
        ORDER BY m.created_at, m.rowid
        """,
        [place_id],
    )
    return [_person(row) for row in rows]
