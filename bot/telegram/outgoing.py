"""The interview's Bot API calls, sent without reading Telegram's answer back.

PTB's `send_message`, `edit_message_text` and `CallbackQuery.answer` turn every result
into a `Message` object, inline keyboard included: in `bench/bench_telegram.py` that
parsing was a third of the bot's time per update, for objects the interview never reads
(the state is in the database, not in the messages). These helpers make the same calls
and leave the result as PTB decoded it from JSON: the same request, the same rate
limiter and retries, the same errors (`BadRequest`, `Forbidden`, `RetryAfter`…), and no
objects built. Keyboards are sent as the plain dicts `views.Keyboard` builds.

The calls go through `FichebotBot.call`, the bot that `app.build_application` makes:
PTB's public `Bot.do_api_request` does the same but first looks the method up and
raises a warning ("use Bot.send_message") that even silenced costs its frame
inspection, at each of the 2.3 calls of an update (bench/bench_telegram.py: 4 % of
the bot's time). `call` goes straight to `_do_post`, the step every PTB method ends
with, so that `AIORateLimiter` (in `ExtBot._do_post`) paces these calls like any other.

`Defaults` apply to PTB's methods only, so the parse mode and the link preview are set
here; `app.build_application` makes the same two values the `Defaults` of every other
call.
"""

from __future__ import annotations

from typing import Any, Protocol

from telegram import Bot, CallbackQuery
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.telegram.wire import OnWire

PARSE_MODE = ParseMode.HTML.value
NO_PREVIEW = {"is_disabled": True}


class Markup(Protocol):
    """A keyboard: `views.Keyboard`, or PTB's `InlineKeyboardMarkup`."""

    def to_dict(self) -> dict[str, Any]: ...


class FichebotBot(ExtBot[Any], OnWire):
    """PTB's bot, plus `call`: a Bot API method sent as given, its result not parsed;
    `OnWire` claims an owed message when its request leaves (`wire.leaving`)."""

    __slots__ = ()

    async def call(self, method: str, parameters: dict[str, Any]) -> Any:
        """The method's JSON result; PTB's errors, retries and rate limiter as usual.

        Straight to `_do_post` (the rate limiter's step): `_post` before it only puts
        `Defaults` in place of PTB's DefaultValue markers and drops None values, and
        these parameters have neither (`_text` sets the parse mode and link preview)."""
        return await self._do_post(method, parameters)


async def _call(bot: Bot, method: str, parameters: dict[str, Any]) -> None:
    if not isinstance(bot, FichebotBot):
        raise TypeError(f"the bot must be made by build_application, not {type(bot).__name__}")
    await bot.call(method, parameters)


def _text(parameters: dict[str, Any], text: str, markup: Markup | None) -> dict[str, Any]:
    parameters["text"] = text
    parameters["parse_mode"] = PARSE_MODE
    parameters["link_preview_options"] = NO_PREVIEW
    if markup is not None:
        parameters["reply_markup"] = markup.to_dict()
    return parameters


def _target(query: CallbackQuery) -> dict[str, Any]:
    """Which message a press came from (an inline message has no chat)."""
    message = query.message
    if message is None:
        return {"inline_message_id": query.inline_message_id}
    return {"chat_id": message.chat.id, "message_id": message.message_id}


async def send(bot: Bot, chat_id: int, text: str, markup: Markup | None = None) -> None:
    """sendMessage: HTML text, no link preview, an optional keyboard."""
    await _call(bot, "sendMessage", _text({"chat_id": chat_id}, text, markup))


async def edit(bot: Bot, query: CallbackQuery, text: str, markup: Markup | None = None) -> None:
    """editMessageText of the pressed message; without `markup` its keyboard goes away."""
    await _call(bot, "editMessageText", _text(_target(query), text, markup))


async def remove_keyboard(bot: Bot, query: CallbackQuery) -> None:
    """editMessageReplyMarkup of the pressed message, with no keyboard."""
    await _call(bot, "editMessageReplyMarkup", _target(query))


async def answer(bot: Bot, query: CallbackQuery, notice: str | None = None) -> None:
    """answerCallbackQuery: stops the button's spinner, with a short notice if given."""
    parameters: dict[str, Any] = {"callback_query_id": query.id}
    if notice:
        parameters["text"] = notice
    await _call(bot, "answerCallbackQuery", parameters)
