"""Walking the grid: which questions are asked, which comes next or before, how far along.

Pure functions of the grid and the answers (a question's condition depends on the
other answers of its section).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questionnaire.answers import is_answered
from questionnaire.grid import Grid, Section
from questionnaire.position import Mode, Position


def asked_keys(grid: Grid, answers: Mapping[str, Any]) -> list[str]:
    return [q.key for q in grid.questions() if grid.is_asked(q, answers)]


def next_key(grid: Grid, answers: Mapping[str, Any], after: int) -> str | None:
    """The first asked question after index `after` (-1: from the start)."""
    for key in grid.keys[after + 1:]:
        if grid.is_asked(grid.question(key), answers):  # type: ignore[arg-type]
            return key
    return None


def previous_key(grid: Grid, answers: Mapping[str, Any], before: int) -> str | None:
    """The last asked question before index `before`."""
    for key in reversed(grid.keys[:before]):
        if grid.is_asked(grid.question(key), answers):  # type: ignore[arg-type]
            return key
    return None


def first_in_section(grid: Grid, answers: Mapping[str, Any], section: Section) -> str | None:
    for question in section.questions:
        if grid.is_asked(question, answers):
            return question.key
    return None


def start(grid: Grid, answers: Mapping[str, Any]) -> Position:
    """Where a new interview begins: the first asked question."""
    key = next_key(grid, answers, -1)
    if key is None:
        return Position(mode=Mode.REVIEW, furthest=len(grid.keys))
    return Position(mode=Mode.QUESTION, key=key, furthest=grid.index(key))


def is_complete(grid: Grid, position: Position) -> bool:
    """Whether the manager has walked through to the end at least once."""
    return position.furthest >= len(grid.keys)


def completion(grid: Grid, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(answered, asked) questions, for progress reports."""
    asked = [grid.question(k) for k in asked_keys(grid, answers)]
    return sum(1 for q in asked if q and is_answered(q, answers)), len(asked)


def section_completion(grid: Grid, answers: Mapping[str, Any], section: Section
                       ) -> tuple[int, int]:
    """(answered, asked) questions of one section."""
    asked = [q for q in section.questions if grid.is_asked(q, answers)]
    return sum(1 for q in asked if is_answered(q, answers)), len(asked)


def unanswered_sections(grid: Grid, answers: Mapping[str, Any]) -> int:
    """How many sections have not one answered question: what the fiche would print
    as "Non renseigné"."""
    return sum(1 for section in grid.sections
               if section_completion(grid, answers, section)[0] == 0)
