"""Coordinators' commands for the annual campaign: /campagne_creer, /campagne_lancer,
/campagne_statut, /campagne_rappels, /relancer, /campagne_cloturer (and its
confirmation, "cc:"), /campagnes, /export.

The command table checks the roles and records the update before each handler, so a
redelivered command is not applied twice. Sending to many managers is `broadcast`'s job.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

import storage
from bot.telegram import broadcast, callbacks, texts
from bot.telegram.context import end_confirmation, now_of, say, say_long, services
from bot.telegram.sending import BroadcastReport
from bot.telegram.views import escape
from campaign.clock import PARIS
from campaign.export import export, export_filename
from campaign.states import PlaceState
from storage.campaigns import (
    CLOSED,
    DRAFT,
    AnotherCampaignOpen,
    Campaign,
    DeadlinePassed,
    DuplicateCampaign,
    WrongStatus,
    campaign_responses,
    campaign_status,
    close_campaign,
    create_campaign,
    current_campaign,
    find_campaign,
    launch_campaign,
    list_campaigns,
    response_counts,
    set_deadline,
    set_reminder_schedule,
)

_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")  # 30/06/2026, 30.06.2026


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _problems(report: BroadcastReport) -> str:
    if not report.unreachable and not report.failed:
        return ""
    return texts.BROADCAST_PROBLEMS.format(unreachable=report.unreachable, failed=report.failed)


def parse_date(text: str) -> date | None:
    """JJ/MM/AAAA (or with dots or dashes) → a date; None if it is not one."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match[4]), int(match[3]), int(match[1]))
    except ValueError:
        return None


