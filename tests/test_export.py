"""Exports of a campaign: column shapes in CSV, XLSX and JSON, formula injection, the JSON
round trip through validate_answers and `fichebot render`, and `fichebot export`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.cli import main as cli
from campaign.export import (
    LABEL_SEPARATOR,
    Column,
    ExportTable,
    columns,
    export,
    export_filename,
    export_table,
    neutralise,
    to_csv,
    to_json,
    to_xlsx,
)
from campaign.formulas import is_formula, unneutralise
from questionnaire.answer_file import validate_answers
from questionnaire.answers import effective_answers
from questionnaire.grid import default_grid
from storage import add_place, get_or_create_response, interview_step, mark_submitted, open_db
from storage.campaigns import create_campaign

ROOT = Path(__file__).resolve().parent.parent
GRID = default_grid()
BASE = ["place", "year", "status", "grid_version", "submitted_at"]
SENT_AT = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)  # 10:30 in Paris


@dataclass(frozen=True)
class Response:
    place: str
    answers: dict[str, Any]
    year: int = 2026
    status: str = "submitted"
    grid_version: str = GRID.version
    submitted_at: datetime | None = SENT_AT


def example(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))


TRICKY = Response("=Lieu piégé", {
    "lien_social.publics": ["voisins", "benevoles"],
    "lien_social.publics.autre": ["les enfants, du centre ; de loisirs", "@chef"],
    "lien_social.commentaire": "=HYPERLINK(\"http://evil.example\",\"clic\")",
    "sante.commentaire": "-2 personnes\nsur deux lignes, avec « guillemets » et \"doubles\"",
    "insertion.beneficiaires": 15,
    "capacite_agir.nombre_projets": "+ de 30 par an",
    "capacite_agir.porteurs": "frequentants",
    "espaces.effet": "aucun",
    "espaces.ameliorations": ["attractivite"],  # stored, but no longer asked
    "synthese.intensite_individuels": "3",
}, status="in_progress", submitted_at=None)

RESPONSES = [
    Response(example("le-wip")["place"], example("le-wip")["answers"]),
    Response(example("la-treso")["place"], example("la-treso")["answers"]),
    TRICKY,
    Response("Utopic", {}, status="in_progress", submitted_at=None),
]


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_columns_follow_the_grid_with_a_column_per_option_of_a_multi():
    header = [c.id for c in columns(GRID)]
    assert header[:5] == BASE
    publics = GRID.question("lien_social.publics")
    start = header.index("lien_social.publics")
    assert header[start:start + 10] == [
        "lien_social.publics", *[f"lien_social.publics.{o.id}" for o in publics.options],
        "lien_social.publics.autre"]
    assert "lien_social.frequence.autre" not in header  # no typed extras for that one
    expected = len(BASE)
    for question in GRID.questions():
        expected += 1 + (len(question.options) + question.other if question.type == "multi"
                         else 0)
    assert len(header) == len(set(header)) == expected
    # questions in grid order
    keys = [k for k in header if GRID.question(k)]
    assert keys == list(GRID.keys)


def test_csv_is_rfc4180_utf8_with_bom_and_one_row_per_response():
    data = to_csv(export_table(RESPONSES))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines(keepends=True)[0].endswith("\r\n")
    rows = read_csv(data)
    assert [r["place"] for r in rows] == ["Le WIP", "La Tréso", "'=Lieu piégé", "Utopic"]
    assert list(rows[0]) == [c.id for c in columns(GRID)]
    wip = rows[0]
    assert (wip["year"], wip["status"], wip["grid_version"]) == ("2026", "envoyée",
                                                                 GRID.version)
    assert wip["submitted_at"] == "2026-03-20T10:30:00+01:00"
    assert wip["insertion.beneficiaires"] == "10"
    assert wip["capacite_agir.porteurs"] == "une ou des personnes fréquentant le lieu"
    assert wip["lien_social.frequence"] == "au quotidien"
    assert wip["lien_social.frequence.quotidien"] == "1"
    assert wip["lien_social.frequence.mensuel"] == "0"
    assert wip["espaces.degradations"] == "" and wip["espaces.degradations.nuisances"] == ""
    assert rows[3]["status"] == "en cours" and rows[3]["submitted_at"] == ""
    assert all(rows[3][k] == "" for k in rows[3] if k not in ("place", "year", "status",
                                                                 "grid_version"))


def test_a_multi_is_labels_then_0_1_per_option_then_extras():
    row = read_csv(to_csv(export_table([TRICKY])))[0]
    assert row["lien_social.publics"] == LABEL_SEPARATOR.join([
        "voisin·e·s du quartier", "bénévoles", "les enfants, du centre ; de loisirs", "@chef"])
    assert row["lien_social.publics.voisins"] == "1"
    assert row["lien_social.publics.grand_public"] == "0"
    assert row["lien_social.publics.autre"] == \
        "les enfants, du centre ; de loisirs ; @chef"
    assert row["sante.commentaire"] == \
        "'-2 personnes\nsur deux lignes, avec « guillemets » et \"doubles\""
    # not asked any more (effet is "aucun"): left out, 0/1 columns too
    assert row["espaces.effet"] == "aucun effet"
    assert row["espaces.ameliorations"] == "" and row["espaces.ameliorations.attractivite"] == ""


def test_csv_neutralises_formulas_in_every_text_cell():
    row = read_csv(to_csv(export_table([TRICKY])))[0]
    assert row["place"] == "'=Lieu piégé"
    assert row["lien_social.commentaire"] == "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    assert row["capacite_agir.nombre_projets"] == "'+ de 30 par an"
    assert row["synthese.intensite_individuels"] == "+++"  # signs only: never a formula
    assert row["lien_social.publics.autre"].startswith("les enfants")
    assert row["insertion.beneficiaires"] == "15"  # numbers are numbers


@pytest.mark.parametrize("text", [
    "=1+1", "=", "@chef", "@SUM(A1)", "+ de 30 par an", "+5", "+cmd|' /C calc'!A0",
    "-2 personnes", "-1+1", "--5", "-", "  =1", "\t=1", "\r+1", "+-+1", "-A1",
])
def test_what_a_spreadsheet_would_evaluate_is_a_formula(text):
    assert is_formula(text) == (text != "-")


@pytest.mark.parametrize("text", [
    "+", "++", "+++", "++++", "+++++", "---", "-12", "-3,5", "-0.25", "'++", "'+++", "'=1",
    "''=1", "texte", "", "@", "La Tréso", "1 200", "a=b",
])
def test_neutralise_only_formulas_and_give_every_value_back(text):
    escaped = neutralise(text)
    assert escaped == ("'" + text if is_formula(text) or text in ("'=1", "''=1") else text)
    assert unneutralise(escaped) == text


def test_csv_round_trips_every_value_through_unneutralise():
    tricky = ["+++", "'++", "=SUM(1)", "'=SUM(1)", "-2 personnes", "-12", "a ; b, c"]
    table = ExportTable((Column("place", ""), Column("note", "")),
                        [[t, t] for t in tricky])
    for separator in (";", ",", "\t"):
        rows = list(csv.reader(io.StringIO(to_csv(table, separator).decode("utf-8-sig"),
                                           newline=""), delimiter=separator))
        assert [[unneutralise(c) for c in row] for row in rows[1:]] == [[t, t]
                                                                         for t in tricky]


def test_the_csv_separator_is_the_semicolon_by_default():
    lines = to_csv(export_table(RESPONSES)).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("place;year;status;grid_version;submitted_at;")
    comma = to_csv(export_table(RESPONSES), ",").decode("utf-8-sig").splitlines()
    assert comma[0].startswith("place,year,status,")
    with pytest.raises(ValueError):
        to_csv(export_table(RESPONSES), "|")


def test_xlsx_has_a_bold_frozen_header_typed_cells_and_no_formula():
    data = to_xlsx(export_table(RESPONSES))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Réponses", "Colonnes"]
    sheet = book["Réponses"]
    header = [c.value for c in sheet[1]]
    assert header == [c.id for c in columns(GRID)]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.max_row == 1 + len(RESPONSES)
    values = {name: [sheet.cell(row, col + 1) for row in range(2, sheet.max_row + 1)]
              for col, name in enumerate(header)}
    assert values["insertion.beneficiaires"][0].value == 10
    assert values["lien_social.frequence.quotidien"][0].value == 1
    assert values["lien_social.frequence.mensuel"][0].value == 0
    assert values["submitted_at"][0].value == datetime(2026, 3, 20, 10, 30)  # Paris time
    assert values["submitted_at"][0].is_date
    assert values["submitted_at"][3].value is None
    assert values["espaces.ameliorations.attractivite"][2].value is None
    # formula injection: exact text, stored as text, with Excel's quote prefix
    for name, expected in (("place", "=Lieu piégé"),
                           ("lien_social.commentaire",
                            "=HYPERLINK(\"http://evil.example\",\"clic\")"),
                           ("synthese.intensite_individuels", "+++"),
                           ("capacite_agir.nombre_projets", "+ de 30 par an")):
        cell = values[name][2]
        assert cell.value == expected and cell.data_type == "s"
        assert cell.quotePrefix
    assert not values["place"][0].quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    widths = {sheet.cell(1, i + 1).column_letter: sheet.column_dimensions[
        sheet.cell(1, i + 1).column_letter].width for i in range(len(header))}
    assert all(6 <= w <= 52 for w in widths.values())
    legend = book["Colonnes"]
    assert legend.cell(2, 1).value == "place"
    assert any("(1 = choisi, 0 = non choisi)" in (row[1].value or "")
               for row in legend.iter_rows(min_row=2))


def test_json_is_a_list_of_answer_files_with_only_effective_answers():
    files = json.loads(to_json(RESPONSES))
    assert [f["place"] for f in files] == [r.place for r in RESPONSES]
    for item, response in zip(files, RESPONSES, strict=True):
        assert set(item) == {"place", "year", "grid_version", "submitted_at", "answers"}
        assert item["answers"] == validate_answers(GRID, item["answers"])
        assert item["answers"] == effective_answers(GRID, response.answers)
    assert files[0]["submitted_at"] == "2026-03-20T10:30:00+01:00"
    assert files[2]["submitted_at"] is None
    assert "espaces.ameliorations" not in files[2]["answers"]
    assert files[2]["answers"]["lien_social.commentaire"].startswith("=HYPERLINK")  # as typed


def test_each_json_element_renders_with_fichebot_render(tmp_path, capsys):
    for number, item in enumerate(json.loads(to_json(RESPONSES))):
        path = tmp_path / f"reponse-{number}.json"
        path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
        assert cli(["render", "--answers", str(path), "--format", "md"]) == 0
        output = capsys.readouterr()
        assert output.err == ""
        if number == 0:
            assert output.out.startswith("# EFFETS SOCIAUX ET URBAINS DU WIP")
            assert "Année 2026" in output.out


def test_export_dispatches_on_the_format():
    assert export(RESPONSES, "csv") == to_csv(export_table(RESPONSES))
    assert export(RESPONSES, "json") == to_json(RESPONSES)
    assert export(RESPONSES, "xlsx").startswith(b"PK")
    with pytest.raises(ValueError):
        export(RESPONSES, "ods")
    assert export_filename(2026, "xlsx") == "fichebot-campagne-2026.xlsx"


def test_an_empty_campaign_exports_a_header_only():
    assert len(read_csv(to_csv(export_table([])))) == 0
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx(export_table([]))))["Réponses"].max_row == 1
    assert json.loads(to_json([])) == []


# --- fichebot export --------------------------------------------------------------------

@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    create_campaign(db, 2026, date(2026, 4, 10), GRID.version, None, now=now)
    for response in RESPONSES[:3]:
        place = add_place(db, response.place)
        stored = get_or_create_response(db, place.id, 2026, GRID.version)
        with interview_step(db, stored.id, 0) as step:
            step.save(response.answers)
        if response.status == "submitted":
            mark_submitted(db, stored.id, 0)
    db.conn.close()
    return path


def test_fichebot_export_writes_each_format(db_file, tmp_path, capsys):
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"export.{fmt}"
        assert cli(["export", "--campagne", "2026", "--db", str(db_file), "-o", str(out)]) == 0
        assert "Campagne 2026\u00a0: 3\u00a0lieux exportés dans" in capsys.readouterr().err
    rows = read_csv((tmp_path / "export.csv").read_bytes())
    assert [r["place"] for r in rows] == ["'=Lieu piégé", "La Tréso", "Le WIP"]
    assert openpyxl.load_workbook(tmp_path / "export.xlsx")["Réponses"].max_row == 4
    files = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    wip = next(f for f in files if f["place"] == "Le WIP")
    assert wip["answers"] == effective_answers(GRID, example("le-wip")["answers"])
    assert wip["submitted_at"] is not None


def test_fichebot_export_to_stdout_and_only_sent_ones(db_file, capsysbinary):
    assert cli(["export", "--db", str(db_file), "--format", "json", "--envoyees"]) == 0
    files = json.loads(capsysbinary.readouterr().out)
    assert sorted(f["place"] for f in files) == ["La Tréso", "Le WIP"]


def test_fichebot_export_refuses_an_unknown_campaign_in_one_french_line(db_file, capsys):
    assert cli(["export", "--campagne", "2031", "--db", str(db_file)]) == 2
    err = capsys.readouterr().err
    assert err == ("fichebot export\u00a0: aucune campagne pour l’année 2031 "
                   "(campagnes existantes\u00a0: 2026).\n")


def test_fichebot_export_without_campagne_on_a_database_with_no_campaign(tmp_path, capsys):
    empty = tmp_path / "vide.sqlite"
    open_db(empty).conn.close()
    assert cli(["export", "--db", str(empty)]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("fichebot export\u00a0: aucune campagne en cours "
                            "(campagnes existantes\u00a0: aucune).\n")
    assert captured.out == ""


def test_fichebot_export_refuses_a_missing_database(tmp_path, capsys):
    missing = tmp_path / "nope.sqlite"
    assert cli(["export", "--campagne", "2026", "--db", str(missing)]) == 2
    assert "base de données introuvable" in capsys.readouterr().err
    assert not missing.exists()


def test_fichebot_export_refuses_xlsx_to_a_terminal(db_file, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli(["export", "--db", str(db_file), "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err


def test_fichebot_export_takes_a_separator_and_several_years(db_file, tmp_path, capsys):
    out = tmp_path / "export.csv"
    assert cli(["export", "--campagne", "2026", "--db", str(db_file), "-o", str(out),
                "--separateur", "tab"]) == 0
    assert out.read_bytes().decode("utf-8-sig").startswith("place\tyear\tstatus\t")
    db = open_db(db_file)
    create_campaign(db, 2027, date(2027, 4, 10), GRID.version, None,
                    now=datetime(2027, 3, 2, 10, 0, tzinfo=UTC))
    db.conn.close()
    capsys.readouterr()
    assert cli(["export", "--campagne", "2026", "--campagne", "2027", "--db", str(db_file),
                "-o", str(out)]) == 0
    assert "Campagnes 2026 et 2027\u00a0: 6\u00a0lignes (une par lieu et par année)" in \
        capsys.readouterr().err
    rows = read_csv(out.read_bytes())
    assert [(r["year"], r["status"]) for r in rows if r["place"] == "La Tréso"] == [
        ("2026", "envoyée"), ("2027", "sans gestionnaire")]
