"""Updates of different chats at once, those of one chat in order.

PTB handles updates one at a time by default: a group whose replies wait on Telegram's
limit for groups (20 messages a minute) held every manager back (74.6 s for one reply
while someone sent 45 commands in a group). `PerChatProcessor` (PTB's
`concurrent_updates`) runs each chat in its own lane: a chat's updates are handled in
the order they came, one at a time, and the lanes run concurrently. An update with no
chat (a press on an inline message) takes the lane of the person's private chat; one
with neither (a poll) runs at once.

A group or channel is answered once — the bot only works in private and says so — and
then left alone for `GROUP_QUIET`: its commands in the meantime are dropped here
without being handled, so a flood in a group costs one reply and cannot fill the lanes.

PTB holds its concurrency semaphore while an update waits for its lane, so the limit
is set high (`MAX_CONCURRENT`): it bounds memory, not fairness. Handlers never await
inside a database transaction, which is what makes running them concurrently safe.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT = 512
GROUP_QUIET = 600.0  # seconds a group is not answered again


def lane_of(update: object) -> int | None:
    """The chat an update belongs to (the person's private chat for an inline-message
    press), or None when it has neither chat nor person."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


def _group_command(update: object) -> bool:
    """A command written in a group, supergroup or channel (what the bot answers there)."""
    if not isinstance(update, Update):
        return False
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return False
    message = update.effective_message
    return bool(message is not None and message.text and message.text.startswith("/"))


class _Lane:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatProcessor(BaseUpdateProcessor):
    """One lane per chat; a group's commands are answered once per `group_quiet`."""

    __slots__ = ("_answered_groups", "_clock", "_group_quiet", "_lanes", "dropped")

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT, *,
                 group_quiet: float = GROUP_QUIET,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(max_concurrent_updates)
        self._lanes: dict[int, _Lane] = {}
        self._answered_groups: dict[int, float] = {}
        self._group_quiet = group_quiet
        self._clock = clock
        self.dropped = 0  # group commands dropped while the group was quiet

    def _quiet(self, chat_id: int) -> bool:
        """True if the group was answered less than `group_quiet` ago; else it is now."""
        now = self._clock()
        last = self._answered_groups.get(chat_id)
        if last is not None and now - last < self._group_quiet:
            return True
        if len(self._answered_groups) > 10_000:  # forget groups long quiet
            self._answered_groups = {c: t for c, t in self._answered_groups.items()
                                     if now - t < self._group_quiet}
        self._answered_groups[chat_id] = now
        return False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = lane_of(update)
        if key is None:
            await coroutine
            return
        if _group_command(update) and self._quiet(key):
            self.dropped += 1
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()  # never awaited: no "coroutine was never awaited" warning
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        lane.users += 1
        try:
            async with lane.lock:
                await coroutine
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the lanes empty as their updates finish."""
