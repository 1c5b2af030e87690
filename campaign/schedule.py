"""When to remind whom: pure functions, the clock is a parameter.

Reminders are derived, never stored as plans: from the campaign (its launch, its deadline,
its schedule), the targets (each manager of each place that has not sent), the log of what
was already sent or tried (`storage.reminders`) and the snoozes, `due_reminders` says what
to send *now*. The bot calls it from a periodic job; a restart loses nothing, because
nothing is kept in memory.

Rules (issue 4, "Reminders"):

- Quiet hours: reminders go out only from 9:00 to 19:00, Monday to Friday, Europe/Paris
  time. A reminder that falls outside is sent at the next allowed moment
  (`next_allowed`: Friday 19:30 → Monday 9:00). Public holidays are not known here.
- Periodic: every `remind_every_days` days after the launch, at the launch's time of
  day (Paris wall clock, so a DST change does not shift it). Slot `periodic:<date>`.
  `remind_every_days = 0` turns them off.
- Deadline: at 9:00 on the day `remind_before_days` days before the deadline (moved to
  the next allowed moment). Slot `deadline:<deadline date>`, so extending the deadline
  allows one more. `remind_before_days = 0` turns it off. It is not sent when its moment
  (after quiet hours) is past the end of the deadline day, nor when it fell before the
  launch (the launch message already gave the deadline).
- After the deadline, while the campaign is still open: the periodic reminders go on.
  The coordinators have not closed it, so answers are still wanted; closing stops
  everything.
- Not open (draft, closed) → nothing. Places that sent are not targets (the caller
  builds the targets), nor are unreachable managers.
- Snooze ("Me le rappeler dans 3 jours"): nothing for that person until `until`; at
  `until` one reminder of kind `snooze` (slot `snooze:<until>`).
- Never twice: a reminder whose (place, person, kind, slot) is in the log is not due,
  whatever its outcome was. Never dropped: a reminder whose moment passed while the bot
  was down is still due now (or at the next allowed moment).
- No pile-up: for each (place, person) only the latest reminder whose moment has come is
  considered — after a week down, one reminder goes out, not three — and it is skipped
  when that person was contacted about that place (any log entry: launch, manual
  reminder, deadline…) less than `MIN_GAP` before its moment. So a deadline reminder at
  9:00 is not followed by a periodic one at 10:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple, Protocol

from campaign.clock import PARIS
from campaign.states import CampaignStatus, ReminderKind

DAY_START = time(9, 0)
DAY_END = time(19, 0)  # exclusive: 19:00 is already too late
MIN_GAP = timedelta(hours=20)
SNOOZE_DAYS = 3  # "Me le rappeler dans 3 jours"
# a closing message a crash cut short is still sent this long after the closing
CLOSING_RESUMED_FOR = timedelta(days=2)

PERIODIC = ReminderKind.PERIODIC
DEADLINE = ReminderKind.DEADLINE
SNOOZE = ReminderKind.SNOOZE

# when two reminders fall at the same moment, the most informative one is sent
_PRIORITY = {PERIODIC: 0, SNOOZE: 1, DEADLINE: 2}


class CampaignSchedule(Protocol):
    """What the schedule needs of a campaign (`storage.campaigns.Campaign` has it)."""

    @property
    def status(self) -> str: ...  # 'draft' | 'open' | 'closed'

    @property
    def deadline(self) -> date: ...  # the last day answers are expected (inclusive)

    @property
    def launched_at(self) -> datetime | None: ...  # aware

    @property
    def remind_every_days(self) -> int: ...

    @property
    def remind_before_days(self) -> int: ...


class Target(NamedTuple):
    """A manager of a place that has not sent, who can be reached."""

    place_id: int
    person_id: int


class Sent(NamedTuple):
    """One line of the reminder log: sent, tried, or claimed and not yet sent."""

    place_id: int
    person_id: int
    kind: str
    slot: str
    at: datetime  # aware: when it was sent, or claimed if never marked sent


@dataclass(frozen=True, slots=True)
class Due:
    """A reminder to send now. `due_at` is its moment after quiet hours (≤ now)."""

    place_id: int
    person_id: int
    kind: str
    slot: str
    due_at: datetime


def _paris(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, not {dt!r}")
    return dt.astimezone(PARIS)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def is_allowed(dt: datetime) -> bool:
    """Whether a reminder may go out at dt (9:00–19:00, Monday–Friday, Paris time)."""
    local = _paris(dt)
    return local.weekday() < 5 and DAY_START <= local.time() < DAY_END


def next_allowed(dt: datetime) -> datetime:
    """dt itself (in Paris time) if a reminder may go out then, else the next allowed moment.

    Friday 19:30 → Monday 9:00; Tuesday 8:59 → Tuesday 9:00. The result is in
    Europe/Paris; 9:00 exists on every day, DST changes included.
    """
    local = _paris(dt)
    if is_allowed(local):
        return local
    day = local.date()
    if local.weekday() >= 5 or local.time() >= DAY_END:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return _at(day, DAY_START)


def end_of_day(day: date) -> datetime:
    """Midnight after `day`, Paris time: a deadline day is included until then."""
    return _at(day + timedelta(days=1), time(0, 0))


def periodic_moment(launched: datetime, every_days: int, period: int) -> datetime:
    """The moment of the `period`-th periodic reminder (1 = the first), Paris wall clock."""
    local = _paris(launched)
    return _at(local.date() + timedelta(days=every_days * period), local.time())


def deadline_moment(deadline: date, before_days: int) -> datetime:
    """When the deadline reminder falls, before quiet hours: 9:00, before_days ahead."""
    return _at(deadline - timedelta(days=before_days), DAY_START)


class _Candidate(NamedTuple):
    moment: datetime  # before quiet hours
    kind: str
    slot: str

    @property
    def rank(self) -> tuple[datetime, int]:
        return self.moment, _PRIORITY[self.kind]


def _campaign_candidates(campaign: CampaignSchedule, now: datetime) -> list[_Candidate]:
    """The latest periodic reminder and the deadline reminder whose moment has come."""
    launched = campaign.launched_at
    assert launched is not None
    found: list[_Candidate] = []
    every = campaign.remind_every_days
    if every > 0:
        period = (_paris(now).date() - _paris(launched).date()).days // every
        if period >= 1 and periodic_moment(launched, every, period) > now:
            period -= 1
        if period >= 1:
            moment = periodic_moment(launched, every, period)
            found.append(_Candidate(moment, PERIODIC, f"{PERIODIC}:{moment.date().isoformat()}"))
    before = campaign.remind_before_days
    if before > 0:
        moment = deadline_moment(campaign.deadline, before)
        if (launched <= moment <= now
                and next_allowed(moment) < end_of_day(campaign.deadline)):
            found.append(_Candidate(moment, DEADLINE,
                                    f"{DEADLINE}:{campaign.deadline.isoformat()}"))
    return found


def snooze_slot(until: datetime) -> str:
    return f"{SNOOZE}:{_paris(until).isoformat(timespec='minutes')}"


def due_reminders(campaign: CampaignSchedule, targets: Iterable[Target | tuple[int, int]],
                  sent_log: Iterable[Sent], snoozes: Mapping[int, datetime],
                  now: datetime) -> list[Due]:
    """The reminders to send now, one at most per target, in the order of the targets.

    `snoozes` maps a person id to the end of their snooze. See the module docstring for
    the rules. Empty outside the allowed hours: what is due then goes out at the next
    allowed moment, when the bot calls again.
    """
    _paris(now)
    if (campaign.status != CampaignStatus.OPEN or campaign.launched_at is None
            or not is_allowed(now)):
        return []
    common = _campaign_candidates(campaign, now)
    taken: set[tuple[int, int, str, str]] = set()
    last_contact: dict[tuple[int, int], datetime] = {}
    for entry in sent_log:
        pair = (entry.place_id, entry.person_id)
        taken.add((*pair, entry.kind, entry.slot))
        if pair not in last_contact or entry.at > last_contact[pair]:
            last_contact[pair] = entry.at
    due: list[Due] = []
    for place_id, person_id in targets:
        candidates = common
        until = snoozes.get(person_id)
        if until is not None:
            if until > now:
                continue
            if until >= campaign.launched_at:
                candidates = [*common, _Candidate(until, SNOOZE, snooze_slot(until))]
        if not candidates:
            continue
        chosen = max(candidates, key=lambda c: c.rank)
        if (place_id, person_id, chosen.kind, chosen.slot) in taken:
            continue
        contact = last_contact.get((place_id, person_id))
        if contact is not None and contact > chosen.moment - MIN_GAP:
            continue
        due.append(Due(place_id, person_id, chosen.kind, chosen.slot,
                       next_allowed(chosen.moment)))
    return due


def next_wakeup(campaign: CampaignSchedule, snoozes: Mapping[int, datetime],
                now: datetime) -> datetime | None:
    """The first moment after now at which `due_reminders` may have something new.

    For a job queue that prefers one timer to polling; waking up for nothing is
    harmless. None when the campaign is not open.
    """
    launched = campaign.launched_at
    if campaign.status != CampaignStatus.OPEN or launched is None:
        return None
    moments: list[datetime] = []
    if not is_allowed(now):
        moments.append(next_allowed(now))  # whatever is pending waits for this
    every = campaign.remind_every_days
    if every > 0:
        period = max(0, (_paris(now).date() - _paris(launched).date()).days // every)
        while periodic_moment(launched, every, period) <= now:
            period += 1
        moments.append(periodic_moment(launched, every, period))
    if campaign.remind_before_days > 0:
        moment = deadline_moment(campaign.deadline, campaign.remind_before_days)
        if moment > now and moment >= launched:
            moments.append(moment)
    moments.extend(until for until in snoozes.values() if until > now)
    return min((next_allowed(m) for m in moments), default=None)
