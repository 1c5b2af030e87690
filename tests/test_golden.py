"""Golden fiches: each edge case of grid.md's "Writing the fiche" rendered in Markdown,
HTML and Telegram, compared with the files a person proofread in tests/golden/.

An answer file `tests/golden/<case>.json` gives `<case>.md`, `<case>.html` and
`<case>.telegram.html` (the Telegram messages joined by a blank line). After a deliberate
change of wording or layout, regenerate them and read the diff before committing:

    FICHEBOT_REGEN=1 uv run pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fiche.model import build_fiche, sent_on_of
from fiche.render import render_html, render_markdown, render_telegram
from questionnaire.answer_file import parse_answer_file
from questionnaire.grid import default_grid

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(path.stem for path in GOLDEN.glob("*.json"))
REGENERATE = os.environ.get("FICHEBOT_REGEN") == "1"
RENDERERS = {
    "md": render_markdown,
    "html": render_html,
    "telegram.html": lambda fiche: "\n\n".join(render_telegram(fiche)) + "\n",
}


def fiche_of(case: str):
    grid = default_grid()
    raw = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    answer_file = parse_answer_file(grid, raw)
    return build_fiche(grid, answer_file.answers, answer_file.place, answer_file.year,
                       sent_on=sent_on_of(answer_file.submitted_at))


def test_every_edge_case_is_here():
    assert {"tout-passe", "seulement-commentaires", "une-option", "toutes-options",
            "seulement-autres", "nombres-0", "nombres-1", "nombres-2", "nombres-1500",
            "nombres-1000000", "egalite-regroupee"} <= set(CASES)


@pytest.mark.parametrize("extension", sorted(RENDERERS))
@pytest.mark.parametrize("case", CASES)
def test_golden(case, extension):
    rendered = RENDERERS[extension](fiche_of(case))
    path = GOLDEN / f"{case}.{extension}"
    if REGENERATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: FICHEBOT_REGEN=1 uv run pytest {__file__}"
    assert rendered == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is meant, regenerate with FICHEBOT_REGEN=1 and "
        "read the diff")


@pytest.mark.parametrize("case", CASES)
def test_golden_telegram_messages_are_valid_telegram_html(case):
    from tests.test_fiche import assert_valid_telegram

    for message in render_telegram(fiche_of(case)):
        assert_valid_telegram(message)


@pytest.mark.parametrize("case", CASES)
def test_golden_grid_text_has_no_plain_space_before_a_colon(case):
    """The grid's own sentences ("…publics :") carry their no-break space; a plain one
    can only come from what a manager typed, which is printed as typed."""
    fiche = fiche_of(case)
    for family in fiche.families:
        for section in family.sections:
            for block in section.blocks:
                for segment in getattr(block, "segments", ()):
                    if not segment.strong:
                        assert " :" not in segment.text and "'" not in segment.text
