"""Coordinators' commands for the annual campaign's life cycle: /campagne_creer,
/campagne_lancer, /campagne_rappels, /campagne_cloturer (and its confirmation, "cc:"),
/campagnes, /export. Following and steering an open campaign (/campagne_statut,
/rappels_prevus, /relancer, /campagne_echeance) is `steering.py`.

The command table checks the roles and records the update before each handler, so a
redelivered command is not applied twice. Sending to many managers is `broadcast`'s job.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

import storage
from bot import pdf_worker
from bot.telegram import broadcast, callbacks, place_reports, texts
from bot.telegram.context import (
    end_confirmation,
    now_of,
    open_campaign,
    say,
    say_long,
    services,
)
from bot.telegram.dates import french_date, parse_date
from campaign.export import export, export_filename
from campaign.states import PlaceState
from storage.campaign_status import campaign_responses, campaign_status
from storage.campaigns import (
    CLOSED,
    DRAFT,
    AnotherCampaignOpen,
    Campaign,
    DeadlinePassed,
    DuplicateCampaign,
    WrongStatus,
    campaign_by_id,
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

_problems = broadcast.problems
_date = french_date


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
        existing = find_campaign(s.db, year)
        if existing is not None and existing.is_open:  # moving its deadline is its own command
            await say(context, chat_id, texts.CAMPAIGN_DUPLICATE_OPEN.format(
                year=year, deadline=_date(deadline)))
        else:
            await say(context, chat_id, texts.CAMPAIGN_DUPLICATE.format(year=year))
        return
    except DeadlinePassed:
        await say(context, chat_id, texts.CAMPAIGN_DEADLINE_PASSED.format(
            deadline=_date(deadline)))
        return
    await say(context, chat_id, texts.CAMPAIGN_CREATED.format(
        year=campaign.year, deadline=_date(campaign.deadline),
        every=texts.every_days(campaign.remind_every_days),
        before=texts.days_before(campaign.remind_before_days)))


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
        every_text=texts.every_days(every) if every else texts.REMINDERS_EVERY_OFF,
        before_text=texts.days_before(before) if before else texts.REMINDERS_BEFORE_OFF))


async def close(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_cloturer: asks for confirmation first."""
    s = services(context)
    campaign = await open_campaign(context, update.effective_chat.id)
    if campaign is None:
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.CAMPAIGN_CLOSE_YES,
                             callback_data=callbacks.close_campaign(campaign.id, True)),
        InlineKeyboardButton(texts.CAMPAIGN_CLOSE_NO,
                             callback_data=callbacks.close_campaign(campaign.id, False)),
    ]])
    await context.bot.send_message(update.effective_chat.id, close_question(s, campaign),
                                   reply_markup=markup)


def close_question(s, campaign: Campaign) -> str:
    """"Clôturer la campagne 2026 ? 9 envoyées sur 12 ; 3 lieux encore sans fiche…"."""
    states = [p.state for p in campaign_status(s.db, campaign, s.grid).places]
    sent = sum(1 for state in states if state == PlaceState.SUBMITTED)
    places = texts.count(len(states), "lieu", "lieux")
    if not states:
        return texts.CLOSE_CONFIRM_EMPTY.format(year=campaign.year)
    if sent == len(states):
        return (texts.CLOSE_CONFIRM_ONE if sent == 1 else texts.CLOSE_CONFIRM_ALL).format(
            year=campaign.year, places=places)
    return texts.CLOSE_CONFIRM_MISSING.format(
        year=campaign.year, sent=texts.count(sent, *texts.SENT_FICHES),
        places=texts.number(len(states)),
        missing=texts.count(len(states) - sent, "lieu", "lieux"))


async def close_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Oui" / "Non" under /campagne_cloturer."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_close_campaign(update.callback_query.data)
    asked = campaign_by_id(s.db, press.campaign_id) if press else None
    if asked is not None and asked.is_closed:  # closed meanwhile, by someone else
        await say(context, chat_id, texts.CAMPAIGN_ALREADY_CLOSED.format(year=asked.year))
        return
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
        year=campaign.year, people=texts.count(report.sent, *texts.CAMPAIGN_CLOSED_PEOPLE),
        problems=_problems(report)))
    place_reports.start_place_reports(context.application, campaign)  # to places that sent


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
            counts = texts.CAMPAIGNS_COUNTS_CLOSED.format(
                submitted=texts.count(submitted, *texts.SENT_FICHES),
                begun=texts.count(begun, *texts.BEGUN_FICHES))
        else:
            submitted, begun = response_counts(s.db, campaign.year)
            counts = texts.CAMPAIGNS_COUNTS.format(
                submitted=texts.count(submitted, *texts.SENT_FICHES), begun=texts.number(begun),
                total=texts.number(storage.campaigns.submitted_count(s.db, campaign.year)[1]))
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
        # the columns of the latest grid version among the responses (`export_grid`); in
        # the worker process: seconds for a network, the GIL held in a thread of the bot's
        data = await pdf_worker.run(export, responses, fmt)
        await context.bot.send_document(
            chat_id, document=data, filename=export_filename(campaign.year, fmt),
            caption=texts.EXPORT_CAPTION.format(
                year=campaign.year, places=texts.count(len(responses), "lieu", "lieux"),
                fmt=fmt.upper()))
    await say(context, chat_id, texts.EXPORT_DONE.format(year=campaign.year))
