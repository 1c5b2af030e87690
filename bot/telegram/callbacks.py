"""callback_data of the inline buttons: a short text that names the question and option.

Nothing is kept in memory about a button: its data says everything needed to turn the
press into an engine action, and which state it was made for, so that a press on an
old message is recognised as stale instead of acting on the current question.

Past 400 lines on purpose: every button format of the bot is built and read here and
nowhere else (issue 9), so a reader checks one file to know what a press can mean.

| data                 | action                       | valid when the person is on |
|----------------------|------------------------------|-----------------------------|
| `t:<key>:<option>`   | Tap (option id, or the index of an amount suggestion) | that question |
| `v:<key>`            | Validate (multi)             | that question               |
| `o:<key>`            | AskOther ("Autre…")          | that question               |
| `x:<key>:<n>:<h>`    | remove typed extra n (h below) | that question               |
| `s:<key>`            | Skip (keeps the answer)      | that question               |
| `e:<key>:<h>`        | Erase the answer shown (h below) | that question             |
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

Each of these carries, at its end, the fiche it was drawn for: `@<place id>.<year>`
(`fiche_tag`, added when the keyboard is sent: `views.Keyboard.tag`). A press from a
message of another place, or of last year's campaign, is then refused
(`interview.Problem.OTHER_FICHE`) instead of writing into the fiche the person is on
now. Data without it (messages sent before it existed) is read as before.

The other buttons, each with its typed value, its builder and its decoder; their prefix
is a `Route`, which `commands.BUTTONS` maps to a handler (any other data goes to the
interview's):

| data                       | value            | what it is                                   |
|----------------------------|------------------|----------------------------------------------|
| `pf:<response>:<source>`   | `PrefillChoice`  | last year's answers (source 0: start blank)  |
| `go:<place>`               | `Go`             | "Commencer" / "Reprendre" under an announcement |
| `snz:<campaign>`           | `Snooze`         | "Me le rappeler dans 3 jours"                |
| `rm:<place>:<y or n>`      | `RemovePlace`    | the confirmation of /lieu_retirer            |
| `fg:<y or n>`              | `Forget`         | the confirmation of /oublier                 |
| `cc:<campaign>:<y or n>`   | `CloseCampaign`  | the confirmation of /campagne_cloturer       |
| `tf:<place>:<n or c>`      | `TitleForm`      | the title's form n (`title_forms`); c: show them |
| `st:<campaign>:<page>`     | `StatusPage`     | a page of /campagne_statut                   |
| `rl:<campaign>:<y or n>`   | `Remind`         | the confirmation of /relancer                |
| `pl:<cmd>:<place>:<opt>`   | `PlaceChoice`    | a place chosen among several (`PLACE_COMMANDS`) |

`h` is 4 hex digits of the extra's CRC32 (`interview.extra_digest`): a double tap on
"Retirer" cannot remove the extra that moved into position n after the first tap. For
"Effacer", of the answer shown (`questionnaire.answers.answer_digest`): it cannot erase
an answer a teammate gave after the message was drawn.

Every data is at most 64 bytes (Telegram's limit); the builders assert it. Data that
does not decode (garbled, forged, from an older version of the bot) decodes as a stale
interview press, or as None for the others; ids are range-checked (a positive SQLite
integer), so `snz:99999999999999999999` is stale data, not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from interview.presses import STALE, FicheOf, Press, RemoveExtra, extra_digest
from questionnaire import engine

MAX_BYTES = 64

_KEY = r"[a-z0-9_]+\.[a-z0-9_]+"
_ID = r"[a-z0-9_]+"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "t": re.compile(rf"^t:({_KEY}):({_ID})(?::([01]))?$"),
    "x": re.compile(rf"^x:({_KEY}):([0-9]{{1,3}}):([0-9a-f]{{4}})$"),
    "e": re.compile(rf"^e:({_KEY}):([0-9a-f]{{4}})$"),
    "keyed": re.compile(rf"^([vosbcke]):({_KEY})$"),
    "j": re.compile(rf"^j:({_ID})$"),
}


_TAG = re.compile(r"@([0-9]{1,19})\.([0-9]{4})$")


def fiche_tag(place_id: int, year: int) -> str:
    """The end of every interview button of a fiche's messages: "@12.2026"."""
    return f"@{place_id}.{year}"


def _checked(data: str) -> str:
    size = len(data.encode("utf-8"))
    assert size <= MAX_BYTES, f"callback_data of {size} bytes (max {MAX_BYTES}): {data!r}"
    return data


def tap(key: str, option: str, on: bool | None = None) -> str:
    """A tap; `on` (multi choice) says what the person meant: tick (1) or untick (0) —
    so that two managers tapping what they both saw unticked give one tick."""
    return _checked(f"t:{key}:{option}" + ("" if on is None else ":1" if on else ":0"))


