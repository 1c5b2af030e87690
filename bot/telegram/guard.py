"""Button presses the handlers cannot take, answered before any handler sees them.

Telegram sends presses that carry no chat (a button of an inline message: no
`message`), presses in a group, presses of a game button (no `data`), and — forged or
corrupted — data whose numbers no database column holds. Each is answered (the
person's spinner stops, with a short notice), recorded as handled (a redelivery is not
answered again) and goes no further: no handler runs, nothing is written but the
update's id. Runs first (group -2), before `handlers.gate`.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.telegram import outgoing, texts
from bot.telegram.handlers import services
from storage.updates import claim_update

log = logging.getLogger(__name__)

GROUP = -2
_NUMBER = re.compile(r"\d+")
LARGEST = 2**63 - 1  # SQLite's INTEGER


def refusal(update: Update) -> str | None:
    """Why a press cannot be handled (for the log), or None if it can."""
    query = update.callback_query
    if query is None:
        return None
    if query.message is None:
        return "a press on an inline message"
    if query.message.chat.type != ChatType.PRIVATE:
        return "a press outside a private chat"
    if query.data is None:
        return "a press without data"
    if any(int(n) > LARGEST for n in _NUMBER.findall(query.data)):
        return "a press whose data holds a number out of range"
    return None


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    why = refusal(update)
    if why is None:
        return
    if claim_update(services(context).db, update.update_id):
        log.info("update %s: %s, answered and ignored", update.update_id, why)
        notice = (texts.PRIVATE_BUTTONS_ONLY if update.callback_query.message is None
                  or update.callback_query.message.chat.type != ChatType.PRIVATE
                  else texts.UNKNOWN_BUTTON)
        await outgoing.answer(context.bot, update.callback_query, notice)
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, guard), group=GROUP)
