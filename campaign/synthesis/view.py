"""The synthesis as a reader sees it: the JSON turned into French lines, labelled bars
and tables, in the grid's order, for the templates and the charts. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fiche.french import capitalize_first
from questionnaire.grid import Grid, Question
from questionnaire.typography import count_of, format_decimal, format_number, format_percent

from . import texts
from .bars import Bar, percent

NBSP = "\u00a0"
MINUS = "\u2212"


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class QuestionView:
    key: str
    title: str
    respondents: str
    note: str | None
    bars: tuple[Bar, ...] = ()  # choice questions, most frequent first
    stats: tuple[Line, ...] = ()  # count questions


@dataclass(frozen=True)
class CommentView:
    place: str
    text: str


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    questions: tuple[QuestionView, ...]
    comments: tuple[CommentView, ...]
    commented: str | None


@dataclass(frozen=True)
class FamilyView:
    id: str
    title: str
    sections: tuple[SectionView, ...]
    keywords: tuple[Line, ...]
    keywords_note: str | None


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str
    change: str


@dataclass(frozen=True)
class ChangeTable:
    title: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class EvolutionView:
    title: str
    intro: str
    participation: str  # fiches sent each year
    years: tuple[str, str]
    common: int  # places that sent both years
    panels: tuple[tuple[str, tuple[Bar, ...], tuple[Bar, ...]], ...]  # family, before, after
    tables: tuple[ChangeTable, ...]


@dataclass(frozen=True)
class SynthesisView:
    year: int
    title: str
    subtitle: str
    warnings: tuple[str, ...]
    participation: tuple[Line, ...]
    excluded: str | None
    intensities: tuple[tuple[str, tuple[Bar, ...]], ...]  # (family heading, a bar per level)
    families: tuple[FamilyView, ...]
    evolution: EvolutionView | None
    no_previous: str | None
    unmapped: tuple[str, ...]
    empty: bool  # no fiche counted: nothing but participation and warnings


def _participation(figures: Mapping[str, Any]) -> tuple[Line, ...]:
    invited = figures["lieux_invites"]

    def with_share(n: int) -> str:
        return (f"{format_number(n)} ({format_percent(n / invited)})" if invited
                else format_number(n))

    lines = [Line("Lieux invités", format_number(invited)),
             Line("Fiches envoyées", with_share(figures["envoyees"])),
             Line("En cours", with_share(figures["en_cours"])),
             Line("Pas commencées", with_share(figures["non_commencees"])),
             Line("Injoignables (tous leurs gestionnaires ont bloqué le bot)",
                  with_share(figures["injoignables"]))]
    if figures["sans_gestionnaire"]:
        lines.append(Line("Sans gestionnaire", with_share(figures["sans_gestionnaire"])))
    if figures["taux_reponse"] is not None:
        lines.append(Line("Taux de réponse", format_percent(figures["taux_reponse"])))
    return tuple(lines)


def _choice_bars(question: Question, figures: Mapping[str, Any]) -> tuple[Bar, ...]:
    if question.type == "amount":
        labels = {text: text for text in question.suggestions}
    else:
        labels = {option.id: option.label for option in question.options}
    bars = [Bar(capitalize_first(labels.get(option, option)), count,
                figures["parts"][option] or 0.0)
            for option, count in figures["options"].items()]
    if question.type != "amount":  # an amount's buttons are a scale: kept in its order
        bars.sort(key=lambda bar: -bar.count)  # stable: equal counts keep the grid's order
    if figures.get("autre"):
        bars.append(Bar(texts.OTHER_LABEL, figures["autre"], figures["part_autre"] or 0.0,
                        other=True))
    return tuple(bars)


def _count_stats(question: Question, figures: Mapping[str, Any]) -> tuple[Line, ...]:
    if not figures["repondants"]:
        return ()
    def number(x: float) -> str:
        return format_decimal(x, 1)

    total = (count_of(figures["total"], *question.unit) if question.unit
             else format_number(figures["total"]))  # « 0 personne », « 1 200 personnes »
    return (Line("Total", total),
            Line("Médiane", number(figures["mediane"])),
            Line("La moitié des lieux", f"entre {number(figures['q1'])} et "
                                        f"{number(figures['q3'])}"),
            Line("Du plus petit au plus grand", f"de {format_number(figures['min'])} à "
                                                f"{format_number(figures['max'])}"))


def question_view(question: Question, figures: Mapping[str, Any]) -> QuestionView:
    n = figures["repondants"]
    if question.type == "count":
        return QuestionView(question.key, question.prompt, texts.answered(n), None,
                            stats=_count_stats(question, figures))
    note = texts.MULTI_NOTE if question.type == "multi" else texts.SINGLE_NOTE
    return QuestionView(question.key, question.prompt, texts.answered(n), note if n else None,
                        bars=_choice_bars(question, figures) if n else ())


def _level_bars(question: Question, figures: Mapping[str, Any]) -> tuple[Bar, ...]:
    return tuple(Bar(option.label, figures["niveaux"].get(option.id, 0),
                     figures["parts"].get(option.id) or 0.0) for option in question.options)


def _signed(change: float | None, unit: str = "", digits: int = 1) -> str:
    """A change with its sign: "+5", "−3 pts" (the minus sign, U+2212), "0"."""
    if change is None:
        return "–"
    shown = format_decimal(abs(change), digits)
    if shown == "0":
        return "0"
    text = ("+" if change > 0 else MINUS) + shown
    if unit == "pts":
        unit = "pt" if float(shown.replace(",", ".").replace("\u202f", "")) < 2 else "pts"
    return f"{text}{NBSP}{unit}" if unit else text


def _change_table(question: Question, change: Mapping[str, Any]) -> ChangeTable:
    before, after, gaps = change["avant"], change["apres"], change["ecarts"]
    rows: list[ChangeRow] = [ChangeRow("Lieux ayant répondu", format_number(before["repondants"]),
                                       format_number(after["repondants"]),
                                       _signed(gaps["repondants"]))]
    if question.type == "count":
        for name, label in (("total", "Total"), ("mediane", "Médiane")):
            if after[name] is not None and before[name] is not None:
                rows.append(ChangeRow(label, format_decimal(before[name], 1),
                                      format_decimal(after[name], 1), _signed(gaps[name])))
        return ChangeTable(question.prompt, tuple(rows))
    labels = ({text: text for text in question.suggestions} if question.type == "amount"
              else {option.id: option.label for option in question.options})
    ordered = sorted(after["options"], key=lambda o: -after["options"][o])
    for option in ordered:
        rows.append(ChangeRow(capitalize_first(labels.get(option, option)),
                              _share(before["parts"].get(option)),
                              _share(after["parts"].get(option)),
                              _signed(gaps["parts_points"].get(option), "pts", 0)))
    if "autre" in after and (after["autre"] or before.get("autre")):
        rows.append(ChangeRow(texts.OTHER_LABEL, _share(before.get("part_autre")),
                              _share(after.get("part_autre")),
                              _signed(gaps["autre_points"], "pts", 0)))
    return ChangeTable(question.prompt, tuple(rows))


def _share(value: float | None) -> str:
    return "–" if value is None else percent(value)


def _evolution(grid: Grid, synthesis: Mapping[str, Any]) -> EvolutionView | None:
    evolution = synthesis["evolution"]
    if evolution is None:
        return None
    year, before = synthesis["campagne"], evolution["annee_precedente"]
    panels = []
    for family in grid.families:
        change = evolution["intensites"].get(family.id)
        if change is None or family.summary is None:
            continue
        question = grid.question(family.summary.intensity)
        assert question is not None
        panels.append((family.title, _level_bars(question, change["avant"]),
                       _level_bars(question, change["apres"])))
    tables = []
    for key, change in evolution["questions"].items():
        question = grid.question(key)
        if question is None or grid.section(question.section_id).summary:  # type: ignore[union-attr]
            continue
        tables.append(_change_table(question, change))
    return EvolutionView(texts.EVOLUTION.format(year=before),
                         texts.evolution_intro(before, year, evolution["lieux_communs"]),
                         texts.participation_change(
                             before, year, evolution["fiches_annee_precedente"],
                             synthesis["participation"]["fiches_comptees"]),
                         (str(before), str(year)), evolution["lieux_communs"], tuple(panels),
                         tuple(tables))


def build_view(grid: Grid, synthesis: Mapping[str, Any]) -> SynthesisView:
    """The reader's synthesis, from the JSON of `build.synthesize` and its grid."""
    year = synthesis["campagne"]
    counted = synthesis["participation"]["fiches_comptees"]
    intensities = []
    families = []
    for family in grid.families:
        keywords: tuple[Line, ...] = ()
        keywords_note = None
        if family.summary is not None:
            question = grid.question(family.summary.intensity)
            figures = synthesis["intensites"][family.id]
            assert question is not None
            intensities.append((texts.family_respondents(family.title, figures["repondants"]),
                                _level_bars(question, figures)))
            words = synthesis["mots_cles"][family.id]
            keywords = tuple(Line(capitalize_first(w["mot"]), texts.places(w["lieux"]))
                             for w in words["mots"])
            keywords_note = texts.keywords_given(words["repondants"]) if keywords else None
        sections = []
        for section_id in family.section_ids:
            section = grid.section(section_id)
            assert section is not None
            questions = tuple(question_view(q, synthesis["questions"][q.key])
                              for q in section.questions if q.key in synthesis["questions"])
            said = synthesis["commentaires"].get(section_id, {"lieux": 0, "choisis": []})
            sections.append(SectionView(
                section.id, section.heading, questions,
                tuple(CommentView(c["lieu"], c["texte"]) for c in said["choisis"]),
                texts.commented(said["lieux"]) if said["lieux"] else None))
        families.append(FamilyView(family.id, family.heading, tuple(sections), keywords,
                                   keywords_note))
    unmapped = tuple(texts.unmapped_line(key, n)
                     for key, n in synthesis["non_comptes"]["cles"].items())
    return SynthesisView(
        year=year,
        title=texts.TITLE.format(year=year),
        subtitle=texts.SUBTITLE,
        warnings=tuple(synthesis["avertissements"]),
        participation=_participation(synthesis["participation"]),
        excluded=texts.excluded(synthesis["exclusions"]["lieux"],
                                synthesis["exclusions"]["commentaires"]),
        intensities=tuple(intensities),
        families=tuple(families),
        evolution=_evolution(grid, synthesis),
        no_previous=texts.NO_PREVIOUS if synthesis["evolution"] is None else None,
        unmapped=unmapped,
        empty=counted == 0,
    )
