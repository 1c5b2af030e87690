"""What a chart of the synthesis shows, without drawing it: a `Bar` (an answer, how many
places gave it, their share) and a share written as on the charts.

Kept apart from `charts` (matplotlib and NumPy, 35 MB) so that the synthesis can be
computed, and its text versions written, in a process that never draws: the bot's.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire.typography import format_percent


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    share: float
    other: bool = False  # typed answers ("Autre"), drawn in grey


def percent(share: float) -> str:
    """A share as shown on a chart: "42 %", and "< 1 %" rather than "0 %" when some
    places did answer it."""
    if 0 < share < 0.005:
        return "<\u202f1\u202f%"
    return format_percent(share)
