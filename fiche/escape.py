"""Escaping text for each output format, so that the manager's text prints as typed.

HTML goes through Jinja's autoescape (markupsafe). Telegram's HTML parse mode knows only
the entities &lt; &gt; &amp; &quot;, so it gets its own escaper (markupsafe would write
&#39; for every apostrophe). Markdown has no autoescape: `escape_markdown` backslashes
what a Markdown reader would otherwise take for markup.
"""

from __future__ import annotations

import re

# Characters that are markup anywhere in a CommonMark/GFM line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
# "&amp;", "&#39;": an entity would be decoded; a bare "&" (Tom & Jerry) is left alone.
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markers at the start of a line: heading, quote, list, setext underline, "1." list.
_MD_LINE_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def escape_markdown(text: str, line_start: bool = True) -> str:
    """Backslash-escape Markdown markup in text (one line: line ends are the caller's).

    With `line_start`, also what is markup only at the start of a line: "# titre",
    "- item", "> citation", "1. item"; leading blanks are dropped too (four of them
    would start a code block).
    """
    text = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    if line_start:
        text = _MD_LINE_START.sub(_escape_line_start, text.lstrip(), count=1)
    return text


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def escape_telegram(text: str) -> str:
    """Escape text for Telegram's HTML parse mode: & < > only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
