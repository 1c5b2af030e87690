"""Deterministic campaigns for the synthesis tests: places with managers, sent and
unsent responses with generated answers that fit the grid (seeded RNG)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import Any

from questionnaire.answer_file import validate_answers
from questionnaire.grid import Grid, default_grid
from storage import (
    add_manager,
    add_place,
    get_or_create_response,
    interview_step,
    mark_submitted,
    upsert_person,
)
from storage.campaigns import close_campaign, create_campaign, launch_campaign

GRID = default_grid()
KEYWORDS = ["Prise de confiance", "projet professionnel", "convivialité", "Entraide",
            "réseau", "mixité", "quartier", "ESS", "#solidarité", "culture"]
COMMENTS = ["Un atelier de cuisine réunit chaque mardi les voisin·e·s et les résident·e·s.",
            "Les bénévoles ont monté une ressourcerie ; elle tourne seule depuis l’été.",
            "Trois personnes accompagnées ont trouvé un emploi dans le quartier.",
            "Le marché du samedi a fait venir des publics qui ne venaient jamais.",
            "Court.", "x" * 900]


def generate_answers(grid: Grid, rng: random.Random) -> dict[str, Any]:
    """Answers a manager could have given: some skipped, extras sometimes typed."""
    answers: dict[str, Any] = {}
    for question in grid.questions():
        if not grid.is_asked(question, answers) or rng.random() < 0.15:
            continue
        key = question.key
        if question.type == "multi":
            plain = [o for o in question.options if not o.exclusive]
            exclusive = [o for o in question.options if o.exclusive]
            if exclusive and rng.random() < 0.15:
                chosen = [exclusive[0].id]
            else:
                chosen = [o.id for o in rng.sample(plain, rng.randint(1, min(3, len(plain))))]
            answers[key] = chosen
            if question.other and rng.random() < 0.2:
                answers[question.other_key] = ["des habitant·e·s du foyer voisin"]
        elif question.type == "single":
            answers[key] = rng.choice(question.options).id
        elif question.type == "count":
            answers[key] = rng.choice([0, 1, 3, 7, 12, 12, 40, 150, 1200])
        elif question.type == "amount":
            answers[key] = (rng.choice(question.suggestions) if rng.random() < 0.75
                            else rng.choice(["Une vingtaine  PAR AN", "3 en tout"]))
        elif question.id.startswith("mots_cles"):
            answers[key] = ", ".join(rng.sample(KEYWORDS, rng.randint(1, 3)))
        elif rng.random() < 0.5:
            answers[key] = rng.choice(COMMENTS)
    return validate_answers(grid, answers)


def add_campaign(db, year: int, places: list[int], sent: list[int], *,  # type: ignore[no-untyped-def]
                 seed: int, started: list[int] = (), version: str | None = None,
                 grid: Grid = GRID, answers: dict[int, dict[str, Any]] | None = None,
                 close: bool = True) -> None:
    """A launched campaign of `year`: the places of `sent` have sent generated answers
    (or `answers[place_id]`), those of `started` have begun."""
    now = datetime(year, 3, 2, 10, 0, tzinfo=UTC)
    campaign = create_campaign(db, year, date(year, 4, 10), grid.version, None, now=now)
    launch_campaign(db, campaign.id, now=now)
    rng = random.Random(seed)
    for place_id in [*sent, *started]:
        stored = get_or_create_response(db, place_id, year, version or grid.version)
        given = (answers or {}).get(place_id) or generate_answers(grid, rng)
        with interview_step(db, stored.id, 0) as step:
            step.save(given)
        if place_id in sent:
            mark_submitted(db, stored.id, 0)
    if close:
        close_campaign(db, campaign.id, now=now)


def add_places(db, count: int, first_manager: int = 1000) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` places named "Lieu 01"…, each with one manager."""
    ids = []
    for number in range(1, count + 1):
        place = add_place(db, f"Lieu {number:02d}")
        upsert_person(db, first_manager + number, f"Gestionnaire {number}")
        add_manager(db, place.id, first_manager + number)
        ids.append(place.id)
    return ids
