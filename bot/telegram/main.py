"""`fichebot run`: the Telegram bot, by long polling or behind a webhook.

Whatever goes wrong before the bot runs (settings, database, a token Telegram refuses,
no network) is said in one line on stderr, with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.db_open import damaged_line
from bot.settings import SettingsError, load_settings
from bot.system_errors import database_error
from bot.telegram import texts, webhook

log = logging.getLogger(__name__)


class _QuietBootstrap(logging.Filter):
    """PTB logs a start-up failure with its traceback; `main` says it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram.ext") and "Bootstrap" in record.getMessage():
            if "Aborting" in record.getMessage():
                return False
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_QuietBootstrap())
    # httpx logs every request URL at INFO, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _fail(message: str, status: int = 1) -> int:
    print(message, file=sys.stderr)
    return status


def main(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(str(exc), 2)

    import storage  # after the settings: `fichebot run` without a token answers at once
    from bot.telegram.app import build_application

    try:
        db = storage.open_db(settings.db_path)
    except storage.DatabaseDamaged as exc:
        return _fail(damaged_line("run", settings.db_path, exc))
    except storage.StorageError as exc:
        return _fail(texts.DB_UNUSABLE.format(error=database_error(exc, settings.db_path)))

    webhook_url = getattr(args, "webhook_url", None)
    if webhook_url:
        try:
            secret, generated = webhook.secret_token(getattr(args, "secret_token", None))
        except webhook.BadSecret:
            db.close()
            return _fail(texts.BAD_SECRET_TOKEN, 2)

    configure_logging()
    application = build_application(settings, db)
    try:
        if webhook_url:
            if generated:
                log.info("webhook: a secret token was generated for this run and given to "
                         "Telegram")
            asyncio.run(webhook.serve(application, webhook_url=webhook_url,
                                      listen=args.listen, port=args.port,
                                      path=urlsplit(webhook_url).path, secret=secret))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        return _fail(texts.TOKEN_REJECTED)
    except NetworkError:
        # httpx's reason is English: the French line says what to check
        return _fail(texts.API_UNREACHABLE.format(error="réseau coupé, ou adresse de l’API "
                                                        "erronée"))
    except TelegramError as exc:
        return _fail(texts.STARTUP_FAILED.format(error=exc))
    finally:
        db.close()
    return 0
