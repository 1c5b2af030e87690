"""The PTB application: configuration, handlers, bot commands.

Add a command: write its handler in `handlers.py`, its French texts in `texts.py`,
add it to `COMMANDS` here (or to the `COMMANDS` of its module), and list
it in `access.COMMAND_ROLES` with the roles that may run it (that table also gives
each person their command menu) and its menu line in `texts.COMMAND_DESCRIPTIONS`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram import LinkPreviewOptions, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

import storage
from bot import pdf_worker
from bot.settings import Settings
from bot.telegram import (
    campaign_handlers,
    guard,
    handlers,
    outgoing,
    people_handlers,
    reminders,
)
from bot.telegram.handlers import SERVICES, Services
from bot.telegram.processor import PerChatProcessor
from bot.telegram.transport import BotRequest
from questionnaire.grid import Grid, default_grid

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
PRUNE_EVERY = timedelta(days=1)
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
                                              settings=settings)
    register_handlers(application)
    return application


COMMANDS: dict[str, handlers.Callback] = {
    "start": handlers.start,
    "aide": handlers.help_command,
    "help": handlers.help_command,
    "reprendre": handlers.resume,
    "apercu": handlers.preview,
    "modifier": handlers.edit,
    "envoyer": handlers.send,
    "lieu_ajouter": handlers.add_place,
    "lieu_lien": handlers.place_link,
}
BUTTONS: dict[str, handlers.Callback] = {r"^pf:": handlers.prefill_choice}


def register_handlers(application: Application) -> None:
    """Every handler, in the order PTB tries them (the first that matches runs).

    A button press and a message never match the same handler, so the buttons come
    first, and typed answers (not commands) before the commands: taps and answers are
    nearly every update, and each handler tried before the right one costs time.
    """
    private = handlers.PRIVATE_MESSAGES
    guard.register(application)
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    for buttons in (BUTTONS, people_handlers.BUTTONS, campaign_handlers.BUTTONS,
                    reminders.BUTTONS):
        handlers.add_buttons(application, buttons)
    application.add_handler(CallbackQueryHandler(handlers.button))  # the interview's
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND,
                                           handlers.text_message))
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, handlers.edited_message))
    application.add_handler(MessageHandler(
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND,
        handlers.in_group))
    for commands in (COMMANDS, people_handlers.COMMANDS, campaign_handlers.COMMANDS):
        handlers.add_commands(application, commands)
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL,
                                           handlers.not_text))
    application.add_error_handler(handlers.on_error)


async def post_init(application: Application) -> None:
    """At start: the command menu in French, old update ids forgotten (daily too)."""
    await people_handlers.set_all_menus(application)
    prune(application)
    reminders.schedule(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(_prune_job, interval=PRUNE_EVERY,
                                            first=PRUNE_EVERY, name="prune-updates")


async def post_shutdown(application: Application) -> None:
    """At exit: the PDF worker process stops."""
    pdf_worker.shutdown()


def prune(application: Application) -> None:
    removed = storage.prune_processed_updates(application.bot_data[SERVICES].db)
    if removed:
        log.info("forgot %s old update ids", removed)


async def _prune_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    prune(context.application)
