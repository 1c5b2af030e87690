"""What a person can do in an interview: the engine's input, one small class per action.

Channels turn a button press, a typed line or a command into one of these. Actions
that name a question (`key`) are refused as stale when that question is not the current
one: a button of an older message changes nothing.

Intent. A tap says what the person saw and meant, so that two managers of one place
tapping at once never undo each other: `Tap(key, option, on=True)` ticks ("I saw it
unticked and want it ticked"), `on=False` unticks; applying a tick to an option already
ticked changes nothing, so two identical taps give one tick. `on=None` (a button made
before taps carried intent) toggles what is stored, as it always did. When the stored
state was not what the person saw, the step says so (`Step.redraw`) and the channel
redraws their message.

Moving forward never erases: `Skip` on an answered question keeps the answer (channels
may label it "Suivant"); `Erase` is the one action that removes an answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tap:
    """A tap on an option: single → choose, multi → tick / untick, amount → a suggestion.

    `on`: multi only, what the person meant — True tick, False untick, None toggle
    (taps without intent, from older buttons)."""

    key: str
    option: str
    on: bool | None = None


@dataclass(frozen=True)
class Validate:
    key: str


@dataclass(frozen=True)
class AskOther:
    """The manager wants to type an extra option of a multi question ("Autre…")."""

    key: str


@dataclass(frozen=True)
class RemoveOther:
    key: str
    text: str


@dataclass(frozen=True)
class Skip:
    """Go on to the next question; an answer already given is kept ("Passer" /
    "Suivant")."""

    key: str


@dataclass(frozen=True)
class Erase:
    """Remove the answer to this question (and its typed extras); stay on it. `seen`:
    the `answers.answer_digest` of the answer the person saw, if the channel knows it;
    when the stored answer is another one (a teammate's, given meanwhile), nothing is
    erased and the screen is redrawn."""

    key: str
    seen: str | None = None


@dataclass(frozen=True)
class Keep:
    """Keep the answer already given (going back over it, or last year's)."""

    key: str


@dataclass(frozen=True)
class Back:
    key: str | None = None  # the question whose "Retour" was tapped, if a button


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class OpenSections:
    pass


@dataclass(frozen=True)
class Jump:
    section_id: str


@dataclass(frozen=True)
class Review:
    pass


@dataclass(frozen=True)
class Resume:
    """From the review, go on to the first question never reached."""


@dataclass(frozen=True)
class Submit:
    """Send the fiche, from the review.

    When some sections have no answer at all, a first `Submit()` only asks to confirm
    (`Prompt.confirm`); `Submit(confirmed=True)` sends anyway."""

    confirmed: bool = False


@dataclass(frozen=True)
class Show:
    """Nothing changes; the current prompt again."""


Action = (Tap | Validate | AskOther | RemoveOther | Skip | Erase | Keep | Back | Text
          | OpenSections | Jump | Review | Resume | Submit | Show)
KEYED_ACTIONS = (Tap, Validate, AskOther, RemoveOther, Skip, Erase, Keep)
