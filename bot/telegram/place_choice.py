"""Every command that takes a place finds it by any spelling (`storage.place_lookup`).

`find_place` returns the place when the typed name designates one; otherwise it answers
in the chat itself — several places match: a button for each; none: the closest names,
as buttons too — and returns None. A button carries the command, the place id and the
command's option (`callbacks.place_choice`); the command's feature finishes the job in
its button handler (`commands.BUTTONS`).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ContextTypes

from bot.telegram import callbacks, texts
from bot.telegram.context import say, services
from bot.telegram.views import escape
from storage.place_lookup import lookup_place
from storage.places import Place

MAX_BUTTONS = 8


def _buttons(places: list[Place], command: str, option: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(place.name[:60],
                              callback_data=callbacks.place_choice(command, place.id, option))]
        for place in places[:MAX_BUTTONS]])


async def find_place(context: ContextTypes.DEFAULT_TYPE, chat_id: int, query: str,
                     command: str, option: int = 0, *, include_removed: bool = False
                     ) -> Place | None:
    """The place `query` names, or None after answering in the chat (see the module)."""
    match = lookup_place(services(context).db, query, include_removed=include_removed)
    if match.found is not None:
        return match.found
    shown = escape(query)
    if match.places:
        text = (texts.PLACE_SEVERAL.format(query=shown) if len(match.places) <= MAX_BUTTONS
                else texts.PLACE_TOO_MANY.format(count=len(match.places), query=shown,
                                                 shown=MAX_BUTTONS))
        await context.bot.send_message(chat_id, text,
                                       reply_markup=_buttons(match.places, command, option))
    elif match.closest:
        await context.bot.send_message(chat_id, texts.PLACE_CLOSEST.format(query=shown),
                                       reply_markup=_buttons(match.closest, command, option))
    else:
        await say(context, chat_id, texts.PLACE_UNKNOWN.format(place=shown))
    return None
