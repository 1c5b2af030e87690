"""Writing a fiche to files (Markdown, HTML, PDF) under names people can recognise."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from questionnaire.grid import Grid


def slug(text: str) -> str:
    """"La Tréso" -> "la-treso": ASCII, lower case, dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "lieu"


def fiche_basename(place: str, year: int | None) -> str:
    return f"fiche-{slug(place)}" + (f"-{year}" if year else "")


def write_fiche_files(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None,
                      out_dir: Path, *, title_form: str | None = None,
                      sent_at: str | None = None) -> list[Path]:
    """Render the fiche as .md, .html and .pdf in out_dir; returns the paths written.
    Without Pango (fiche.pdf_support) there is no .pdf: the caller says so.

    `title_form` is the title a coordinator stored for the place, `sent_at` (ISO) when
    the fiche was sent."""
    from fiche.model import build_fiche, sent_on_of
    from fiche.pdf_support import pdf_support
    from fiche.render import render_html, render_markdown, render_pdf

    fiche = build_fiche(grid, dict(answers), place, year, title_form=title_form,
                        sent_on=sent_on_of(sent_at))
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / fiche_basename(place, year)
    paths = [base.with_suffix(".md"), base.with_suffix(".html")]
    paths[0].write_text(render_markdown(fiche), encoding="utf-8")
    paths[1].write_text(render_html(fiche), encoding="utf-8")
    if pdf_support().available:
        paths.append(base.with_suffix(".pdf"))
        paths[2].write_bytes(render_pdf(fiche))
    return paths
