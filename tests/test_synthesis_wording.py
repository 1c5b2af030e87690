"""How the synthesis words a count question's figures: lines a proofreader reads as
French ("La moitié des lieux : entre 30,2 et 150", not "… entre : 30,2 et 150")."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bot.cli import main as cli
from campaign.synthesis.view import question_view
from storage import open_db
from tests.synthesis_data import GRID, add_campaign, add_places

NBSP = "\u00a0"


def test_a_count_questions_spread_reads_as_a_french_sentence():
    question = next(q for q in GRID.questions() if q.type == "count")
    figures = {"repondants": 4, "total": 341, "mediane": 95, "q1": 30.25, "q3": 150,
               "min": 1, "max": 150}
    lines = {line.label: line.value for line in question_view(question, figures).stats}
    assert lines["Médiane"] == "95"
    assert lines["La moitié des lieux"] == "entre 30,2 et 150"
    assert lines["Du plus petit au plus grand"] == "de 1 à 150"


def test_a_long_unbroken_comment_stays_inside_the_pdf_page(tmp_path):
    """A pasted link is one 285-character word: it must wrap, not run off the page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path, out = tmp_path / "bot.sqlite", tmp_path / "synthese.pdf"
    db = open_db(path)
    places = add_places(db, 1)
    comment = next(q for q in GRID.questions()
                   if q.type == "comment" and not q.id.startswith("mots_cles"))
    link = "https://exemple.org/album?ref=" + "0123456789abcdef" * 16
    add_campaign(db, 2026, places, places, seed=1, answers={places[0]: {comment.key: link}})
    db.conn.close()
    assert cli(["synthese", "--campagne", "2026", "--db", str(path), "-o", str(out)]) == 0
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" '
                                                 r'xMax="([\d.]+)"', boxes)]
    assert "exemple.org" in boxes and right_edges
    assert max(right_edges) < width - 36  # inside the right margin (half an inch at least)
