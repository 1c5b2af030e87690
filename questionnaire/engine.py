"""The interview engine: pure functions, no I/O.

`step(grid, answers, position, action)` returns the answers to write (`changes`), the
new position and the prompt to show. Channels (Telegram, terminal) only translate their
input into an `Action` and the `Prompt` into their own output; storage persists
`changes` and `position`. Nothing here is stored between calls: the same inputs always
give the same step, so losing any in-memory state loses nothing.

Button actions carry the key of the question they belong to: an action whose key is not
the current question (a button of an older message, tapped on a bad connection) is
refused as stale and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

from questionnaire import messages
from questionnaire.answers import clean_text, is_answered, parse_count
from questionnaire.grid import Grid, Question, Section

Mode = Literal["question", "other", "review", "sections"]
REVIEW = "review"


# --- Position ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Position:
    """Where one person stands in an interview; stored as a small JSON object.

    `back_to` is set while a section chosen from the section menu is being edited: at
    the end of that section the interview goes back there ("review" or a question key).
    `furthest` is the index, in grid order, of the furthest question reached by walking
    through; it tells the review whether some questions were never shown.
    """

    mode: Mode = "question"
    key: str | None = None
    back_to: str | None = None
    furthest: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "key": self.key, "back_to": self.back_to,
                "furthest": self.furthest}

    @classmethod
    def from_dict(cls, grid: Grid, raw: Mapping[str, Any] | None) -> Position | None:
        """A stored position, or None if it does not fit this grid any more."""
        if not raw:
            return None
        mode = raw.get("mode")
        key = raw.get("key")
        back_to = raw.get("back_to")
        furthest = raw.get("furthest", 0)
        if mode not in ("question", "other", "review", "sections"):
            return None
        if key is not None and grid.question(key) is None:
            return None
        if mode in ("question", "other") and key is None:
            return None
        if back_to not in (None, REVIEW) and grid.question(back_to) is None:
            back_to = None
        if not isinstance(furthest, int) or furthest < 0:
            furthest = 0
        return cls(mode, key, back_to, min(furthest, len(grid.keys)))


# --- Actions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Tap:
    """A tap on an option: single → choose, multi → toggle, amount → a suggestion."""

    key: str
    option: str


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
    key: str


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
    pass


@dataclass(frozen=True)
class Show:
    """Nothing changes; the current prompt again."""


Action = (Tap | Validate | AskOther | RemoveOther | Skip | Keep | Back | Text | OpenSections
          | Jump | Review | Resume | Submit | Show)
KEYED_ACTIONS = (Tap, Validate, AskOther, RemoveOther, Skip, Keep)


# --- Prompt -----------------------------------------------------------------------------

class OptionView(NamedTuple):
    """An option as shown: a tuple, built for every option of every prompt."""

    id: str
    label: str
    selected: bool
    number: int  # 1-based, as listed in the message


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    number: int
    answered: int
    asked: int


@dataclass(frozen=True)
class Progress:
    section_id: str
    section_title: str
    section_number: int  # 1-based
    section_count: int
    question_number: int  # 1-based among the section's asked questions
    question_count: int

    def __str__(self) -> str:
        return messages.PROGRESS.format(section=self.section_title, index=self.section_number,
                                        count=self.section_count)


@dataclass(frozen=True)
class Prompt:
    mode: Mode
    key: str | None = None
    question: Question | None = None
    section: Section | None = None
    text: str = ""
    hint: str = ""
    options: tuple[OptionView, ...] = ()
    extras: tuple[str, ...] = ()
    current: Any = None  # the stored answer, for count / amount / comment
    actions: frozenset[str] = frozenset()
    progress: Progress | None = None
    sections: tuple[SectionView, ...] = ()
    unvisited: bool = False  # review: some questions were never shown


@dataclass(frozen=True)
class Step:
    answers: dict[str, Any]
    position: Position
    prompt: Prompt
    changes: dict[str, Any] = field(default_factory=dict)  # key -> new value, None = delete
    error: str | None = None
    stale: bool = False
    submit: bool = False


# --- Walking the grid -------------------------------------------------------------------

def _index(grid: Grid, key: str) -> int:
    return grid.index(key)


def asked_keys(grid: Grid, answers: Mapping[str, Any]) -> list[str]:
    return [q.key for q in grid.questions() if grid.is_asked(q, answers)]


def _next_key(grid: Grid, answers: Mapping[str, Any], after: int) -> str | None:
    for key in grid.keys[after + 1:]:
        if grid.is_asked(grid.question(key), answers):  # type: ignore[arg-type]
            return key
    return None


def _previous_key(grid: Grid, answers: Mapping[str, Any], before: int) -> str | None:
    for key in reversed(grid.keys[:before]):
        if grid.is_asked(grid.question(key), answers):  # type: ignore[arg-type]
            return key
    return None


def _first_in_section(grid: Grid, answers: Mapping[str, Any], section: Section) -> str | None:
    for question in section.questions:
        if grid.is_asked(question, answers):
            return question.key
    return None


def start(grid: Grid, answers: Mapping[str, Any]) -> Position:
    """Where a new interview begins: the first asked question."""
    key = _next_key(grid, answers, -1)
    if key is None:
        return Position(mode="review", furthest=len(grid.keys))
    return Position(mode="question", key=key, furthest=_index(grid, key))


def is_complete(grid: Grid, position: Position) -> bool:
    """Whether the manager has walked through to the end at least once."""
    return position.furthest >= len(grid.keys)


def completion(grid: Grid, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(answered, asked) questions, for progress reports."""
    asked = [grid.question(k) for k in asked_keys(grid, answers)]
    return sum(1 for q in asked if q and is_answered(q, answers)), len(asked)


