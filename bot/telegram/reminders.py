"""The bot's own reminders, and the buttons that come with its announcements.

A JobQueue job (APScheduler under PTB) wakes up every few minutes and sends what
`campaign.schedule.due_reminders` says is due: everything is derived from the database
(the campaign, who has not sent, the log of what went out, snoozes), so a restart
neither doubles nor drops a reminder; it also finishes a launch or closing batch that a
restart cut short (`broadcast.send_due_reminders`). Quiet hours are the schedule's
business. The clock is `broadcast.now_of` (tests put a fake one in bot_data).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, ContextTypes

import storage
from bot.telegram import broadcast, texts
from bot.telegram.handlers import _step_command, services
from questionnaire import engine
from storage.campaigns import get_campaign
from storage.reminders import snooze
from storage.roles import set_current_place
from storage.updates import claim_update

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)
FIRST = timedelta(seconds=20)


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    report = await broadcast.send_due_reminders(context.application)
    if report.sent or report.unreachable or report.failed:
        log.info("reminders: %s sent, %s unreachable, %s failed", report.sent,
                 report.unreachable, report.failed)


async def go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Commencer" / "Reprendre" under an announcement: that place's interview."""
    query = update.callback_query
    s = services(context)
    try:
        place_id = int(query.data.split(":", 1)[1])
        if not storage.get_place(s.db, place_id).active:
            raise storage.NotFound(f"place {place_id} was removed")
        set_current_place(s.db, update.effective_user.id, place_id)
    except (ValueError, storage.NotFound):
        if claim_update(s.db, update.update_id):
            await query.answer()
            await context.bot.send_message(update.effective_chat.id, texts.GO_UNKNOWN_PLACE)
        return
    await query.answer()
    await _step_command(update, context, engine.Show())


async def snooze_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Me le rappeler dans 3 jours". A second tap moves the snooze to 3 days from then;
    a tap after the campaign closed changes nothing and says so."""
    query = update.callback_query
    s = services(context)
    if not claim_update(s.db, update.update_id):
        return
    try:
        campaign = get_campaign(s.db, int(query.data.split(":", 1)[1]))
    except (ValueError, storage.NotFound):
        campaign = None
    if campaign is None or not campaign.is_open:
        await query.answer(texts.SNOOZE_CLOSED)
        return
    await query.answer()
    until = snooze(s.db, campaign.id, update.effective_user.id, broadcast.SNOOZE_DAYS,
                   broadcast.now_of(context.application))
    await context.bot.send_message(
        update.effective_chat.id,
        texts.SNOOZED.format(date=until.astimezone(broadcast.PARIS).strftime("%d/%m/%Y")))


BUTTONS = {r"^go:": go, r"^snz:": snooze_button}


def schedule(application: Application) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(reminder_job, interval=EVERY, first=FIRST,
                                            name="reminders")
