"""The bot's own reminders: the periodic job, and "Me le rappeler dans 3 jours" ("snz:").

A JobQueue job (APScheduler under PTB) wakes up every few minutes and sends what
`campaign.schedule.due_reminders` says is due: everything is derived from the database
(the campaign, who has not sent, the log of what went out, snoozes), so a restart
neither doubles nor drops a reminder; it also finishes a launch or closing batch that a
restart cut short (`broadcast.send_due_reminders`). Every rule (quiet hours, snooze
length…) is `campaign.schedule`'s. The clock is `context.now_of` (tests put a fake one
in bot_data). "Commencer" under a reminder opens the interview (`features/interview.go`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.telegram import broadcast, callbacks, texts
from bot.telegram.context import now_of, say, services
from campaign.clock import PARIS
from campaign.schedule import SNOOZE_DAYS
from storage.campaigns import campaign_by_id
from storage.reminders import snooze

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)
FIRST = timedelta(seconds=20)


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    report = await broadcast.send_due_reminders(context.application)
    if report.sent or report.unreachable or report.failed:
        log.info("reminders: %s sent, %s unreachable, %s failed", report.sent,
                 report.unreachable, report.failed)


async def snooze_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Me le rappeler dans 3 jours". A second tap moves the snooze to 3 days from then;
    a tap after the campaign closed (or on unreadable data) changes nothing and says so."""
    query = update.callback_query
    s = services(context)
    press = callbacks.decode_snooze(query.data)
    campaign = None
    if press is not None:
        campaign = campaign_by_id(s.db, press.campaign_id)
    if campaign is None or not campaign.is_open:
        await query.answer(texts.SNOOZE_CLOSED)
        return
    await query.answer()
    until = snooze(s.db, campaign.id, update.effective_user.id, SNOOZE_DAYS,
                   now_of(context.application))
    await say(context, update.effective_chat.id,
              texts.SNOOZED.format(date=until.astimezone(PARIS).strftime("%d/%m/%Y")))


def schedule(application: Application) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(reminder_job, interval=EVERY, first=FIRST,
                                            name="reminders")
