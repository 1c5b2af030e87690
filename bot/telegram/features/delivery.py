"""/fiche <lieu> [année]: a sent fiche, as messages and PDF, for the people who receive
the fiches (and coordinators). The fiche a place sends goes out from the interview
(`features/interview.py`, through `fiches.share_fiche`).
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

import storage
from bot.telegram import fiches, texts
from bot.telegram.context import argument, say, services
from bot.telegram.views import escape
from storage.places import find_place_for_fiche
from storage.responses import latest_submitted


async def fiche(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/fiche <lieu> [année]: a sent fiche, as messages and PDF."""
    s = services(context)
    chat_id = update.effective_chat.id
    text = argument(update)
    year: int | None = None
    match = re.match(r"^(.*\S)\s+(\d{4})$", text)
    if match:
        text, year = match[1], int(match[2])
    if not text:
        await say(context, chat_id, texts.FICHE_USAGE)
        return
    place = find_place_for_fiche(s.db, text)
    if place is None:
        await say(context, chat_id, texts.PLACE_UNKNOWN.format(place=escape(text)))
        return
    response = latest_submitted(s.db, place.id, year)
    if response is None:
        await say(context, chat_id, texts.FICHE_NONE.format(
            place=escape(place.name), year_part=f" en {year}" if year else ""))
        return
    answers = storage.load_answers(s.db, response.id)
    await fiches.send_fiche(context.bot, chat_id, s.grid, answers, place.name, response.year)
