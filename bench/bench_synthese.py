"""Timing the synthesis of a campaign of 3 500 sent fiches, with the previous year's 3 000.

    uv run python bench/bench_synthese.py [--places N] [--previous M] [--runs R] [--seed S]

Builds a temporary SQLite database: N places (3 500 by default), each with a sent fiche
of the 2026 campaign, and the first M of them (3 000) with a sent fiche of 2025, answers
generated as in bench_export.py (seeded RNG). Then, in a fresh process so that its peak
memory is the synthesis's own, times as the median of R runs (3 by default):

- the JSON synthesis: reading both years from the database, the campaign's status, every
  figure, keywords, comments and the evolution, and the JSON text;
- the PDF with all its charts (the first run, which imports WeasyPrint, is shown apart);

and prints the peak resident memory of that process. The CPU time of the process is
printed too: on a shared machine the wall-clock time also counts the neighbours' work.
Targets (issue 13): JSON ≤ 1 s, PDF ≤ 10 s, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_export import PLACE_WORDS, corpus, generate_answers  # noqa: E402

from questionnaire.grid import default_grid  # noqa: E402
from storage import immediate_transaction, open_db  # noqa: E402
from storage.places import name_key  # noqa: E402

YEAR = 2026
JSON_TARGET, PDF_TARGET, MEMORY_TARGET = 1.0, 10.0, 300.0


def build_database(path: Path, places: int, previous: int, seed: int) -> None:
    grid = default_grid()
    rng = random.Random(seed)
    sentences = corpus()
    db = open_db(path)
    with immediate_transaction(db):
        for year, status in ((YEAR - 1, "closed"), (YEAR, "open")):
            db.execute("INSERT INTO campaigns (year, opened_at, deadline, grid_version, status,"
                       " created_at, launched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [year, f"{year}-03-01", f"{year}-04-30", grid.version, status,
                        f"{year}-03-01T09:00:00+00:00", f"{year}-03-01T09:00:00+00:00"])
        for number in range(places):
            article, noun, tail = (rng.choice(words) for words in PLACE_WORDS)
            separator = "" if article.endswith("'") else " "
            name = " ".join(f"{article}{separator}{noun} {tail} {number + 1}".split())
            place_id = db.execute(
                "INSERT INTO places (name, name_key, active, created_at) VALUES (?, ?, 1, ?)",
                [name, name_key(name), "2024-01-01T00:00:00+00:00"]).lastrowid
            db.execute("INSERT INTO people (telegram_id, display_name, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?)", [10_000 + number, f"Gestionnaire {number}",
                                                "2024-01-01", "2024-01-01"])
            db.execute("INSERT INTO managers (place_id, person_id, created_at) VALUES (?, ?, ?)",
                       [place_id, 10_000 + number, "2024-01-01"])
            years = [YEAR - 1, YEAR] if number < previous else [YEAR]
            for year in years:
                moment = datetime(year, 3, 10, tzinfo=UTC) + timedelta(minutes=number)
                stamp = moment.isoformat(timespec="seconds")
                response_id = db.execute(
                    "INSERT INTO responses (place_id, year, grid_version, status, started_at,"
                    " updated_at, submitted_at, submitted_by) VALUES (?, ?, ?, 'submitted',"
                    " ?, ?, ?, 0)", [place_id, year, grid.version, stamp, stamp, stamp]
                ).lastrowid
                db.conn.executemany(
                    "INSERT INTO answers (response_id, key, value, updated_at, updated_by)"
                    " VALUES (?, ?, ?, ?, 0)",
                    [(response_id, key, json.dumps(value, ensure_ascii=False,
                                                   separators=(",", ":")), stamp)
                     for key, value in generate_answers(grid, rng, sentences).items()])
    db.conn.close()


def measure(path: Path, runs: int) -> int:
    """In its own process: time the JSON and the PDF, print the figures and the peak."""
    from bot.synthesis import synthesis_of
    from campaign.synthesis.document import render
    from campaign.synthesis.render import render_json
    from storage.campaigns import find_campaign

    grid = default_grid()
    db = open_db(path)
    campaign = find_campaign(db, YEAR)
    assert campaign is not None
    json_times, json_cpu, pdf_times, pdf_cpu = [], [], [], []
    for _ in range(runs):
        begin, cpu = time.perf_counter(), time.process_time()
        synthesis = synthesis_of(db, campaign, grid)
        text = render_json(synthesis)
        json_times.append(time.perf_counter() - begin)
        json_cpu.append(time.process_time() - cpu)
    first_begin = time.perf_counter()
    pdf = render(grid, synthesis, "pdf")
    first_pdf = time.perf_counter() - first_begin
    for _ in range(runs):
        begin, cpu = time.perf_counter(), time.process_time()
        pdf = render(grid, synthesis, "pdf")
        pdf_times.append(time.perf_counter() - begin)
        pdf_cpu.append(time.process_time() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    json_s, pdf_s = statistics.median(json_times), statistics.median(pdf_times)
    counted = synthesis["participation"]["fiches_comptees"]
    common = synthesis["evolution"]["lieux_communs"]
    print(f"{counted} sent fiches counted, {common} places in common with {YEAR - 1}; "
          f"median of {runs} runs:")
    rows = [("JSON synthesis (read + compute + text)", json_s, JSON_TARGET,
             f"{len(text) / 1e3:.0f} kB"),
            ("  its CPU time (this process)", statistics.median(json_cpu), None, ""),
            ("PDF with all its charts", pdf_s, PDF_TARGET, f"{len(pdf) / 1e6:.1f} MB"),
            ("  its CPU time (this process)", statistics.median(pdf_cpu), None, ""),
            ("  first PDF (WeasyPrint import)", first_pdf, None, "")]
    for label, seconds, target, size in rows:
        verdict = "" if target is None else (
            f"(target ≤ {target:g} s: {'OK' if seconds <= target else 'TOO SLOW'})")
        print(f"  {label:<40}{seconds:7.3f} s  {size:>8}  {verdict}")
    print(f"  {'peak resident memory':<40}{peak:7.0f} MB            "
          f"(target ≤ {MEMORY_TARGET:g} MB: {'OK' if peak <= MEMORY_TARGET else 'TOO MUCH'})")
    ok = json_s <= JSON_TARGET and pdf_s <= PDF_TARGET and peak <= MEMORY_TARGET
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=3500)
    parser.add_argument("--previous", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(Path(args.measure), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        begin = time.perf_counter()
        build_database(path, args.places, args.previous, args.seed)
        print(f"{args.places} fiches of {YEAR} and {args.previous} of {YEAR - 1} generated in "
              f"{time.perf_counter() - begin:.1f} s ({path.stat().st_size / 1e6:.1f} MB)",
              flush=True)
        return subprocess.run([sys.executable, __file__, "--measure", str(path),
                               "--runs", str(args.runs)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
