"""How coordinators steer an open campaign: /campagne_statut (its pages, "st:", and the
progress chart), /rappels_prevus, /relancer (and its confirmation, "rl:"),
/campagne_echeance.

Every rule is pure and lives below: the state of a place (`campaign.states`), what comes
next and what /relancer does (`campaign.upcoming`); the words are `status_view` and
`texts`. The clock is `context.now_of`.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter, defaultdict
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import pdf_worker
from bot.telegram import broadcast, callbacks, status_view, texts
from bot.telegram.context import (
    MESSAGE_LIMIT,
    argument,
    end_confirmation,
    now_of,
    open_campaign,
    say,
    say_long,
    services,
)
from bot.telegram.dates import french_date as _date
from bot.telegram.dates import parse_date
from bot.telegram.views import escape
from campaign.clock import PARIS
from campaign.schedule import deadline_moment, next_allowed
from campaign.upcoming import ManualPlan, SkipReason
from storage.campaign_status import CampaignStatus, campaign_status
from storage.campaigns import (
    Campaign,
    DeadlinePassed,
    WrongStatus,
    campaign_by_id,
    current_campaign,
    schedule_manual_reminder,
    set_deadline,
)
from storage.outbox import launch_not_received

log = logging.getLogger(__name__)

PROGRESS_PNG = pdf_worker.Named("campaign.progress_chart", "progress_png")


def _status(context: ContextTypes.DEFAULT_TYPE, campaign: Campaign) -> CampaignStatus:
    s = services(context)
    return campaign_status(s.db, campaign, s.grid, now=now_of(context.application))


def _pages(context: ContextTypes.DEFAULT_TYPE, found: CampaignStatus) -> list[str]:
    """The status in pages: the head, who has not received the launch invitation yet
    (while the campaign is open: still to go, on the wire at a crash, or refused), then
    the places by state."""
    blocks = status_view.blocks(found, now_of(context.application))
    if found.campaign.is_open:
        missing = Counter(place_id for place_id, _person in
                          launch_not_received(services(context).db, found.campaign))
        names = {place.place.id: place.place.name for place in found.places}
        launch = status_view.launch_block(missing, names)
        if launch is not None:
            blocks.insert(1, launch)
    return status_view.paginate(blocks)


# --- /campagne_statut ------------------------------------------------------------------------

def _page(pages: list[str], number: int, campaign_id: int
          ) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page `number` (from 1, clamped) and its buttons to the neighbouring pages."""
    number = min(max(number, 1), len(pages))
    if len(pages) == 1:
        return pages[0], None
    text = pages[number - 1] + "\n\n" + texts.STATUS_PAGE.format(page=number, pages=len(pages))
    row = []
    if number > 1:
        row.append(InlineKeyboardButton(
            texts.STATUS_PREVIOUS, callback_data=callbacks.status_page(campaign_id, number - 1)))
    if number < len(pages):
        row.append(InlineKeyboardButton(
            texts.STATUS_NEXT, callback_data=callbacks.status_page(campaign_id, number + 1)))
    return text, InlineKeyboardMarkup([row])


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_statut: the counts, the places by state with their managers, in pages
    with buttons; then the chart of the fiches sent day after day."""
    s = services(context)
    chat_id = update.effective_chat.id
    campaign = current_campaign(s.db, include_closed=True)
    if campaign is None:
        await say(context, chat_id, texts.CAMPAIGN_NONE)
        return
    found = _status(context, campaign)
    pages = _pages(context, found)
    text, markup = _page(pages, 1, campaign.id)
    await context.bot.send_message(chat_id, text, reply_markup=markup)
    data = status_view.chart_data(found, now_of(context.application))
    if data is not None:
        try:
            png = await pdf_worker.run(PROGRESS_PNG, data)  # matplotlib holds the GIL
        except Exception:  # the words are sent; a chart that fails is only logged
            log.exception("drawing the progress chart of campaign %s failed", campaign.year)
            return
        await context.bot.send_photo(chat_id, photo=png, caption=texts.STATUS_CHART_CAPTION
                                     .format(year=campaign.year))


async def status_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Suivante ›" / "‹ Précédente": the page, recomputed now, in the same message."""
    query = update.callback_query
    await query.answer()
    s = services(context)
    press = callbacks.decode_status_page(query.data)
    campaign = campaign_by_id(s.db, press.campaign_id) if press else None
    if press is None or campaign is None:
        await say(context, update.effective_chat.id, texts.CAMPAIGN_NONE)
        return
    pages = _pages(context, _status(context, campaign))
    text, markup = _page(pages, press.page, campaign.id)
    with contextlib.suppress(TelegramError):  # "not modified": the same page again
        await query.edit_message_text(text, reply_markup=markup)


