"""One step of an interview: an action applied to the answers and the position.

See `questionnaire.engine` for the contract; this module holds `step` and its `Step`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from questionnaire import messages
from questionnaire.actions import (
    KEYED_ACTIONS,
    Action,
    AskOther,
    Back,
    Erase,
    Jump,
    Keep,
    OpenSections,
    RemoveOther,
    Resume,
    Review,
    Show,
    Skip,
    Submit,
    Tap,
    Text,
    Validate,
)
from questionnaire.answers import answer_digest, clean_text, is_answered, parse_count
from questionnaire.grid import Grid, Question
from questionnaire.position import ASKING, REVIEW, Mode, Position
from questionnaire.prompt import Prompt, build_prompt, review_prompt
from questionnaire.typography import format_number
from questionnaire.walk import first_in_section, next_key, previous_key, start, unanswered_sections


@dataclass(frozen=True)
class Step:
    """What one action did. `changes` (key → new value, None = delete) and `position` are
    what storage writes; `prompt` is what to show.

    `error`: a French sentence to show, nothing changed. `stale`: the action was made for
    another state (an older message). `redraw`: what is stored differs from what the
    person saw (another manager tapped first): redraw their message. `not_asked`: the
    person's question is no longer asked (a teammate's answer changed a condition):
    nothing was applied, they are moved on. `submit`: the fiche is sent with this step.
    """

    answers: dict[str, Any]
    position: Position
    prompt: Prompt
    changes: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    stale: bool = False
    submit: bool = False
    redraw: bool = False
    not_asked: bool = False


def step(grid: Grid, answers: Mapping[str, Any], position: Position | None,
         action: Action) -> Step:
    """Apply one action to a copy of `answers`; see `questionnaire.engine`."""
    current = dict(answers)
    if position is None:
        position = start(grid, current)
    return _Stepper(grid, current, position).run(action)


def _exclusive(question: Question, option_id: str) -> bool:
    option = question.option(option_id)
    return option is not None and option.exclusive


class _Stepper:
    def __init__(self, grid: Grid, answers: dict[str, Any], position: Position) -> None:
        self.grid = grid
        self.answers = answers
        self.position = position
        self.changes: dict[str, Any] = {}

    # results
    def done(self, position: Position, *, submit: bool = False, redraw: bool = False,
             prompt: Prompt | None = None) -> Step:
        if prompt is None:
            prompt = build_prompt(self.grid, self.answers, position)
        return Step(self.answers, position, prompt, self.changes, submit=submit,
                    redraw=redraw)

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
        nxt = next_key(self.grid, self.answers, self.grid.index(question.key))
        if position.back_to is not None:
            nxt_question = self.grid.question(nxt) if nxt else None
            if nxt_question is None or nxt_question.section_id != question.section_id:
                return self.done(self.return_from_edit(position))
        if nxt is None:
            return self.done(Position(Mode.REVIEW, None, None, len(self.grid.keys)))
        furthest = max(position.furthest, self.grid.index(nxt))
        return self.done(Position(Mode.QUESTION, nxt, position.back_to, furthest))

    def return_from_edit(self, position: Position) -> Position:
        back_to = position.back_to
        if back_to in (None, REVIEW):
            return Position(Mode.REVIEW, None, None, position.furthest)
        question = self.grid.question(back_to)
        if question is None or not self.grid.is_asked(question, self.answers):
            return Position(Mode.REVIEW, None, None, position.furthest)
        return Position(Mode.QUESTION, back_to, None, position.furthest)

    # dispatch
    def run(self, action: Action) -> Step:
        position = self.position
        keyed = isinstance(action, KEYED_ACTIONS) or (isinstance(action, Back) and action.key)
        if keyed and (position.mode not in ASKING
                      or position.key != action.key):  # type: ignore[union-attr]
            return self.refuse(messages.STALE, stale=True)
        if (keyed or isinstance(action, Text | Show)) and self.no_longer_asked():
            moved = self.forward(self.question())
            return replace(moved, not_asked=not isinstance(action, Show))
        handler = getattr(self, "on_" + type(action).__name__.lower())
        return handler(action)

    def no_longer_asked(self) -> bool:
        """The person is on a question whose condition no longer holds: another manager
        changed the answer it depends on (`espaces.effet`) meanwhile."""
        if self.position.mode not in ASKING or not self.position.key:
            return False
        question = self.grid.question(self.position.key)
        return question is not None and not self.grid.is_asked(question, self.answers)

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
            return self.tick(question, action)
        if question.type == "amount":
            try:
                suggestion = question.suggestions[int(action.option)]
            except (ValueError, IndexError):
                return self.refuse(messages.UNKNOWN_OPTION)
            self.set(question.key, suggestion)
            return self.forward(question)
        return self.refuse(messages.UNKNOWN_OPTION)

    def tick(self, question: Question, action: Tap) -> Step:
        """Tick or untick one option of a multi question, as the tap meant (`Tap.on`)."""
        option = question.option(action.option)
        if option is None:
            return self.refuse(messages.UNKNOWN_OPTION)
        chosen = set(self.answers.get(question.key) or [])
        ticked = option.id in chosen
        on = not ticked if action.on is None else action.on
        here = replace(self.position, mode=Mode.QUESTION)
        if on == ticked:  # already as meant: another manager did it first
            return self.done(here, redraw=True)
        if not on:
            chosen.discard(option.id)
        elif option.exclusive:  # "aucun": nothing else, typed extras included
            chosen = {option.id}
            self.set(question.other_key, None)
        else:
            chosen = {o for o in chosen if not _exclusive(question, o)}
            chosen.add(option.id)
        self.set(question.key, [o.id for o in question.options if o.id in chosen])
        return self.done(here)

    def on_validate(self, action: Validate) -> Step:
        question = self.question()
        if question.type != "multi":
            return self.refuse(messages.NOT_NOW)
        return self.forward(question)

    def on_askother(self, action: AskOther) -> Step:
        question = self.question()
        if question.type != "multi" or not question.other:
            return self.refuse(messages.NOT_NOW)
        return self.done(replace(self.position, mode=Mode.OTHER))

    def on_removeother(self, action: RemoveOther) -> Step:
        question = self.question()
        extras = [e for e in self.answers.get(question.other_key) or [] if e != action.text]
        self.set(question.other_key, extras)
        return self.done(replace(self.position, mode=Mode.QUESTION))

    def on_skip(self, action: Skip) -> Step:
        """Forward, keeping what is answered: moving on never erases (`Erase` does)."""
        return self.forward(self.question())

    def on_erase(self, action: Erase) -> Step:
        """The answer removed, extras too; the person stays on the question. Erasing an
        unanswered question changes nothing (two managers may both tap it)."""
        question = self.question()
        here = replace(self.position, mode=Mode.QUESTION)
        extras = self.answers.get(question.other_key) or () if question.type == "multi" else ()
        if action.seen is not None and action.seen != answer_digest(
                question, self.answers.get(question.key), extras):
            return self.done(here, redraw=True)  # not the answer the person saw
        self.set(question.key, None)
        if question.type == "multi":
            self.set(question.other_key, None)
        return self.done(here)

    def on_keep(self, action: Keep) -> Step:
        question = self.question()
        if not is_answered(question, self.answers):
            return self.refuse(messages.NOTHING_TO_KEEP)
        return self.forward(question)

    def on_back(self, action: Back) -> Step:
        position = self.position
        if position.mode == Mode.OTHER:
            return self.done(replace(position, mode=Mode.QUESTION))
        if position.mode == Mode.SECTIONS:
            if position.key is not None:
                return self.done(replace(position, mode=Mode.QUESTION))
            return self.done(Position(Mode.REVIEW, None, None, position.furthest))
        if position.mode == Mode.REVIEW:
            last = previous_key(self.grid, self.answers, len(self.grid.keys))
            if last is None:
                return self.refuse(messages.FIRST_QUESTION)
            return self.done(Position(Mode.QUESTION, last, None, position.furthest))
        question = self.question()
        previous = previous_key(self.grid, self.answers, self.grid.index(question.key))
        if position.back_to is not None:
            previous_question = self.grid.question(previous) if previous else None
            if previous_question is None or previous_question.section_id != question.section_id:
                return self.done(self.return_from_edit(position))
        if previous is None:
            return self.refuse(messages.FIRST_QUESTION)
        return self.done(replace(position, key=previous))

    def on_text(self, action: Text) -> Step:
        position = self.position
        if position.mode not in ASKING:
            return self.refuse(messages.NOT_NOW)
        question = self.question()
        text = clean_text(action.text)
        if position.mode == Mode.OTHER:
            error = self.check_text(text, question.text_limit)
            if error:
                return self.refuse(error)
            extras = list(self.answers.get(question.other_key) or [])
            same = next((o for o in question.options
                         if o.label.casefold() == text.casefold()), None)
            if same is not None and same.id not in (self.answers.get(question.key) or []):
                return self.tick(question, Tap(question.key, same.id, on=True))  # it is one
            if same is not None or text.casefold() in (e.casefold() for e in extras):
                return self.refuse(messages.OTHER_DUPLICATE.format(text=text))
            self.set(question.other_key, [*extras, text])
            chosen = self.answers.get(question.key) or []
            self.set(question.key, [o for o in chosen  # a typed extra is not "aucun"
                                    if not _exclusive(question, o)])
            return self.done(replace(position, mode=Mode.QUESTION))
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
            return messages.TEXT_TOO_LONG.format(length=format_number(len(text)),
                                                 limit=format_number(limit))
        return None

    def on_opensections(self, action: OpenSections) -> Step:
        position = self.position
        key = position.key if position.mode in ASKING else None
        return self.done(Position(Mode.SECTIONS, key, position.back_to, position.furthest))

    def on_jump(self, action: Jump) -> Step:
        section = self.grid.section(action.section_id)
        if section is None:
            return self.refuse(messages.UNKNOWN_SECTION)
        first = first_in_section(self.grid, self.answers, section)
        if first is None:
            return self.refuse(messages.UNKNOWN_SECTION)
        position = self.position
        if position.back_to is not None:
            back_to = position.back_to
        elif position.mode in ASKING or (
                position.mode == Mode.SECTIONS and position.key is not None):
            back_to = position.key
        else:
            back_to = REVIEW
        if back_to is not None and back_to != REVIEW:
            held = self.grid.question(back_to)
            if held is not None and held.section_id == section.id:
                back_to = None  # already in that section: just go on from its start
        return self.done(Position(Mode.QUESTION, first, back_to, position.furthest))

    def on_review(self, action: Review) -> Step:
        return self.done(Position(Mode.REVIEW, None, None, self.position.furthest))

    def on_resume(self, action: Resume) -> Step:
        furthest = self.position.furthest
        key = None
        if furthest < len(self.grid.keys):
            candidate = self.grid.keys[furthest]
            if self.grid.is_asked(self.grid.question(candidate), self.answers):  # type: ignore[arg-type]
                key = candidate
            else:
                key = next_key(self.grid, self.answers, furthest)
        if key is None:
            return self.done(Position(Mode.REVIEW, None, None, len(self.grid.keys)))
        return self.done(Position(Mode.QUESTION, key, None, self.grid.index(key)))

    def on_submit(self, action: Submit) -> Step:
        """Sent from the review only; with sections unanswered, only once confirmed."""
        if self.position.mode != Mode.REVIEW:
            return self.refuse(messages.NOT_NOW, stale=True)
        if not action.confirmed and unanswered_sections(self.grid, self.answers):
            return self.done(self.position, prompt=review_prompt(
                self.grid, self.answers, self.position, confirm=True))
        return self.done(self.position, submit=True)
