"""The synthesis of a campaign read from the database, for every channel (the command
line and Telegram): the one place where storage meets `campaign.synthesis`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from campaign.synthesis import WHOLE_PLACE, YearInput, place_block, prepare, synthesize
from questionnaire.grid import Grid, Question, default_grid
from storage.campaigns import Campaign, state_counts
from storage.synthesis import SentFiche, exclusions, previous_campaign, sent_fiches


def _year(db: Database, year: int) -> YearInput:
    excluded = {(e.place_id, e.key) for e in exclusions(db, year)}
    return YearInput(year, sent_fiches(db, year), excluded)


@dataclass(frozen=True)
class Inputs:
    """What the synthesis of a campaign reads from the database."""

    counts: Mapping[str, int]  # places per state (`campaign.states`, the one definition)
    current: YearInput
    previous: YearInput | None


def load_inputs(db: Database, campaign: Campaign) -> Inputs:
    """The database part, on the connection's own thread."""
    previous = previous_campaign(db, campaign.year)
    return Inputs(state_counts(db, campaign), _year(db, campaign.year),
                  _year(db, previous.year) if previous else None)


def compute(inputs: Inputs, grid: Grid | None = None) -> dict[str, Any]:
    """The pure part (it may run in a worker thread)."""
    return synthesize(grid or default_grid(), inputs.current, inputs.counts, inputs.previous)


def synthesis_of(db: Database, campaign: Campaign, grid: Grid | None = None
                 ) -> dict[str, Any]:
    """The JSON synthesis of the campaign, with the previous campaign's evolution."""
    return compute(load_inputs(db, campaign), grid)


def place_block_for(synthesis: Mapping[str, Any], fiche: SentFiche, grid: Grid | None = None
                    ) -> dict[str, Any]:
    """« Votre lieu face au réseau » for a sent fiche of the synthesis's year (pure)."""
    grid = grid or default_grid()
    counted = prepare(grid, YearInput(synthesis["campagne"], [fiche])).counted[0]
    return place_block(synthesis, grid, fiche.place, counted.answers)


def place_block_of(db: Database, synthesis: Mapping[str, Any], place_id: int,
                   grid: Grid | None = None) -> dict[str, Any] | None:
    """The same for a place, read from the database; None if it sent no fiche."""
    found = sent_fiches(db, synthesis["campagne"], place_id)
    return place_block_for(synthesis, found[0], grid) if found else None


def comment_key(grid: Grid, text: str) -> str | None:
    """The answer key of a section's comment, from "lien_social" or
    "lien_social.commentaire"; None if that names no comment question."""
    text = text.strip()
    question: Question | None = grid.question(text)
    if question is None:
        section = grid.section(text)
        comments = [q for q in section.questions if q.type == "comment"] if section else []
        question = comments[0] if comments else None
    return question.key if question is not None and question.type == "comment" else None


__all__ = ["WHOLE_PLACE", "Inputs", "comment_key", "compute", "load_inputs", "place_block_for",
           "place_block_of", "synthesis_of"]
