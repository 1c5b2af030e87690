"""Sending to Telegram: what a failed call means, and sending one message to many people.

`fate_of` is the ONE reading of a failed Bot API call, used by `send_many`, by the
fiche's delivery and by the error handler:

- 403 (`Forbidden`: the person blocked the bot) → UNREACHABLE: marked so, never retried
  until they write again (`mark_if_blocked`);
- 429 (`RetryAfter`) → WAIT: waited out and sent again (`patiently`), never a failure;
- a network error (the request surely did not go out) → NOT_SENT: worth trying again;
- anything else, a 400 or a timeout (it may have gone out) → MAYBE_SENT.

`send_many` sends a few messages at a time so that network latency does not lower the
rate, and leaves the pacing to PTB's `AIORateLimiter` (configured in `app.py` never to
exceed Telegram's 30 messages a second). Logged messages (`Message.log`: campaign,
place, kind, slot) are claimed in the reminder log just before they are sent and their
outcome recorded just after (`storage.reminders`), so a restart — even in the middle of
a batch — never sends one twice; only the few claimed while in flight when the process
died are lost. A NOT_SENT releases the claim (due again at the next run); a MAYBE_SENT
keeps it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlite_utils import Database
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from campaign import clock
from storage.reminders import (
    ERROR,
    SENT,
    UNREACHABLE,
    claim_reminder,
    mark_unreachable,
    record_outcome,
    release_reminder,
)

log = logging.getLogger(__name__)

CONCURRENT_SENDS = 16  # messages in flight at once; the rate limiter does the pacing
MAX_RETRY_AFTER = 3  # RetryAfter waited out here once the rate limiter gave up

T = TypeVar("T")


class Fate(StrEnum):
    """What a failed Bot API call means for the message (see the module docstring)."""

    UNREACHABLE = "unreachable"
    WAIT = "wait"
    NOT_SENT = "not_sent"
    MAYBE_SENT = "maybe_sent"


def fate_of(error: BaseException) -> Fate:
    if isinstance(error, Forbidden):
        return Fate.UNREACHABLE
    if isinstance(error, RetryAfter):
        return Fate.WAIT
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest | TimedOut):
        return Fate.NOT_SENT
    return Fate.MAYBE_SENT


def mark_if_blocked(db: Database | None, chat_id: int | None, error: BaseException,
                    now: datetime | None = None) -> bool:
    """A 403 from a private chat: its person is marked unreachable. True if it was one."""
    if fate_of(error) is not Fate.UNREACHABLE:
        return False
    log.info("person %s blocked the bot: marked unreachable", chat_id)
    if db is not None and chat_id is not None and chat_id > 0:
        mark_unreachable(db, chat_id, now=now or clock.now())
    return True


@dataclass
class BroadcastReport:
    sent: int = 0
    unreachable: int = 0  # 403: blocked the bot; marked unreachable
    failed: int = 0  # logged; RetryAfter is not a failure
    skipped: int = 0  # already in the reminder log (sent before)

    def add(self, other: BroadcastReport) -> None:
        self.sent += other.sent
        self.unreachable += other.unreachable
        self.failed += other.failed
        self.skipped += other.skipped


@dataclass(frozen=True)
class LogSlot:
    """Where a message is kept in the reminder log (`storage.reminders.claim_reminder`)."""

    campaign_id: int
    place_id: int
    kind: str
    slot: str
    due_at: datetime | None = None


@dataclass(frozen=True)
class Message:
    """One message to one private chat (chat id = the person's Telegram id)."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    log: LogSlot | None = None


async def _sleep(seconds: float) -> None:  # replaced by tests
    await asyncio.sleep(seconds)


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+ warns that it will become a timedelta
        warnings.simplefilter("ignore")
        delay: Any = error.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


def method_of(error: BaseException) -> str:
    """The Bot API method whose call failed ("sendMessage"), from `transport`."""
    call = getattr(error, "telegram_call", None)
    return call[0] if call else "a Bot API call"


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    """Make a Bot API call; a RetryAfter the rate limiter could not absorb is waited out."""
    for attempt in range(MAX_RETRY_AFTER + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == MAX_RETRY_AFTER:
                raise
            seconds = _retry_seconds(exc)
            log.info("Telegram asks to wait %.0f s (%s): waiting", seconds, method_of(exc))
            await _sleep(seconds)
    raise AssertionError("unreachable")


async def send_many(bot: Bot, messages: Iterable[Message], *, db: Database | None = None,
                    clock: Callable[[], datetime] = clock.now,
                    concurrency: int | None = None) -> BroadcastReport:
    """Send every message, `concurrency` (default `CONCURRENT_SENDS`) at a time; see the
    module docstring. Never raises for one message: a failure is counted and logged.

    `db` is needed for logged messages and to mark people who blocked the bot. The
    messages may be a generator: it is consumed as sending goes, so a message is built
    (and claimed) only when it is its turn.
    """
    report = BroadcastReport()
    pending: Iterator[Message] = iter(messages)

    async def send_one(message: Message) -> None:
        reminder_id = None
        if message.log is not None:
            slot = message.log
            reminder_id = claim_reminder(db, slot.campaign_id, slot.place_id, message.chat_id,
                                         slot.kind, slot.slot, due_at=slot.due_at, now=clock())
            if reminder_id is None:
                report.skipped += 1
                return
        try:
            await patiently(lambda: bot.send_message(message.chat_id, message.text,
                                                     reply_markup=message.markup))
        except TelegramError as exc:
            fate = fate_of(exc)
            if fate is Fate.UNREACHABLE:
                report.unreachable += 1
                if reminder_id is not None:
                    log.info("person %s blocked the bot: marked unreachable",
                             message.chat_id)
                    record_outcome(db, reminder_id, UNREACHABLE, now=clock())
                else:
                    mark_if_blocked(db, message.chat_id, exc, clock())
                return
            report.failed += 1
            kind = message.log.kind if message.log else "single"
            log.warning("%s to %s failed (%s message): %s", method_of(exc), message.chat_id,
                        kind, exc)
            if reminder_id is not None:
                if fate in (Fate.WAIT, Fate.NOT_SENT):
                    release_reminder(db, reminder_id)  # due again at the next run
                else:
                    record_outcome(db, reminder_id, ERROR, now=clock())
            return
        report.sent += 1
        if reminder_id is not None:
            record_outcome(db, reminder_id, SENT, now=clock())

    async def worker() -> None:
        for message in pending:  # the workers share the iterator: each takes the next
            if message.log is not None and db is None:
                raise ValueError("a logged message needs the database")
            try:
                await send_one(message)
            except Exception:  # the database, a bug: this message only, not the batch
                report.failed += 1
                log.exception("sending a message to %s failed", message.chat_id)

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency or CONCURRENT_SENDS))))
    return report
