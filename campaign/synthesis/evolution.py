"""The change since the previous campaign, computed on the places that sent their fiche
both years (and were left out of neither synthesis), so that a change in who answered
is not mistaken for a change in what happened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from questionnaire.grid import Grid

from .figures import all_question_figures, intensities
from .keywords import Counted


def _points(after: float | None, before: float | None) -> float | None:
    """A change of share in percentage points, to one decimal."""
    if after is None or before is None:
        return None
    return round((after - before) * 100, 1)


def _difference(after: float | None, before: float | None) -> float | None:
    if after is None or before is None:
        return None
    change = after - before
    return int(change) if float(change).is_integer() else round(change, 2)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What moved between two figure blocks of the same question or family."""
    changes: dict[str, Any] = {"repondants": after["repondants"] - before["repondants"]}
    if "parts" in after:
        changes["parts_points"] = {option: _points(after["parts"][option],
                                                   before["parts"].get(option))
                                   for option in after["parts"]}
    if "part_autre" in after:
        changes["autre_points"] = _points(after["part_autre"], before.get("part_autre"))
    for name in ("total", "mediane", "q1", "q3", "moyenne"):
        if name in after:
            changes[name] = _difference(after[name], before.get(name))
    return changes


def evolution(grid: Grid, previous_year: int, current: Sequence[Counted],
              previous: Sequence[Counted]) -> dict[str, Any]:
    """The figures of both years over the places common to `current` and `previous`
    (both already mapped onto `grid` and cleared of exclusions), and their changes."""
    before_by_place = {fiche.place_id: fiche for fiche in previous}
    common = [fiche for fiche in current if fiche.place_id in before_by_place]
    after = [fiche.answers for fiche in common]
    before = [before_by_place[fiche.place_id].answers for fiche in common]
    result: dict[str, Any] = {
        "annee_precedente": previous_year,
        "fiches_annee_precedente": len(previous),
        "lieux_communs": len(common),
        "questions": {},
        "intensites": {},
    }
    if not common:
        return result
    figures_before = all_question_figures(grid, before)
    figures_after = all_question_figures(grid, after)
    for key, figures in figures_after.items():
        result["questions"][key] = {"avant": figures_before[key], "apres": figures,
                                    "ecarts": _changes(figures_before[key], figures)}
    levels_before = intensities(grid, before)
    for family, figures in intensities(grid, after).items():
        result["intensites"][family] = {"avant": levels_before[family], "apres": figures,
                                        "ecarts": _changes(levels_before[family], figures)}
    return result
