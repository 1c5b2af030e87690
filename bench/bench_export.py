"""Timing the exports of a campaign of 3 500 submitted responses (the tiers-lieux of France).

    uv run python bench/bench_export.py [--places N] [--runs R] [--seed S]

Builds a temporary SQLite database with N places (3 500 by default), each with a
submitted response of realistic generated answers (seeded RNG: the comments are cut
from the real answers in examples/, multi questions get a few options and sometimes a
typed extra, conditional questions follow their condition, about 8 % of the questions
are skipped), then times, as the median of R runs (3 by default):

- loading the campaign's responses from the database (`campaign_responses`);
- building the rows (`export_table`), then CSV, XLSX and JSON from them.

Target (issue 4): the three formats together ≤ 5 s, loading included.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign.export import export_table, to_csv, to_json, to_xlsx  # noqa: E402
from questionnaire.answer_file import validate_answers  # noqa: E402
from questionnaire.grid import Grid, default_grid  # noqa: E402
from storage import immediate_transaction, open_db  # noqa: E402
from storage.campaign_status import campaign_responses  # noqa: E402
from storage.campaigns import create_campaign, find_campaign  # noqa: E402
from storage.places import name_key  # noqa: E402

TARGET_SECONDS = 5.0
YEAR = 2026

EXTRAS = [
    "les enfants du centre de loisirs", "les habitant·e·s de la résidence voisine",
    "des étudiant·e·s en architecture", "les associations sportives", "la mairie de quartier",
    "des artistes en résidence", "les commerçant·e·s du marché", "+ de 60 ans",
    "=les parents d'élèves", "des personnes exilées", "@les ami·e·s du jardin",
]
KEYWORDS = ["prise de confiance", "projet professionnel", "convivialité", "entraide",
            "réseau", "apprentissage", "mixité", "ouverture", "solidarité", "quartier",
            "culture", "expérimentation", "participation", "coopération"]
PLACE_WORDS = (["La", "Le", "Les", "L'"],
               ["Tréso", "WIP", "Station", "Fabrique", "Halle", "Ruche", "Usine", "Ferme",
                "Friche", "Cour", "Grange", "Passerelle", "Verrière", "Base", "Cantine"],
               ["du Port", "des Possibles", "Commune", "Solidaire", "du Canal", "Nord",
                "des Arts", "en Commun", "Ouverte", "du Lavoir", "", ""])


def corpus() -> list[str]:
    """Sentences of the real comments of examples/*.json, to cut realistic comments from."""
    sentences: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        for key, value in answers.items():
            if key.endswith("commentaire") and isinstance(value, str):
                sentences.extend(s.strip() for s in value.replace("\n", " ").split(". ")
                                 if len(s.strip()) > 20)
    return sentences


def generate_answers(grid: Grid, rng: random.Random, sentences: list[str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in grid.questions():
        if not grid.is_asked(question, answers) or rng.random() < 0.08:
            continue
        key = question.key
        if question.type == "multi":
            options = list(question.options)
            exclusive = [o for o in options if o.exclusive]
            if exclusive and rng.random() < 0.1:
                chosen = {exclusive[0].id}
            else:
                plain = [o for o in options if not o.exclusive]
                chosen = {o.id for o in rng.sample(plain, rng.randint(1, min(4, len(plain))))}
            answers[key] = [o.id for o in options if o.id in chosen]
            if question.other and rng.random() < 0.15:
                answers[question.other_key] = rng.sample(EXTRAS, rng.randint(1, 2))
        elif question.type == "single":
            answers[key] = rng.choice(question.options).id
        elif question.type == "count":
            answers[key] = int(rng.lognormvariate(2.5, 1.2)) if rng.random() < 0.95 else 0
        elif question.type == "amount":
            answers[key] = (rng.choice(question.suggestions) if rng.random() < 0.8
                            else f"environ {rng.randint(2, 60)} par an")
        elif question.id.startswith("mots_cles"):
            answers[key] = ", ".join(rng.sample(KEYWORDS, rng.randint(2, 4)))
        elif rng.random() < 0.6:
            text = ". ".join(rng.sample(sentences, rng.randint(1, 4)))
            answers[key] = text[:question.text_limit].strip()
    return validate_answers(grid, answers)  # checked, and in the stored shape


def build_database(path: Path, places: int, seed: int) -> None:
    grid = default_grid()
    rng = random.Random(seed)
    sentences = corpus()
    db = open_db(path)
    create_campaign(db, YEAR, date(2099, 4, 10), grid.version, None)
    start = datetime(YEAR, 3, 10, 9, 0, tzinfo=UTC)
    with immediate_transaction(db):
        for number in range(places):
            article, noun, tail = (rng.choice(words) for words in PLACE_WORDS)
            separator = "" if article.endswith("'") else " "
            name = " ".join(f"{article}{separator}{noun} {tail} {number + 1}".split())
            now = start + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
            stamp = now.isoformat(timespec="seconds")
            place_id = db.execute(
                "INSERT INTO places (name, name_key, active, created_at) VALUES (?, ?, 1, ?)",
                [name, name_key(name), stamp]).lastrowid
            response_id = db.execute(
                "INSERT INTO responses (place_id, year, grid_version, status, started_at,"
                " updated_at, submitted_at, submitted_by) VALUES (?, ?, ?, 'submitted',"
                " ?, ?, ?, 0)", [place_id, YEAR, grid.version, stamp, stamp, stamp]).lastrowid
            answers = generate_answers(grid, rng, sentences)
            db.conn.executemany(
                "INSERT INTO answers (response_id, key, value, updated_at, updated_by)"
                " VALUES (?, ?, ?, ?, 0)",
                [(response_id, key, json.dumps(value, ensure_ascii=False,
                                               separators=(",", ":")), stamp)
                 for key, value in answers.items()])
    db.conn.close()


def median_seconds(func: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        begin = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=3500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        begin = time.perf_counter()
        build_database(path, args.places, args.seed)
        print(f"{args.places} submitted responses generated in "
              f"{time.perf_counter() - begin:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
        db = open_db(path)
        campaign = find_campaign(db, YEAR)
        assert campaign is not None
        load, responses = median_seconds(lambda: campaign_responses(db, campaign), args.runs)
        rows, table = median_seconds(lambda: export_table(responses), args.runs)
        csv_time, csv_data = median_seconds(lambda: to_csv(table), args.runs)
        xlsx_time, xlsx_data = median_seconds(lambda: to_xlsx(table), args.runs)
        json_time, json_data = median_seconds(lambda: to_json(responses), args.runs)
        db.conn.close()

    answers = sum(len(r.answers) for r in responses)
    print(f"{len(responses)} responses, {answers} stored answers, "
          f"{len(table.columns)} columns; median of {args.runs} runs:")
    lines = [
        ("load responses (SQLite)", load, None),
        ("build rows", rows, None),
        ("CSV from rows", csv_time, len(csv_data)),
        ("XLSX from rows", xlsx_time, len(xlsx_data)),
        ("JSON", json_time, len(json_data)),
    ]
    for label, seconds, size in lines:
        suffix = f"  {size / 1e6:6.1f} MB" if size is not None else ""
        print(f"  {label:<26}{seconds:7.3f} s{suffix}")
    total = load + rows + csv_time + xlsx_time + json_time
    verdict = "OK" if total <= TARGET_SECONDS else "TOO SLOW"
    print(f"  {'all three formats':<26}{total:7.3f} s  (target ≤ {TARGET_SECONDS:.0f} s: "
          f"{verdict})")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
