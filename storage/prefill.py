"""Starting a year's response from the place's previous answers (offered once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from questionnaire.answers import AnswerError, validate_answers
from questionnaire.grid import Grid

from .codec import encode
from .db import immediate_transaction, now_iso
from .responses import Response, get_response


def prefill_source(db: Database, response: Response) -> Response | None:
    """The earlier response to offer as a starting point, or None (nothing to offer).

    Offered only while the manager has not chosen and the response has no answer yet;
    the source is the place's latest earlier response, a sent one preferably.
    """
    row = db.execute(
        "SELECT prefill_decided_at, (SELECT count(*) FROM answers WHERE response_id = ?)"
        " FROM responses WHERE id = ?", [response.id, response.id]).fetchone()
    if row is None or row[0] is not None or row[1]:
        return None
    source = db.execute(
        "SELECT r.id FROM responses r WHERE r.place_id = ? AND r.year < ?"
        " AND EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id)"
        " ORDER BY r.status = 'submitted' DESC, r.year DESC LIMIT 1",
        [response.place_id, response.year]).fetchone()
    return get_response(db, source[0]) if source else None


def decide_prefill(db: Database, response_id: int, source_id: int | None,
                   answers: Mapping[str, Any], person_id: int | None) -> bool:
    """Record the manager's choice, copying `answers` when they start from `source_id`.

    Atomic and once only: False (nothing written) if the choice was already made or the
    response already has answers (a second tap, another manager).
    """
    now = now_iso()
    with immediate_transaction(db):
        row = db.execute(
            "SELECT prefill_decided_at, (SELECT count(*) FROM answers WHERE response_id = ?)"
            " FROM responses WHERE id = ?", [response_id, response_id]).fetchone()
        if row is None or row[0] is not None or row[1]:
            return False
        db.execute("UPDATE responses SET prefill_from = ?, prefill_decided_at = ?,"
                   " updated_at = ? WHERE id = ?", [source_id, now, now, response_id])
        if source_id is not None:
            for key, value in answers.items():
                db.execute(
                    "INSERT INTO answers (response_id, key, value, updated_at, updated_by)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [response_id, key, encode(value), now, person_id])
    return True


def carry_over(grid: Grid, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of an earlier year that still fit `grid`, to start a new year from.

    Each key is checked on its own (`validate_answers`): an answer to a question the grid
    no longer has, or no longer valid, is dropped, the others kept. A `multi` answer keeps
    the options that still exist. Empty answers (skipped questions) are not carried.
    """
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        question = grid.question(key)
        if question is not None and question.type == "multi" and isinstance(value, list):
            value = [v for v in value if question.option(str(v)) is not None]
        if value is None or value == "" or value == []:
            continue
        try:
            kept.update(validate_answers(grid, {key: value}))
        except AnswerError:
            continue
    return kept
