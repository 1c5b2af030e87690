"""Button presses the handlers cannot take, answered before any handler sees them.

Telegram sends presses that carry no chat (a button of an inline message: no
`message`), presses in a group and presses of a game button (no `data`). Each is
answered (the
person's spinner stops, with a short notice), recorded as handled (a redelivery is not
answered again) and goes no further: no handler runs, nothing is written but the
update's id. `commands.gate` calls `refuse` first thing for every press (a handler
group of its own would cost every update a callback). (Numbers in button data that no
column can hold are `callbacks.py`'s business: such a button is stale.)
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram import outgoing, texts
from bot.telegram.context import services
from storage.updates import claim_update

log = logging.getLogger(__name__)

NO_DATA = "a press without data"


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
        return NO_DATA
    return None


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press `refusal` names: answered once, recorded, and no handler runs."""
    why = refusal(update)
    if why is None:
        return
    if claim_update(services(context).db, update.update_id):
        log.info("update %s: %s, answered and ignored", update.update_id, why)
        notice = texts.UNKNOWN_BUTTON if why == NO_DATA else texts.PRIVATE_BUTTONS_ONLY
        await outgoing.answer(context.bot, update.callback_query, notice)
    raise ApplicationHandlerStop