async def create(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_creer <année> <JJ/MM/AAAA>."""
    s = services(context)
    chat_id = update.effective_chat.id
    args = context.args or []
    if len(args) != 2:
        await say(context, chat_id, texts.CAMPAIGN_CREATE_USAGE)
        return
    if not args[0].isdigit() or not 2000 <= int(args[0]) <= 2100:
        await say(context, chat_id, texts.CAMPAIGN_BAD_YEAR)
        return
    deadline = parse_date(args[1])
    if deadline is None:
        await say(context, chat_id, texts.CAMPAIGN_BAD_DATE)
        return
    if abs(deadline.year - int(args[0])) > 1:  # a typo, e.g. 30/06/2062 for 2026
        await say(context, chat_id, texts.CAMPAIGN_DEADLINE_FAR.format(
            deadline=_date(deadline), year=int(args[0])))
        return
    year, now = int(args[0]), now_of(context.application)
    draft = find_campaign(s.db, year)
    try:
        if draft is not None and draft.status == DRAFT:  # not launched yet: a new deadline
            draft = set_deadline(s.db, draft.id, deadline, now=now)
            await say(context, chat_id, texts.CAMPAIGN_DEADLINE_CHANGED.format(
                year=year, deadline=_date(draft.deadline)))
            return
        campaign = create_campaign(s.db, year, deadline, s.grid.version,
                                   update.effective_user.id, now=now)
    except (DuplicateCampaign, WrongStatus):
        await say(context, chat_id, texts.CAMPAIGN_DUPLICATE.format(year=year))
        return
    except DeadlinePassed:
        await say(context, chat_id, texts.CAMPAIGN_DEADLINE_PASSED.format(
            deadline=_date(deadline)))
        return
    await say(context, chat_id, texts.CAMPAIGN_CREATED.format(
        year=campaign.year, deadline=_date(campaign.deadline),
        every=campaign.remind_every_days, before=campaign.remind_before_days))


async def launch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_lancer: the draft campaign opens; every manager is invited to answer."""
    s = services(context)
    chat_id = update.effective_chat.id
    campaign = current_campaign(s.db)
    if campaign is None:
        await say(context, chat_id, texts.CAMPAIGN_NO_DRAFT)
        return
    if campaign.is_open:
        await say(context, chat_id, texts.CAMPAIGN_ALREADY_OPEN.format(year=campaign.year))
        return
    try:
        campaign = launch_campaign(s.db, campaign.id, now=now_of(context.application))
    except AnotherCampaignOpen as exc:
        await say(context, chat_id, texts.CAMPAIGN_OTHER_OPEN.format(year=exc.other.year))
        return
    except DeadlinePassed:
        await say(context, chat_id, texts.CAMPAIGN_LAUNCH_DEADLINE_PASSED.format(
            year=campaign.year, deadline=_date(campaign.deadline)))
        return
    except WrongStatus:
        await say(context, chat_id, texts.CAMPAIGN_NO_DRAFT)
        return
    report = await broadcast.announce_launch(context.application, campaign)
    await say(context, chat_id, texts.CAMPAIGN_LAUNCHED.format(
        year=campaign.year, sent=report.sent, problems=_problems(report)))


def status_lines(db, grid, campaign: Campaign) -> list[str]:
    status = campaign_status(db, campaign, grid)
    counts = status.counts
    lines = [texts.CAMPAIGN_STATUS_HEAD.format(
        year=campaign.year, state=texts.CAMPAIGN_STATES[campaign.status],
        deadline=_date(campaign.deadline), total=len(status.places),
        submitted=counts.get("submitted", 0), in_progress=counts.get("in_progress", 0),
        not_started=counts.get("not_started", 0), unreachable=counts.get("unreachable", 0),
        no_manager=counts.get("no_manager", 0))]
    for state in (PlaceState.NOT_STARTED, PlaceState.IN_PROGRESS, PlaceState.UNREACHABLE,
                  PlaceState.NO_MANAGER, PlaceState.SUBMITTED):
        places = [p for p in status.places if p.state == state]
        if not places:
            continue
        lines.append(texts.CAMPAIGN_STATUS_GROUP.format(
            title=texts.PLACE_STATES[state].capitalize()))
        for place in places:
            detail = f" ({place.answered}/{place.asked})" if state == PlaceState.IN_PROGRESS else ""
            if state == PlaceState.SUBMITTED and place.submitted_at:
                detail = " (" + place.submitted_at.astimezone(PARIS).strftime(
                    "%d/%m") + ")"
            lines.append(texts.CAMPAIGN_STATUS_LINE.format(place=escape(place.place.name),
                                                           detail=detail))
    return lines


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_statut: the counts, then the places by state."""
    s = services(context)
    campaign = current_campaign(s.db, include_closed=True)
    if campaign is None:
        await say(context, update.effective_chat.id, texts.CAMPAIGN_NONE)
        return
    await say_long(context, update.effective_chat.id, status_lines(s.db, s.grid, campaign))


async def reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_rappels <tous les n jours> <jours avant l'échéance>."""
    s = services(context)
    chat_id = update.effective_chat.id
    args = context.args or []
    if len(args) != 2 or not all(a.isdigit() and int(a) <= 60 for a in args):
        await say(context, chat_id, texts.REMINDERS_USAGE)
        return
    campaign = current_campaign(s.db)
    if campaign is None:
        await say(context, chat_id, texts.CAMPAIGN_NONE)
        return
    every, before = int(args[0]), int(args[1])
    set_reminder_schedule(s.db, campaign.id, every, before)
    await say(context, chat_id, texts.REMINDERS_SET.format(
        year=campaign.year,
        every_text=texts.REMINDERS_EVERY.format(days=every) if every
        else texts.REMINDERS_EVERY_OFF,
        before_text=texts.REMINDERS_BEFORE.format(days=before) if before
        else texts.REMINDERS_BEFORE_OFF))


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/relancer: a reminder now to every place that has not sent."""
    s = services(context)
    chat_id = update.effective_chat.id
    campaign = current_campaign(s.db)
    if campaign is None or not campaign.is_open:
        await say(context, chat_id, texts.CAMPAIGN_NOT_OPEN)
        return
    report = await broadcast.remind_now(context.application, campaign)
    await say(context, chat_id, texts.CAMPAIGN_REMINDED.format(
        sent=report.sent, problems=_problems(report)))


async def close(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_cloturer: asks for confirmation first."""
    s = services(context)
    campaign = current_campaign(s.db)
    if campaign is None or not campaign.is_open:
        await say(context, update.effective_chat.id, texts.CAMPAIGN_NOT_OPEN)
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.CAMPAIGN_CLOSE_YES,
                             callback_data=callbacks.close_campaign(campaign.id, True)),
        InlineKeyboardButton(texts.CAMPAIGN_CLOSE_NO,
                             callback_data=callbacks.close_campaign(campaign.id, False)),
    ]])
    await context.bot.send_message(update.effective_chat.id,
                                   texts.CAMPAIGN_CLOSE_CONFIRM.format(year=campaign.year),
                                   reply_markup=markup)


