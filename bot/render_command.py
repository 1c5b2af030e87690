"""`fichebot render --answers FILE.json`: the fiche from an answer file (grid.md format).

The answers are read with the grid of the file's `grid_version` when fichebot knows that
version (`questionnaire.versions`), so an export of an older year renders as it was
answered; without one, with the current grid. A version this fichebot does not know is
refused with one line: its ids may mean something else.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot import cli_texts as T
from bot.system_errors import json_error, os_error
from questionnaire import versions
from questionnaire.answer_file import AnswerFile, AnswerFileError, parse_answer_file
from questionnaire.grid import Grid, default_grid

EXIT_BAD_INPUT = 2
EXIT_NO_PDF = 3
NBSP = "\u00a0"


def read_answer_file(grid: Grid, path: Path) -> tuple[AnswerFile, Grid]:
    """The answer file at `path`, checked, and the grid it was answered with; raises
    AnswerFileError with a French line."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnswerFileError(f"impossible de lire le fichier ({os_error(exc)})") from exc
    except UnicodeDecodeError as exc:
        raise AnswerFileError("le fichier n’est pas en UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise AnswerFileError(json_error(exc)) from exc
    version = raw.get("grid_version") if isinstance(raw, dict) else None
    catalog = versions.default_catalog()
    known = catalog.versions
    own = catalog.grid(str(version)) if str(version) in known else grid
    return parse_answer_file(own, raw, known_versions=known), own


def main(args: argparse.Namespace) -> int:
    grid = default_grid()
    source = Path(args.answers)
    try:
        answer_file, grid = read_answer_file(grid, source)
    except AnswerFileError as exc:
        print(f"fichebot render{NBSP}: {source}{NBSP}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from fiche.model import build_fiche, sent_on_of
    from fiche.pdf_support import MISSING_PDF, pdf_support
    from fiche.render import render

    if args.format == "pdf" and not pdf_support().available:
        print(T.RENDER_NO_PDF.format(reason=MISSING_PDF), file=sys.stderr)
        return EXIT_NO_PDF

    fiche = build_fiche(grid, answer_file.answers, answer_file.place, answer_file.year,
                        sent_on=sent_on_of(answer_file.submitted_at))
    output = render(fiche, args.format)
    if args.output:
        target = Path(args.output)
        try:
            if isinstance(output, bytes):
                target.write_bytes(output)
            else:
                target.write_text(output, encoding="utf-8")
        except OSError as exc:
            print(f"fichebot render{NBSP}: {target}{NBSP}: impossible d’écrire "
                  f"({os_error(exc)})", file=sys.stderr)
            return 1
    elif isinstance(output, bytes):
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0
