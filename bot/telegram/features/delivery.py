"""/fiche <lieu> [année]: a sent fiche, as messages and PDF, for the people who receive
the fiches (and coordinators); the place found by any spelling (`place_choice`), and
rendered with the grid it was answered with. /recevoir oui|non: whether the person gets
every sent fiche and the coordinators' notices (`storage.receiving`). The fiche a place
sends goes out from the interview (`features/interview.py`, through
`fiches.share_fiche`).
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

import storage
from bot.telegram import callbacks, fiches, texts
from bot.telegram.context import argument, end_confirmation, say, services
from bot.telegram.place_choice import find_place
from bot.telegram.views import escape
from questionnaire.versions import grid_for_version
from storage.receiving import (
    fiche_recipients,
    notice_recipients,
    receive_choice,
    set_receive,
)
from storage.responses import latest_submitted

YES = {"oui", "o", "yes", "1"}
NO = {"non", "n", "no", "0"}


async def fiche(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/fiche <lieu> [année]: a sent fiche, as messages and PDF."""
    chat_id = update.effective_chat.id
    text = argument(update)
    year: int | None = None
    match = re.match(r"^(.*\S)\s+(\d{4})$", text)
    if match:
        text, year = match[1], int(match[2])
    if not text:
        await say(context, chat_id, texts.FICHE_USAGE)
        return
    place = await find_place(context, chat_id, text, "fiche", year or 0, include_removed=True)
    if place is not None:
        await _send_fiche(context, chat_id, place, year)


async def fiche_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A place chosen among several for /fiche (the year, if one was typed, is kept)."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_place_choice(update.callback_query.data)
    try:
        place = storage.get_place(s.db, press.place_id) if press else None
    except storage.NotFound:
        place = None
    if press is None or place is None:
        await say(context, chat_id, texts.PLACE_CHOSEN_GONE)
        return
    await _send_fiche(context, chat_id, place, press.option or None)


async def _send_fiche(context: ContextTypes.DEFAULT_TYPE, chat_id: int, place: storage.Place,
                      year: int | None) -> None:
    s = services(context)
    response = latest_submitted(s.db, place.id, year)
    if response is None:
        await say(context, chat_id, texts.FICHE_NONE.format(
            place=escape(place.name), year_part=f" en {year}" if year else ""))
        return
    answers = storage.load_answers(s.db, response.id)
    grid = grid_for_version(response.grid_version, s.grid)
    await fiches.send_fiche(context.bot, chat_id, grid, answers, place.name, response.year,
                            title_form=place.title_form, sent_at=response.submitted_at)


async def receive(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recevoir oui|non: every sent fiche and the coordinators' notices, or not."""
    s = services(context)
    chat_id = update.effective_chat.id
    person = update.effective_user.id
    word = argument(update).casefold().strip(" .!")
    if word in YES or word in NO:
        set_receive(s.db, person, word in YES)
        await say(context, chat_id, texts.RECEIVE_ON if word in YES else texts.RECEIVE_OFF)
        return
    current = receive_choice(s.db, person)
    if current is None:
        admins = s.settings.admin_ids
        current = (person in fiche_recipients(s.db, admins)
                   or person in notice_recipients(s.db, admins))
    await say(context, chat_id, texts.RECEIVE_USAGE.format(
        current=texts.RECEIVE_CURRENT[current]))
