"""/campagne_statut as a coordinator reads it: the counts first, then the places grouped
by state, each with its progress in sections and what each of its managers did; cut
into pages under Telegram's limit (never in the middle of a place).

Pure formatting of `storage.campaign_status.CampaignStatus` (and the chart's facts);
the handler is `features/steering.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.telegram import texts
from bot.telegram.context import MESSAGE_LIMIT
from bot.telegram.views import escape
from campaign.clock import PARIS
from campaign.progress import ChartData, percent
from campaign.states import LABELS, STATE_ORDER, PlaceState
from storage.campaign_status import CampaignStatus, ManagerStatus, PlaceStatus

SEMICOLON = f"{texts.NNBSP}; "


def _paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def state_count(state: PlaceState, n: int) -> str:
    singular, plural = texts.STATE_COUNTS[state]
    return texts.count(n, singular, plural)


def head(status: CampaignStatus) -> str:
    """The campaign, its deadline, and how many places are in each state."""
    campaign = status.campaign
    counts = status.counts
    return "\n".join([
        texts.STATUS_HEAD.format(year=campaign.year,
                                 state=texts.CAMPAIGN_STATES[campaign.status],
                                 deadline=campaign.deadline.strftime("%d/%m/%Y")),
        texts.STATUS_COUNTS.format(
            places=texts.count(len(status.places), "lieu", "lieux"),
            sent=state_count(PlaceState.SUBMITTED, counts[PlaceState.SUBMITTED]),
            share=percent(counts[PlaceState.SUBMITTED], len(status.places)),
            in_progress=state_count(PlaceState.IN_PROGRESS, counts[PlaceState.IN_PROGRESS]),
            not_started=state_count(PlaceState.NOT_STARTED, counts[PlaceState.NOT_STARTED]),
            unreachable=state_count(PlaceState.UNREACHABLE, counts[PlaceState.UNREACHABLE]),
            no_manager=state_count(PlaceState.NO_MANAGER, counts[PlaceState.NO_MANAGER])),
    ])


SOON = timedelta(minutes=10)  # the job runs every 5 minutes


def next_when(at: datetime, now: datetime) -> str:
    """"lundi 7 décembre à 9 h", or "dans les minutes qui viennent" when it is due now
    (the job sends it at its next run)."""
    return texts.STATUS_NEXT_SOON if at <= now + SOON else texts.when(_paris(at))


def manager_line(person: ManagerStatus, now: datetime, is_open: bool = True) -> str:
    """"   Alice : lien ouvert le 03/12, dernière réponse le 08/12 ; dernier rappel le
    10/12 ; prochain lundi 14 décembre à 9 h"."""
    done = []
    if person.joined_at is not None:
        done.append(texts.STATUS_JOINED.format(date=texts.day(_paris(person.joined_at))))
    if person.unreachable_at is not None:
        done.append(texts.STATUS_BLOCKED.format(date=texts.day(_paris(person.unreachable_at))))
    elif person.last_answer_at is not None:
        done.append(texts.STATUS_LAST_ANSWER.format(
            date=texts.day(_paris(person.last_answer_at))))
    else:
        done.append(texts.STATUS_NO_ANSWER)
    parts = [", ".join(done)]
    if person.last_reminder is not None:
        parts.append(texts.STATUS_LAST_REMINDER.format(
            date=texts.day(_paris(person.last_reminder.at))))
    if person.unreachable_at is None and is_open:  # a draft or closed one sends none
        upcoming = person.next_reminder
        parts.append(texts.STATUS_NEXT_REMINDER.format(
            when=next_when(upcoming.at, now),
            why=texts.STATUS_NEXT_WHY.get(upcoming.kind, "")) if upcoming
            else texts.STATUS_NO_NEXT)
    return texts.STATUS_PERSON.format(name=escape(person.name), facts=SEMICOLON.join(parts))


def place_block(place: PlaceStatus, now: datetime, is_open: bool = True) -> str:
    """One place: its line (progress, date sent), then one line per manager."""
    detail = ""
    if place.state == PlaceState.IN_PROGRESS:
        detail = texts.STATUS_SECTIONS.format(
            answered=texts.count(place.sections.answered, "section", "sections"),
            asked=texts.number(place.sections.asked))
    elif place.state == PlaceState.SUBMITTED and place.submitted_at is not None:
        detail = texts.STATUS_SENT_ON.format(date=texts.day(_paris(place.submitted_at)))
    elif place.state == PlaceState.NO_MANAGER:
        detail = texts.STATUS_NO_MANAGER.format(place=escape(place.place.name))
    lines = [texts.STATUS_PLACE.format(place=escape(place.place.name), detail=detail)]
    if place.state != PlaceState.SUBMITTED:
        lines.extend(manager_line(person, now, is_open) for person in place.people)
    return "\n".join(lines)


def blocks(status: CampaignStatus, now: datetime) -> list[str]:
    """The head, then each place in the order of `STATE_ORDER`, a group title before the
    first place of each state."""
    found = [head(status)]
    if status.campaign.manual_reminder_at is not None:
        found[0] += texts.STATUS_MANUAL_PENDING.format(
            when=texts.when(_paris(status.campaign.manual_reminder_at)))
    for state in STATE_ORDER:
        places = status.in_state(state)
        for index, place in enumerate(places):
            block = place_block(place, now, status.campaign.is_open)
            if index == 0:
                title = texts.STATUS_GROUP.format(title=LABELS[state].capitalize(),
                                                  count=len(places))
                block = f"{title}\n{block}"
            found.append(block)
    return found


def launch_block(missing: Mapping[int, int], names: Mapping[int, str]) -> str | None:
    """The places some of whose managers have not received the launch invitation yet
    (place id → how many managers), or None when every invitation arrived."""
    if not missing:
        return None
    lines = [texts.STATUS_GROUP.format(title=texts.LAUNCH_NOT_RECEIVED, count=len(missing))]
    for place_id, count in sorted(missing.items(), key=lambda item: names.get(item[0], "")):
        lines.append(texts.LAUNCH_NOT_RECEIVED_LINE.format(
            place=escape(names.get(place_id, "?")), count=count, s="s" if count > 1 else ""))
    return "\n".join(lines)


def paginate(parts: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """The parts in as few pages as possible, each under `limit` characters; a part is
    never cut unless it alone is too long (then between its lines)."""
    pieces: list[str] = []
    for part in parts:
        if len(part) <= limit:
            pieces.append(part)
            continue
        chunk = ""
        for line in part.split("\n"):
            line = line[:limit]
            if chunk and len(chunk) + 1 + len(line) > limit:
                pieces.append(chunk)
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        if chunk:
            pieces.append(chunk)
    pages: list[str] = []
    for piece in pieces:
        if pages and len(pages[-1]) + 1 + len(piece) <= limit:
            pages[-1] += "\n" + piece
        else:
            pages.append(piece)
    return pages or [""]


def chart_data(status: CampaignStatus, now: datetime) -> ChartData | None:
    """The chart's facts, or None before the launch (nothing to draw)."""
    campaign = status.campaign
    if campaign.opened_at is None:
        return None
    last = min(now, campaign.closed_at) if campaign.closed_at else now  # a closed one stops
    return ChartData(
        year=campaign.year, start=campaign.opened_at, deadline=campaign.deadline,
        today=_paris(last).date(), places=len(status.places),
        sent_on=[_paris(p.submitted_at).date() for p in status.in_state(PlaceState.SUBMITTED)
                 if p.submitted_at is not None],
        closed=campaign.closed_at is not None)
