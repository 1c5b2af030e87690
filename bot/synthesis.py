"""The synthesis of a campaign read from the database, for every channel (the command
line and Telegram): the one place where storage meets `campaign.synthesis`."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from campaign.synthesis import WHOLE_PLACE, YearInput, place_block, prepare, synthesize
from questionnaire.grid import Grid, Question, default_grid
from storage.campaigns import Campaign, campaign_status
from storage.synthesis import exclusions, previous_campaign, sent_fiches


def _year(db: Database, year: int) -> YearInput:
    excluded = {(e.place_id, e.key) for e in exclusions(db, year)}
    return YearInput(year, sent_fiches(db, year), excluded)


def synthesis_of(db: Database, campaign: Campaign, grid: Grid | None = None
                 ) -> dict[str, Any]:
    """The JSON synthesis of the campaign, with the previous campaign's evolution."""
    grid = grid or default_grid()
    counts = campaign_status(db, campaign, grid).counts
    previous = previous_campaign(db, campaign.year)
    return synthesize(grid, _year(db, campaign.year), counts,
                      _year(db, previous.year) if previous else None)


def place_block_of(db: Database, synthesis: dict[str, Any], place_id: int,
                   grid: Grid | None = None) -> dict[str, Any] | None:
    """« Votre lieu face au réseau » for a place; None if it sent no fiche that year."""
    grid = grid or default_grid()
    year = synthesis["campagne"]
    found = sent_fiches(db, year, place_id)
    if not found:
        return None
    fiche = found[0]
    counted = prepare(grid, YearInput(year, [fiche])).counted[0]
    return place_block(synthesis, grid, fiche.place, counted.answers)


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


__all__ = ["WHOLE_PLACE", "comment_key", "place_block_of", "synthesis_of"]
