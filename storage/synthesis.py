"""What the synthesis of a campaign reads: the sent fiches of a year, the previous
campaign, and what coordinators left out of the synthesis (`campaign.synthesis`).

A sent fiche is a submitted response of an active place, with its stored answers and
the grid version it was answered with (the synthesis maps older versions onto the
current grid). Exclusions are per year: a whole place (key '') or one of its comments
(key = the comment's answer key).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .campaigns import _COLUMNS as _CAMPAIGN_COLUMNS
from .campaigns import Campaign, _campaign
from .codec import decode
from .db import now_iso, select

WHOLE_PLACE = ""


@dataclass(frozen=True, slots=True)
class SentFiche:
    place_id: int
    place: str
    grid_version: str
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Exclusion:
    place_id: int
    place: str
    key: str  # WHOLE_PLACE, or a comment's answer key

    @property
    def whole_place(self) -> bool:
        return self.key == WHOLE_PLACE


def sent_fiches(db: Database, year: int, place_id: int | None = None) -> list[SentFiche]:
    """The submitted responses of `year` of the active places, sorted by place name
    (only that place's, if `place_id` is given)."""
    only = "" if place_id is None else " AND p.id = ?"
    params: list[Any] = [year] if place_id is None else [year, place_id]
    rows = db.execute(
        "SELECT r.id, p.id, p.name, r.grid_version FROM responses r"
        " JOIN places p ON p.id = r.place_id"
        f" WHERE r.year = ? AND r.status = 'submitted' AND p.active = 1{only}"
        " ORDER BY p.name_key, p.id",
        params,
    ).fetchall()
    answers: dict[int, dict[str, Any]] = {row[0]: {} for row in rows}
    only = "" if place_id is None else " AND r.place_id = ?"
    for response_id, key, value in db.execute(
            "SELECT a.response_id, a.key, a.value FROM answers a"
            " JOIN responses r ON r.id = a.response_id"
            f" WHERE r.year = ? AND r.status = 'submitted'{only}", params):
        found = answers.get(response_id)
        if found is None:
            continue
        found[key] = decode(value)
    return [SentFiche(place, name, version, answers[response_id])
            for response_id, place, name, version in rows]


def previous_campaign(db: Database, year: int) -> Campaign | None:
    """The launched campaign of the latest year before `year` (drafts do not count)."""
    found = select(db, f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns"
                       " WHERE year < ? AND status != 'draft' ORDER BY year DESC LIMIT 1",
                   [year])
    return _campaign(found[0]) if found else None


def exclude(db: Database, year: int, place_id: int, key: str = WHOLE_PLACE,
            by: int | None = None) -> bool:
    """Leave a place (key '') or one of its comments out of the synthesis of `year`.
    False if it already was."""
    cursor = db.execute(
        "INSERT INTO synthesis_exclusions (year, place_id, key, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [year, place_id, key, by, now_iso()])
    return cursor.rowcount == 1


def include(db: Database, year: int, place_id: int, key: str = WHOLE_PLACE) -> bool:
    """Undo `exclude`; False if there was nothing to undo."""
    cursor = db.execute(
        "DELETE FROM synthesis_exclusions WHERE year = ? AND place_id = ? AND key = ?",
        [year, place_id, key])
    return cursor.rowcount == 1


def exclusions(db: Database, year: int) -> list[Exclusion]:
    """What is left out of the synthesis of `year`, by place name then key."""
    return [Exclusion(place_id, name, key) for place_id, name, key in db.execute(
        "SELECT e.place_id, p.name, e.key FROM synthesis_exclusions e"
        " JOIN places p ON p.id = e.place_id WHERE e.year = ?"
        " ORDER BY p.name_key, p.id, e.key", [year])]


def report_targets(db: Database, year: int) -> list[tuple[int, int]]:
    """(place, person): each reachable manager of each active place that sent its fiche
    of `year`, by place name; who gets « votre lieu face au réseau » at the closing."""
    return [(place_id, person_id) for place_id, person_id in db.execute(
        "SELECT p.id, m.person_id FROM places p"
        " JOIN responses r ON r.place_id = p.id AND r.year = ? AND r.status = 'submitted'"
        " JOIN managers m ON m.place_id = p.id"
        " JOIN people pe ON pe.telegram_id = m.person_id"
        " WHERE p.active = 1 AND pe.unreachable_at IS NULL"
        " ORDER BY p.name_key, p.id, m.created_at, m.rowid", [year])]
