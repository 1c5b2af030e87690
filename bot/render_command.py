"""`fichebot render --answers FILE.json`: the fiche from an answer file (grid.md format)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import cli_texts as T
from questionnaire.answers import AnswerError, validate_answers
from questionnaire.grid import Grid, default_grid

EXIT_BAD_INPUT = 2
EXIT_NO_PDF = 3


class AnswerFileError(ValueError):
    """The answer file cannot be rendered; the message names the key."""


@dataclass(frozen=True)
class AnswerFile:
    place: str
    year: int | None
    answers: dict[str, Any]


def read_answer_file(grid: Grid, path: Path) -> AnswerFile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnswerFileError(f"impossible de lire le fichier ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise AnswerFileError("le fichier n'est pas en UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise AnswerFileError(f"JSON invalide, ligne {exc.lineno} colonne {exc.colno} : "
                              f"{exc.msg}") from exc
    return parse_answer_file(grid, raw)


def parse_answer_file(grid: Grid, raw: Any) -> AnswerFile:
    if not isinstance(raw, dict):
        raise AnswerFileError("le fichier doit contenir un objet JSON {place, year, answers}")
    unknown = sorted(set(raw) - {"place", "year", "answers", "grid_version", "submitted_at"})
    if unknown:
        raise AnswerFileError(f"{unknown[0]}: clé inconnue")
    place = raw.get("place")
    if not isinstance(place, str) or not place.strip():
        raise AnswerFileError("place: le nom du lieu manque (texte, avec son article)")
    year = raw.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1900 <= year <= 2200):
        raise AnswerFileError("year: l'année doit être un nombre entier, par exemple 2025")
    if "answers" not in raw:
        raise AnswerFileError("answers: les réponses manquent")
    try:
        answers = validate_answers(grid, raw["answers"])
    except AnswerError as exc:
        raise AnswerFileError(f"answers.{exc}") from exc
    return AnswerFile(place.strip(), year, answers)


def main(args: argparse.Namespace) -> int:
    grid = default_grid()
    source = Path(args.answers)
    try:
        answer_file = read_answer_file(grid, source)
    except AnswerFileError as exc:
        print(f"fichebot render : {source} : {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from fiche.model import build_fiche
    from fiche.pdf_support import MISSING_PDF, pdf_support
    from fiche.render import render

    if args.format == "pdf" and not pdf_support().available:
        print(T.RENDER_NO_PDF.format(reason=MISSING_PDF), file=sys.stderr)
        return EXIT_NO_PDF

    fiche = build_fiche(grid, answer_file.answers, answer_file.place, answer_file.year)
    output = render(fiche, args.format)
    if args.output:
        target = Path(args.output)
        try:
            if isinstance(output, bytes):
                target.write_bytes(output)
            else:
                target.write_text(output, encoding="utf-8")
        except OSError as exc:
            print(f"fichebot render : {target} : impossible d'écrire ({exc.strerror or exc})",
                  file=sys.stderr)
            return 1
    elif isinstance(output, bytes):
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0
