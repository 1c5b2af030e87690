"""The synthesis written out as text: its JSON, Markdown, and one place's report as
Telegram messages. No drawing here (the charts, the HTML and the PDF are in `document`):
the bot's own process writes these and never loads matplotlib.

Templates are `synthese.md`, `synthese.html` and `synthese_lieu.html`, beside the fiche's,
written with the same Jinja rules (`fiche.templating`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment

from fiche.render import pack_messages
from fiche.templating import new_environment
from questionnaire.typography import format_number

from . import texts
from .bars import percent
from .place_view import PlaceView
from .view import SynthesisView

FORMATS = ("json", "md", "html", "pdf")


@cache
def environment() -> Environment:
    """The synthesis's Jinja environment (the fiche's rules, `fiche.templating`), with its
    numbers, percentages and French texts."""
    env = new_environment()
    env.filters["number"] = format_number
    env.globals["percent"] = percent
    env.globals["t"] = texts
    return env


def render_json(synthesis: Mapping[str, Any]) -> str:
    return json.dumps(synthesis, ensure_ascii=False, indent=2) + "\n"


_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


def render_markdown(view: SynthesisView) -> str:
    text = environment().get_template("synthese.md").render(view=view)
    return _EXTRA_BLANK_LINES.sub("\n\n", text).strip() + "\n"


def render_place_telegram(view: PlaceView) -> list[str]:
    """« Votre lieu face au réseau » as Telegram messages (HTML parse mode), cut between
    sections to fit Telegram's limit."""
    macros = environment().get_template("synthese_lieu.html").module
    parts = [str(macros.header(view)).strip()]  # type: ignore[attr-defined]
    parts += [str(macros.section(part)).strip()  # type: ignore[attr-defined]
              for part in view.sections]
    return pack_messages(parts)


def filename(year: int, fmt: str) -> str:
    return f"fichebot-synthese-{year}.{fmt}"
