"""The fiche as data: what to print, in order, already written in French.

`build_fiche` reads the grid's fiche statements (see the header of grid.yaml) and the
effective answers, and returns a frozen `Fiche` that the templates only lay out: every
sentence is complete here, and the manager's answers are marked as `strong` segments.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from fiche.french import capitalize_first, hashtags, join_fr, title_of
from questionnaire.answers import describe, effective_answers
from questionnaire.grid import (  # the grid's own placeholder syntax, not a copy of it
    _PLACEHOLDER,
    OTHER_SUFFIX,
    Condition,
    Grid,
    Question,
    Section,
    Statement,
)

NOT_ANSWERED = "Non renseigné."
YEAR_LINE = "Année {year}"

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Segment:
    """A run of text; `strong` marks the manager's answer inside a sentence (bold)."""

    text: str
    strong: bool = False


Segments = tuple[Segment, ...]


@dataclass(frozen=True)
class Paragraph:
    segments: Segments
    kind: ClassVar[str] = "paragraph"

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class BulletList:
    """One item a line; each item is a run of segments."""

    items: tuple[Segments, ...]
    kind: ClassVar[str] = "list"


@dataclass(frozen=True)
class Comment:
    """The manager's free text, as typed (it may hold line ends and blank lines)."""

    text: str
    kind: ClassVar[str] = "comment"

    @property
    def paragraphs(self) -> tuple[tuple[str, ...], ...]:
        """The text cut at blank lines into paragraphs, each a tuple of its lines."""
        return tuple(tuple(line.strip() for line in chunk.split("\n"))
                     for chunk in _BLANK_LINES.split(self.text.strip()))


Block = Paragraph | BulletList | Comment


@dataclass(frozen=True)
class FicheSection:
    id: str
    heading: str
    blocks: tuple[Block, ...]
    empty: bool  # nothing answered: `blocks` is the single "Non renseigné." paragraph


@dataclass(frozen=True)
class FicheFamily:
    id: str
    heading: str
    sections: tuple[FicheSection, ...]


@dataclass(frozen=True)
class SummaryLine:
    """A family in the summary under the title: "EFFETS INDIVIDUELS +++" and hashtags."""

    family_id: str
    heading: str
    intensity: str | None
    hashtags: str | None

    @property
    def title(self) -> str:
        return f"{self.heading} {self.intensity}" if self.intensity else self.heading


@dataclass(frozen=True)
class Fiche:
    place: str
    title: str
    year: int | None
    year_line: str | None  # "Année 2025", or None when the year is not known
    summary: tuple[SummaryLine, ...]
    families: tuple[FicheFamily, ...]


def build_fiche(grid: Grid, answers: Mapping[str, Any], place: str,
                year: int | None = None) -> Fiche:
    """The fiche of a place from its answers (only the effective ones count)."""
    effective = effective_answers(grid, answers)
    families = []
    for family in grid.families:
        sections = []
        for section_id in family.section_ids:
            section = grid.section(section_id)
            assert section is not None  # the loader checked every family's sections
            sections.append(_section(section, _scoped(section, effective)))
        families.append(FicheFamily(family.id, family.heading, tuple(sections)))
    return Fiche(
        place=" ".join(place.split()),
        title=title_of(place),
        year=year,
        year_line=YEAR_LINE.format(year=year) if year is not None else None,
        summary=_summary(grid, effective),
        families=tuple(families),
    )


def _summary(grid: Grid, effective: Mapping[str, Any]) -> tuple[SummaryLine, ...]:
    lines = []
    for family in grid.families:
        if family.summary is None:
            continue
        intensity = None
        value = effective.get(family.summary.intensity)
        question = grid.question(family.summary.intensity)
        if value is not None and question is not None:
            option = question.option(str(value))
            intensity = option.label if option else None
        keywords = effective.get(family.summary.keywords)
        tags = hashtags(keywords) if isinstance(keywords, str) else ""
        if intensity or tags:
            lines.append(SummaryLine(family.id, family.heading, intensity, tags or None))
    return tuple(lines)


def _scoped(section: Section, effective: Mapping[str, Any]) -> dict[str, Any]:
    """The section's effective answers by question id (extras under "<id>.autre").

    Blank texts and blank extras count as skipped, so that they never leave a hole in a
    sentence nor an empty list.
    """
    prefix = section.id + "."
    scoped: dict[str, Any] = {}
    for key, value in effective.items():
        if not key.startswith(prefix):
            continue
        if isinstance(value, str):
            value = value.strip()
        elif key.endswith(OTHER_SUFFIX):
            value = [extra for extra in value if isinstance(extra, str) and extra.strip()]
        if value == "" or (key.endswith(OTHER_SUFFIX) and not value):
            continue
        scoped[key[len(prefix):]] = value
    for question in section.questions:
        if question.type == "multi" and question.id in scoped and not scoped[question.id] \
                and question.id + OTHER_SUFFIX not in scoped:
            del scoped[question.id]
    return scoped


