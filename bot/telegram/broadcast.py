"""Sending one message to many managers: campaign launch, reminders, closing.

Every message goes through the reminder log (`storage.reminders`): its slot is claimed
before it is sent and its outcome recorded after, so a restart — even in the middle of
a batch — never sends a message twice, and the scheduler knows who was contacted when.

Pacing is PTB's `AIORateLimiter` (Telegram's 30 messages a second overall); sends run a
few at a time so that the network latency does not lower the rate. A 403 (the person
blocked the bot) marks them unreachable and is never retried; a `RetryAfter` that the
limiter could not absorb is waited out and retried, not counted as a failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

import storage
from bot.telegram import texts
from bot.telegram.views import escape
from campaign.schedule import Target, due_reminders
from questionnaire import engine
from questionnaire.grid import Grid
from storage.campaigns import Campaign, current_campaign, reminder_targets
from storage.reminders import (
    SENT,
    UNREACHABLE,
    claim_reminder,
    record_outcome,
    release_reminder,
    sent_log,
    snoozes,
)

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
CONCURRENT_SENDS = 16
MAX_RETRY_AFTER = 3
CLOCK = "clock"  # bot_data key of a `() -> datetime` (tests inject a fake clock)
SNOOZE_DAYS = 3


@dataclass
class BroadcastReport:
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    skipped: int = 0  # already sent before (its slot was in the log)


@dataclass(frozen=True)
class Outgoing:
    """One logged message: who, about which place, which slot, what to say."""

    campaign_id: int
    place_id: int
    person_id: int
    kind: str
    slot: str
    text: str
    markup: InlineKeyboardMarkup | None = None
    due_at: datetime | None = None


def now_of(application: Application) -> datetime:
    clock: Callable[[], datetime] | None = application.bot_data.get(CLOCK)
    return clock() if clock else datetime.now(PARIS)


def _services(application: Application):
    from bot.telegram.handlers import SERVICES

    return application.bot_data[SERVICES]


async def send_logged(application: Application, messages: Iterable[Outgoing]
                      ) -> BroadcastReport:
    """Claim, send and record each message; see the module docstring."""
    db: Database = _services(application).db
    bot = application.bot
    report = BroadcastReport()
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    now = now_of(application)

    async def deliver(message: Outgoing, reminder_id: int) -> None:
        async with gate:
            for attempt in range(MAX_RETRY_AFTER + 1):
                try:
                    await bot.send_message(message.person_id, message.text,
                                           reply_markup=message.markup)
                except RetryAfter as exc:  # not a failure: wait and send again
                    if attempt == MAX_RETRY_AFTER:
                        release_reminder(db, reminder_id)
                        report.failed += 1
                        return
                    delay = exc.retry_after
                    await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds")
                                        else float(delay))
                    continue
                except Forbidden:
                    record_outcome(db, reminder_id, UNREACHABLE, now=now)
                    report.unreachable += 1
                    log.info("person %s blocked the bot: marked unreachable", message.person_id)
                    return
                except TelegramError as exc:
                    release_reminder(db, reminder_id)  # due again at the next run
                    report.failed += 1
                    log.warning("could not send a %s message to %s: %s", message.kind,
                                message.person_id, exc)
                    return
                record_outcome(db, reminder_id, SENT, now=now)
                report.sent += 1
                return

    tasks = []
    for message in messages:
        reminder_id = claim_reminder(db, message.campaign_id, message.place_id,
                                     message.person_id, message.kind, message.slot,
                                     due_at=message.due_at, now=now)
        if reminder_id is None:
            report.skipped += 1
            continue
        tasks.append(asyncio.create_task(deliver(message, reminder_id)))
    if tasks:
        await asyncio.gather(*tasks)
    return report


# --- What is said -------------------------------------------------------------------------

def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def go_button(place_id: int, label: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=f"go:{place_id}")


def _progress(db: Database, grid: Grid, place_id: int, year: int) -> str:
    response = storage.find_response(db, place_id, year)
    answers = storage.load_answers(db, response.id) if response else {}
    if not answers:
        return texts.REMINDER_PROGRESS_NONE
    answered, asked = engine.completion(grid, answers)
    return texts.REMINDER_PROGRESS.format(answered=answered, asked=asked)


def _place_names(db: Database) -> dict[int, str]:
    return {place.id: place.name for place in storage.list_places(db)}


def _launch_message(campaign: Campaign, target: Target, place: str) -> Outgoing:
    return Outgoing(
        campaign.id, target.place_id, target.person_id, "launch", "launch",
        texts.LAUNCH_MESSAGE.format(year=campaign.year, place=escape(place),
                                    deadline=_date(campaign.deadline)),
        InlineKeyboardMarkup([[go_button(target.place_id, texts.LAUNCH_BUTTON)]]))


def _reminder_message(db: Database, grid: Grid, campaign: Campaign, target: Target,
                      place: str, kind: str, slot: str, due_at: datetime | None = None
                      ) -> Outgoing:
    text = texts.REMINDER_MESSAGE.format(
        year=campaign.year, place=escape(place), deadline=_date(campaign.deadline),
        progress=_progress(db, grid, target.place_id, campaign.year))
    markup = InlineKeyboardMarkup([
        [go_button(target.place_id, texts.REMINDER_RESUME_BUTTON)],
        [InlineKeyboardButton(texts.REMINDER_SNOOZE_BUTTON,
                              callback_data=f"snz:{campaign.id}")],
    ])
    return Outgoing(campaign.id, target.place_id, target.person_id, kind, slot, text, markup,
                    due_at)


# --- The three announcements and the scheduled reminders -----------------------------------

async def announce_launch(application: Application, campaign: Campaign) -> BroadcastReport:
    """Every reachable manager of every active place: the invitation to answer."""
    db = _services(application).db
    names = _place_names(db)
    return await send_logged(application, [
        _launch_message(campaign, target, names[target.place_id])
        for target in reminder_targets(db, campaign)])


async def remind_now(application: Application, campaign: Campaign) -> BroadcastReport:
    """/relancer: every manager of every place not sent, at most once a day."""
    s = _services(application)
    names = _place_names(s.db)
    slot = "manual:" + now_of(application).astimezone(PARIS).date().isoformat()
    return await send_logged(application, [
        _reminder_message(s.db, s.grid, campaign, target, names[target.place_id], "manual",
                          slot)
        for target in reminder_targets(s.db, campaign)])


async def announce_closing(application: Application, campaign: Campaign) -> BroadcastReport:
    """The late managers are told, politely, that the campaign is closed."""
    db = _services(application).db
    names = _place_names(db)
    return await send_logged(application, [
        Outgoing(campaign.id, target.place_id, target.person_id, "closing", "closing",
                 texts.CLOSING_MESSAGE.format(year=campaign.year,
                                              place=escape(names[target.place_id])))
        for target in reminder_targets(db, campaign)])


async def send_due_reminders(application: Application) -> BroadcastReport:
    """What the schedule says is due now (quiet hours, deadline, snoozes, the log)."""
    s = _services(application)
    campaign = current_campaign(s.db)
    if campaign is None or not campaign.is_open:
        return BroadcastReport()
    now = now_of(application)
    due = due_reminders(campaign, reminder_targets(s.db, campaign), sent_log(s.db, campaign.id),
                        snoozes(s.db, campaign.id), now)
    names = _place_names(s.db)
    return await send_logged(application, [
        _reminder_message(s.db, s.grid, campaign, Target(d.place_id, d.person_id),
                          names[d.place_id], d.kind, d.slot, d.due_at)
        for d in due if d.due_at <= now and d.place_id in names])
