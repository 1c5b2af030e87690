"""Answers from outside an interview: their validation, and the answer file (grid.md).

`validate_answers` checks a mapping of answers against the grid (exports, prefill, answer
files); `parse_answer_file` checks a whole answer file `{place, year, answers}`. Every
refusal names the key and says, in French, what is expected: the person who reads it
is editing a JSON file by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaire.answers import clean_text
from questionnaire.grid import COUNT_MAX, OTHER_SUFFIX, Grid, Question
from questionnaire.typography import NBSP, NNBSP, format_number

ANSWER_FILE_KEYS = ("place", "year", "answers", "grid_version", "submitted_at")
YEARS = (1900, 2200)


def _quoted(text: object) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


class AnswerError(ValueError):
    """An answer that does not fit the grid; the message names the key, in French."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}{NBSP}: {message}")
        self.key = key


class AnswerFileError(ValueError):
    """An answer file that cannot be read as one; the message names the key, in French."""


@dataclass(frozen=True)
class AnswerFile:
    place: str
    year: int | None
    answers: dict[str, Any]
    submitted_at: str | None = None


def _options(question: Question) -> str:
    return ", ".join(option.id for option in question.options)


def validate_answers(grid: Grid, raw: Any) -> dict[str, Any]:
    """Check a mapping of answers against the grid; raise AnswerError naming the key."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", 'un objet est attendu, par exemple '
                                     '{"lien_social.publics": ["benevoles"]}')
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise AnswerError(str(key), f"une clé est un texte {_quoted('section.question')}")
        if key.endswith(OTHER_SUFFIX):
            result[key] = _validate_extras(grid, key, value)
            continue
        question = grid.question(key)
        if question is None:
            raise AnswerError(key, "clé inconnue (une clé est «\u202fsection.question\u202f», "
                                   "par exemple «\u202flien_social.publics\u202f»)")
        result[key] = _validate_value(question, value)
    return result


def _validate_extras(grid: Grid, key: str, value: Any) -> list[str]:
    question = grid.question(key[: -len(OTHER_SUFFIX)])
    if question is None or question.type != "multi" or not question.other:
        raise AnswerError(key, "clé inconnue (cette question ne prend pas de réponse "
                               "ajoutée «\u202fautre\u202f»)")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(key, 'une liste de textes est attendue, par exemple '
                               '["outillage partagé"]')
    extras = [clean_text(v) for v in value if clean_text(v)]
    for extra in extras:
        if len(extra) > question.text_limit:
            raise AnswerError(key, f"une réponse ajoutée dépasse "
                                   f"{format_number(question.text_limit)}{NBSP}caractères")
    return extras


def _validate_value(question: Question, value: Any) -> Any:
    key = question.key
    if question.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerError(key, f"une liste d’options est attendue, parmi{NBSP}: "
                                   f"{_options(question)}")
        for option_id in value:
            if question.option(option_id) is None:
                raise AnswerError(key, f"option {_quoted(option_id)} inconnue (options "
                                       f"possibles{NBSP}: {_options(question)})")
        if len(set(value)) != len(value):
            raise AnswerError(key, "une option figure deux fois")
        exclusive = [o for o in value if question.option(o).exclusive]  # type: ignore[union-attr]
        if exclusive and len(value) > 1:
            raise AnswerError(key, f"l’option {_quoted(exclusive[0])} ne se combine avec "
                                   "aucune autre")
        return [o.id for o in question.options if o.id in value]
    if question.type == "single":
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise AnswerError(key, f"une option est attendue, parmi{NBSP}: "
                                   f"{_options(question)}")
        if question.option(value) is None:
            raise AnswerError(key, f"option {_quoted(value)} inconnue (options "
                                   f"possibles{NBSP}: {_options(question)})")
        return value
    if question.type == "count":
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value <= COUNT_MAX:
            raise AnswerError(key, "un nombre entier est attendu, de 0 à "
                                   f"{format_number(COUNT_MAX)}")
        return value
    if not isinstance(value, str):
        raise AnswerError(key, "un texte est attendu")
    value = clean_text(value)
    if len(value) > question.text_limit:
        raise AnswerError(key, f"le texte dépasse {format_number(question.text_limit)}{NBSP}"
                               f"caractères (il en compte {format_number(len(value))})")
    return value


def parse_answer_file(grid: Grid, raw: Any,
                      known_versions: tuple[str, ...] | None = None) -> AnswerFile:
    """An answer file's content (grid.md, "Answer files"), checked; raises AnswerFileError.

    A `grid_version` other than the grid's (or one of `known_versions`) is refused: its
    ids may mean something else.
    """
    if not isinstance(raw, dict):
        raise AnswerFileError('le fichier doit contenir un objet JSON '
                              '{"place": …, "year": …, "answers": {…}}')
    unknown = sorted(set(raw) - set(ANSWER_FILE_KEYS))
    if unknown:
        raise AnswerFileError(f"{unknown[0]}{NBSP}: clé inconnue (clés possibles{NBSP}: "
                              f"{', '.join(ANSWER_FILE_KEYS)})")
    versions = known_versions or (grid.version,)
    version = raw.get("grid_version")
    if version is not None and str(version) not in versions:
        raise AnswerFileError(f"grid_version{NBSP}: version {_quoted(version)} inconnue de ce "
                              f"fichebot (versions connues{NBSP}: {', '.join(versions)})")
    place = raw.get("place")
    if not isinstance(place, str) or not place.strip():
        raise AnswerFileError(f"place{NBSP}: le nom du lieu manque (un texte, avec son "
                              "article, par exemple «\u202fLa Tréso\u202f»)")
    year = raw.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not YEARS[0] <= year <= YEARS[1]):
        raise AnswerFileError(f"year{NBSP}: l’année doit être un nombre entier, par exemple "
                              "2025")
    submitted_at = raw.get("submitted_at")
    if submitted_at is not None and not isinstance(submitted_at, str):
        raise AnswerFileError(f"submitted_at{NBSP}: une date ISO est attendue, par exemple "
                              "«\u202f2026-06-30T10:00:00+00:00\u202f»")
    if "answers" not in raw:
        raise AnswerFileError(f"answers{NBSP}: les réponses manquent")
    try:
        answers = validate_answers(grid, raw["answers"])
    except AnswerError as exc:
        key = exc.key if exc.key == "answers" else f"answers.{exc.key}"
        raise AnswerFileError(f"{key}{str(exc)[len(exc.key):]}") from exc
    return AnswerFile(place.strip(), year, answers, submitted_at)
