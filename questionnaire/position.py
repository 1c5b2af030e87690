"""Where one person stands in an interview, stored as a small JSON object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from questionnaire.grid import Grid


class Mode(StrEnum):
    """What the person is looking at."""

    QUESTION = "question"
    OTHER = "other"  # typing an extra option of a multi question ("Autre…")
    REVIEW = "review"
    SECTIONS = "sections"  # the section menu


ASKING = (Mode.QUESTION, Mode.OTHER)
REVIEW = "review"  # `back_to` value: go back to the review at the end of a section


@dataclass(frozen=True)
class Position:
    """Where one person stands in an interview; stored as a small JSON object.

    `back_to` is set while a section chosen from the section menu is being edited: at
    the end of that section the interview goes back there ("review" or a question key).
    `furthest` is the index, in grid order, of the furthest question reached by walking
    through; it tells the review whether some questions were never shown.
    """

    mode: Mode = Mode.QUESTION
    key: str | None = None
    back_to: str | None = None
    furthest: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"mode": str(self.mode), "key": self.key, "back_to": self.back_to,
                "furthest": self.furthest}

    @classmethod
    def from_dict(cls, grid: Grid, raw: Mapping[str, Any] | None) -> Position | None:
        """A stored position, or None if it does not fit this grid any more."""
        if not raw:
            return None
        key = raw.get("key")
        back_to = raw.get("back_to")
        furthest = raw.get("furthest", 0)
        try:
            mode = Mode(raw.get("mode"))
        except ValueError:
            return None
        if key is not None and grid.question(key) is None:
            return None
        if mode in ASKING and key is None:
            return None
        if back_to not in (None, REVIEW) and grid.question(back_to) is None:
            back_to = None
        if not isinstance(furthest, int) or furthest < 0:
            furthest = 0
        return cls(mode, key, back_to, min(furthest, len(grid.keys)))
