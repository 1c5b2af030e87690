"""How the synthesis words a count question's figures: lines a proofreader reads as
French ("La moitié des lieux : entre 30,2 et 150", not "… entre : 30,2 et 150")."""

from __future__ import annotations

from campaign.synthesis.view import question_view
from tests.synthesis_data import GRID

NBSP = "\u00a0"


def test_a_count_questions_spread_reads_as_a_french_sentence():
    question = next(q for q in GRID.questions() if q.type == "count")
    figures = {"repondants": 4, "total": 341, "mediane": 95, "q1": 30.25, "q3": 150,
               "min": 1, "max": 150}
    lines = {line.label: line.value for line in question_view(question, figures).stats}
    assert lines["Médiane"] == "95"
    assert lines["La moitié des lieux"] == "entre 30,2 et 150"
    assert lines["Du plus petit au plus grand"] == "de 1 à 150"
