"""A campaign's responses as CSV, XLSX and JSON. Pure: bytes in memory, no file, no database.

One row per place that has a response that year (sent or in progress), in the order given.
Columns: `place`, `year`, `status` ("envoyée" / "en cours"), `grid_version`,
`submitted_at`, then one group per question in grid order, named by its answer key
(grid.md, the contract):

- `multi`: `<key>` the chosen labels joined by " ; " (typed extras last, as typed), then
  `<key>.<option>` 1 / 0 for each option, then `<key>.autre` the extras joined by " ; "
  (only for questions that take extras);
- `single`: its label; `count`: a whole number; `amount`, `comment`: the text.

Only effective answers count (`questionnaire.answers.effective_answers`): a skipped
question, or one that is not asked (`espaces.ameliorations` when the effect is not
positive), leaves its cells empty — the 0/1 columns too, since "not answered" is not
"no". Answers are read with the current grid; keys it does not know are left out.

Formats:
- CSV: RFC 4180 — comma delimiter, fields quoted when needed, CRLF line ends — in UTF-8
  with a BOM so that Excel reads the accents. The comma, not the semicolon: the CSV is
  for data tools; the XLSX is the file to open in Excel (a French Excel splits a
  double-clicked CSV on semicolons).
- XLSX: a "Réponses" sheet with the header row bold and frozen, an autofilter and
  column widths from the content, and a "Colonnes" sheet describing each column in French.
- JSON: a list of answer files in the grid.md format, `{"place", "year", "grid_version",
  "submitted_at", "answers"}`; `fichebot render --answers` accepts each element saved to
  its own file. `submitted_at` is null for a response still in progress.

Formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return would be run as a formula by a spreadsheet. In CSV it gets a leading apostrophe;
in XLSX every text is written with `write_string` (never a formula) and such cells get
Excel's own "quote prefix" (the hidden apostrophe a user types), so the value read back is
exactly the text. JSON is data and is left as is. Option labels are covered too (the
intensity labels are "+", "++"…).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import xlsxwriter

from campaign.clock import PARIS
from questionnaire.answers import effective_answers
from questionnaire.grid import Grid, Question, default_grid

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
STATUS_LABELS = {"submitted": "envoyée", "in_progress": "en cours"}
LABEL_SEPARATOR = " ; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | datetime | None


class ExportedResponse(Protocol):
    """What an export needs of a response (`storage.campaigns.CampaignResponse` has it)."""

    @property
    def place(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def status(self) -> str: ...  # 'submitted' | 'in_progress'

    @property
    def grid_version(self) -> str: ...

    @property
    def submitted_at(self) -> datetime | None: ...  # aware

    @property
    def answers(self) -> Mapping[str, Any]: ...  # as stored, not yet filtered


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    description: str  # French, for the "Colonnes" sheet


@dataclass(frozen=True)
class ExportTable:
    columns: tuple[Column, ...]
    rows: list[list[Cell]]

    @property
    def header(self) -> list[str]:
        return [column.id for column in self.columns]


_BASE_COLUMNS = (
    Column("place", "Lieu"),
    Column("year", "Année de la campagne"),
    Column("status", "Statut de la réponse : envoyée ou en cours"),
    Column("grid_version", "Version de la grille de questions"),
    Column("submitted_at", "Date et heure d'envoi (heure de Paris)"),
)


def _question_columns(grid: Grid, question: Question) -> list[Column]:
    section = grid.section(question.section_id)
    about = f"{section.title if section else question.section_id} — {question.prompt}"
    if question.type != "multi":
        return [Column(question.key, about)]
    columns = [Column(question.key, f"{about} (réponses choisies)")]
    for option in question.options:
        column_id = f"{question.key}.{option.id}"
        if column_id == question.other_key:
            raise ValueError(f"{question.key}: an option id 'autre' would clash with extras")
        columns.append(Column(column_id,
                              f"{about} : {option.label} (1 = choisi, 0 = non choisi)"))
    if question.other:
        columns.append(Column(question.other_key, f"{about} (autres réponses saisies)"))
    return columns


def columns(grid: Grid) -> tuple[Column, ...]:
    """Every column of the export, in order."""
    result = list(_BASE_COLUMNS)
    for question in grid.questions():
        result.extend(_question_columns(grid, question))
    return tuple(result)


def _question_cells(question: Question, answers: Mapping[str, Any]) -> list[Cell]:
    value = answers.get(question.key)
    if question.type == "multi":
        extras: list[str] = list(answers.get(question.other_key) or [])
        answered = question.key in answers or bool(extras)
        chosen = set(value or [])
        labels = [o.label for o in question.options if o.id in chosen] + extras
        cells: list[Cell] = [LABEL_SEPARATOR.join(labels) if answered else None]
        cells.extend((1 if o.id in chosen else 0) if answered else None
                     for o in question.options)
        if question.other:
            cells.append(LABEL_SEPARATOR.join(extras) or None)
        return cells
    if value is None:
        return [None]
    if question.type == "single":
        option = question.option(str(value))
        return [option.label if option else str(value)]
    return [value]


def export_table(responses: Iterable[ExportedResponse], grid: Grid | None = None) -> ExportTable:
    """The rows of an export: one per response, cells typed (text, int, datetime, None)."""
    grid = grid or default_grid()
    questions = list(grid.questions())
    rows: list[list[Cell]] = []
    for response in responses:
        answers = effective_answers(grid, response.answers)
        row: list[Cell] = [
            response.place,
            response.year,
            STATUS_LABELS.get(response.status, response.status),
            response.grid_version,
            response.submitted_at,
        ]
        for question in questions:
            row.extend(_question_cells(question, answers))
        rows.append(row)
    return ExportTable(columns(grid), rows)


def neutralise(text: str) -> str:
    """A text a spreadsheet will not run as a formula: an apostrophe before a trigger."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _iso(moment: datetime) -> str:
    return moment.astimezone(PARIS).isoformat(timespec="seconds")


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime):
        return _iso(value)
    return value


