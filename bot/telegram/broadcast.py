"""A campaign's announcements: the launch, /relancer, the closing, and the scheduled
reminders (with what a crash left unsent). Sending itself is `sending.send_many`.

The three announcements of a coordinator (`announce_launch`, `remind_now`,
`announce_closing`) and the job's `send_due_reminders` (run by `features/reminders.py`)
build their messages here, lazily, so that a place that sends its fiche in the middle
of a batch is not reminded. Which reminder is due when is `campaign.schedule`'s pure
business; the clock is `context.now_of`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

import storage
from bot.telegram import callbacks, texts
from bot.telegram.context import CLOCK, now_of, services
from bot.telegram.sending import BroadcastReport, LogSlot, Message, send_many
from bot.telegram.views import escape
from campaign.clock import PARIS
from campaign.schedule import CLOSING_RESUMED_FOR, Target, due_reminders, is_allowed
from campaign.states import CampaignStatus, ReminderKind
from campaign.upcoming import ManualPlan, deadline_change_slot, manual_plan
from questionnaire.grid import Grid
from questionnaire.progress import section_progress
from questionnaire.versions import grid_for_version
from storage.campaigns import (
    Campaign,
    current_campaign,
    list_campaigns,
    reminder_targets,
    take_manual_reminder,
)
from storage.reminders import sent_log, snoozes

log = logging.getLogger(__name__)

__all__ = ["CLOCK", "BroadcastReport", "announce_closing", "announce_launch", "remind_now",
           "send_due_reminders"]

BUSY = "broadcasting"  # bot_data key: ids of campaigns with an announcement being sent


# --- What is said -------------------------------------------------------------------------

def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def go_button(place_id: int, label: str) -> InlineKeyboardButton:
    """"Commencer" / "Reprendre": that place's interview (`reminders.go`)."""
    return InlineKeyboardButton(label, callback_data=callbacks.go(place_id))


def snooze_button(campaign_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(texts.REMINDER_SNOOZE_BUTTON,
                                callback_data=callbacks.snooze(campaign_id))


class _Progress:
    """"Vous en êtes à 7 sections sur 12", computed once per place."""

    def __init__(self, db: Database, grid: Grid, year: int) -> None:
        self.db, self.grid, self.year = db, grid, year
        self._done: dict[int, str] = {}

    def __call__(self, place_id: int) -> str:
        if place_id not in self._done:
            response = storage.find_response(self.db, place_id, self.year)
            answers = storage.load_answers(self.db, response.id) if response else {}
            if answers:
                done = section_progress(grid_for_version(response.grid_version, self.grid),
                                        answers)
                self._done[place_id] = texts.REMINDER_PROGRESS.format(
                    answered=texts.count(done.answered, "section", "sections"),
                    asked=texts.number(done.asked))
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
        LogSlot(campaign.id, target.place_id, ReminderKind.LAUNCH, "launch"))


def _reminder_message(campaign: Campaign, target: Target, place: str, progress: str,
                      kind: str, slot: str, today: date, due_at: datetime | None = None
                      ) -> Message:
    """A reminder; once the deadline is past (the campaign still open), it says so."""
    text = texts.REMINDER_MESSAGE_LATE if today > campaign.deadline else texts.REMINDER_MESSAGE
    return Message(
        target.person_id,
        text.format(year=campaign.year, place=escape(place),
                    deadline=_date(campaign.deadline), progress=progress),
        InlineKeyboardMarkup([[go_button(target.place_id, texts.REMINDER_RESUME_BUTTON)],
                              [snooze_button(campaign.id)]]),
        LogSlot(campaign.id, target.place_id, kind, slot, due_at))


def _closing_message(campaign: Campaign, target: Target, place: str) -> Message:
    return Message(
        target.person_id,
        texts.CLOSING_MESSAGE.format(year=campaign.year, place=escape(place)),
        log=LogSlot(campaign.id, target.place_id, ReminderKind.CLOSING, "closing"))


# --- The three announcements --------------------------------------------------------------

def _services(application: Application[Any, Any, Any, Any, Any, Any]):
    return services(application)


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


async def remind_now(application: Application, campaign: Campaign,
                     plan: ManualPlan) -> BroadcastReport:
    """/relancer: a reminder to the targets `campaign.upcoming.manual_plan` kept (quiet
    hours, snoozes and recent contacts are its business).

    Logged as kind 'manual', slot 'manual:<Paris date>': at most one a day (running it
    again the same day completes an interrupted batch and sends nothing twice), and the
    scheduler does not send another reminder right after.
    """
    s = _services(application)
    names = _place_names(s.db)
    progress = _Progress(s.db, s.grid, campaign.year)
    today = now_of(application).astimezone(PARIS).date()
    return await _announce(application, campaign, _not_sent(s.db, campaign.year, (
        _reminder_message(campaign, target, names[target.place_id],
                          progress(target.place_id), ReminderKind.MANUAL, plan.slot, today)
        for target in plan.send if target.place_id in names)))


