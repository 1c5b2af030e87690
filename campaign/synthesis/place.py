"""« Votre lieu face au réseau »: where one place stands on the figures of the synthesis.

A figure is compared only where at least K_MIN places answered the question (the place
included), so that no other place's answer can be recognised from it; the others are
listed as hidden. Built from the synthesis JSON and the place's own effective answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from questionnaire.grid import Grid

from .figures import amount_key

K_MIN = 5


def _count_position(value: int, figures: Mapping[str, Any]) -> str:
    """Where a number stands among the network's: below the first quartile, in the
    lower or upper middle half, above the third quartile."""
    if value < figures["q1"]:
        return "sous_q1"
    if value > figures["q3"]:
        return "au_dessus_q3"
    return "sous_mediane" if value < figures["mediane"] else (
        "mediane" if value == figures["mediane"] else "au_dessus_mediane")


def _compare(grid: Grid, key: str, figures: Mapping[str, Any], value: Any,
             answers: Mapping[str, Any]) -> dict[str, Any]:
    kind = figures["type"]
    result: dict[str, Any] = {"type": kind, "repondants": figures["repondants"]}
    if kind == "multi":
        result["choix"] = {option: figures["parts"][option] for option in value
                           if option in figures["parts"]}
        question = grid.question(key)
        if question is not None and answers.get(question.other_key):
            result["autre"] = figures.get("part_autre")
    elif kind == "single":
        result["choix"] = value
        result["part"] = figures["parts"].get(value)
    elif kind == "amount":
        chosen = next((s for s in figures["options"] if amount_key(s) == amount_key(value)),
                      None)
        result["choix"] = chosen if chosen is not None else value
        result["part"] = (figures["parts"][chosen] if chosen is not None
                          else figures.get("part_autre"))
        result["autre"] = chosen is None
    else:  # count
        result |= {"valeur": value, "mediane": figures["mediane"], "q1": figures["q1"],
                   "q3": figures["q3"], "position": _count_position(value, figures)}
    return result


def _intensity(level: str, figures: Mapping[str, Any]) -> dict[str, Any]:
    chosen = int(level)
    below = sum(n for lvl, n in figures["niveaux"].items() if int(lvl) < chosen)
    above = sum(n for lvl, n in figures["niveaux"].items() if int(lvl) > chosen)
    total = figures["repondants"]
    return {"niveau": level, "repondants": total,
            "moins": round(below / total, 4), "egal": figures["parts"][level],
            "plus": round(above / total, 4)}


def place_block(synthesis: Mapping[str, Any], grid: Grid, place: str,
                answers: Mapping[str, Any], k_min: int = K_MIN) -> dict[str, Any]:
    """The block of one place: its answers set against the network's figures, only
    where at least `k_min` places answered. `answers`: the place's effective answers
    mapped onto `grid`."""
    result: dict[str, Any] = {
        "campagne": synthesis["campagne"],
        "lieu": place,
        "seuil": k_min,
        "fiches_reseau": synthesis["participation"]["fiches_comptees"],
        "intensites": {},
        "questions": {},
        "masquees": [],
    }
    for family, figures in synthesis["intensites"].items():
        level = answers.get(figures["cle"])
        if level is None:
            continue
        if figures["repondants"] < k_min:
            result["masquees"].append(figures["cle"])
        else:
            result["intensites"][family] = _intensity(str(level), figures)
    summary_keys = {f["cle"] for f in synthesis["intensites"].values()}
    for key, figures in synthesis["questions"].items():
        if key not in answers or key in summary_keys:
            continue
        if figures["repondants"] < k_min:
            result["masquees"].append(key)
            continue
        result["questions"][key] = _compare(grid, key, figures, answers[key], answers)
    return result