def to_csv(table: ExportTable) -> bytes:
    """RFC 4180 CSV (comma, CRLF), UTF-8 with BOM; formula triggers neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


_MIN_WIDTH = 6
_MAX_WIDTH = 50


def _display_length(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    return len(str(value))


def to_xlsx(table: ExportTable, sheet_name: str = "Réponses") -> bytes:
    """An XLSX workbook in memory; see the module docstring."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    when = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    sheet = workbook.add_worksheet(sheet_name[:31])
    widths = [len(column.id) for column in table.columns]
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.id, bold)
    for number, row in enumerate(table.rows, 1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if value.startswith(FORMULA_TRIGGERS):
                    sheet.write_string(number, col, value, quoted)
                else:
                    sheet.write_string(number, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(number, col,
                                     value.astimezone(PARIS).replace(tzinfo=None), when)
            else:
                sheet.write_number(number, col, value)
            length = _display_length(value)
            if length > widths[col]:
                widths[col] = length
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)

    legend = workbook.add_worksheet("Colonnes")
    legend.write_string(0, 0, "colonne", bold)
    legend.write_string(0, 1, "description", bold)
    for number, column in enumerate(table.columns, 1):
        legend.write_string(number, 0, column.id)
        legend.write_string(number, 1, column.description)
    legend.set_column(0, 0, min(max(len(c.id) for c in table.columns) + 2, _MAX_WIDTH))
    legend.set_column(1, 1, 100)
    legend.freeze_panes(1, 0)

    workbook.close()
    return buffer.getvalue()


def answer_file(response: ExportedResponse, grid: Grid | None = None) -> dict[str, Any]:
    """One response as an answer file of grid.md, with its effective answers."""
    grid = grid or default_grid()
    return {
        "place": response.place,
        "year": response.year,
        "grid_version": response.grid_version,
        "submitted_at": _iso(response.submitted_at) if response.submitted_at else None,
        "answers": effective_answers(grid, response.answers),
    }


def to_json(responses: Iterable[ExportedResponse], grid: Grid | None = None) -> bytes:
    """A JSON list of answer files (grid.md), UTF-8, indented."""
    grid = grid or default_grid()
    files = [answer_file(response, grid) for response in responses]
    return (json.dumps(files, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export(responses: Sequence[ExportedResponse], fmt: str, grid: Grid | None = None) -> bytes:
    """The export in one of FORMATS."""
    if fmt == "json":
        return to_json(responses, grid)
    table = export_table(responses, grid)
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


def export_filename(year: int, fmt: str) -> str:
    """The file name of an export, as sent in Telegram and proposed by the command line."""
    return f"fichebot-campagne-{year}.{fmt}"
