"""The synthesis of a campaign as one JSON-ready dict, the source of every other format.

Counts are over the sent fiches of the campaign, less what coordinators excluded; each
fiche is first mapped onto the current grid (`versions.to_current_grid`), then reduced
to its effective answers (a skipped or no longer asked question does not count).
The format is documented in README.md ("La synthèse d’une campagne").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from questionnaire.answers import effective_answers
from questionnaire.grid import Grid

from . import texts
from .evolution import evolution
from .figures import all_question_figures, intensities, participation
from .keywords import Counted, comments, keywords
from .versions import to_current_grid

WHOLE_PLACE = ""  # the key of an exclusion that leaves a whole place out


class SentFiche(Protocol):
    """What the synthesis needs of a sent fiche (`storage.synthesis.SentFiche`)."""

    @property
    def place_id(self) -> int: ...

    @property
    def place(self) -> str: ...

    @property
    def grid_version(self) -> str: ...

    @property
    def answers(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class YearInput:
    """A campaign year's sent fiches, and what was excluded from its synthesis:
    (place_id, key) pairs, key WHOLE_PLACE for a whole place, else a comment's key."""

    year: int
    fiches: Sequence[SentFiche]
    excluded: Collection[tuple[int, str]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Prepared:
    counted: list[Counted]
    excluded_places: list[str]  # names of the sent fiches' places left out
    unmapped: dict[str, Any]


def prepare(grid: Grid, year: YearInput) -> Prepared:
    """The fiches that count, mapped onto `grid` and reduced to their effective answers,
    with the report of what could not be mapped."""
    excluded = {place for place, key in year.excluded if key == WHOLE_PLACE}
    counted: list[Counted] = []
    lost_keys: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    fiches_with_loss = 0
    for fiche in year.fiches:
        if fiche.place_id in excluded:
            continue
        mapped = to_current_grid(grid, fiche.grid_version, fiche.answers)
        if fiche.grid_version != grid.version:
            versions[fiche.grid_version] += 1
        if mapped.unmapped:
            fiches_with_loss += 1
            lost_keys.update(mapped.unmapped)
        counted.append(Counted(fiche.place_id, fiche.place,
                               effective_answers(grid, mapped.answers)))
    skipped = [fiche.place for fiche in year.fiches if fiche.place_id in excluded]
    unmapped = {"fiches_autres_versions": dict(sorted(versions.items())),
                "fiches": fiches_with_loss, "cles": dict(sorted(lost_keys.items()))}
    return Prepared(counted, skipped, unmapped)


def _warnings(year: int, prepared: Prepared, sent: int) -> list[str]:
    warnings: list[str] = []
    if sent == 0:
        warnings.append(texts.no_fiche(year))
    elif not prepared.counted:
        warnings.append(texts.all_excluded(year, sent))
    elif len(prepared.counted) == 1:
        warnings.append(texts.one_fiche(year, prepared.counted[0].place))
    if prepared.unmapped["fiches"]:
        warnings.append(texts.unmapped(prepared.unmapped["fiches"]))
    return warnings


def synthesize(grid: Grid, current: YearInput, counts: Mapping[str, int],
               previous: YearInput | None = None) -> dict[str, Any]:
    """The whole synthesis. `counts`: places per state in the campaign
    (`storage.campaigns.CampaignStatus.counts`); `previous`: the previous campaign."""
    prepared = prepare(grid, current)
    answers = [fiche.answers for fiche in prepared.counted]
    comment_exclusions = {(place, key) for place, key in current.excluded if key != WHOLE_PLACE}
    result: dict[str, Any] = {
        "campagne": current.year,
        "version_grille": grid.version,
        "avertissements": _warnings(current.year, prepared, len(current.fiches)),
        "participation": participation(counts, len(prepared.counted),
                                       len(prepared.excluded_places)),
        "exclusions": {"lieux": prepared.excluded_places,
                       "commentaires": len(comment_exclusions)},
        "questions": all_question_figures(grid, answers),
        "intensites": intensities(grid, answers),
        "mots_cles": keywords(grid, prepared.counted),
        "commentaires": comments(grid, prepared.counted, comment_exclusions),
        "evolution": None,
        "non_comptes": prepared.unmapped,
    }
    if previous is not None:
        before = prepare(grid, previous)
        result["evolution"] = evolution(grid, previous.year, prepared.counted, before.counted)
        result["evolution"]["non_comptes"] = before.unmapped
    return result
