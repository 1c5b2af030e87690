"""Sending one message to many people: campaign launch, reminders, closing.

`send_many` is the core. It sends a few messages at a time so that network latency does
not lower the rate, and leaves the pacing to PTB's `AIORateLimiter` (configured in
`app.py` never to exceed Telegram's 30 messages a second). For each message:

- logged messages (`Message.log`: campaign, place, kind, slot) are claimed in the
  reminder log just before they are sent and their outcome recorded just after
  (`storage.reminders`), so a restart — even in the middle of a batch — never sends one
  twice; only the few claimed while in flight when the process died are lost;
- 403 (the person blocked the bot): marked unreachable, never retried;
- `RetryAfter` (429): the rate limiter already waits and retries; if it gives up, the
  message is waited out and sent again here. It is never counted as a failure;
- other errors are logged with the Bot API method (never the token). A network error
  (the message surely did not go out) releases the claim, so the scheduler tries again
  at its next run; a refusal (400) or a timeout (it may have gone out) keeps it.

The three announcements of a campaign (`announce_launch`, `remind_now`,
`announce_closing`) and the scheduled reminders (`send_due_reminders`, run by the job of
`reminders.py`) are built on it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

import storage
from bot.telegram import texts
from bot.telegram.views import escape
from campaign.schedule import Target, due_reminders, is_allowed
from questionnaire import engine
from questionnaire.grid import Grid
from storage.campaigns import Campaign, current_campaign, list_campaigns, reminder_targets
from storage.reminders import (
    ERROR,
    SENT,
    UNREACHABLE,
    claim_reminder,
    mark_unreachable,
    record_outcome,
    release_reminder,
    sent_log,
    snoozes,
)

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
CONCURRENT_SENDS = 16  # messages in flight at once; the rate limiter does the pacing
MAX_RETRY_AFTER = 3  # RetryAfter waited out here once the rate limiter gave up
CLOCK = "clock"  # bot_data key of a `() -> datetime` (tests inject a fake clock)
BUSY = "broadcasting"  # bot_data key: ids of campaigns with an announcement being sent
SNOOZE_DAYS = 3
CLOSING_RESUMED_FOR = timedelta(days=2)  # an interrupted closing message is still worth it

T = TypeVar("T")


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


def now_of(application: Application) -> datetime:
    """The bot's clock: bot_data[CLOCK] when a test set one, else the real time in Paris."""
    clock: Callable[[], datetime] | None = application.bot_data.get(CLOCK)
    return clock() if clock else datetime.now(PARIS)


def _real_now() -> datetime:
    return datetime.now(PARIS)


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
                    clock: Callable[[], datetime] = _real_now,
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
        except Forbidden:
            report.unreachable += 1
            log.info("person %s blocked the bot: marked unreachable", message.chat_id)
            if reminder_id is not None:
                record_outcome(db, reminder_id, UNREACHABLE, now=clock())
            elif db is not None:
                mark_unreachable(db, message.chat_id, now=clock())
            return
        except TelegramError as exc:
            report.failed += 1
            kind = message.log.kind if message.log else "single"
            log.warning("%s to %s failed (%s message): %s", method_of(exc), message.chat_id,
                        kind, exc)
            if reminder_id is not None:
                surely_not_sent = isinstance(exc, RetryAfter) or (
                    isinstance(exc, NetworkError) and not isinstance(exc, BadRequest | TimedOut))
                if surely_not_sent:
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


# --- What is said -------------------------------------------------------------------------

def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def go_button(place_id: int, label: str) -> InlineKeyboardButton:
    """"Commencer" / "Reprendre": that place's interview (`reminders.go`)."""
    return InlineKeyboardButton(label, callback_data=f"go:{place_id}")


