"""The figures of a synthesis: participation, each question, the family intensities.

Every function takes the effective answers of the counted fiches (already mapped onto
the current grid) and returns plain JSON-ready dicts; the JSON format is in README.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

from questionnaire.grid import Grid, Question

from .stats import mean, number, quantile, share

Answers = Mapping[str, Any]

# a place's state in a campaign (storage.campaigns, the one definition) → JSON key
PARTICIPATION_KEYS: dict[str, str] = {
    "submitted": "envoyees",
    "in_progress": "en_cours",
    "not_started": "non_commencees",
    "unreachable": "injoignables",
    "no_manager": "sans_gestionnaire",
}
FIGURE_TYPES = ("multi", "single", "count", "amount")


def participation(counts: Mapping[str, int], counted: int, excluded: int) -> dict[str, Any]:
    """Places invited (every active place) and how many are in each state; the response
    rate is sent / invited. `counted`: fiches in the figures; `excluded`: sent fiches
    left out by a coordinator."""
    invited = sum(counts.values())
    result: dict[str, Any] = {"lieux_invites": invited}
    for state, name in PARTICIPATION_KEYS.items():
        result[name] = counts.get(state, 0)
    result["taux_reponse"] = share(result["envoyees"], invited)
    result["fiches_comptees"] = counted
    result["fiches_exclues"] = excluded
    return result


def figured_questions(grid: Grid) -> list[Question]:
    """The questions that get figures (not comments), in grid order."""
    return [q for q in grid.questions() if q.type in FIGURE_TYPES]


def amount_key(text: str) -> str:
    """How a typed amount is compared with the suggested buttons."""
    return " ".join(text.casefold().split())


def question_figures(question: Question, fiches: Sequence[Answers]) -> dict[str, Any]:
    """The figures of one question over the fiches (see README.md, "questions")."""
    key = question.key
    values = [answers[key] for answers in fiches if key in answers]
    result: dict[str, Any] = {"type": question.type, "repondants": len(values)}
    if question.type == "count":
        return result | _count_figures(sorted(values))
    counts: Counter[str] = Counter()
    autre = 0
    if question.type == "multi":
        counts.update(chain.from_iterable(values))  # one call: Counter.update has a cost
        if question.other:
            autre = sum(1 for answers in fiches if answers.get(question.other_key))
        ids = [option.id for option in question.options]
    elif question.type == "single":
        counts.update(values)
        ids = [option.id for option in question.options]
    else:  # amount: the suggested buttons, typed amounts counted as "autre"
        ids = list(question.suggestions)
        by_key = {amount_key(text): text for text in ids}
        for text in values:
            suggestion = by_key.get(amount_key(text))
            if suggestion is None:
                autre += 1
            else:
                counts[suggestion] += 1
    result["options"] = {option_id: counts.get(option_id, 0) for option_id in ids}
    result["parts"] = {option_id: share(n, len(values))
                       for option_id, n in result["options"].items()}
    if question.type == "amount" or question.other:
        result["autre"] = autre
        result["part_autre"] = share(autre, len(values))
    return result


def _count_figures(values: Sequence[int]) -> dict[str, Any]:
    if not values:
        return {"total": 0, "mediane": None, "q1": None, "q3": None, "min": None,
                "max": None}
    return {"total": sum(values), "mediane": number(quantile(values, 0.5)),
            "q1": number(quantile(values, 0.25)), "q3": number(quantile(values, 0.75)),
            "min": values[0], "max": values[-1]}


def all_question_figures(grid: Grid, fiches: Sequence[Answers]) -> dict[str, Any]:
    """`question_figures` of every figured question, keyed by answer key, grid order."""
    return {q.key: question_figures(q, fiches) for q in figured_questions(grid)}


def intensities(grid: Grid, fiches: Sequence[Answers]) -> dict[str, Any]:
    """Per family: how many fiches chose each level of + to +++++, and the mean level."""
    result: dict[str, Any] = {}
    for family in grid.families:
        if family.summary is None:
            continue
        question = grid.question(family.summary.intensity)
        assert question is not None  # checked when the grid is loaded
        chosen = [answers[question.key] for answers in fiches if question.key in answers]
        counts = Counter(chosen)
        levels = {option.id: counts.get(option.id, 0) for option in question.options}
        result[family.id] = {
            "cle": question.key,
            "repondants": len(chosen),
            "niveaux": levels,
            "parts": {level: share(n, len(chosen)) for level, n in levels.items()},
            "moyenne": mean([int(level) for level in chosen if str(level).isdigit()]),
        }
    return result