async def close_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Oui" / "Non" under /campagne_cloturer."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_close_campaign(update.callback_query.data)
    if press is not None and not press.yes:
        await say(context, chat_id, texts.CAMPAIGN_CLOSE_CANCELLED)
        return
    try:
        if press is None:
            raise storage.NotFound("unreadable confirmation")
        campaign = close_campaign(s.db, press.campaign_id, now=now_of(context.application))
    except (storage.NotFound, WrongStatus):
        await say(context, chat_id, texts.CAMPAIGN_NOT_OPEN)
        return
    report = await broadcast.announce_closing(context.application, campaign)
    await say(context, chat_id, texts.CAMPAIGN_CLOSED.format(
        year=campaign.year, sent=report.sent, problems=_problems(report)))


async def campaigns(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagnes: every campaign, past years included."""
    s = services(context)
    found = list_campaigns(s.db)
    if not found:
        await say(context, update.effective_chat.id, texts.CAMPAIGNS_EMPTY)
        return
    lines = []
    for campaign in found:
        if campaign.status == CLOSED:  # as it was answered, removed places included
            submitted, begun = response_counts(s.db, campaign.year, active_only=False)
            counts = texts.CAMPAIGNS_COUNTS_CLOSED.format(submitted=submitted, begun=begun)
        else:
            submitted, begun = response_counts(s.db, campaign.year)
            counts = texts.CAMPAIGNS_COUNTS.format(
                submitted=submitted, begun=begun,
                total=storage.campaigns.submitted_count(s.db, campaign.year)[1])
        lines.append(texts.CAMPAIGNS_LINE.format(
            year=campaign.year, state=texts.CAMPAIGN_STATES[campaign.status],
            deadline=_date(campaign.deadline), counts=counts))
    await say_long(context, update.effective_chat.id, lines)


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [année]: CSV, XLSX and JSON documents of the campaign."""
    s = services(context)
    chat_id = update.effective_chat.id
    args = context.args or []
    if len(args) > 1 or (args and not args[0].isdigit()):
        await say(context, chat_id, texts.EXPORT_USAGE)
        return
    campaign = (find_campaign(s.db, int(args[0])) if args
                else current_campaign(s.db, include_closed=True))
    if campaign is None:
        years = ", ".join(str(c.year) for c in list_campaigns(s.db))
        await say(context, chat_id, texts.EXPORT_UNKNOWN.format(year=args[0], years=years)
                   if years else texts.CAMPAIGNS_EMPTY)
        return
    responses = campaign_responses(s.db, campaign)
    if not responses:
        await say(context, chat_id, texts.EXPORT_EMPTY.format(year=campaign.year))
        return
    for fmt in ("csv", "xlsx", "json"):
        data = await asyncio.to_thread(export, responses, fmt, s.grid)
        await context.bot.send_document(
            chat_id, document=data, filename=export_filename(campaign.year, fmt),
            caption=texts.EXPORT_CAPTION.format(year=campaign.year, count=len(responses),
                                                fmt=fmt.upper()))
    await say(context, chat_id, texts.EXPORT_DONE.format(year=campaign.year))
