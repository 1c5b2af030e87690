"""« Votre lieu face au réseau » in the chat: one place's block as Telegram messages
(`/mon_bilan`), and the block sent to every manager of every place that sent its fiche
when a coordinator closes the campaign.

The synthesis is read from the database on the connection's thread and computed in a
worker thread (`bot.synthesis`). The closing batch is not kept in the reminder log: a
restart in the middle of it leaves the rest to `/mon_bilan`, never a message twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database
from telegram.ext import Application

from bot import pdf_worker
from bot.synthesis import compute, load_inputs, place_block_for, place_block_of
from bot.telegram import texts
from bot.telegram.context import services
from bot.telegram.sending import BroadcastReport, Message, send_many
from bot.telegram.views import escape
from campaign.synthesis import texts as synthesis_texts
from campaign.synthesis.place_view import build_place_view
from campaign.synthesis.render import render_place_telegram
from questionnaire.grid import Grid
from storage.campaigns import Campaign
from storage.places import Place
from storage.synthesis import SentFiche, report_targets, sent_fiches

log = logging.getLogger(__name__)


async def synthesis_for(application: Application, campaign: Campaign) -> dict[str, Any]:
    """The campaign's synthesis: read here, computed in the worker process (seconds of
    Python for a whole network, which a thread of the bot's would hold the GIL for)."""
    s = services(application)
    inputs = load_inputs(s.db, campaign)
    return await pdf_worker.run(compute, inputs, s.grid)


def block_messages(grid: Grid, block: Mapping[str, Any]) -> list[str]:
    """A place's block as Telegram messages (pure: it may run in a worker thread)."""
    return render_place_telegram(build_place_view(grid, block))


def place_messages(db: Database, grid: Grid, synthesis: Mapping[str, Any],
                   place: Place) -> list[str]:
    """The place's block as Telegram messages; one sentence if it sent no fiche."""
    block = place_block_of(db, synthesis, place.id, grid)
    if block is None:
        return [escape(synthesis_texts.place_not_sent(place.name, synthesis["campagne"]))]
    return block_messages(grid, block)


def _closing_blocks(grid: Grid, synthesis: Mapping[str, Any], fiches: list[SentFiche]
                    ) -> dict[int, list[str]]:
    """Each place's closing messages: thanks, then its block (pure)."""
    return {fiche.place_id: [texts.CLOSING_REPORT.format(year=synthesis["campagne"],
                                                         place=escape(fiche.place)),
                             *block_messages(grid, place_block_for(synthesis, fiche, grid))]
            for fiche in fiches}


async def send_place_reports(application: Application, campaign: Campaign
                             ) -> BroadcastReport:
    """At the closing: each reachable manager of each place that sent gets a word of
    thanks and the place's block. Messages go out in waves (every first part, then every
    second…) so that each person reads them in order."""
    s = services(application)
    targets = report_targets(s.db, campaign.year)
    report = BroadcastReport()
    if not targets:
        return report
    synthesis = await synthesis_for(application, campaign)
    wanted = {place_id for place_id, _ in targets}
    fiches = [f for f in sent_fiches(s.db, campaign.year) if f.place_id in wanted]
    blocks = await asyncio.to_thread(_closing_blocks, s.grid, synthesis, fiches)
    waves = max((len(parts) for parts in blocks.values()), default=0)
    for wave in range(waves):
        report.add(await send_many(application.bot, (
            Message(person_id, blocks[place_id][wave])
            for place_id, person_id in targets
            if place_id in blocks and wave < len(blocks[place_id])), db=s.db))
    log.info("campaign %s: place reports sent to %s manager(s)", campaign.year, report.sent)
    return report


TASKS = "place_reports"  # bot_data key: the closing batches still being sent


def start_place_reports(application: Application, campaign: Campaign) -> asyncio.Task:
    """`send_place_reports` in the background: the coordinator who closed, and everyone
    else, keep talking to the bot meanwhile. The task is kept in bot_data[TASKS] until
    it ends (a test awaits it); a failure is logged, never raised at anyone."""

    async def run() -> None:
        try:
            await send_place_reports(application, campaign)
        except Exception:
            log.exception("campaign %s: sending the place reports failed", campaign.year)

    task = (application.create_task(run()) if application.running
            else asyncio.get_running_loop().create_task(run()))
    tasks: set[asyncio.Task] = application.bot_data.setdefault(TASKS, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task
