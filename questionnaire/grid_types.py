"""The grid as typed objects: sections, questions, options, the fiche's statements.

Built by `questionnaire.grid_loader` from `grid.yaml` and read everywhere else through
`questionnaire.grid`, which re-exports everything here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

QuestionType = Literal["multi", "single", "count", "amount", "comment"]
QUESTION_TYPES: tuple[str, ...] = ("multi", "single", "count", "amount", "comment")

COMMENT_MAX_LENGTH = 2000
AMOUNT_MAX_LENGTH = 80
COUNT_MAX = 1_000_000
OTHER_SUFFIX = ".autre"

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")

class GridError(ValueError):
    """The grid file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    phrase: str | None = None  # the option in running text, when it differs from its label
    sentence: str | None = None  # a whole fiche sentence for this choice
    exclusive: bool = False  # selecting it clears the others (and the other way round)

    @property
    def inline(self) -> str:
        return self.phrase or self.label


@dataclass(frozen=True)
class Condition:
    """`is`: the question is asked only when each named answer equals the value."""

    equals: Mapping[str, Any]

    def holds(self, answers: Mapping[str, Any], prefix: str = "") -> bool:
        """Whether each named answer equals its value; `prefix` ("section.") turns the
        names into answer keys when `answers` holds a whole response."""
        return all(answers.get(prefix + key) == value for key, value in self.equals.items())


@dataclass(frozen=True)
class Question:
    section_id: str
    id: str
    type: QuestionType
    prompt: str
    options: tuple[Option, ...] = ()
    other: bool = False  # multi: may type extra options ("Autre : …")
    suggestions: tuple[str, ...] = ()  # amount: buttons for typical answers
    unit: tuple[str, str] | None = None  # count: singular and plural noun
    max_length: int | None = None
    group: str | None = None  # label of the group, for grouped fiche statements
    when: Condition | None = None
    # "section.question" and its extras' key, built once (read at every step)
    key: str = field(init=False, repr=False, compare=False)
    other_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = f"{self.section_id}.{self.id}"
        object.__setattr__(self, "key", key)  # the dataclass is frozen
        object.__setattr__(self, "other_key", key + OTHER_SUFFIX)

    def option(self, option_id: str) -> Option | None:
        for option in self.options:
            if option.id == option_id:
                return option
        return None

    @property
    def text_limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return AMOUNT_MAX_LENGTH if self.type == "amount" else COMMENT_MAX_LENGTH


@dataclass(frozen=True)
class Statement:
    """One sentence of the fiche; see the header of grid.yaml for the fields."""

    text: str = ""
    list: str | None = None
    inline_if_one: bool = False
    sentence_of: str | None = None
    grouped: tuple[str, ...] = ()
    when: Condition | None = None

    def references(self) -> tuple[str, ...]:
        """Question ids that must all be answered for the statement to print."""
        refs = [name for name in _PLACEHOLDER.findall(self.text)
                if name not in ("groups", "answer")]
        if self.list:
            refs.append(self.list)
        if self.sentence_of:
            refs.append(self.sentence_of)
        return tuple(dict.fromkeys(refs))


@dataclass(frozen=True)
class FicheEntry:
    """A statement, or variants of which the first printable one is printed."""

    variants: tuple[Statement, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    fiche: tuple[FicheEntry, ...] = ()
    family_id: str | None = None
    summary: bool = False

    @property
    def heading(self) -> str:
        return self.title.upper()

    def question(self, question_id: str) -> Question | None:
        for question in self.questions:
            if question.id == question_id:
                return question
        return None


@dataclass(frozen=True)
class FamilySummary:
    intensity: str  # question key
    keywords: str  # question key


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    section_ids: tuple[str, ...]
    summary: FamilySummary | None = None

    @property
    def heading(self) -> str:
        return self.title.upper()


@dataclass(frozen=True)
class Grid:
    version: str
    name: str
    families: tuple[Family, ...]
    sections: tuple[Section, ...]
    # look-ups built once: the engine asks them several times at every step
    _by_key: dict[str, Question] = field(init=False, repr=False, compare=False)
    _keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _sections: dict[str, tuple[int, Section]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {question.key: question for question in self.questions()}
        set_field = object.__setattr__  # the dataclass is frozen
        set_field(self, "_by_key", by_key)
        set_field(self, "_keys", tuple(by_key))
        set_field(self, "_index", {key: index for index, key in enumerate(by_key)})
        set_field(self, "_sections", {section.id: (index, section)
                                      for index, section in enumerate(self.sections)})

    def questions(self) -> Iterator[Question]:
        """Every question in interview order."""
        for section in self.sections:
            yield from section.questions

    @property
    def keys(self) -> tuple[str, ...]:
        """Every question key, in interview order."""
        return self._keys

    def index(self, key: str) -> int:
        """The place of a question key in `keys`; raises `KeyError` if unknown."""
        return self._index[key]

    def question(self, key: str) -> Question | None:
        return self._by_key.get(key)

    def section(self, section_id: str) -> Section | None:
        found = self._sections.get(section_id)
        return found[1] if found else None

    def section_index(self, section_id: str) -> int:
        return self._sections[section_id][0]

    def family(self, family_id: str) -> Family | None:
        for family in self.families:
            if family.id == family_id:
                return family
        return None

    def is_asked(self, question: Question, answers: Mapping[str, Any]) -> bool:
        """Whether the question applies, given the other answers (its condition)."""
        if question.when is None:
            return True
        # the condition names questions of the same section by their id
        return question.when.holds(answers, question.section_id + ".")
