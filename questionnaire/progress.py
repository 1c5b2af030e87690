"""How far a response has gone, in words a coordinator understands: sections.

"7 sections sur 12" is read at a glance; "(15/38)" questions is not, because the number
of questions asked changes with the answers (a condition may skip one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from questionnaire.answers import is_answered
from questionnaire.grid import Grid


class SectionProgress(NamedTuple):
    answered: int  # sections with at least one answered question
    asked: int  # sections with at least one question asked


def section_progress(grid: Grid, answers: Mapping[str, Any]) -> SectionProgress:
    """Sections with at least one answer, over the sections that ask something."""
    answered = asked = 0
    for section in grid.sections:
        questions = [q for q in section.questions if grid.is_asked(q, answers)]
        if not questions:
            continue
        asked += 1
        if any(is_answered(q, answers) for q in questions):
            answered += 1
    return SectionProgress(answered, asked)
