"""What every Telegram handler leans on: the services, the clock, and how to speak.

- `Services` (database, grid, settings, menus) lives in `application.bot_data`, a cache
  rebuilt at start; `services(context)` reads it;
- `now_of(application)`: the bot's clock (`campaign.clock.now`, or the fake clock a test
  put in `bot_data[CLOCK]`);
- `say`, `say_long`: a message (or a listing cut under Telegram's limit) into a chat;
- `argument(update)`: the text after a command; `link(context, token)`: an invitation
  link; `end_confirmation(update)`: a pressed "Oui / Non" loses its buttons;
- `claim(context, update)`: record an update as handled (see `commands.Claim`);
- `open_campaign(context, chat_id)`: the open campaign, or None once the coordinator is
  told there is none (the commands that steer one);
- `refresh_menu(context, person_id)`: the person's command menu after their roles
  changed (`menus.Menus`, built from the command table).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.settings import Settings
from bot.telegram import outgoing, texts
from bot.telegram.menus import Menus
from bot.telegram.views import View
from campaign import clock
from questionnaire.grid import Grid
from storage.campaigns import Campaign, current_campaign
from storage.updates import claim_update

SERVICES = "services"  # the bot_data key of `Services`
CLOCK = "clock"  # bot_data key of a `() -> datetime` (tests inject a fake clock)
MESSAGE_LIMIT = 3800  # a listing's messages stay under Telegram's 4 096 characters

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass(frozen=True)
class Services:
    """What handlers need, kept in `application.bot_data` (a cache: rebuilt at start)."""

    db: Database
    grid: Grid
    settings: Settings
    menus: Menus


def services(context: ContextTypes.DEFAULT_TYPE | Application[Any, Any, Any, Any, Any, Any]
             ) -> Services:
    return context.bot_data[SERVICES]


def now_of(application: Application[Any, Any, Any, Any, Any, Any]) -> datetime:
    """The bot's clock: bot_data[CLOCK] when a test set one, else the real time in Paris."""
    fake: Callable[[], datetime] | None = application.bot_data.get(CLOCK)
    return fake() if fake else clock.now()


async def say(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
              view: View | None = None) -> None:
    if view is not None:
        await outgoing.send(context.bot, chat_id, view.text, view.markup)
    else:
        await outgoing.send(context.bot, chat_id, text)


async def say_long(context: ContextTypes.DEFAULT_TYPE, chat_id: int, lines: list[str]) -> None:
    """Lines in as few messages as possible, each under Telegram's limit."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > MESSAGE_LIMIT:
            await say(context, chat_id, "\n".join(chunk))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        await say(context, chat_id, "\n".join(chunk))


def argument(update: Update) -> str:
    """The text after the command, as typed (spaces inside kept)."""
    parts = (update.effective_message.text or "").strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def link(context: ContextTypes.DEFAULT_TYPE, token: str) -> str:
    return f"https://t.me/{context.bot.username}?start={token}"


async def end_confirmation(update: Update) -> None:
    """A press on a "Oui / Non" button is answered and the buttons removed, so that a
    second tap on an old confirmation message does nothing."""
    query = update.callback_query
    await query.answer()
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)


def claim(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    """Record the update as handled; False if it already was. The command table does it
    for every handler (`commands.Claim`); a handler that records it in its own
    transaction calls this only on the paths where that transaction did not commit."""
    return claim_update(services(context).db, update.update_id)


async def refresh_menu(context: ContextTypes.DEFAULT_TYPE, person_id: int) -> None:
    s = services(context)
    await s.menus.set_menu(context.bot, s.db, s.settings, person_id)


async def open_campaign(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> Campaign | None:
    """The open campaign; None, after saying so in the chat, when none is open."""
    campaign = current_campaign(services(context).db)
    if campaign is None or not campaign.is_open:
        await say(context, chat_id, texts.CAMPAIGN_NOT_OPEN)
        return None
    return campaign
