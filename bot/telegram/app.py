"""The PTB application: configuration (transport, rate limiter, defaults), the services,
the handlers (`commands.register`, from the command table) and the start-up jobs.
"""

from __future__ import annotations

import gc
import logging
from datetime import timedelta

from sqlite_utils import Database
from telegram import LinkPreviewOptions
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest, HTTPXRequest

import storage
from bot import pdf_worker
from bot.settings import Settings
from bot.telegram import commands, fiches, outgoing
from bot.telegram.context import SERVICES, Services
from bot.telegram.features import reminders
from bot.telegram.processor import PerChatProcessor
from bot.telegram.transport import BotRequest
from campaign.clock import PARIS
from questionnaire.grid import Grid, default_grid
from storage.outbox import recover_unknown

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(days=1)
RESUME_AFTER = timedelta(seconds=2)  # the deliveries a crash cut short, soon after start
# Telegram refuses (429) more than 30 messages in any one second. PTB's default limiter
# is a bucket of 30 that refills at 30 a second, so a burst can reach 60 within one
# second; a bucket of one that refills 29 times a second never exceeds 30
# (bench/bench_reminders.py, 300 reminders: 59 429s and 26.8/s before, none and 28.2/s after).
MESSAGES_PER_SECOND = 29


def build_application(settings: Settings, db: Database, *, grid: Grid | None = None,
                      request: BaseRequest | None = None,
                      rate_limiter: bool = True) -> Application:
    """The bot, ready to `initialize()` or `run_polling()`.

    `request` replaces the HTTP transport of every Bot API call (tests pass a fake one).
    `rate_limiter=False` is for tests only: AIORateLimiter paces calls to Telegram's
    limits (30 a second), which would slow long scripted conversations.
    """
    urls = {}
    if settings.api_base_url:
        urls["base_url"] = settings.api_base_url
        if settings.api_file_url:
            urls["base_file_url"] = settings.api_file_url
    bot = outgoing.FichebotBot(
        settings.token,
        **urls,
        # ApplicationBuilder's own transports, but for the error notes of BotRequest
        request=request or BotRequest(connection_pool_size=256, media_write_timeout=60),
        get_updates_request=request or HTTPXRequest(connection_pool_size=1),
        defaults=Defaults(parse_mode=outgoing.PARSE_MODE, tzinfo=PARIS,
                          link_preview_options=LinkPreviewOptions(**outgoing.NO_PREVIEW)),
        rate_limiter=AIORateLimiter(overall_max_rate=1,
                                    overall_time_period=1 / MESSAGES_PER_SECOND,
                                    max_retries=3) if rate_limiter else None,
    )
    application = (ApplicationBuilder().bot(bot).post_init(post_init)
                   .post_shutdown(post_shutdown)
                   .concurrent_updates(PerChatProcessor()).build())
    application.bot_data[SERVICES] = Services(db=db, grid=grid or default_grid(),
                                              settings=settings, menus=commands.MENUS)
    commands.register(application)
    return application


async def post_init(application: Application) -> None:
    """At start, before anything is sent: what a crash left on the wire is owed again
    (`storage.outbox.recover_unknown`); then the command menu in French, the admins told
    if fiches go out without PDF, old update ids forgotten (daily too), the reminder job
    (which also finishes a cut-short launch or closing) and the fiche deliveries a crash
    cut short or a network error released (`fiches.resume_owed`, tried again while any
    is owed)."""
    s: Services = application.bot_data[SERVICES]
    recovered = recover_unknown(s.db)
    if recovered.announcements or recovered.deliveries:
        log.info("restart: %s announcement(s) and %s fiche delivery(ies) were on the wire "
                 "at the last stop: sending them again", recovered.announcements,
                 recovered.deliveries)
    await s.menus.set_all(application, s.db, s.settings)
    await fiches.announce_without_pdf(application.bot, s.settings.admin_ids)
    prune(application)
    reminders.schedule(application)
    if application.job_queue is not None:
        application.job_queue.run_once(fiches.resume_job, when=RESUME_AFTER,
                                       name="resume-deliveries")
        application.job_queue.run_repeating(_prune_job, interval=PRUNE_EVERY,
                                            first=PRUNE_EVERY, name="prune-updates")
    settle_memory()


def settle_memory() -> None:
    """The objects made at start (PTB, the grid, matplotlib and NumPy, WeasyPrint's
    import by the PDF check…) live as long as the bot: moved out of the garbage
    collector's reach (`gc.freeze`), so that a full collection walks only what was made
    since. Left to it, each full collection walked them all with the event loop stopped:
    40–90 ms, the probe's p99 73–131 ms while fiches were sent (bench/bench_flood.py)."""
    gc.collect()
    gc.freeze()


async def post_shutdown(application: Application) -> None:
    """At exit: the PDF worker process stops."""
    await pdf_worker.stop()


def prune(application: Application) -> None:
    removed = storage.prune_processed_updates(application.bot_data[SERVICES].db)
    if removed:
        log.info("forgot %s old update ids", removed)


async def _prune_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    prune(context.application)
