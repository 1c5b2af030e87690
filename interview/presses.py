"""A button press, as every channel hands it to the session: the action it stands for
and the state it was made for.

A press carries the mode it was made for (`Press.mode`), so a press on an old message
(Telegram) or an old menu is recognised as stale instead of acting on the current
question; and, where the channel knows it, the fiche it was drawn for (`Press.fiche`):
a message of another place, or of last year's campaign, never writes into the fiche
the person is on now. How a press is written on the wire is the channel's business (Telegram:
`bot.telegram.callbacks`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from questionnaire.engine import Action, Mode


@dataclass(frozen=True)
class RemoveExtra:
    """Remove the n-th typed extra of a multi question, if it is still the one shown
    (`digest`: see `extra_digest`)."""

    key: str
    index: int
    digest: str


@dataclass(frozen=True)
class FicheOf:
    """The fiche a button was drawn for: a place's response of one year."""

    place_id: int
    year: int


@dataclass(frozen=True)
class Press:
    """A decoded button press. `action` None means unreadable data (treated as stale)."""

    action: Action | RemoveExtra | None
    mode: Mode | None = None  # the mode the button was made for; None: any
    fiche: FicheOf | None = None  # the fiche it was drawn for; None: not said (any)


STALE = Press(None)


def extra_digest(text: str) -> str:
    """4 hex digits of the extra's CRC32: a double tap on "Retirer" cannot remove the
    extra that moved into position n after the first tap."""
    return f"{zlib.crc32(text.encode('utf-8')) & 0xFFFF:04x}"