def manual_plan_now(application: Application, campaign: Campaign) -> ManualPlan:
    """What a /relancer would do now, from the database (`campaign.upcoming.manual_plan`)."""
    db = _services(application).db
    return manual_plan(reminder_targets(db, campaign), sent_log(db, campaign.id),
                       snoozes(db, campaign.id), now_of(application))


async def announce_deadline(application: Application, campaign: Campaign,
                            before: date) -> BroadcastReport:
    """The deadline of an open campaign moved: each reachable manager of each place that
    has not sent is told, once per change (slot `deadline_change_slot`), in words that
    say whether it is good news."""
    db = _services(application).db
    names = _place_names(db)
    slot = deadline_change_slot(campaign.deadline, now_of(application))
    text = (texts.DEADLINE_LATER_MESSAGE if campaign.deadline > before
            else texts.DEADLINE_EARLIER_MESSAGE)
    return await _announce(application, campaign, _not_sent(db, campaign.year, (
        Message(target.person_id,
                text.format(
                    year=campaign.year, place=escape(names[target.place_id]),
                    deadline=_date(campaign.deadline), before=_date(before)),
                InlineKeyboardMarkup([[go_button(target.place_id,
                                                 texts.REMINDER_RESUME_BUTTON)]]),
                LogSlot(campaign.id, target.place_id, ReminderKind.DEADLINE_MOVED, slot))
        for target in reminder_targets(db, campaign) if target.place_id in names)))


async def announce_closing(application: Application, campaign: Campaign) -> BroadcastReport:
    """The managers of the places that did not send are told, politely, that it is closed."""
    db = _services(application).db
    names = _place_names(db)
    return await _announce(application, campaign, (
        _closing_message(campaign, target, names[target.place_id])
        for target in reminder_targets(db, campaign) if target.place_id in names))


def problems(report: BroadcastReport) -> str:
    """" (1 injoignable, 2 échecs)", " (1 injoignable)", or nothing when all went well."""
    parts = []
    if report.unreachable:
        parts.append(texts.count(report.unreachable, "injoignable", "injoignables"))
    if report.failed:
        parts.append(texts.count(report.failed, "échec", "échecs"))
    return texts.REMIND_PROBLEMS.format(parts=", ".join(parts)) if parts else ""


# --- The job: scheduled reminders, and announcements a crash interrupted ------------------

def owed_announcements(db: Database, campaign: Campaign, kind: str,
                       moment: datetime | None) -> list[Target]:
    """Targets that were owed the campaign's 'launch' (or 'closing') message at `moment`
    and have no trace of it in the log: the broadcast was cut short (crash, restart)."""
    if moment is None:
        return []
    logged = {(e.place_id, e.person_id) for e in sent_log(db, campaign.id) if e.kind == kind}
    return [t for t in reminder_targets(db, campaign, managers_by=moment)
            if (t.place_id, t.person_id) not in logged]


def _last_closed(db: Database, now: datetime) -> Campaign | None:
    closed = [c for c in list_campaigns(db) if c.status == CampaignStatus.CLOSED and c.closed_at
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
        owed = owed_announcements(s.db, closed, ReminderKind.CLOSING, closed.closed_at)
        if owed:
            log.info("campaign %s: %s closing message(s) were not sent, sending them",
                     closed.year, len(owed))
            report.add(await _send(application, unless_busy(closed, (
                _closing_message(closed, t, names[t.place_id])
                for t in owed if t.place_id in names))))

    campaign = current_campaign(s.db)
    if campaign is None or not campaign.is_open or campaign.id in busy:
        return report
    owed = owed_announcements(s.db, campaign, ReminderKind.LAUNCH, campaign.launched_at)
    if owed:
        log.info("campaign %s: %s launch message(s) were not sent, sending them",
                 campaign.year, len(owed))
        report.add(await _send(application, unless_busy(campaign, _not_sent(
            s.db, campaign.year, (_launch_message(campaign, t, names[t.place_id])
                                  for t in owed if t.place_id in names)))))

    if take_manual_reminder(s.db, campaign, now):  # a /relancer asked outside the hours
        plan = manual_plan_now(application, campaign)
        manual = await remind_now(application, campaign, plan)
        report.add(manual)
        if campaign.manual_reminder_by is not None:
            await _send(application, [Message(
                campaign.manual_reminder_by, texts.REMIND_DEFERRED_DONE.format(
                    people=texts.count(manual.sent, "gestionnaire relancé·e",
                                       "gestionnaires relancé·e·s"),
                    problems=problems(manual)))])

    due = due_reminders(campaign, reminder_targets(s.db, campaign), sent_log(s.db, campaign.id),
                        snoozes(s.db, campaign.id), now)
    progress = _Progress(s.db, s.grid, campaign.year)
    report.add(await _send(application, unless_busy(campaign, _not_sent(s.db, campaign.year, (
        _reminder_message(campaign, Target(d.place_id, d.person_id), names[d.place_id],
                          progress(d.place_id), d.kind, d.slot,
                          now.astimezone(PARIS).date(), d.due_at)
        for d in due if d.place_id in names)))))
    return report