def validate(key: str) -> str:
    return _checked(f"v:{key}")


def ask_other(key: str) -> str:
    return _checked(f"o:{key}")


def remove_extra(key: str, index: int, text: str) -> str:
    return _checked(f"x:{key}:{index}:{extra_digest(text)}")


def skip(key: str) -> str:
    return _checked(f"s:{key}")


def erase(key: str, seen: str) -> str:
    """« Effacer ma réponse », for the answer shown (`answers.answer_digest`)."""
    return _checked(f"e:{key}:{seen}")


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
    """The press a callback_data stands for, with the fiche it was drawn for if it says;
    `STALE` when it cannot be read."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return STALE
    at = data.rfind("@")
    if at == -1:
        return _decode(data)
    match = _TAG.match(data, at)
    place_id = _id(match[1]) if match else None
    if match is None or place_id is None:
        return STALE
    press = _decode(data[:at])
    if press.action is None:
        return press
    return Press(press.action, press.mode, FicheOf(place_id, int(match[2])))


def _decode(data: str) -> Press:
    simple = _SIMPLE.get(data)
    if simple is not None:
        return simple
    if match := _PATTERNS["t"].match(data):
        intent = None if match[3] is None else match[3] == "1"
        return Press(engine.Tap(match[1], match[2], on=intent), "question")
    if match := _PATTERNS["x"].match(data):
        return Press(RemoveExtra(match[1], int(match[2]), match[3]), "question")
    if match := _PATTERNS["e"].match(data):
        return Press(engine.Erase(match[1], match[2]), "question")
    if match := _PATTERNS["j"].match(data):
        return Press(engine.Jump(match[1]), "sections")
    if match := _PATTERNS["keyed"].match(data):
        code, key = match[1], match[2]
        if code == "c":
            return Press(engine.Back(key), "other")
        return Press(_KEYED[code](key), "question")
    return STALE


# --- The other buttons ----------------------------------------------------------------------

_ID_MAX = 2**63 - 1  # SQLite's INTEGER
_INT = r"([0-9]{1,19})"  # ASCII digits only: \d also matches "１"


def _id(text: str) -> int | None:
    value = int(text)
    return value if 0 < value <= _ID_MAX else None


@dataclass(frozen=True)
class PrefillChoice:
    """Start `response_id` from `source_id`'s answers (None: start blank)."""

    response_id: int
    source_id: int | None


@dataclass(frozen=True)
class Go:
    place_id: int


@dataclass(frozen=True)
class Snooze:
    campaign_id: int


@dataclass(frozen=True)
class RemovePlace:
    place_id: int
    yes: bool


@dataclass(frozen=True)
class Forget:
    yes: bool


@dataclass(frozen=True)
class CloseCampaign:
    campaign_id: int
    yes: bool


@dataclass(frozen=True)
class TitleForm:
    """The fiche's title for a place: the form at `index` of `fiche.french.title_forms`
    of its name (None: show the forms to choose from)."""

    place_id: int
    index: int | None



_PREFILL = re.compile(rf"^pf:{_INT}:{_INT}$")
_GO = re.compile(rf"^go:{_INT}$")
_SNOOZE = re.compile(rf"^snz:{_INT}$")
_REMOVE_PLACE = re.compile(rf"^rm:{_INT}:([yn])$")
_FORGET = re.compile(r"^fg:([yn])$")
_CLOSE_CAMPAIGN = re.compile(rf"^cc:{_INT}:([yn])$")
_TITLE_FORM = re.compile(rf"^tf:{_INT}:([0-9]|c)$")


def prefill(response_id: int, source_id: int | None) -> str:
    return _checked(f"pf:{response_id}:{source_id or 0}")


def decode_prefill(data: str | None) -> PrefillChoice | None:
    match = _PREFILL.match(data or "")
    if not match or _id(match[1]) is None:
        return None
    source = int(match[2])
    if source and _id(match[2]) is None:
        return None
    return PrefillChoice(int(match[1]), source or None)


def go(place_id: int) -> str:
    return _checked(f"go:{place_id}")


def decode_go(data: str | None) -> Go | None:
    match = _GO.match(data or "")
    place_id = _id(match[1]) if match else None
    return Go(place_id) if place_id is not None else None


def snooze(campaign_id: int) -> str:
    return _checked(f"snz:{campaign_id}")


def decode_snooze(data: str | None) -> Snooze | None:
    match = _SNOOZE.match(data or "")
    campaign_id = _id(match[1]) if match else None
    return Snooze(campaign_id) if campaign_id is not None else None


def remove_place(place_id: int, yes: bool) -> str:
    return _checked(f"rm:{place_id}:{'y' if yes else 'n'}")


