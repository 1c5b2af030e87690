"""The one place where a response answered with another grid version meets the current
grid: the synthesis counts what the version map (`questionnaire.versions`) carries over
and reports the rest, never dropping it silently."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaire.answer_file import AnswerError, validate_answers
from questionnaire.grid import Grid
from questionnaire.versions import UnknownGridVersion, map_answers


@dataclass(frozen=True, slots=True)
class Mapped:
    answers: Mapping[str, Any]  # keyed as in the current grid (read-only)
    unmapped: tuple[str, ...]  # stored keys that could not be carried over


def to_current_grid(grid: Grid, version: str, answers: Mapping[str, Any]) -> Mapped:
    """A response's stored answers as answers of `grid`.

    Same version: as stored. An older version the grid files know: through the version
    map (renamed, moved, removed questions, renamed options). A version no grid file
    declares (or not an older one): each answer is kept where it still fits the current
    grid (same key, right type; a multiple choice keeps the options the grid still has).
    Either way the keys that could not be carried over are reported.
    """
    if version == grid.version:
        return Mapped(answers, ())
    try:
        mapped = map_answers(answers, version, grid.version)
    except (UnknownGridVersion, ValueError):
        return _as_far_as_it_fits(grid, answers)
    return Mapped(mapped.answers, tuple(dict.fromkeys(u.key for u in mapped.unmapped)))


def _as_far_as_it_fits(grid: Grid, answers: Mapping[str, Any]) -> Mapped:
    kept: dict[str, Any] = {}
    lost: list[str] = []
    for key, value in answers.items():
        question = grid.question(key)
        if question is not None and question.type == "multi" and isinstance(value, list):
            known = [o for o in value if question.option(str(o)) is not None]
            if len(known) < len(value):
                lost.append(key)  # an option the current grid no longer has
            value = known
            if not value:
                continue
        try:
            kept.update(validate_answers(grid, {key: value}))
        except AnswerError:
            if key not in lost:
                lost.append(key)
    return Mapped(kept, tuple(lost))
