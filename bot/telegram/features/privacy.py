"""Personal data: /mes_donnees (what the bot keeps about you) and /oublier (erase it,
after a confirmation: "fg:")."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

import storage
from bot.telegram import access, callbacks, texts
from bot.telegram.context import end_confirmation, refresh_menu, say, services
from bot.telegram.views import escape
from storage.privacy import forget_person, personal_data

log = logging.getLogger(__name__)


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mes_donnees (anyone)."""
    s = services(context)
    data = personal_data(s.db, update.effective_user.id)
    if data is None:
        await say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    nothing = texts.MY_DATA_NOTHING
    roles = list(data.roles)
    if s.settings.is_admin(data.telegram_id):
        roles.insert(0, access.ADMIN)
    await say(context, update.effective_chat.id, texts.MY_DATA.format(
        telegram_id=data.telegram_id, name=escape(data.display_name or nothing),
        username=escape("@" + data.username) if data.username else nothing,
        roles=", ".join(texts.ROLE_NAMES.get(r, r) for r in roles) or nothing,
        places=", ".join(escape(p) for p in data.places) or nothing,
        answers=data.answers_written, sent=data.fiches_sent, received=data.fiches_received,
        reminders=data.reminders_received,
        snoozed=texts.MY_DATA_SNOOZED if data.snoozed else "",
        unreachable=texts.MY_DATA_UNREACHABLE if data.unreachable else ""))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/oublier (anyone): asks for confirmation."""
    if storage.get_person(services(context).db, update.effective_user.id) is None:
        await say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.FORGET_YES, callback_data=callbacks.forget(True)),
        InlineKeyboardButton(texts.FORGET_NO, callback_data=callbacks.forget(False))]])
    await context.bot.send_message(update.effective_chat.id, texts.FORGET_CONFIRM,
                                   reply_markup=markup)


async def forget_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Oui" / "Non" under /oublier."""
    await end_confirmation(update)
    s = services(context)
    user_id = update.effective_user.id
    press = callbacks.decode_forget(update.callback_query.data)
    if press is None or not press.yes:
        await say(context, update.effective_chat.id, texts.FORGET_CANCELLED)
        return
    if not forget_person(s.db, user_id):  # a second tap: nothing left to erase
        await say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    log.info("a person's data was erased on their request")
    await refresh_menu(context, user_id)
    await say(context, update.effective_chat.id, texts.FORGOTTEN)
