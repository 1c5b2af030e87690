"""The answer to the offer of an earlier year's answers (`Result.OFFER`), for every
channel: copy what still fits the grid, or start blank.

The source is looked up again, never taken from what the channel hands back: only this
place's own earlier response can be copied, and only while the offer stands (nobody has
chosen and nothing is answered yet — another manager may have been quicker).
"""

from __future__ import annotations

from enum import StrEnum

from sqlite_utils import Database

import storage
from interview.session import Session
from questionnaire.grid import Grid
from storage.prefill import carry_over, decide_prefill, prefill_source


class Prefill(StrEnum):
    COPIED = "copied"  # the earlier answers that still fit are now the response's
    BLANK = "blank"  # the person chose a blank fiche
    GONE = "gone"  # the offer no longer stands (or did not match): nothing written


def choose_prefill(db: Database, grid: Grid, session: Session, source_id: int | None,
                   response_id: int | None = None
                   ) -> tuple[Prefill, storage.Response | None]:
    """Record the choice: `source_id` the offered response to start from, None for a
    blank fiche. `response_id`, when the channel carries it, must be the session's.
    Returns what was done and, when copied, the source response."""
    offered = None if session.closed else prefill_source(db, session.response)
    if offered is None or source_id not in (None, offered.id) or (
            response_id is not None and response_id != session.response.id):
        return Prefill.GONE, None
    source = offered if source_id is not None else None
    answers = (carry_over(grid, storage.load_answers(db, source.id), source.grid_version)
               if source else {})
    if not decide_prefill(db, session.response.id, source.id if source else None, answers,
                          session.person_id):
        return Prefill.GONE, None
    return (Prefill.COPIED, source) if source else (Prefill.BLANK, None)