def decode_remove_place(data: str | None) -> RemovePlace | None:
    match = _REMOVE_PLACE.match(data or "")
    place_id = _id(match[1]) if match else None
    return RemovePlace(place_id, match[2] == "y") if place_id is not None and match else None


def forget(yes: bool) -> str:
    return _checked(f"fg:{'y' if yes else 'n'}")


def decode_forget(data: str | None) -> Forget | None:
    match = _FORGET.match(data or "")
    return Forget(match[1] == "y") if match else None


def close_campaign(campaign_id: int, yes: bool) -> str:
    return _checked(f"cc:{campaign_id}:{'y' if yes else 'n'}")


def decode_close_campaign(data: str | None) -> CloseCampaign | None:
    match = _CLOSE_CAMPAIGN.match(data or "")
    campaign_id = _id(match[1]) if match else None
    if campaign_id is None or not match:
        return None
    return CloseCampaign(campaign_id, match[2] == "y")


def title_form(place_id: int, index: int | None) -> str:
    assert index is None or 0 <= index <= 9
    return _checked(f"tf:{place_id}:{'c' if index is None else index}")


def decode_title_form(data: str | None) -> TitleForm | None:
    match = _TITLE_FORM.match(data or "")
    place_id = _id(match[1]) if match else None
    if place_id is None or match is None:
        return None
    return TitleForm(place_id, None if match[2] == "c" else int(match[2]))
@dataclass(frozen=True)
class StatusPage:
    campaign_id: int
    page: int  # from 1


@dataclass(frozen=True)
class Remind:
    campaign_id: int
    yes: bool


# the commands that take a place, by their code in "pl:" data; opt: a year (/fiche) or
# 1 for a team link (/inviter), else 0
PLACE_COMMANDS = {"f": "fiche", "l": "lieu_lien", "i": "inviter", "r": "lieu_retirer",
                  "t": "lieu_titre"}


@dataclass(frozen=True)
class PlaceChoice:
    command: str  # a value of PLACE_COMMANDS
    place_id: int
    option: int


_STATUS_PAGE = re.compile(rf"^st:{_INT}:([0-9]{{1,4}})$")
_REMIND = re.compile(rf"^rl:{_INT}:([yn])$")
_PLACE_CHOICE = re.compile(rf"^pl:([a-z]):{_INT}:([0-9]{{1,4}})$")


def status_page(campaign_id: int, page: int) -> str:
    return _checked(f"st:{campaign_id}:{page}")


def decode_status_page(data: str | None) -> StatusPage | None:
    match = _STATUS_PAGE.match(data or "")
    campaign_id = _id(match[1]) if match else None
    if campaign_id is None or not match or int(match[2]) < 1:
        return None
    return StatusPage(campaign_id, int(match[2]))


def remind(campaign_id: int, yes: bool) -> str:
    return _checked(f"rl:{campaign_id}:{'y' if yes else 'n'}")


def decode_remind(data: str | None) -> Remind | None:
    match = _REMIND.match(data or "")
    campaign_id = _id(match[1]) if match else None
    return Remind(campaign_id, match[2] == "y") if campaign_id is not None and match else None


def place_choice(command: str, place_id: int, option: int = 0) -> str:
    code = next(c for c, name in PLACE_COMMANDS.items() if name == command)
    return _checked(f"pl:{code}:{place_id}:{option}")


def decode_place_choice(data: str | None) -> PlaceChoice | None:
    match = _PLACE_CHOICE.match(data or "")
    if not match or match[1] not in PLACE_COMMANDS:
        return None
    place_id = _id(match[2])
    if place_id is None:
        return None
    return PlaceChoice(PLACE_COMMANDS[match[1]], place_id, int(match[3]))


# --- Which handler a press goes to --------------------------------------------------------

class Route(StrEnum):
    """The kinds of buttons outside the interview, by the prefix of their data: each
    names one row of `commands.BUTTONS`, whose handler decodes the rest."""

    PREFILL = "pf"
    GO = "go"
    SNOOZE = "snz"
    REMOVE_PLACE = "rm"
    FORGET = "fg"
    CLOSE_CAMPAIGN = "cc"
    TITLE_FORM = "tf"
    STATUS_PAGE = "st"
    REMIND = "rl"
    PLACE_FICHE = "pl:f"
    PLACE_LINK = "pl:l"
    PLACE_INVITE = "pl:i"
    PLACE_REMOVE = "pl:r"
    PLACE_TITLE = "pl:t"


_ROUTES = {route.value: route for route in Route}


def route(data: str | None) -> Route | None:
    """The kind of button a press comes from; None: the interview's (or unreadable data,
    which the interview answers as stale). One dictionary look-up, so that a press is
    not tried against a pattern per kind of button before reaching its handler."""
    if not data or ":" not in data:
        return None
    return _ROUTES.get(data[:4] if data.startswith("pl:") else data.partition(":")[0])