# --- The step ---------------------------------------------------------------------------

def step(grid: Grid, answers: Mapping[str, Any], position: Position | None,
         action: Action) -> Step:
    """Apply one action; see the module docstring."""
    current = dict(answers)
    if position is None:
        position = start(grid, current)
    return _Stepper(grid, current, position).run(action)


class _Stepper:
    def __init__(self, grid: Grid, answers: dict[str, Any], position: Position) -> None:
        self.grid = grid
        self.answers = answers
        self.position = position
        self.changes: dict[str, Any] = {}

    # results
    def done(self, position: Position, *, submit: bool = False) -> Step:
        return Step(self.answers, position, build_prompt(self.grid, self.answers, position),
                    self.changes, submit=submit)

    def refuse(self, error: str, *, stale: bool = False) -> Step:
        return Step(self.answers, self.position,
                    build_prompt(self.grid, self.answers, self.position), {}, error, stale)

    def set(self, key: str, value: Any) -> None:
        if value is None or value == [] or value == "":
            if key in self.answers:
                del self.answers[key]
                self.changes[key] = None
        elif self.answers.get(key) != value:
            self.answers[key] = value
            self.changes[key] = value

    # moves
    def forward(self, question: Question) -> Step:
        """After the current question: the next one, or the review, or back to `back_to`."""
        position = self.position
        nxt = _next_key(self.grid, self.answers, _index(self.grid, question.key))
        if position.back_to is not None:
            nxt_question = self.grid.question(nxt) if nxt else None
            if nxt_question is None or nxt_question.section_id != question.section_id:
                return self.done(self.return_from_edit(position))
        if nxt is None:
            return self.done(Position("review", None, None, len(self.grid.keys)))
        furthest = max(position.furthest, _index(self.grid, nxt))
        return self.done(Position("question", nxt, position.back_to, furthest))

    def return_from_edit(self, position: Position) -> Position:
        back_to = position.back_to
        if back_to in (None, REVIEW):
            return Position("review", None, None, position.furthest)
        question = self.grid.question(back_to)
        if question is None or not self.grid.is_asked(question, self.answers):
            return Position("review", None, None, position.furthest)
        return Position("question", back_to, None, position.furthest)

    # dispatch
    def run(self, action: Action) -> Step:
        position = self.position
        keyed = isinstance(action, KEYED_ACTIONS) or (isinstance(action, Back) and action.key)
        if keyed and (position.mode not in ("question", "other")
                      or position.key != action.key):  # type: ignore[union-attr]
            return self.refuse(messages.STALE, stale=True)
        handler = getattr(self, "on_" + type(action).__name__.lower())
        return handler(action)

    def question(self) -> Question:
        question = self.grid.question(self.position.key or "")
        assert question is not None, "keyed actions are checked against the position"
        return question

    def on_show(self, action: Show) -> Step:
        return self.done(self.position)

    def on_tap(self, action: Tap) -> Step:
        question = self.question()
        if question.type == "single":
            if question.option(action.option) is None:
                return self.refuse(messages.UNKNOWN_OPTION)
            self.set(question.key, action.option)
            return self.forward(question)
        if question.type == "multi":
            option = question.option(action.option)
            if option is None:
                return self.refuse(messages.UNKNOWN_OPTION)
            chosen = set(self.answers.get(question.key) or [])
            if option.id in chosen:
                chosen.discard(option.id)
            elif option.exclusive:
                chosen = {option.id}
            else:
                chosen = {o for o in chosen if not question.option(o).exclusive}  # type: ignore[union-attr]
                chosen.add(option.id)
            self.set(question.key, [o.id for o in question.options if o.id in chosen])
            return self.done(replace(self.position, mode="question"))
        if question.type == "amount":
            try:
                suggestion = question.suggestions[int(action.option)]
            except (ValueError, IndexError):
                return self.refuse(messages.UNKNOWN_OPTION)
            self.set(question.key, suggestion)
            return self.forward(question)
        return self.refuse(messages.UNKNOWN_OPTION)

    def on_validate(self, action: Validate) -> Step:
        question = self.question()
        if question.type != "multi":
            return self.refuse(messages.NOT_NOW)
        return self.forward(question)

    def on_askother(self, action: AskOther) -> Step:
        question = self.question()
        if question.type != "multi" or not question.other:
            return self.refuse(messages.NOT_NOW)
        return self.done(replace(self.position, mode="other"))

    def on_removeother(self, action: RemoveOther) -> Step:
        question = self.question()
        extras = [e for e in self.answers.get(question.other_key) or [] if e != action.text]
        self.set(question.other_key, extras)
        return self.done(replace(self.position, mode="question"))

    def on_skip(self, action: Skip) -> Step:
        question = self.question()
        self.set(question.key, None)
        if question.type == "multi":
            self.set(question.other_key, None)
        return self.forward(question)

    def on_keep(self, action: Keep) -> Step:
        question = self.question()
        if not is_answered(question, self.answers):
            return self.refuse(messages.NOTHING_TO_KEEP)
        return self.forward(question)

    def on_back(self, action: Back) -> Step:
        position = self.position
        if position.mode == "other":
            return self.done(replace(position, mode="question"))
        if position.mode == "sections":
            if position.key is not None:
                return self.done(replace(position, mode="question"))
            return self.done(Position("review", None, None, position.furthest))
        if position.mode == "review":
            last = _previous_key(self.grid, self.answers, len(self.grid.keys))
            if last is None:
                return self.refuse(messages.FIRST_QUESTION)
            return self.done(Position("question", last, None, position.furthest))
        question = self.question()
        previous = _previous_key(self.grid, self.answers, _index(self.grid, question.key))
        if position.back_to is not None:
            previous_question = self.grid.question(previous) if previous else None
            if previous_question is None or previous_question.section_id != question.section_id:
                return self.done(self.return_from_edit(position))
        if previous is None:
            return self.refuse(messages.FIRST_QUESTION)
        return self.done(replace(position, key=previous))

    def on_text(self, action: Text) -> Step:
        position = self.position
        if position.mode not in ("question", "other"):
            return self.refuse(messages.NOT_NOW)
        question = self.question()
        text = clean_text(action.text)
        if position.mode == "other":
            error = self.check_text(text, question.text_limit)
            if error:
                return self.refuse(error)
            extras = list(self.answers.get(question.other_key) or [])
            if text.casefold() in (e.casefold() for e in extras) or text.casefold() in (
                    o.label.casefold() for o in question.options):
                return self.refuse(messages.OTHER_DUPLICATE.format(text=text))
            self.set(question.other_key, [*extras, text])
            return self.done(replace(position, mode="question"))
        if question.type == "count":
            try:
                value: Any = parse_count(text)
            except ValueError as exc:
                return self.refuse(str(exc))
            self.set(question.key, value)
            return self.forward(question)
        if question.type in ("amount", "comment"):
            error = self.check_text(text, question.text_limit)
            if error:
                return self.refuse(error)
            self.set(question.key, text)
            return self.forward(question)
        return self.refuse(messages.TAP_EXPECTED)

    @staticmethod
    def check_text(text: str, limit: int) -> str | None:
        if not text:
            return messages.TEXT_EMPTY
        if len(text) > limit:
            return messages.TEXT_TOO_LONG.format(length=len(text), limit=limit)
        return None

    def on_opensections(self, action: OpenSections) -> Step:
        position = self.position
        key = position.key if position.mode in ("question", "other") else None
        return self.done(Position("sections", key, position.back_to, position.furthest))

    def on_jump(self, action: Jump) -> Step:
        section = self.grid.section(action.section_id)
        if section is None:
            return self.refuse(messages.UNKNOWN_SECTION)
        first = _first_in_section(self.grid, self.answers, section)
        if first is None:
            return self.refuse(messages.UNKNOWN_SECTION)
        position = self.position
        if position.back_to is not None:
            back_to = position.back_to
        elif position.mode in ("question", "other") or (
                position.mode == "sections" and position.key is not None):
            back_to = position.key
        else:
            back_to = REVIEW
        if back_to is not None and back_to != REVIEW:
            held = self.grid.question(back_to)
            if held is not None and held.section_id == section.id:
                back_to = None  # already in that section: just go on from its start
        return self.done(Position("question", first, back_to, position.furthest))

    def on_review(self, action: Review) -> Step:
        return self.done(Position("review", None, None, self.position.furthest))

    def on_resume(self, action: Resume) -> Step:
        furthest = self.position.furthest
        key = None
        if furthest < len(self.grid.keys):
            candidate = self.grid.keys[furthest]
            if self.grid.is_asked(self.grid.question(candidate), self.answers):  # type: ignore[arg-type]
                key = candidate
            else:
                key = _next_key(self.grid, self.answers, furthest)
        if key is None:
            return self.done(Position("review", None, None, len(self.grid.keys)))
        return self.done(Position("question", key, None, _index(self.grid, key)))

    def on_submit(self, action: Submit) -> Step:
        if self.position.mode != "review":
            return self.refuse(messages.NOT_NOW, stale=True)
        return self.done(self.position, submit=True)


