"""What the coordinators are told about reminders to come, and what `/relancer` does.

Pure, like `campaign.schedule` whose rules it applies: `next_reminder` asks
`due_reminders` at each moment a reminder could fall, so what is announced is what the
job will send. `manual_plan` is the coordinator's own reminder: it keeps to the allowed
hours (outside them it is deferred to the next allowed moment, and says when), and skips
whoever snoozed or was reminded less than `MANUAL_GAP` before it goes out, with the
reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from campaign.schedule import (
    DEADLINE,
    PERIODIC,
    SNOOZE,
    CampaignSchedule,
    Sent,
    Target,
    as_paris,
    deadline_moment,
    due_reminders,
    next_allowed,
    periodic_moment,
)
from campaign.states import CampaignStatus, ReminderKind

MANUAL_GAP = timedelta(hours=24)  # /relancer skips whoever was reminded more recently
REMINDER_KINDS = frozenset({PERIODIC, DEADLINE, SNOOZE, ReminderKind.MANUAL})


# --- What comes next, for the coordinators ----------------------------------------------

class Upcoming(NamedTuple):
    """The next reminder a target will get, and when (after quiet hours)."""

    place_id: int
    person_id: int
    kind: str
    at: datetime


_LOOKAHEAD_PERIODS = 12


def _future_moments(campaign: CampaignSchedule, snooze_until: datetime | None,
                    now: datetime) -> list[datetime]:
    """Every moment after now at which a target's reminder may become due, in order."""
    launched = campaign.launched_at
    assert launched is not None
    moments = [next_allowed(now)]
    every = campaign.remind_every_days
    if every > 0:
        period = max(1, (as_paris(now).date() - as_paris(launched).date()).days // every)
        for offset in range(_LOOKAHEAD_PERIODS):
            moments.append(periodic_moment(launched, every, period + offset))
    if campaign.remind_before_days > 0:
        moments.append(deadline_moment(campaign.deadline, campaign.remind_before_days))
    if snooze_until is not None:
        moments.append(snooze_until)
    return sorted({next_allowed(m) for m in moments})


def next_reminder(campaign: CampaignSchedule, target: Target | tuple[int, int],
                  sent_log: Iterable[Sent], snoozes: Mapping[int, datetime],
                  now: datetime) -> Upcoming | None:
    """The next reminder `due_reminders` will give this target, or None (campaign not open,
    or nothing scheduled: reminders off). Only the log of that target matters."""
    as_paris(now)
    if campaign.status != CampaignStatus.OPEN or campaign.launched_at is None:
        return None
    place_id, person_id = target
    log = [e for e in sent_log if e.place_id == place_id and e.person_id == person_id]
    mine = {person_id: snoozes[person_id]} if person_id in snoozes else {}
    for moment in _future_moments(campaign, mine.get(person_id), now):
        if moment < now:
            continue
        found = due_reminders(campaign, [(place_id, person_id)], log, mine, moment)
        if found:
            return Upcoming(place_id, person_id, found[0].kind, moment)
    return None


def upcoming_reminders(campaign: CampaignSchedule,
                       targets: Iterable[Target | tuple[int, int]], sent_log: Iterable[Sent],
                       snoozes: Mapping[int, datetime], now: datetime) -> list[Upcoming]:
    """`next_reminder` of each target that has one, the soonest first (`/rappels_prevus`)."""
    log: dict[tuple[int, int], list[Sent]] = {}
    for entry in sent_log:
        log.setdefault((entry.place_id, entry.person_id), []).append(entry)
    found = [next_reminder(campaign, target, log.get(tuple(target), []), snoozes, now)
             for target in targets]
    return sorted((u for u in found if u is not None), key=lambda u: u.at)


def last_reminder(sent_log: Iterable[Sent], target: Target | tuple[int, int],
                  kinds: Iterable[str] = REMINDER_KINDS) -> Sent | None:
    """The latest reminder of these kinds logged for this target (sent or tried)."""
    wanted = set(kinds)
    place_id, person_id = target
    return max((e for e in sent_log if e.place_id == place_id and e.person_id == person_id
                and e.kind in wanted), key=lambda e: e.at, default=None)


# --- /relancer ----------------------------------------------------------------------------

class SkipReason(StrEnum):
    SNOOZED = "snoozed"  # asked to be reminded later; `until` is the end of the snooze
    RECENT = "recent"  # reminded less than MANUAL_GAP before; `since` is that reminder


@dataclass(frozen=True, slots=True)
class Skipped:
    target: Target
    reason: SkipReason
    since: datetime  # the snooze's end (SNOOZED), the last reminder (RECENT)


@dataclass(frozen=True)
class ManualPlan:
    """What a /relancer asked at `asked` does: who gets it at `at`, who is skipped, why."""

    asked: datetime
    at: datetime  # asked itself inside the allowed hours, else the next allowed moment
    send: list[Target] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def deferred(self) -> bool:
        return self.at > self.asked

    @property
    def slot(self) -> str:
        """Its slot in the reminder log: one manual reminder a day at most."""
        return f"{ReminderKind.MANUAL}:{as_paris(self.at).date().isoformat()}"


def manual_plan(targets: Iterable[Target | tuple[int, int]], sent_log: Iterable[Sent],
                snoozes: Mapping[int, datetime], now: datetime) -> ManualPlan:
    """The coordinator's reminder: at once inside the allowed hours (Monday–Friday,
    9:00–19:00, Paris), else at the next allowed moment; never to someone snoozed at
    that moment, nor to someone reminded about that place (`REMINDER_KINDS`: scheduled
    or manual) less than `MANUAL_GAP` before it."""
    at = next_allowed(now)
    last: dict[tuple[int, int], datetime] = {}
    for entry in sent_log:
        if entry.kind not in REMINDER_KINDS:  # the launch invitation is not a reminder
            continue
        pair = (entry.place_id, entry.person_id)
        if pair not in last or entry.at > last[pair]:
            last[pair] = entry.at
    plan = ManualPlan(asked=as_paris(now), at=at)
    for place_id, person_id in targets:
        target = Target(place_id, person_id)
        until = snoozes.get(person_id)
        contact = last.get((place_id, person_id))
        if until is not None and until > at:
            plan.skipped.append(Skipped(target, SkipReason.SNOOZED, until))
        elif contact is not None and contact > at - MANUAL_GAP:
            plan.skipped.append(Skipped(target, SkipReason.RECENT, contact))
        else:
            plan.send.append(target)
    return plan


def deadline_change_slot(deadline: date, changed_at: datetime) -> str:
    """The log slot of the notice that the deadline moved to `deadline` at `changed_at`:
    each change told once, a date set again after another one told again."""
    return (f"{ReminderKind.DEADLINE_MOVED}:{deadline.isoformat()}:"
            f"{changed_at.astimezone(UTC).isoformat(timespec='seconds')}")
