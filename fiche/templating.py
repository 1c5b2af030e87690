"""The Jinja environment every document is written with: the fiche (`fiche.render`) and
the campaign's synthesis (`campaign.synthesis.render`), from `fiche/templates/`.

One set of rules for both: HTML autoescaped, Markdown and Telegram text escaped by
their filters (`md`, `tg`) so that what a person typed prints as typed, an undefined
name is an error, not an empty string.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from fiche.escape import escape_markdown, escape_telegram

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def new_environment() -> Environment:
    """A new environment over `TEMPLATES_DIR`; each renderer keeps its own (`cache`) and
    adds its filters and globals."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=StrictUndefined,
        auto_reload=False,
    )
    env.filters["md"] = escape_markdown
    env.filters["tg"] = _telegram
    return env


def _telegram(text: str) -> Markup:
    return Markup(escape_telegram(text))
