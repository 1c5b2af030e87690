"""The moment a request leaves for Telegram: where an owed message is claimed.

PTB's `AIORateLimiter` holds a request until Telegram's limits allow it; a message
claimed before it waited there is lost at a crash although it never left (16 of them,
the number of concurrent sends, in every killed launch). So the claim is made here, at
the last step before the HTTP request: `OnWire` sits between PTB's `ExtBot` (whose
`_do_post` goes through the rate limiter) and `Bot` (whose `_do_post` hands the request
to the transport), and calls the claim that `leaving` put in the context of the task
sending the message.

    async with leaving(lambda: claim_reminder(...) is not None):
        await bot.send_message(...)      # claimed only once the limiter let it go

A claim that returns False (someone else claimed it meanwhile) stops the request with
`AlreadyClaimed`: nothing is sent. The claim runs at most once per `leaving` block: a
fiche is several requests, claimed by its first. A retry after a 429 goes through
here again and does not claim twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram import Bot


class AlreadyClaimed(Exception):
    """The message was claimed by another sender while it waited: not sent."""


class _Claim:
    __slots__ = ("claim", "done")

    def __init__(self, claim: Callable[[], bool]) -> None:
        self.claim = claim
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        if not self.claim():
            raise AlreadyClaimed
        self.done = True


_PENDING: ContextVar[_Claim | None] = ContextVar("fichebot_pending_claim", default=None)


@contextmanager
def leaving(claim: Callable[[], bool]) -> Iterator[_Claim]:
    """Within the block, the first request that leaves calls `claim` (sync, quick: one
    SQL statement) just before it is written to the network. `.done` says whether it
    was called: False after the block means no request ever left."""
    pending = _Claim(claim)
    token = _PENDING.set(pending)
    try:
        yield pending
    finally:
        _PENDING.reset(token)


class OnWire(Bot):
    """Mixin placed after `ExtBot` in the bot's bases: past the rate limiter."""

    __slots__ = ()

    async def _do_post(self, endpoint: str, data: Any, **kwargs: Any) -> Any:
        pending = _PENDING.get()
        if pending is not None and endpoint != "getUpdates":
            pending()
        return await super()._do_post(endpoint, data, **kwargs)
