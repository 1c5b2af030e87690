"""Rendering a `Fiche` as Markdown, HTML, PDF or Telegram messages, through Jinja2.

The templates in `fiche/templates/` lay out what `fiche.model` wrote; the manager's text is
escaped for each format: autoescape for HTML, `escape_telegram` (as Markup) for Telegram,
`escape_markdown` for Markdown, so that it prints as typed and is never taken for markup.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache

from jinja2 import Environment

from fiche.model import Fiche
from fiche.pdf_support import require_pdf
from fiche.templating import new_environment

TELEGRAM_LIMIT = 4096
# `render(fiche, "telegram")` joins the messages with this; channels that send them call
# `render_telegram` and get the list.
TELEGRAM_JOINER = "\n\n"

FORMATS = ("md", "html", "pdf", "telegram")


@cache
def environment() -> Environment:
    """The fiche's Jinja environment, created on first use."""
    return new_environment()


def render_markdown(fiche: Fiche) -> str:
    text = environment().get_template("fiche.md").render(fiche=fiche)
    return _tidy(text)


def render_html(fiche: Fiche) -> str:
    return environment().get_template("fiche.html").render(fiche=fiche)


# PDF/UA-1: a tagged PDF (headings, paragraphs, lists) with its title and language, so
# that a screen reader can read it; `pdfinfo` says "Tagged: yes".
PDF_OPTIONS: dict[str, object] = {"pdf_variant": "pdf/ua-1"}


def render_pdf(fiche: Fiche) -> bytes:
    """The HTML fiche printed on A4 by WeasyPrint; nothing is fetched from anywhere.

    Most of the time goes into subsetting the embedded fonts: with the system library
    HarfBuzz-Subset (Debian: libharfbuzz-subset0) a fiche takes about 125 ms, without it
    WeasyPrint falls back to fontTools and takes about 450 ms (bench/bench_render.py).
    Raises `PdfUnavailable` where the system lacks Pango (fiche.pdf_support).
    """
    require_pdf()  # PdfUnavailable, with its French line, where Pango is missing
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=render_html(fiche), url_fetcher=_no_fetch).write_pdf(
        font_config=_font_config(), **PDF_OPTIONS)


_thread = threading.local()


def _font_config():  # type: ignore[no-untyped-def]
    """One WeasyPrint font configuration per thread (Pango's font map is not shared
    between threads), reused from one PDF to the next."""
    config = getattr(_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _thread.font_config = FontConfiguration()
    return config


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the fiche fetches nothing (asked for {url})")


def render_telegram(fiche: Fiche, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The fiche as Telegram messages (HTML parse mode), each at most `limit` long.

    Messages are cut between sections; a family's heading stays with its first section.
    A section longer than `limit` is cut at a blank line, else a line end, else a space,
    never inside a tag or an entity; tags open at a cut are closed and then reopened.
    Lengths are measured on the HTML itself, in UTF-16 units as Telegram counts, which is
    never less than the length of the text Telegram shows.
    """
    macros = environment().get_template("telegram.html").module
    parts = [str(macros.header(fiche)).strip()]  # type: ignore[attr-defined]
    for family in fiche.families:
        heading = str(macros.family(family)).strip()  # type: ignore[attr-defined]
        for index, section in enumerate(family.sections):
            part = str(macros.section(section)).strip()  # type: ignore[attr-defined]
            parts.append(f"{heading}\n\n{part}" if index == 0 else part)
    return pack_messages(parts, limit)


def render(fiche: Fiche, fmt: str) -> str | bytes:
    """`fmt` is "md", "html", "pdf" (bytes) or "telegram" (the messages joined by a blank
    line, TELEGRAM_JOINER: for reading; a bot sends `render_telegram`'s list)."""
    if fmt == "md":
        return render_markdown(fiche)
    if fmt == "html":
        return render_html(fiche)
    if fmt == "pdf":
        return render_pdf(fiche)
    if fmt == "telegram":
        return TELEGRAM_JOINER.join(render_telegram(fiche))
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """At most one blank line in a row, one line end at the end."""
    return _EXTRA_BLANK_LINES.sub("\n\n", text).strip() + "\n"


# --- Telegram: packing and cutting messages -------------------------------------------

_TOKEN = re.compile(r"<(/?)([a-z]+)[^>]*>|&(?:[a-z]+|#[0-9]+|#x[0-9a-f]+);", re.IGNORECASE)
_LEADING_TAGS = re.compile(r"(?:<[a-z]+[^>]*>)*", re.IGNORECASE)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def pack_messages(parts: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join parts (separated by a blank line) into as few messages as fit in `limit`."""
    messages: list[str] = []
    current: list[str] = []
    length = 0  # of "\n\n".join(current)
    for part in parts:
        if not part:
            continue
        part_length = telegram_length(part)
        if current and length + 2 + part_length <= limit:
            current.append(part)
            length += 2 + part_length
            continue
        if current:
            messages.append("\n\n".join(current))
        if part_length > limit:
            *whole, last = split_html(part, limit)
            messages.extend(whole)
            part, part_length = last, telegram_length(last)
        current, length = [part], part_length
    if current:
        messages.append("\n\n".join(current))
    return messages


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut Telegram HTML into chunks of at most `limit`, each with balanced tags."""
    chunks: list[str] = []
    while telegram_length(text) > limit:
        cut, open_tags = _cut(text, limit)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        chunks.append(text[:cut].rstrip() + closing)
        reopening = "".join(tag for _, tag in open_tags)
        text = reopening + text[cut:].lstrip()
    if text.strip():
        chunks.append(text)
    return chunks


def _cut(text: str, limit: int) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Where to cut: the last blank line, else line end, else space, else character,
    outside any tag or entity, such that the chunk and its closing tags fit in limit.
    Returns the position and the tags open there (name, opening tag)."""
    best: dict[int, tuple[int, tuple[tuple[str, str], ...]]] = {}
    stack: tuple[tuple[str, str], ...] = ()
    closing_length = 0
    length = 0  # UTF-16 length of text[:position]
    position = 0
    first_content = _LEADING_TAGS.match(text).end()  # type: ignore[union-attr]
    # (cut after the tags reopened at the start of the text, or nothing would progress)

    def consider(end: int) -> bool:
        """Record the cut points in text[position:end]; False once past the limit."""
        nonlocal length, position
        while position < end:
            if position > first_content:
                if length + closing_length > limit:
                    return False
                rank = (3 if text.startswith("\n\n", position) else
                        2 if text[position] == "\n" else
                        1 if text[position] == " " else 0)
                best[rank] = (position, stack)
            length += 2 if ord(text[position]) > 0xFFFF else 1
            position += 1
        return True

    for match in _TOKEN.finditer(text):
        if not consider(match.start()):
            break
        # a token is never cut: cut points are in the text between tokens
        length += match.end() - match.start()
        position = match.end()
        if match.group(2):
            name = match.group(2).lower()
            if match.group(1):
                if stack and stack[-1][0] == name:
                    stack = stack[:-1]
            else:
                stack = (*stack, (name, match.group(0)))
            closing_length = sum(len(n) + 3 for n, _ in stack)
    else:
        consider(len(text))
    for rank in (3, 2, 1, 0):
        if rank in best:
            return best[rank]
    raise ValueError(f"cannot cut Telegram HTML to {limit} characters")

