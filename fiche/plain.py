"""The fiche as plain text, for a terminal: no markup to read through, lines wrapped.

Same content and order as the Markdown (`templates/fiche.md`), laid out with
underlined headings and "–" bullets. The manager's text is printed exactly as typed
(it needs no escaping: nothing here is markup). Lines are wrapped at `width` on
ordinary spaces only, so "1 200 personnes" (no-break spaces) never splits.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from fiche.model import Block, BulletList, Comment, Fiche, Paragraph, Segments

BULLET = "– "


def render_text(fiche: Fiche, width: int = 80) -> str:
    lines: list[str] = [fiche.title, "═" * min(len(fiche.title), width)]
    if fiche.year_line:
        lines.append(fiche.year_line)
    if fiche.summary:
        lines.append("")
    for summary in fiche.summary:
        lines.append(summary.title)
        if summary.hashtags:
            lines.extend(_wrap(summary.hashtags, width))
    for family in fiche.families:
        lines += ["", "", family.heading, "═" * min(len(family.heading), width)]
        for section in family.sections:
            lines += ["", section.heading, "─" * min(len(section.heading), width)]
            for block in section.blocks:
                lines.extend(_block(block, width))
    return "\n".join(lines).rstrip() + "\n"


def _text(segments: Segments) -> str:
    return "".join(segment.text for segment in segments)


def _wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first or indent,
                                   subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False)
    return wrapper.wrap(text) or [first.rstrip()]


def _block(block: Block, width: int) -> Iterable[str]:
    if isinstance(block, Paragraph):
        yield from _wrap(block.text, width)
    elif isinstance(block, BulletList):
        for item in block.items:
            yield from _wrap(_text(item), width, " " * len(BULLET), BULLET)
    elif isinstance(block, Comment):
        for number, paragraph in enumerate(block.paragraphs):
            if number:
                yield ""
            for line in paragraph:
                yield from _wrap(line, width)
    yield ""
