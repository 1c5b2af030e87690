"""callback_data of the inline buttons: a short text that names the question and option.

Nothing is kept in memory about a button: its data says everything needed to turn the
press into an engine action, and which state it was made for, so that a press on an
old message is recognised as stale instead of acting on the current question.

| data                 | action                       | valid when the person is on |
|----------------------|------------------------------|-----------------------------|
| `t:<key>:<option>`   | Tap (option id, or the index of an amount suggestion) | that question |
| `v:<key>`            | Validate (multi)             | that question               |
| `o:<key>`            | AskOther ("Autre…")          | that question               |
| `x:<key>:<n>:<h>`    | remove typed extra n (h below) | that question               |
| `s:<key>`            | Skip (keeps the answer)      | that question               |
| `e:<key>`            | Erase ("Effacer ma réponse") | that question               |
| `k:<key>`            | Keep                         | that question               |
| `b:<key>`            | Back                         | that question               |
| `c:<key>`            | Back (cancel typing "Autre") | typing an extra for it      |
| `m`                  | OpenSections                 | the review                  |
| `mb`                 | Back (leave the section menu)| the section menu            |
| `j:<section>`        | Jump                         | the section menu            |
| `r`                  | Review                       | anywhere                    |
| `u`                  | Resume                       | the review                  |
| `send`               | Submit                       | the review                  |
| `sendok`             | Submit, confirmed (sections unanswered) | the review       |

Buttons outside the interview have their own handlers, registered before the one that
decodes these: `go:<place id>` ("Commencer" / "Reprendre" under a launch message or a
reminder) and `snz:<campaign id>` ("Me le rappeler dans 3 jours") in `reminders.py`,
`pf:` (last year's answers) in `handlers.py`, and the coordinators' confirmations.

`h` is 4 hex digits of the extra's CRC32: a double tap on "Retirer" cannot remove the
extra that moved into position n after the first tap.

Every data is at most 64 bytes (Telegram's limit); the builders assert it. Data that
does not decode (garbled, from an older version of the bot) decodes as a stale press.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from questionnaire import engine
from questionnaire.engine import Action, Mode

MAX_BYTES = 64

_KEY = r"[a-z0-9_]+\.[a-z0-9_]+"
_ID = r"[a-z0-9_]+"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "t": re.compile(rf"^t:({_KEY}):({_ID})$"),
    "x": re.compile(rf"^x:({_KEY}):(\d{{1,3}}):([0-9a-f]{{4}})$"),
    "keyed": re.compile(rf"^([vosbcke]):({_KEY})$"),
    "j": re.compile(rf"^j:({_ID})$"),
}


@dataclass(frozen=True)
class RemoveExtra:
    """Remove the n-th typed extra of a multi question, if it is still the one shown."""

    key: str
    index: int
    digest: str


@dataclass(frozen=True)
class Press:
    """A decoded button press. `action` None means unreadable data (treated as stale)."""

    action: Action | RemoveExtra | None
    mode: Mode | None = None  # the mode the button was made for; None: any


STALE = Press(None)


def extra_digest(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')) & 0xFFFF:04x}"


def _checked(data: str) -> str:
    size = len(data.encode("utf-8"))
    assert size <= MAX_BYTES, f"callback_data of {size} bytes (max {MAX_BYTES}): {data!r}"
    return data


def tap(key: str, option: str) -> str:
    return _checked(f"t:{key}:{option}")


def validate(key: str) -> str:
    return _checked(f"v:{key}")


def ask_other(key: str) -> str:
    return _checked(f"o:{key}")


def remove_extra(key: str, index: int, text: str) -> str:
    return _checked(f"x:{key}:{index}:{extra_digest(text)}")


def skip(key: str) -> str:
    return _checked(f"s:{key}")


def erase(key: str) -> str:
    return _checked(f"e:{key}")


def keep(key: str) -> str:
    return _checked(f"k:{key}")


def back(key: str) -> str:
    return _checked(f"b:{key}")


def cancel_other(key: str) -> str:
    return _checked(f"c:{key}")


def jump(section_id: str) -> str:
    return _checked(f"j:{section_id}")


SECTIONS = "m"
SECTIONS_BACK = "mb"
REVIEW = "r"
RESUME = "u"
SUBMIT = "send"
SUBMIT_CONFIRMED = "sendok"


_SIMPLE = {  # presses are immutable: built once
    SECTIONS: Press(engine.OpenSections(), "review"),
    SECTIONS_BACK: Press(engine.Back(), "sections"),
    REVIEW: Press(engine.Review()),
    RESUME: Press(engine.Resume(), "review"),
    SUBMIT: Press(engine.Submit(), "review"),
    SUBMIT_CONFIRMED: Press(engine.Submit(confirmed=True), "review"),
}
_KEYED = {"v": engine.Validate, "o": engine.AskOther, "s": engine.Skip, "k": engine.Keep,
          "b": engine.Back, "e": engine.Erase}


def decode(data: str | None) -> Press:
    """The press a callback_data stands for; `STALE` when it cannot be read."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return STALE
    simple = _SIMPLE.get(data)
    if simple is not None:
        return simple
    if match := _PATTERNS["t"].match(data):
        return Press(engine.Tap(match[1], match[2]), "question")
    if match := _PATTERNS["x"].match(data):
        return Press(RemoveExtra(match[1], int(match[2]), match[3]), "question")
    if match := _PATTERNS["j"].match(data):
        return Press(engine.Jump(match[1]), "sections")
    if match := _PATTERNS["keyed"].match(data):
        code, key = match[1], match[2]
        if code == "c":
            return Press(engine.Back(key), "other")
        return Press(_KEYED[code](key), "question")
    return STALE