# --- /rappels_prevus -------------------------------------------------------------------------

async def upcoming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/rappels_prevus: who gets the next reminders, and when, soonest first."""
    chat_id = update.effective_chat.id
    campaign = await open_campaign(context, chat_id)
    if campaign is None:
        return
    groups: dict[tuple[datetime, str], dict[str, list[str]]] = defaultdict(dict)
    for place in _status(context, campaign).places:
        for person in place.people:
            if person.next_reminder is None or person.unreachable:
                continue
            key = (person.next_reminder.at, person.next_reminder.kind)
            groups[key].setdefault(place.place.name, []).append(person.name)
    lines = [texts.UPCOMING_HEAD.format(year=campaign.year)]
    if campaign.manual_reminder_at is not None:
        lines.append(texts.STATUS_MANUAL_PENDING.format(
            when=texts.when(campaign.manual_reminder_at.astimezone(PARIS))))
    if not groups and campaign.manual_reminder_at is None:
        await say(context, chat_id, texts.UPCOMING_NONE.format(year=campaign.year))
        return
    for (at, kind), places in sorted(groups.items()):
        people = sum(len(names) for names in places.values())
        lines.append(texts.UPCOMING_GROUP.format(
            when=status_view.next_when(at, now_of(context.application)).capitalize(),
            kind=texts.UPCOMING_KINDS.get(kind, kind),
            people=texts.count(people, "gestionnaire", "gestionnaires")))
        lines.extend(texts.UPCOMING_LINE.format(
            place=escape(place), names=", ".join(escape(n) for n in names))
            for place, names in places.items())
    await say_long(context, chat_id, lines)


# --- /relancer -------------------------------------------------------------------------------

def _skipped_lines(plan: ManualPlan, found: CampaignStatus) -> list[str]:
    names = {(p.place.id, m.person_id): (p.place.name, m.name)
             for p in found.places for m in p.people}
    lines = [texts.REMIND_SKIPPED_HEAD] if plan.skipped else []
    for skipped in plan.skipped:
        place, name = names.get(tuple(skipped.target), ("?", "?"))
        since = skipped.since.astimezone(PARIS)
        moment = (texts.when(since) if skipped.reason == SkipReason.SNOOZED
                  else since.strftime("%d/%m à %H") + f"{texts.NBSP}h")
        lines.append(texts.REMIND_SKIPPED[skipped.reason].format(
            name=escape(name), place=escape(place), date=moment))
    return lines


def _people(plan: ManualPlan) -> tuple[str, str]:
    people = texts.count(len(plan.send), "gestionnaire", "gestionnaires")
    places = texts.count(len({t.place_id for t in plan.send}), "lieu", "lieux")
    return people, places


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/relancer: says whom it would remind (and whom not, and why), and when; asks."""
    chat_id = update.effective_chat.id
    campaign = await open_campaign(context, chat_id)
    if campaign is None:
        return
    plan = broadcast.manual_plan_now(context.application, campaign)
    skipped = _skipped_lines(plan, _status(context, campaign))
    if not plan.send:
        reason = texts.REMIND_NOBODY_SKIPPED if plan.skipped else texts.REMIND_NOBODY_ALL_SENT
        await say_long(context, chat_id, [texts.REMIND_NOBODY.format(reason=reason), *skipped])
        return
    people, places = _people(plan)
    if plan.deferred:
        question = texts.REMIND_CONFIRM_LATER.format(
            when=texts.when(plan.at), people=people, places=places)
    else:
        question = texts.REMIND_CONFIRM_NOW.format(people=people, places=places)
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.REMIND_YES_LATER if plan.deferred else texts.REMIND_YES,
                             callback_data=callbacks.remind(campaign.id, True)),
        InlineKeyboardButton(texts.REMIND_NO, callback_data=callbacks.remind(campaign.id, False)),
    ]])
    text = "\n".join([question, *skipped])
    if len(text) > MESSAGE_LIMIT:  # a long list of who is skipped first, the question last
        await say_long(context, chat_id, skipped)
        text = question
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def remind_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Oui" under /relancer: the plan is made again at this moment, then sent, or
    scheduled for the next allowed moment."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_remind(update.callback_query.data)
    if press is not None and not press.yes:
        await say(context, chat_id, texts.REMIND_CANCELLED)
        return
    campaign = campaign_by_id(s.db, press.campaign_id) if press else None
    if campaign is not None and campaign.is_closed:
        await say(context, chat_id, texts.CONFIRMATION_TOO_LATE.format(year=campaign.year))
        return
    if campaign is None or not campaign.is_open:
        await say(context, chat_id, texts.CAMPAIGN_NOT_OPEN)
        return
    plan = broadcast.manual_plan_now(context.application, campaign)
    if plan.deferred:
        schedule_manual_reminder(s.db, campaign.id, plan.at, update.effective_user.id)
        await say(context, chat_id, texts.REMIND_SCHEDULED.format(when=texts.when(plan.at)))
        return
    if not plan.send:
        reason = texts.REMIND_NOBODY_SKIPPED if plan.skipped else texts.REMIND_NOBODY_ALL_SENT
        await say_long(context, chat_id, [texts.REMIND_NOBODY.format(reason=reason),
                                          *_skipped_lines(plan, _status(context, campaign))])
        return
    report = await broadcast.remind_now(context.application, campaign, plan)
    if report.sent == 0 and report.skipped and not (report.failed or report.unreachable):
        await say(context, chat_id, texts.REMIND_ALREADY_SENT)  # another "Oui" got there
        return
    await say(context, chat_id, texts.REMIND_SENT.format(
        people=texts.count(report.sent, "gestionnaire", "gestionnaires"),
        problems=broadcast.problems(report)))