def _section(section: Section, answers: Mapping[str, Any]) -> FicheSection:
    blocks: list[Block] = []
    referenced: set[str] = set()
    for entry in section.fiche:
        for statement in entry.variants:
            referenced.update(statement.references())
            referenced.update(statement.grouped)
        for statement in entry.variants:
            printed = _statement(section, statement, answers)
            if printed is not None:
                blocks.extend(printed)
                break
    for question in section.questions:
        if question.type == "comment" and question.id not in referenced \
                and question.id in answers:
            blocks.append(Comment(answers[question.id]))
    if not blocks:
        return FicheSection(section.id, section.heading,
                            (Paragraph((Segment(NOT_ANSWERED),)),), empty=True)
    return FicheSection(section.id, section.heading, tuple(blocks), empty=False)


def _statement(section: Section, statement: Statement, answers: Mapping[str, Any]
               ) -> list[Block] | None:
    """The blocks of one statement, or None when it cannot be printed whole."""
    if any(name not in answers for name in statement.references()):
        return None
    if statement.when is not None and not _holds(section, statement.when, answers):
        return None
    if statement.sentence_of:
        option = _question(section, statement.sentence_of).option(answers[statement.sentence_of])
        assert option is not None and option.sentence  # validated answers, validated grid
        return [Paragraph((Segment(option.sentence),))]
    if statement.grouped:
        return _grouped(section, statement, answers) or None

    values = {name: _inline(_question(section, name), answers)
              for name in _PLACEHOLDER.findall(statement.text)}
    segments = _fill(statement.text, values)
    if statement.list is None:
        return [_paragraph(segments)]
    items = _items(_question(section, statement.list), answers)
    if statement.inline_if_one and len(items) == 1:
        inline = _items(_question(section, statement.list), answers, inline=True)[0]
        return [_paragraph([*segments, Segment(" "), Segment(inline, strong=True),
                            Segment(".")])]
    return [_paragraph([*segments, Segment(" :")]),
            BulletList(tuple((Segment(item, strong=True),) for item in items))]


def _grouped(section: Section, statement: Statement, answers: Mapping[str, Any]
             ) -> list[Block]:
    """One sentence per distinct answer, naming every group that gave it."""
    by_answer: dict[str, list[Question]] = {}
    for name in statement.grouped:
        if name in answers:
            by_answer.setdefault(answers[name], []).append(_question(section, name))
    blocks: list[Block] = []
    for option_id, questions in by_answer.items():
        option = questions[0].option(option_id)
        assert option is not None
        groups = join_fr(question.group or question.id for question in questions)
        segments = _fill(statement.text, {"groups": Segment(groups),
                                          "answer": Segment(option.inline, strong=True)})
        blocks.append(_paragraph(segments))
    return blocks


def _question(section: Section, question_id: str) -> Question:
    question = section.question(question_id)
    assert question is not None  # the loader checked every name a statement uses
    return question


def _holds(section: Section, condition: Condition, answers: Mapping[str, Any]) -> bool:
    """`when: {is: …}`: the answer is exactly the value (typed extras make it differ)."""
    for name in condition.equals:
        if _question(section, name).type == "multi" and answers.get(name + OTHER_SUFFIX):
            return False
    return condition.holds(answers)


def _items(question: Question, answers: Mapping[str, Any], inline: bool = False
           ) -> list[str]:
    """A multi answer's items: the chosen options in grid order, then extras as typed."""
    items = []
    for option_id in answers.get(question.id) or []:
        option = question.option(option_id)
        if option is not None:
            items.append(option.inline if inline else option.label)
    items.extend(_one_line(extra) for extra in answers.get(question.id + OTHER_SUFFIX) or [])
    return items


def _inline(question: Question, answers: Mapping[str, Any]) -> Segment:
    """An answer written inside a sentence, as a strong segment."""
    value = answers[question.id]
    if question.type == "multi":
        text = join_fr(_items(question, answers, inline=True))
    elif question.type == "single":
        option = question.option(str(value))
        text = option.inline if option else str(value)
    elif question.type == "count":  # "1 200 personnes": the chat's words too
        text = describe(question, int(value)) or ""
    else:
        text = _one_line(str(value))
    return Segment(text, strong=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fill(text: str, values: Mapping[str, Segment]) -> list[Segment]:
    """The statement's text with each {placeholder} replaced by its segment."""
    parts = _PLACEHOLDER.split(text)
    segments = []
    for index, part in enumerate(parts):
        segments.append(values[part] if index % 2 else Segment(part))
    return segments


def _paragraph(segments: list[Segment]) -> Paragraph:
    """Merge neighbouring plain runs, drop empty ones, capitalise the first letter."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and not segment.strong and not merged[-1].strong:
            merged[-1] = Segment(merged[-1].text + segment.text)
        else:
            merged.append(segment)
    if merged:
        merged[0] = Segment(capitalize_first(merged[0].text), merged[0].strong)
    return Paragraph(tuple(merged))
