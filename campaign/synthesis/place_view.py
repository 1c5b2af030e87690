"""« Votre lieu face au réseau » as a manager reads it: the block of `place.place_block`
written in French, question by question in the grid's order. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fiche.french import capitalize_first
from questionnaire.grid import Grid, Question
from questionnaire.typography import format_decimal, format_number

from . import texts
from .bars import percent


@dataclass(frozen=True)
class Item:
    question: str
    answer: str


@dataclass(frozen=True)
class PlaceSection:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class PlaceView:
    title: str
    intro: str
    sections: tuple[PlaceSection, ...]  # the intensities first, then the grid's sections
    hidden: str | None


def _label(question: Question, option: str) -> str:
    found = question.option(option)
    return found.label if found is not None else option


def _answer(question: Question, compared: Mapping[str, Any]) -> str:
    kind = compared["type"]
    if kind == "multi":
        parts = [f"{_label(question, o)} ({texts.share_of_places(percent(s))})"
                 for o, s in compared["choix"].items()]
        if "autre" in compared:
            parts.append(f"{texts.TYPED_ANSWER} "
                         f"({texts.share_of_places(percent(compared['autre'] or 0))})")
        return capitalize_first(", ".join(parts)) + "."
    if kind == "count":
        value = format_number(compared["valeur"])
        if question.unit:  # "1 personne", "12 personnes", with a no-break space
            value += texts.NBSP + question.unit[0 if compared["valeur"] < 2 else 1]
        return capitalize_first(texts.count_line(
            value, format_decimal(compared["mediane"]), format_decimal(compared["q1"]),
            format_decimal(compared["q3"]), compared["position"]))
    if kind == "amount" and compared.get("autre"):
        chosen = texts.typed(compared["choix"])
    elif kind == "amount":
        chosen = compared["choix"]
    else:
        chosen = _label(question, compared["choix"])
    return capitalize_first(f"{chosen} ({texts.share_of_places(percent(compared['part'] or 0))}).")


def build_place_view(grid: Grid, block: Mapping[str, Any]) -> PlaceView:
    """The manager's block, from the JSON of `place.place_block`."""
    sections: list[PlaceSection] = []
    levels = []
    for family in grid.families:
        compared = block["intensites"].get(family.id)
        if compared is None or family.summary is None:
            continue
        question = grid.question(family.summary.intensity)
        assert question is not None
        levels.append(Item(family.title, capitalize_first(texts.same_level(
            _label(question, compared["niveau"]), percent(compared["egal"]),
            percent(compared["moins"]), percent(compared["plus"])))))
    if levels:
        sections.append(PlaceSection(texts.INTENSITIES, tuple(levels)))
    for section in grid.sections:
        items = tuple(Item(q.prompt, _answer(q, block["questions"][q.key]))
                      for q in section.questions if q.key in block["questions"])
        if items:
            sections.append(PlaceSection(section.heading, items))
    hidden = len(block["masquees"])
    return PlaceView(
        title=texts.PLACE_TITLE.format(year=block["campagne"]),
        intro=texts.place_intro(block["lieu"], block["fiches_reseau"], block["seuil"]),
        sections=tuple(sections),
        hidden=texts.place_hidden(hidden, block["seuil"]) if hidden else None,
    )
