"""One answer in words: the chat (Telegram and the terminal), the export and the fiche say a
count the same way, "1 200 personnes" with grid.md's no-break spaces."""

from __future__ import annotations

import json

from bot.telegram import views
from bot.terminal.screen import question_lines
from campaign.export import to_json
from fiche.model import build_fiche
from fiche.render import render_markdown
from questionnaire.answer_file import validate_answers
from questionnaire.answers import describe
from questionnaire.engine import Position, build_prompt
from questionnaire.grid import default_grid
from tests.test_export import Response as Exported

GRID = default_grid()
KEY = "insertion.beneficiaires"
WORDS = "1\u202f200\u00a0personnes"


def test_a_count_is_said_the_same_in_chat_export_and_fiche():
    question = GRID.question(KEY)
    typed = {KEY: 1200}  # what the engine stores from "1200" or "1 200"
    assert describe(question, typed[KEY]) == WORDS

    # the chat: the question's current answer and the closed question
    prompt = build_prompt(GRID, typed, Position("question", KEY, None, 0))
    assert f"Réponse actuelle\u00a0: <i>{WORDS}</i>" in views.question_view(prompt).text
    assert views.closed_question_text(GRID, question, typed).endswith(f"→ {WORDS}")
    assert f"Réponse actuelle\u00a0: {WORDS}" in question_lines(prompt)  # the terminal

    # the export's answer file, read back as `fichebot render` reads it
    exported = json.loads(to_json([Exported("La Tréso", typed)], GRID))
    reread = validate_answers(GRID, exported[0]["answers"])
    assert describe(question, reread[KEY]) == WORDS

    # the fiche
    markdown = render_markdown(build_fiche(GRID, reread, "La Tréso", 2026))
    assert f"**{WORDS}**" in markdown
