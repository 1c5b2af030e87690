"""Without Pango, no traceback anywhere: render and demo say so in one French line, the
demo still writes .md and .html (issue 14). The PDF library is made to fail to load the
way it does on such a machine: WeasyPrint prints a banner, then raises OSError."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import cli_texts
from bot.terminal import texts as TT
from fiche import pdf_support
from fiche.model import build_fiche
from fiche.pdf_support import MISSING_PDF, PdfUnavailable
from fiche.render import render_html, render_pdf
from questionnaire.grid import default_grid
from tests.cli_process import ROOT, run_fichebot, write_no_pango


@pytest.fixture
def no_pango(monkeypatch, tmp_path):
    """`import weasyprint` fails in this process as it does without libpango."""
    monkeypatch.syspath_prepend(str(write_no_pango(tmp_path / "no_pango")))
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    pdf_support.forget_verdict()
    yield tmp_path / "no_pango"
    pdf_support.forget_verdict()


def test_the_verdict_without_pango(no_pango, capsys):
    support = pdf_support.pdf_support()
    assert not support.available
    assert support.error.startswith("cannot load library 'libpango-1.0-0'")
    assert pdf_support.pdf_support() is support  # decided once
    assert capsys.readouterr().out == ""  # WeasyPrint's English banner is kept off stdout
    fiche = build_fiche(default_grid(), {}, "La Tréso", 2026)
    with pytest.raises(PdfUnavailable) as caught:
        render_pdf(fiche)
    assert str(caught.value) == MISSING_PDF
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in MISSING_PDF
    assert "LA TRÉSO" in render_html(fiche)  # the HTML fiche does not need Pango


def test_the_verdict_with_pango():
    pdf_support.forget_verdict()
    assert pdf_support.pdf_support().available
    assert render_pdf(build_fiche(default_grid(), {}, "La Tréso", 2026)).startswith(b"%PDF")


def test_render_pdf_without_pango_is_one_line(tmp_path):
    shadow = write_no_pango(tmp_path / "no_pango")
    out = tmp_path / "fiche.pdf"
    result = run_fichebot(["render", "--answers", str(ROOT / "examples" / "la-treso.json"),
                           "--format", "pdf", "-o", str(out)], tmp_path, path_first=[shadow])
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr == cli_texts.RENDER_NO_PDF.format(reason=MISSING_PDF) + "\n"
    assert result.stderr.startswith("fichebot render\u00a0: pas de PDF sur cette machine")
    assert not out.exists()
    html = run_fichebot(["render", "--answers", str(ROOT / "examples" / "la-treso.json"),
                         "--format", "html"], tmp_path, path_first=[shadow])
    assert html.returncode == 0 and "<html" in html.stdout


def test_demo_without_pango_writes_md_and_html(tmp_path):
    shadow = write_no_pango(tmp_path / "no_pango")
    lines = ["La Tréso", *["/p"] * 120, "e", "o"]  # o: send although nothing is answered
    result = run_fichebot(["demo", "--db", str(tmp_path / "demo.sqlite"), "--out",
                           str(tmp_path / "out"), "--annee", "2025"], tmp_path,
                          {"FICHEBOT_DATA_DIR": str(tmp_path / "data")},
                          path_first=[shadow], stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "WeasyPrint" not in result.stdout
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["fiche-la-treso-2025.html", "fiche-la-treso-2025.md"]
    # the terminal wraps long lines: compared word by word
    assert " ".join(TT.NO_PDF.format(reason=MISSING_PDF).split()) in " ".join(
        result.stdout.split())
    assert result.stdout.count("pas de PDF sur cette machine") == 1


def test_demo_with_pango_writes_the_pdf_too(tmp_path: Path):
    from bot.fiche_files import write_fiche_files

    pdf_support.forget_verdict()
    paths = write_fiche_files(default_grid(), {}, "La Tréso", 2025, tmp_path)
    assert [p.suffix for p in paths] == [".md", ".html", ".pdf"]
    assert paths[2].read_bytes().startswith(b"%PDF")
