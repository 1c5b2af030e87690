"""Reminders to every tiers-lieu in France, against a Bot API that enforces the flood limit.

    uv run python bench/bench_reminders.py [--places 3500]

A temporary SQLite file holds `--places` places, each with a manager, and an open
campaign. The fake Bot API server of the tests (tests/fake_bot_api.py, aiohttp on
127.0.0.1) answers 429 with retry_after past 30 messages in any one-second window, as
Telegram does. The real application (`build_application`, AIORateLimiter on, real HTTP
through httpx) then sends one reminder to every manager through the real path
(`broadcast.remind_now`: claim in the reminder log, send, record the outcome).

Prints the achieved rate and the 429s received. Targets (issue 4): ≥ 28 messages a
second, no 429 at all. 3 500 messages at 30 a second take about two minutes.

`--limiter ptb-default` builds the same application with PTB's default
`AIORateLimiter(max_retries=3)` (a bucket of 30 refilled at 30 a second) instead of the
bot's (one message every 1/29 s), for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import storage  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram import broadcast  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from storage.campaigns import create_campaign, launch_campaign  # noqa: E402
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


def populate(db, places: int, now: datetime):
    rows_places, rows_people, rows_managers = [], [], []
    stamp = now.isoformat()
    for i in range(places):
        name = f"Tiers-lieu n° {i + 1}"
        rows_places.append({"id": i + 1, "name": name, "name_key": name.casefold(),
                            "active": 1, "created_at": stamp})
        rows_people.append({"telegram_id": 100_000 + i, "display_name": f"Gestionnaire {i}",
                            "created_at": stamp, "updated_at": stamp})
        rows_managers.append({"place_id": i + 1, "person_id": 100_000 + i, "created_at": stamp})
    with db.conn:
        db["places"].insert_all(rows_places)
        db["people"].insert_all(rows_people)
        db["managers"].insert_all(rows_managers)
    campaign = create_campaign(db, now.year, date(now.year, 12, 31), "2025.1", None, now=now)
    return launch_campaign(db, campaign.id, now=now)


def use_ptb_default_limiter() -> None:
    from telegram.ext import AIORateLimiter

    from bot.telegram import app as app_module

    app_module.AIORateLimiter = lambda **kwargs: AIORateLimiter(
        max_retries=kwargs.get("max_retries", 0))


async def run(places: int) -> None:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    with tempfile.TemporaryDirectory() as tmp:
        db = storage.open_db(Path(tmp) / "bench.db")
        campaign = populate(db, places, now)
        async with FakeBotApi(rate_limit=30) as server:
            for i in range(places):
                server.know(100_000 + i)
            settings = Settings(token=DEFAULT_TOKEN, db_path=Path(tmp) / "bench.db",
                                api_base_url=server.url)
            app = build_application(settings, db)
            app.bot_data[broadcast.CLOCK] = lambda: now
            await app.initialize()
            plan = broadcast.manual_plan_now(app, campaign)  # what /relancer asks to confirm
            start = time.perf_counter()
            report = await broadcast.remind_now(app, campaign, plan)
            elapsed = time.perf_counter() - start
            await app.shutdown()
            stats = server.rate_stats()
    print(f"{places} places, one manager each; fake Bot API limit: 30 messages/s")
    print(f"sent {report.sent}, failed {report.failed}, unreachable {report.unreachable} "
          f"in {elapsed:.1f} s")
    rate = report.sent / elapsed if elapsed else 0.0
    print(f"achieved rate        {rate:6.1f} messages/s   (target ≥ 28: "
          f"{'ok' if rate >= 28 else 'MISSED'})")
    print(f"peak in one second   {stats['peak_per_second']:6.0f} messages")
    print(f"429 received         {stats['too_many_requests']:6d}            (target 0: "
          f"{'ok' if stats['too_many_requests'] == 0 else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=3500)
    parser.add_argument("--limiter", choices=("bot", "ptb-default"), default="bot",
                        help="the bot's rate limiter (default) or PTB's default one")
    args = parser.parse_args()
    if args.limiter == "ptb-default":
        use_ptb_default_limiter()
    print(f"rate limiter: {args.limiter}")
    asyncio.run(run(args.places))


if __name__ == "__main__":
    main()
