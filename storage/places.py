"""Tiers-lieux: add, look up, list, remove (soft)."""

import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .db import now_iso, select
from .errors import DuplicatePlace, InvalidName, NotFound


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    active: bool
    created_at: str
    removed_at: str | None = None


_COLUMNS = "id, name, active, created_at, removed_at"


def _place(row: dict[str, Any]) -> Place:
    return Place(
        id=row["id"],
        name=row["name"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        removed_at=row["removed_at"],
    )


def clean_name(name: str) -> str:
    """The name as stored: NFC-normalised, inner whitespace collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """The key names are compared on: "la  TRÉSO " and "La Tréso" share one."""
    return clean_name(name).casefold()


def add_place(db: Database, name: str) -> Place:
    """Create an active place. Raises `InvalidName` if blank, `DuplicatePlace` if taken."""
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidName("a place name cannot be empty")
    try:
        cursor = db.execute(
            "INSERT INTO places (name, name_key, active, created_at) VALUES (?, ?, 1, ?)",
            [cleaned, name_key(cleaned), now_iso()],
        )
    except sqlite3.IntegrityError as e:
        existing = find_place(db, cleaned)
        raise DuplicatePlace(cleaned, existing.id if existing else None) from e
    return get_place(db, cursor.lastrowid)


def get_place(db: Database, place_id: int) -> Place:
    """The place with this id, active or removed. Raises `NotFound`."""
    rows = select(db, f"SELECT {_COLUMNS} FROM places WHERE id = ?", [place_id])
    if not rows:
        raise NotFound(f"no place with id {place_id}")
    return _place(rows[0])


def find_place(db: Database, name: str) -> Place | None:
    """The active place with this name (case-insensitive), if any."""
    rows = select(db, f"SELECT {_COLUMNS} FROM places WHERE name_key = ? AND active = 1",
                  [name_key(name)])
    return _place(rows[0]) if rows else None


def find_place_for_fiche(db: Database, name: str) -> Place | None:
    """The place named so (case-insensitive): the active one, else the latest removed one
    (a removed place keeps its past fiches)."""
    place = find_place(db, name)
    if place is not None:
        return place
    rows = select(db, f"SELECT {_COLUMNS} FROM places WHERE name_key = ? "
                  "ORDER BY id DESC LIMIT 1", [name_key(name)])
    return _place(rows[0]) if rows else None


def list_places(db: Database, include_removed: bool = False) -> list[Place]:
    """Places sorted by name (case-insensitive); removed ones only if asked."""
    where = "" if include_removed else "WHERE active = 1"
    return [
        _place(row)
        for row in select(db, f"SELECT {_COLUMNS} FROM places {where} ORDER BY name_key, id")
    ]


def remove_place(db: Database, place_id: int) -> Place:
    """Deactivate a place (its responses are kept). Idempotent. Raises `NotFound`."""
    get_place(db, place_id)
    db.execute(
        "UPDATE places SET active = 0, removed_at = ? WHERE id = ? AND active = 1",
        [now_iso(), place_id],
    )
    return get_place(db, place_id)
