"""Tiers-lieux: add, look up, list, remove (soft)."""

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .db import now_iso, select, storable
from .errors import DuplicatePlace, InvalidName, NotFound


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    active: bool
    created_at: str
    removed_at: str | None = None
    # the fiche's title after "EFFETS SOCIAUX ET URBAINS", as a coordinator corrected it
    # ("DU HANGAR"); None: the title follows the rule (fiche.french.of_name)
    title_form: str | None = None


_COLUMNS = "id, name, active, created_at, removed_at, title_form"


def _place(row: dict[str, Any]) -> Place:
    return Place(
        id=row["id"],
        name=row["name"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        removed_at=row["removed_at"],
        title_form=row.get("title_form"),  # absent when a query names its columns
    )


_NAMES = _COLUMNS.split(", ")


def place_of(values: Sequence[Any]) -> Place:
    """The place from the values of `_COLUMNS`, in their order (a joined row's slice)."""
    return _place(dict(zip(_NAMES, values, strict=True)))


def clean_name(name: str) -> str:
    """The name as stored: NFC-normalised, inner whitespace collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """The key names are compared on: "la  TRÉSO " and "La Tréso" share one."""
    return clean_name(name).casefold()


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_key(name: str) -> str:
    """"L’Hermitage !" → "l hermitage": no accents, no case, words split on anything else."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def add_place(db: Database, name: str) -> Place:
    """Create an active place. Raises `InvalidName` if blank, `DuplicatePlace` if taken,
    by this name or one that differs only by accents, case or punctuation ("La Treso"
    for "La Tréso": the existing one is named)."""
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidName("a place name cannot be empty")
    key = search_key(cleaned)
    twin = db.execute("SELECT id, name FROM places WHERE search_key = ? AND active = 1",
                      [key]).fetchone()
    if twin is not None:
        raise DuplicatePlace(twin[1], twin[0])
    try:
        cursor = db.execute(
            "INSERT INTO places (name, name_key, search_key, active, created_at)"
            " VALUES (?, ?, ?, 1, ?)", [cleaned, name_key(cleaned), key, now_iso()],
        )
    except sqlite3.IntegrityError as e:
        existing = find_place(db, cleaned)
        raise DuplicatePlace(cleaned, existing.id if existing else None) from e
    return get_place(db, cursor.lastrowid)


def get_place(db: Database, place_id: int) -> Place:
    """The place with this id, active or removed. Raises `NotFound`."""
    rows = (select(db, f"SELECT {_COLUMNS} FROM places WHERE id = ?", [place_id])
            if storable(place_id) else [])
    if not rows:
        raise NotFound(f"no place with id {place_id}")
    return _place(rows[0])


def find_place(db: Database, name: str) -> Place | None:
    """The active place with this name (case-insensitive), if any."""
    rows = select(db, f"SELECT {_COLUMNS} FROM places WHERE name_key = ? AND active = 1",
                  [name_key(name)])
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


def set_place_title(db: Database, place_id: int, title_form: str | None) -> Place:
    """Store how the fiche names the place after "EFFETS SOCIAUX ET URBAINS" ("DU
    HANGAR"), or None to follow the rule again. Raises `NotFound`, `InvalidName` if
    blank."""
    if title_form is not None:
        title_form = " ".join(title_form.split())
        if not title_form:
            raise InvalidName("a title form cannot be empty")
    get_place(db, place_id)
    db.execute("UPDATE places SET title_form = ? WHERE id = ?", [title_form, place_id])
    return get_place(db, place_id)
