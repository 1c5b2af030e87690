"""Writing a fiche to files (Markdown, HTML, PDF) under names people can recognise."""

from __future__ import annotations

import errno
import hashlib
import os
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


SLUG_MAX = 60  # a file name has a length limit (255 bytes on most systems)


def fiche_basename(place: str, year: int | None) -> str:
    """"fiche-la-treso-2025". A slug longer than SLUG_MAX is cut, and ends with a short
    hash of the whole slug so that two long names that start alike stay apart."""
    name = slug(place)
    if len(name) > SLUG_MAX:
        digest = hashlib.sha256(name.encode()).hexdigest()[:6]
        name = f"{name[:SLUG_MAX].rstrip('-')}-{digest}"
    return f"fiche-{name}" + (f"-{year}" if year else "")


def check_out_dir(out_dir: Path) -> None:
    """Raise the OSError that writing a fiche into `out_dir` would surely meet, found
    without writing anything: a path through a regular file, a folder that cannot be
    written. Disk full and the like are only seen when writing."""
    for folder in (out_dir, *out_dir.parents):
        if not folder.exists():
            continue  # created when the fiche is written
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return


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
    check_out_dir(out_dir)  # "not a folder" rather than mkdir's "already exists"
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / fiche_basename(place, year)
    paths = [base.with_suffix(".md"), base.with_suffix(".html")]
    paths[0].write_text(render_markdown(fiche), encoding="utf-8")
    paths[1].write_text(render_html(fiche), encoding="utf-8")
    if pdf_support().available:
        paths.append(base.with_suffix(".pdf"))
        paths[2].write_bytes(render_pdf(fiche))
    return paths
