"""Timing /campagne_statut for a network of 3 500 places (the tiers-lieux of France).

    uv run python bench/bench_status.py [--places N] [--runs R]

Builds a temporary SQLite database: N places (3 500 by default), 1 or 2 managers each,
a campaign launched five weeks ago with its launch message and four weekly reminders in
the log for every manager, a third of the places sent, a third in progress (a few
answers), the rest not started, some managers snoozed or blocked. Then times, as the
median of R runs (3 by default):

- `campaign_status` (the state, progress and each manager's last and next reminder);
- the words and pages of `bot.telegram.status_view`;
- the chart (`campaign.progress_chart.progress_png`).

Target: the whole answer under 2 s, so that a coordinator waits no longer than for a
photo to arrive.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.telegram import status_view  # noqa: E402
from campaign.progress_chart import progress_png  # noqa: E402
from storage import immediate_transaction, open_db  # noqa: E402
from storage.campaign_status import campaign_status  # noqa: E402
from storage.campaigns import create_campaign, find_campaign, launch_campaign  # noqa: E402
from storage.codec import encode  # noqa: E402
from storage.places import name_key  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
TARGET_SECONDS = 2.0
LAUNCH = datetime(2026, 10, 5, 10, 0, tzinfo=PARIS)  # a Monday
NOW = LAUNCH + timedelta(days=35, hours=2)


def build(path: Path, places: int) -> None:
    db = open_db(path)
    campaign = create_campaign(db, 2026, date(2026, 12, 18), "2025.1", None,
                               now=LAUNCH - timedelta(days=1))
    campaign = launch_campaign(db, campaign.id, now=LAUNCH)
    stamp = LAUNCH.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds")
    person = 10_000
    with immediate_transaction(db):
        for n in range(places):
            name = f"Tiers-lieu {n:04d}"
            place_id = db.execute(
                "INSERT INTO places (name, name_key, active, created_at) VALUES (?, ?, 1, ?)",
                [name, name_key(name), stamp]).lastrowid
            managers = []
            for _ in range(1 + n % 2):
                person += 1
                managers.append(person)
                db.execute("INSERT INTO people (telegram_id, display_name, created_at,"
                           " updated_at, unreachable_at) VALUES (?, ?, ?, ?, ?)",
                           [person, f"Personne {person}", stamp, stamp,
                            stamp if n % 17 == 0 else None])
                db.execute("INSERT INTO managers (place_id, person_id, created_at)"
                           " VALUES (?, ?, ?)", [place_id, person, stamp])
                db.execute("INSERT INTO reminders (campaign_id, place_id, person_id, kind,"
                           " slot, sent_at, outcome, created_at) VALUES"
                           " (?, ?, ?, 'launch', 'launch', ?, 'sent', ?)",
                           [campaign.id, place_id, person, stamp, stamp])
                for week in range(1, 5):
                    day = (LAUNCH + timedelta(days=7 * week)).date().isoformat()
                    db.execute("INSERT INTO reminders (campaign_id, place_id, person_id, kind,"
                               " slot, sent_at, outcome, created_at) VALUES"
                               " (?, ?, ?, 'periodic', ?, ?, 'sent', ?)",
                               [campaign.id, place_id, person, f"periodic:{day}", stamp,
                                stamp])
                if n % 11 == 0:
                    db.execute("INSERT INTO snoozes (campaign_id, person_id, until, created_at)"
                               " VALUES (?, ?, ?, ?)",
                               [campaign.id, person,
                                (NOW + timedelta(days=2)).isoformat(), stamp])
            if n % 3 == 2:
                continue
            response_id = db.execute(
                "INSERT INTO responses (place_id, year, grid_version, status, started_at,"
                " updated_at, submitted_at) VALUES (?, 2026, '2025.1', ?, ?, ?, ?)",
                [place_id, "submitted" if n % 3 == 0 else "in_progress", stamp, stamp,
                 (LAUNCH + timedelta(days=n % 30)).isoformat() if n % 3 == 0 else None]
            ).lastrowid
            for key, value in (("lien_social.publics", ["voisins", "benevoles"]),
                               ("sante.effets", ["confiance"]),
                               ("insertion.beneficiaires", 12)):
                db.execute("INSERT INTO answers (response_id, key, value, updated_at,"
                           " updated_by) VALUES (?, ?, ?, ?, ?)",
                           [response_id, key, encode(value), stamp, managers[0]])
    db.conn.close()


def median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=3500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.sqlite"
        build(path, args.places)
        db = open_db(path)
        campaign = find_campaign(db, 2026)
        found = campaign_status(db, campaign, now=NOW)
        status = median(args.runs, lambda: campaign_status(db, campaign, now=NOW))
        pages = status_view.paginate(status_view.blocks(found, NOW))
        words = median(args.runs, lambda: status_view.paginate(status_view.blocks(found, NOW)))
        data = status_view.chart_data(found, NOW)
        chart = median(args.runs, lambda: progress_png(data))
        total = status + words + chart
        print(f"{args.places} places, {sum(len(p.people) for p in found.places)} managers, "
              f"{len(pages)} pages")
        print(f"campaign_status   {status:6.2f} s")
        print(f"words and pages   {words:6.2f} s")
        print(f"chart             {chart:6.2f} s")
        print(f"total             {total:6.2f} s (target ≤ {TARGET_SECONDS:.0f} s: "
              f"{'met' if total <= TARGET_SECONDS else 'NOT met'})")
        db.conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
