"""Answers: their shape per question type, validation, and which of them count.

Answers are a flat mapping `"<section>.<question>" -> value` (grid.md, "Answer files"):
multi → list of option ids (typed extras under `<key>.autre`), single → option id,
count → int, amount and comment → str. An absent key was skipped. Answers that come
from outside an interview are checked by `questionnaire.answer_file.validate_answers`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from questionnaire import messages
from questionnaire.grid import COUNT_MAX, Grid, Question

Answers = Mapping[str, Any]

_NUMBER = re.compile(r"\d+")
_GROUPED_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f.'’](?=\d{3}(?!\d))")


def parse_count(text: str) -> int:
    """A whole number from what a person types: "15", "1 200", "environ 20" → 20.

    Raises ValueError with the French message to show when there is not exactly one
    whole number between 0 and COUNT_MAX.
    """
    cleaned = _GROUPED_THOUSANDS.sub("", text.strip())
    if re.search(r"\d[.,]\d", cleaned) or re.search(r"-\s*\d", cleaned):
        raise ValueError(messages.COUNT_NOT_WHOLE)
    numbers = _NUMBER.findall(cleaned)
    if len(numbers) != 1:
        raise ValueError(messages.COUNT_NOT_WHOLE)
    value = int(numbers[0])
    if value > COUNT_MAX:
        raise ValueError(messages.COUNT_TOO_LARGE)
    return value


def clean_text(text: str) -> str:
    """Typed text as stored: surrounding blanks trimmed, line ends normalised."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def is_answered(question: Question, answers: Answers) -> bool:
    value = answers.get(question.key)
    if question.type == "multi":
        return bool(value) or bool(answers.get(question.other_key))
    return value is not None and value != ""


def effective_answers(grid: Grid, answers: Answers) -> dict[str, Any]:
    """The answers that count: those of questions that are asked, and not empty.

    An answer to a question whose condition no longer holds (the manager changed
    `espaces.effet` after answering `espaces.ameliorations`) is kept in storage, so
    that changing back restores it, but it is not printed nor exported.
    """
    result: dict[str, Any] = {}
    for question in grid.questions():
        if not grid.is_asked(question, answers) or not is_answered(question, answers):
            continue
        if question.type == "multi":
            result[question.key] = list(answers.get(question.key) or [])
            extras = list(answers.get(question.other_key) or [])
            if extras:
                result[question.other_key] = extras
        else:
            result[question.key] = answers[question.key]
    return result
