"""The terminal itself: reading a line with line editing, printing, its width.

Line editing comes from `readline`, the standard library's binding to GNU readline
(libedit on macOS): `input()` then gets arrow keys, Home/End, Ctrl-A/E/K/W, history with
↑ ↓ for this session, and bracketed paste — with no dependency and no full-screen
takeover (prompt_toolkit would add both for nothing this channel needs). It is loaded
only when both ends are a terminal: piped input (tests, scripts) is read as it comes.
Whatever arrives, control characters are stripped before a line is used; line feeds
stay (a pasted comment keeps its lines).
"""

from __future__ import annotations

import importlib
import shutil
import sys
from typing import TextIO

from questionnaire.answers import strip_controls

MIN_WIDTH, MAX_WIDTH = 40, 100


class Quit(Exception):
    """The person asked to stop: /q, or the end of input (Ctrl-D)."""


def enable_line_editing() -> bool:
    """Load readline for `input()`; False where it does not exist (Windows)."""
    try:
        readline = importlib.import_module("readline")
    except ImportError:
        return False
    # Tab inserts a tab (a comment may hold one) instead of completing file names.
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I ed-insert")
    else:
        readline.parse_and_bind("tab: tab-insert")
        # CPython turns bracketed paste off; without it each line of a pasted text is
        # entered on its own and answers the next questions. On, `input()` returns the
        # whole paste as one string holding its "\n" (`commands.parse` decides).
        readline.parse_and_bind("set enable-bracketed-paste on")
    readline.set_completer(None)
    return True


class Console:
    """Reads lines and prints text; a test replaces `read` with a script."""

    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stdout
        self.editing = (self.stdin is sys.stdin and self.stdin.isatty()
                        and self.out.isatty() and enable_line_editing())

    def read(self, prompt: str) -> str:
        """One line, without its end and control characters; `Quit` at the end of input."""
        if self.editing:
            try:
                return strip_controls(input(prompt))
            except EOFError:
                raise Quit from None
        self.say(prompt, end="")
        line = self.stdin.readline()
        if not line:
            raise Quit
        return strip_controls(line.rstrip("\n"))

    def say(self, text: str = "", end: str = "\n") -> None:
        print(text, end=end, file=self.out, flush=True)

    def width(self) -> int:
        columns = shutil.get_terminal_size((80, 24)).columns
        return max(MIN_WIDTH, min(MAX_WIDTH, columns))