# --- /campagne_echeance ----------------------------------------------------------------------

async def deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/campagne_echeance JJ/MM/AAAA: the open (or draft) campaign's deadline moves; the
    managers of an open one who have not sent are told once; the deadline reminder
    follows the new date."""
    s = services(context)
    chat_id = update.effective_chat.id
    campaign = current_campaign(s.db)
    if campaign is None:
        await say(context, chat_id, texts.CAMPAIGN_NONE)
        return
    new = parse_date(argument(update))
    if new is None:
        await say(context, chat_id, texts.DEADLINE_USAGE)
        return
    if abs(new.year - campaign.year) > 1:  # a typo, e.g. 30/06/2062 for 2026
        await say(context, chat_id, texts.DEADLINE_FAR.format(deadline=_date(new),
                                                              year=campaign.year))
        return
    if new == campaign.deadline:
        await say(context, chat_id, texts.DEADLINE_SAME.format(year=campaign.year,
                                                               deadline=_date(new)))
        return
    now = now_of(context.application)
    before = campaign.deadline
    try:
        campaign = set_deadline(s.db, campaign.id, new, now=now)
    except DeadlinePassed:
        await say(context, chat_id, texts.CAMPAIGN_DEADLINE_PASSED.format(deadline=_date(new)))
        return
    except WrongStatus:
        await say(context, chat_id, texts.CAMPAIGN_NOT_OPEN)
        return
    if not campaign.is_open:
        await say(context, chat_id, texts.CAMPAIGN_DEADLINE_CHANGED.format(
            year=campaign.year, deadline=_date(campaign.deadline)))
        return
    report = await broadcast.announce_deadline(context.application, campaign, before)
    reminder = ""
    if campaign.remind_before_days > 0:
        moment = next_allowed(deadline_moment(campaign.deadline, campaign.remind_before_days))
        if moment > now:
            reminder = texts.DEADLINE_MOVED_REMINDER.format(when=texts.when(moment))
    await say(context, chat_id, texts.DEADLINE_MOVED.format(
        year=campaign.year, deadline=_date(campaign.deadline), before=_date(before),
        told=texts.DEADLINE_MOVED_TOLD.format(
            people=texts.count(report.sent, "gestionnaire", "gestionnaires")),
        reminder=reminder))
