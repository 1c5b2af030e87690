"""Answers: their shape per question type, validation, and which of them count.

Answers are a flat mapping `"<section>.<question>" -> value` (grid.md, "Answer files"):
multi → list of option ids (typed extras under `<key>.autre`), single → option id,
count → int, amount and comment → str. An absent key was skipped. Answers that come
from outside an interview are checked by `questionnaire.answer_file.validate_answers`.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from questionnaire import messages
from questionnaire.grid import COUNT_MAX, Grid, Question
from questionnaire.typography import LIST_SEPARATOR, count_of, format_number

Answers = Mapping[str, Any]

_NUMBER = re.compile(r"\d+")
_GROUPED_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f.'’](?=\d{3}(?!\d))")
# Terminal escape sequences, whole (an arrow key is ESC [ D: the "[D" goes too): CSI
# (7-bit and C1), OSC up to its terminator, SS3 and other two-character escapes.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[O][ -~]?"
    r"|\x1b[ -~]?"
)
# C0 and C1 control characters and DEL, except tab and line feed; and the invisible
# format characters a text could hide behind or be made of: zero-width space, word
# joiner, byte order mark, direction marks, embeddings, overrides and isolates (the
# zero-width joiner stays: emoji are built with it).
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u2069\ufeff]")
# A minus sign as phones and word processors type it: hyphen-minus, minus, dashes.
_MINUS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_NEGATIVE = re.compile(rf"(?:^|[^\w{_MINUS}])[{_MINUS}]\s*\d")


def parse_count(text: str) -> int:
    """A whole number from what a person types: "15", "1 200", "environ 20" → 20.

    Raises ValueError with the French message to show when there is not exactly one
    whole number between 0 and COUNT_MAX.
    """
    cleaned = _GROUPED_THOUSANDS.sub("", text.strip())
    if re.search(r"\d[.,]\d", cleaned):
        raise ValueError(messages.COUNT_NOT_WHOLE)
    if _NEGATIVE.search(cleaned):
        raise ValueError(messages.COUNT_NEGATIVE)
    numbers = _NUMBER.findall(cleaned)
    if len(numbers) != 1:
        raise ValueError(messages.COUNT_NOT_WHOLE)
    if len(numbers[0].lstrip("0")) > len(str(COUNT_MAX)):  # before int(): 5 000 digits
        raise ValueError(messages.COUNT_TOO_LARGE)
    value = int(numbers[0])
    if value > COUNT_MAX:
        raise ValueError(messages.COUNT_TOO_LARGE)
    return value


def strip_controls(text: str) -> str:
    """`text` without control characters: C0 and C1 (and DEL) except tab and line feed,
    invisible format characters (zero-width space, direction overrides…), and terminal
    escape sequences as a whole. A carriage return becomes a line feed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_text(text: str) -> str:
    """Typed text as stored: control characters removed (`strip_controls`), line ends
    normalised, surrounding blanks trimmed. Every typed answer goes through it, in every
    channel, and so do the texts of an answer file (`answer_file.validate_answers`)."""
    return strip_controls(text).strip()


def answer_digest(question: Question, value: Any, extras: Sequence[str] = ()) -> str:
    """4 hex digits naming an answer as a person sees it (a multi's options in any order,
    and its typed extras): an « Effacer » made for one answer does not erase another
    that a teammate gave meanwhile (`Erase.seen`)."""
    if question.type == "multi":
        value = sorted(value or ())
    shown = json.dumps([value, list(extras)], ensure_ascii=False, sort_keys=True)
    return f"{zlib.crc32(shown.encode('utf-8')) & 0xFFFF:04x}"


def describe(question: Question, value: Any, extras: Sequence[str] = ()) -> str | None:
    """The answer in words, as plain text; None when there is no answer.

    The one wording used by the chat, the export and the fiche: options by their labels
    in grid order then the typed extras, separated by " ; "; a count with French
    grouping and its noun ("1 200 personnes", no-break spaces); texts as typed.
    """
    if question.type == "multi":
        chosen = set(value or ())
        parts = [o.label for o in question.options if o.id in chosen]
        parts += [extra for extra in extras if extra]
        return LIST_SEPARATOR.join(parts) or None
    if value is None or value == "":
        return None
    if question.type == "single":
        option = question.option(str(value))
        return option.label if option else str(value)
    if question.type == "count" and isinstance(value, int) and not isinstance(value, bool):
        if question.unit:
            return count_of(value, *question.unit)
        return format_number(value)
    return str(value)


def describe_key(question: Question, answers: Answers) -> str | None:
    """`describe` of the question's stored answer (and extras) in a mapping of answers."""
    return describe(question, answers.get(question.key),
                    answers.get(question.other_key) or () if question.type == "multi" else ())


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
