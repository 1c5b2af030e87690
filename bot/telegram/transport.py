"""The HTTP side: Bot API errors remember which call failed, without the token.

python-telegram-bot raises `BadRequest("Message is too long")` without saying which
method or parameters were refused. `NoteFailedCalls` (a mixin for any
`telegram.request.BaseRequest`) attaches `telegram_call = (method, parameters)` to the
error so that the error handler can log it. The URL, which holds the token, is not kept.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram.error import TelegramError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

PARAMETER_SHOWN = 300  # characters of a parameter value kept for the log
# An invitation link (t.me/<bot>?start=<token>) in a message: only the token's first 4
# characters may be logged (storage.invitations.token_prefix).
_INVITATION = re.compile(r"(start=)([A-Za-z0-9_-]{4})[A-Za-z0-9_-]+")


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        value = _INVITATION.sub(r"\1\2…", value)
        if len(value) > PARAMETER_SHOWN:
            return value[:PARAMETER_SHOWN] + f"… ({len(value)} characters)"
    return value


PEOPLE_IDS = frozenset({"chat_id", "user_id"})  # Telegram ids: never in a log


def describe_call(url: str, request_data: RequestData | None) -> tuple[str, dict[str, Any]]:
    """(method, parameters) of a Bot API call; files show as attach:// references, and a
    chat's or user's Telegram id as "…" (logs name people by number: `who.py`)."""
    method = url.rstrip("/").rsplit("/", 1)[-1]
    parameters = request_data.parameters if request_data is not None else {}
    return method, {name: "…" if name in PEOPLE_IDS else _shown(value)
                    for name, value in parameters.items()}


class NoteFailedCalls(BaseRequest):
    """Mixin: a TelegramError raised by a call carries `telegram_call`."""

    async def post(self, url: str, request_data: RequestData | None = None,
                   *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().post(url, request_data, *args, **kwargs)
        except TelegramError as exc:
            exc.telegram_call = describe_call(url, request_data)  # type: ignore[attr-defined]
            raise


class BotRequest(NoteFailedCalls, HTTPXRequest):
    """The HTTPX transport of the bot's API calls (not of getUpdates)."""


def failed_call(error: BaseException) -> str:
    """"sendMessage {...}" for an error raised by a call, "" otherwise."""
    call = getattr(error, "telegram_call", None)
    if not call:
        return ""
    method, parameters = call
    return f"{method} {parameters!r}"
