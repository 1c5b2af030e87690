"""The PDF as a reader and a screen reader get it: tagged (PDF/UA), every font embedded,
emoji drawn by a colour emoji font and never a box, the real fiches on one page, a number
never cut from its noun.

The checks read the PDF with poppler's tools (pdfinfo, pdffonts, pdftotext) and need the
fonts `.ci/run` installs (DejaVu, Noto Color Emoji); outside CI a machine without them
skips these tests, in CI they fail.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fiche.model import build_fiche, sent_on_of
from fiche.render import render_pdf
from questionnaire.answer_file import parse_answer_file
from questionnaire.grid import default_grid

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("pdfinfo", "pdffonts", "pdftotext", "fc-list")


def _missing() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        emoji = subprocess.run(["fc-list", ":charset=1f527"], capture_output=True, text=True)
        if "Emoji" not in emoji.stdout:
            missing.append("a colour emoji font (fonts-noto-color-emoji)")
    return missing


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    raise RuntimeError(f".ci/run should have installed: {', '.join(MISSING)}")
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"not installed: {', '.join(MISSING)}")


def fiche_of(path: Path):
    grid = default_grid()
    answer_file = parse_answer_file(grid, json.loads(path.read_text(encoding="utf-8")))
    return build_fiche(grid, answer_file.answers, answer_file.place, answer_file.year,
                       sent_on=sent_on_of(answer_file.submitted_at))


def pdf_file(tmp_path: Path, source: Path) -> Path:
    path = tmp_path / f"{source.stem}.pdf"
    path.write_bytes(render_pdf(fiche_of(source)))
    return path


def run(*command: str | Path) -> str:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          check=True).stdout


def info(path: Path) -> dict[str, str]:
    lines = run("pdfinfo", path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":")
                                                             for line in lines)}


EMOJI_FICHE = ROOT / "tests" / "golden" / "toutes-options.json"


def test_the_pdf_is_tagged_titled_and_in_french(tmp_path):
    details = info(pdf_file(tmp_path, ROOT / "examples" / "la-treso.json"))
    assert details["Tagged"] == "yes"
    assert details["Title"] == "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO – Année 2025"


def test_every_font_is_embedded_and_emoji_have_their_own(tmp_path):
    rows = run("pdffonts", pdf_file(tmp_path, EMOJI_FICHE)).splitlines()[2:]
    assert rows
    names = [row.split()[0] for row in rows]
    assert any("DejaVu-Sans" in name for name in names), names
    assert any("Emoji" in name for name in names), names
    for row in rows:
        # name type… encoding emb sub uni object ID: "emb" is the 4th field from the end
        assert row.split()[-5] == "yes", f"not embedded: {row}"


def test_no_character_is_drawn_as_a_box(caplog):
    """WeasyPrint logs every .notdef glyph it draws (a character no font covers)."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(fiche_of(EMOJI_FICHE))
    notdef = [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert notdef == []

    # the check itself can fail: U+0378 is no character, so no font draws it
    grid = default_grid()
    render_pdf(build_fiche(grid, {"sante.commentaire": "\u0378"}, "Utopic", 2026))
    assert any(".notdef" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name", ["la-treso", "le-wip", "utopic"])
def test_the_real_fiches_hold_on_one_page(tmp_path, name):
    assert info(pdf_file(tmp_path, ROOT / "examples" / f"{name}.json"))["Pages"] == "1"


def test_a_fiche_with_every_option_holds_on_one_page(tmp_path):
    assert info(pdf_file(tmp_path, EMOJI_FICHE))["Pages"] == "1"


def test_a_number_is_never_cut_from_its_noun(tmp_path):
    text = run("pdftotext", "-layout", pdf_file(tmp_path, EMOJI_FICHE), "-")
    assert re.search(r"15[ \u00a0]personnes", text)
    assert "Fiche envoyée le 30" in " ".join(text.split())