# --- Prompts ----------------------------------------------------------------------------

_HINTS = {
    "multi": messages.HINT_MULTI,
    "single": messages.HINT_SINGLE,
    "count": messages.HINT_COUNT,
    "amount": messages.HINT_AMOUNT,
}


def build_prompt(grid: Grid, answers: Mapping[str, Any], position: Position) -> Prompt:
    """What to show for a position."""
    if position.mode == "review":
        actions = {"submit", "sections", "back"}
        unvisited = not is_complete(grid, position)
        if unvisited:
            actions.add("resume")
        return Prompt(mode="review", actions=frozenset(actions), unvisited=unvisited)
    if position.mode == "sections":
        views = []
        for number, section in enumerate(grid.sections, 1):
            asked = [q for q in section.questions if grid.is_asked(q, answers)]
            views.append(SectionView(section.id, section.title, number,
                                     sum(1 for q in asked if is_answered(q, answers)), len(asked)))
        return Prompt(mode="sections", key=position.key, sections=tuple(views),
                      actions=frozenset({"back"}))
    question = grid.question(position.key or "")
    assert question is not None
    section = grid.section(question.section_id)
    assert section is not None
    asked = [q.key for q in section.questions if grid.is_asked(q, answers)]
    progress = Progress(section.id, section.title, grid.section_index(section.id) + 1,
                        len(grid.sections),
                        asked.index(question.key) + 1 if question.key in asked else 1, len(asked))
    value = answers.get(question.key)
    options: tuple[OptionView, ...] = ()
    if question.type == "multi":
        chosen = set(value or [])
        options = tuple(OptionView(o.id, o.label, o.id in chosen, n)
                        for n, o in enumerate(question.options, 1))
    elif question.type == "single":
        options = tuple(OptionView(o.id, o.label, o.id == value, n)
                        for n, o in enumerate(question.options, 1))
    elif question.type == "amount":
        options = tuple(OptionView(str(i), s, s == value, i + 1)
                        for i, s in enumerate(question.suggestions))
    actions = {"skip"}
    first = _previous_key(grid, answers, _index(grid, question.key)) is None
    if not first or position.back_to is not None:
        actions.add("back")
    if question.type == "multi":
        actions.add("validate")
        if question.other:
            actions.add("other")
    if question.type in ("count", "amount", "comment") and is_answered(question, answers):
        actions.add("keep")
    if position.mode == "other":
        return Prompt(mode="other", key=question.key, question=question, section=section,
                      text=question.prompt, hint=messages.HINT_OTHER, progress=progress,
                      extras=tuple(answers.get(question.other_key) or ()),
                      actions=frozenset({"back"}))
    hint = _HINTS.get(question.type) or messages.HINT_COMMENT.format(limit=question.text_limit)
    return Prompt(
        mode="question", key=question.key, question=question, section=section,
        text=question.prompt, hint=hint, options=options,
        extras=tuple(answers.get(question.other_key) or ()) if question.type == "multi" else (),
        current=value if question.type in ("count", "amount", "comment") else None,
        actions=frozenset(actions), progress=progress,
    )