def snooze_button(campaign_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(texts.REMINDER_SNOOZE_BUTTON, callback_data=f"snz:{campaign_id}")


class _Progress:
    """"Vous en êtes à 12 réponse(s) sur 40", computed once per place."""

    def __init__(self, db: Database, grid: Grid, year: int) -> None:
        self.db, self.grid, self.year = db, grid, year
        self._done: dict[int, str] = {}

    def __call__(self, place_id: int) -> str:
        if place_id not in self._done:
            response = storage.find_response(self.db, place_id, self.year)
            answers = storage.load_answers(self.db, response.id) if response else {}
            if answers:
                answered, asked = engine.completion(self.grid, answers)
                self._done[place_id] = texts.REMINDER_PROGRESS.format(answered=answered,
                                                                      asked=asked)
            else:
                self._done[place_id] = texts.REMINDER_PROGRESS_NONE
        return self._done[place_id]


def _not_sent(db: Database, year: int, messages: Iterable[Message]) -> Iterator[Message]:
    """The messages about places that have still not sent their fiche of `year`: a batch
    takes a while, and a place may send in the meantime."""
    for message in messages:
        place_id = message.log.place_id if message.log else None
        if place_id is not None:
            response = storage.find_response(db, place_id, year)
            if response is not None and response.submitted:
                continue
        yield message


def _place_names(db: Database) -> dict[int, str]:
    return {place.id: place.name for place in storage.list_places(db)}


def _launch_message(campaign: Campaign, target: Target, place: str) -> Message:
    return Message(
        target.person_id,
        texts.LAUNCH_MESSAGE.format(year=campaign.year, place=escape(place),
                                    deadline=_date(campaign.deadline)),
        InlineKeyboardMarkup([[go_button(target.place_id, texts.LAUNCH_BUTTON)]]),
        LogSlot(campaign.id, target.place_id, "launch", "launch"))


def _reminder_message(campaign: Campaign, target: Target, place: str, progress: str,
                      kind: str, slot: str, due_at: datetime | None = None) -> Message:
    return Message(
        target.person_id,
        texts.REMINDER_MESSAGE.format(year=campaign.year, place=escape(place),
                                      deadline=_date(campaign.deadline), progress=progress),
        InlineKeyboardMarkup([[go_button(target.place_id, texts.REMINDER_RESUME_BUTTON)],
                              [snooze_button(campaign.id)]]),
        LogSlot(campaign.id, target.place_id, kind, slot, due_at))


def _closing_message(campaign: Campaign, target: Target, place: str) -> Message:
    return Message(
        target.person_id,
        texts.CLOSING_MESSAGE.format(year=campaign.year, place=escape(place)),
        log=LogSlot(campaign.id, target.place_id, "closing", "closing"))


# --- The three announcements --------------------------------------------------------------

def _services(application: Application):
    from bot.telegram.handlers import SERVICES

    return application.bot_data[SERVICES]


def _busy(application: Application) -> set[int]:
    return application.bot_data.setdefault(BUSY, set())


async def _send(application: Application, messages: Iterable[Message]) -> BroadcastReport:
    return await send_many(application.bot, messages, db=_services(application).db,
                           clock=lambda: now_of(application))


async def _announce(application: Application, campaign: Campaign,
                    messages: Iterable[Message]) -> BroadcastReport:
    """A coordinator's announcement; meanwhile the job leaves this campaign alone."""
    busy = _busy(application)
    busy.add(campaign.id)
    try:
        return await _send(application, messages)
    finally:
        busy.discard(campaign.id)


async def announce_launch(application: Application, campaign: Campaign) -> BroadcastReport:
    """Every reachable manager of every active place that has not sent: the invitation to
    answer for the campaign's year, with a "Commencer" button."""
    db = _services(application).db
    names = _place_names(db)
    return await _announce(application, campaign, _not_sent(db, campaign.year, (
        _launch_message(campaign, target, names[target.place_id])
        for target in reminder_targets(db, campaign) if target.place_id in names)))


async def remind_now(application: Application, campaign: Campaign) -> BroadcastReport:
    """/relancer: a reminder now to every reachable manager of every place not sent.

    Logged as kind 'manual', slot 'manual:<Paris date>': at most one a day (running it
    again the same day completes an interrupted batch and sends nothing twice), and the
    scheduler does not send another reminder right after.
    """
    s = _services(application)
    names = _place_names(s.db)
    progress = _Progress(s.db, s.grid, campaign.year)
    slot = "manual:" + now_of(application).astimezone(PARIS).date().isoformat()
    return await _announce(application, campaign, _not_sent(s.db, campaign.year, (
        _reminder_message(campaign, target, names[target.place_id],
                          progress(target.place_id), "manual", slot)
        for target in reminder_targets(s.db, campaign) if target.place_id in names)))


async def announce_closing(application: Application, campaign: Campaign) -> BroadcastReport:
    """The managers of the places that did not send are told, politely, that it is closed."""
    db = _services(application).db
    names = _place_names(db)
    return await _announce(application, campaign, (
        _closing_message(campaign, target, names[target.place_id])
        for target in reminder_targets(db, campaign) if target.place_id in names))


# --- The job: scheduled reminders, and announcements a crash interrupted ------------------

def _managers_since(db: Database) -> dict[tuple[int, int], datetime]:
    """(place, person) → since when that person manages that place."""
    return {(place_id, person_id): datetime.fromisoformat(created)
            for place_id, person_id, created in db.execute(
                "SELECT place_id, person_id, created_at FROM managers")}


def owed_announcements(db: Database, campaign: Campaign, kind: str,
                       moment: datetime | None) -> list[Target]:
    """Targets that were owed the campaign's 'launch' (or 'closing') message at `moment`
    and have no trace of it in the log: the broadcast was cut short (crash, restart)."""
    if moment is None:
        return []
    logged = {(e.place_id, e.person_id) for e in sent_log(db, campaign.id) if e.kind == kind}
    since = _managers_since(db)
    return [t for t in reminder_targets(db, campaign)
            if (t.place_id, t.person_id) not in logged
            and since.get((t.place_id, t.person_id), moment) <= moment]


def _last_closed(db: Database, now: datetime) -> Campaign | None:
    closed = [c for c in list_campaigns(db) if c.status == "closed" and c.closed_at
              and now - c.closed_at <= CLOSING_RESUMED_FOR]
    return max(closed, key=lambda c: c.closed_at, default=None)


async def send_due_reminders(application: Application) -> BroadcastReport:
    """What is due now: the schedule's reminders (quiet hours, deadline, snoozes, the
    log), and the rest of a launch or closing batch that a restart cut short.

    Nothing outside 9:00–19:00 Monday to Friday. A coordinator's announcement for the
    same campaign (launch, /relancer, closing) takes precedence: none is started while
    one is being sent, and one that starts stops this batch (the few messages already in
    flight excepted), so that nobody gets a scheduled reminder on top of it, and nobody
    gets one after the campaign is closed.
    """
    s = _services(application)
    now = now_of(application)
    report = BroadcastReport()
    if not is_allowed(now):
        return report
    busy = _busy(application)
    names = _place_names(s.db)

    def unless_busy(campaign: Campaign, messages: Iterable[Message]) -> Iterator[Message]:
        for message in messages:
            if campaign.id in busy:
                return
            yield message

    closed = _last_closed(s.db, now)
    if closed is not None and closed.id not in busy:
        owed = owed_announcements(s.db, closed, "closing", closed.closed_at)
        if owed:
            log.info("campaign %s: %s closing message(s) were not sent, sending them",
                     closed.year, len(owed))
            report.add(await _send(application, unless_busy(closed, (
                _closing_message(closed, t, names[t.place_id])
                for t in owed if t.place_id in names))))

    campaign = current_campaign(s.db)
    if campaign is None or not campaign.is_open or campaign.id in busy:
        return report
    owed = owed_announcements(s.db, campaign, "launch", campaign.launched_at)
    if owed:
        log.info("campaign %s: %s launch message(s) were not sent, sending them",
                 campaign.year, len(owed))
        report.add(await _send(application, unless_busy(campaign, _not_sent(
            s.db, campaign.year, (_launch_message(campaign, t, names[t.place_id])
                                  for t in owed if t.place_id in names)))))

    due = due_reminders(campaign, reminder_targets(s.db, campaign), sent_log(s.db, campaign.id),
                        snoozes(s.db, campaign.id), now)
    progress = _Progress(s.db, s.grid, campaign.year)
    report.add(await _send(application, unless_busy(campaign, _not_sent(s.db, campaign.year, (
        _reminder_message(campaign, Target(d.place_id, d.person_id), names[d.place_id],
                          progress(d.place_id), d.kind, d.slot, d.due_at)
        for d in due if d.place_id in names)))))
    return report
