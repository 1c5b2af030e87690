"""What to show for a position: the `Prompt` every channel turns into its own output.

A prompt holds no French of a channel's buttons: only the grid's text, the engine's
hints (`messages`), the state of each option and the actions that make sense now
(`PromptAction`); channels word and lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from questionnaire import messages
from questionnaire.answers import is_answered
from questionnaire.grid import Grid, Question, Section
from questionnaire.position import Mode, Position
from questionnaire.walk import is_complete, previous_key, section_completion


class PromptAction(StrEnum):
    """What a person may do at a prompt; each channel words its own button or command."""

    SKIP = "skip"  # go on; keeps the answer (a channel may say "Suivant" when `answered`)
    ERASE = "erase"  # remove the answer ("Effacer ma réponse")
    BACK = "back"
    VALIDATE = "validate"  # multi: done ticking
    OTHER = "other"  # multi: type an extra option
    KEEP = "keep"  # typed question already answered: keep it
    SUBMIT = "submit"
    CONFIRM = "confirm"  # review: send although sections are unanswered
    SECTIONS = "sections"
    RESUME = "resume"  # review: go on to the first question never shown


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
    answered: bool = False  # the question has an answer (options, extras or text)
    actions: frozenset[PromptAction] = frozenset()
    progress: Progress | None = None
    sections: tuple[SectionView, ...] = ()  # the section menu, and the review
    unvisited: bool = False  # review: some questions were never shown
    unanswered_sections: int = 0  # review: sections without a single answer
    confirm: bool = False  # review: sending was asked with sections unanswered: confirm?


_HINTS = {
    "multi": messages.HINT_MULTI,
    "single": messages.HINT_SINGLE,
    "count": messages.HINT_COUNT,
    "amount": messages.HINT_AMOUNT,
}


def build_prompt(grid: Grid, answers: Mapping[str, Any], position: Position) -> Prompt:
    """What to show for a position."""
    if position.mode == Mode.REVIEW:
        return review_prompt(grid, answers, position)
    if position.mode == Mode.SECTIONS:
        return Prompt(mode=Mode.SECTIONS, key=position.key, sections=_sections(grid, answers),
                      actions=frozenset({PromptAction.BACK}))
    return _question_prompt(grid, answers, position)


def _sections(grid: Grid, answers: Mapping[str, Any]) -> tuple[SectionView, ...]:
    views = []
    for number, section in enumerate(grid.sections, 1):
        answered, asked = section_completion(grid, answers, section)
        views.append(SectionView(section.id, section.title, number, answered, asked))
    return tuple(views)


def review_prompt(grid: Grid, answers: Mapping[str, Any], position: Position, *,
                  confirm: bool = False) -> Prompt:
    """The review; `confirm`: the person asked to send while sections are unanswered."""
    actions = {PromptAction.SUBMIT, PromptAction.SECTIONS, PromptAction.BACK}
    unvisited = not is_complete(grid, position)
    if unvisited:
        actions.add(PromptAction.RESUME)
    if confirm:
        actions.add(PromptAction.CONFIRM)
    sections = _sections(grid, answers)
    return Prompt(mode=Mode.REVIEW, actions=frozenset(actions), unvisited=unvisited,
                  sections=sections,
                  unanswered_sections=sum(1 for view in sections if not view.answered),
                  confirm=confirm)


def _question_prompt(grid: Grid, answers: Mapping[str, Any], position: Position) -> Prompt:
    question = grid.question(position.key or "")
    assert question is not None
    section = grid.section(question.section_id)
    assert section is not None
    asked = [q.key for q in section.questions if grid.is_asked(q, answers)]
    progress = Progress(section.id, section.title, grid.section_index(section.id) + 1,
                        len(grid.sections),
                        asked.index(question.key) + 1 if question.key in asked else 1, len(asked))
    value = answers.get(question.key)
    answered = is_answered(question, answers)
    extras = tuple(answers.get(question.other_key) or ()) if question.type == "multi" else ()
    if position.mode == Mode.OTHER:
        return Prompt(mode=Mode.OTHER, key=question.key, question=question, section=section,
                      text=question.prompt, hint=messages.HINT_OTHER, progress=progress,
                      extras=extras, answered=answered,
                      actions=frozenset({PromptAction.BACK}))
    actions = {PromptAction.SKIP}
    first = previous_key(grid, answers, grid.index(question.key)) is None
    if not first or position.back_to is not None:
        actions.add(PromptAction.BACK)
    if question.type == "multi":
        actions.add(PromptAction.VALIDATE)
        if question.other:
            actions.add(PromptAction.OTHER)
    if answered:
        actions.add(PromptAction.ERASE)
        if question.type in ("count", "amount", "comment"):
            actions.add(PromptAction.KEEP)
    hint = _HINTS.get(question.type) or messages.HINT_COMMENT.format(limit=question.text_limit)
    return Prompt(
        mode=Mode.QUESTION, key=question.key, question=question, section=section,
        text=question.prompt, hint=hint, options=_options(question, value),
        extras=extras,
        current=value if question.type in ("count", "amount", "comment") else None,
        answered=answered, actions=frozenset(actions), progress=progress,
    )


def _options(question: Question, value: Any) -> tuple[OptionView, ...]:
    if question.type == "multi":
        chosen = set(value or [])
        return tuple(OptionView(o.id, o.label, o.id in chosen, n)
                     for n, o in enumerate(question.options, 1))
    if question.type == "single":
        return tuple(OptionView(o.id, o.label, o.id == value, n)
                     for n, o in enumerate(question.options, 1))
    if question.type == "amount":
        return tuple(OptionView(str(i), s, s == value, i + 1)
                     for i, s in enumerate(question.suggestions))
    return ()
