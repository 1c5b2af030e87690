"""The rules coordinators steer with, pure: what /relancer does and skips, the next
reminder of each manager, the deadline moved; and their storage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pytest

from campaign.clock import PARIS
from campaign.schedule import Sent, Target, due_reminders
from campaign.upcoming import (
    MANUAL_GAP,
    SkipReason,
    deadline_change_slot,
    last_reminder,
    manual_plan,
    next_reminder,
    upcoming_reminders,
)
from storage import open_db
from storage.campaigns import (
    WrongStatus,
    close_campaign,
    create_campaign,
    get_campaign,
    launch_campaign,
    schedule_manual_reminder,
    set_deadline,
    take_manual_reminder,
)


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


LAUNCH = paris("2026-03-10 10:00")  # a Tuesday


@dataclass(frozen=True)
class FakeCampaign:
    status: str = "open"
    deadline: date = date(2026, 4, 10)  # a Friday
    launched_at: datetime | None = LAUNCH
    remind_every_days: int = 7
    remind_before_days: int = 3


CAMPAIGN = FakeCampaign()
A, B, C = Target(1, 101), Target(2, 201), Target(3, 301)


# --- /relancer ------------------------------------------------------------------------------

def test_inside_the_allowed_hours_it_goes_out_at_once_to_everyone_due():
    now = paris("2026-03-18 10:39")  # Wednesday
    plan = manual_plan([A, B], [], {}, now)
    assert plan.at == now and not plan.deferred
    assert plan.send == [A, B] and plan.skipped == []
    assert plan.slot == "manual:2026-03-18"


def test_on_a_saturday_it_waits_for_monday_9():
    plan = manual_plan([A], [], {}, paris("2026-03-21 10:39"))
    assert plan.deferred and plan.at == paris("2026-03-23 09:00")
    assert plan.slot == "manual:2026-03-23"


def test_snoozed_and_recently_reminded_managers_are_skipped_with_the_reason():
    now = paris("2026-03-17 10:30")  # Tuesday: the weekly reminder went out at 10:00
    log = [Sent(*A, "periodic", "periodic:2026-03-17", paris("2026-03-17 10:00")),
           Sent(*C, "periodic", "periodic:2026-03-10", paris("2026-03-10 10:00"))]
    snoozes = {201: paris("2026-03-20 09:00")}
    plan = manual_plan([A, B, C], log, snoozes, now)
    assert plan.send == [C]
    assert [(s.target, s.reason, s.since) for s in plan.skipped] == [
        (A, SkipReason.RECENT, paris("2026-03-17 10:00")),
        (B, SkipReason.SNOOZED, paris("2026-03-20 09:00"))]


def test_the_24_hours_are_counted_from_when_it_goes_out():
    # Friday 18:00 contact, /relancer asked on Saturday: goes out Monday 9:00, > 24 h later
    log = [Sent(*A, "manual", "manual:2026-03-20", paris("2026-03-20 18:00"))]
    plan = manual_plan([A], log, {}, paris("2026-03-21 11:00"))
    assert plan.send == [A]
    # a snooze ending before Monday 9:00 does not hold it back either
    plan = manual_plan([A], [], {101: paris("2026-03-22 12:00")}, paris("2026-03-21 11:00"))
    assert plan.send == [A]
    assert timedelta(hours=24) == MANUAL_GAP


def test_after_a_manual_reminder_the_scheduled_one_of_that_morning_is_skipped():
    plan = manual_plan([A], [], {}, paris("2026-03-17 09:05"))
    log = [Sent(*A, "manual", plan.slot, paris("2026-03-17 09:05"))]
    assert due_reminders(CAMPAIGN, [A], log, {}, paris("2026-03-17 10:05")) == []


# --- What comes next -----------------------------------------------------------------------

def test_the_next_reminder_is_the_weekly_one_at_the_launchs_time():
    now = paris("2026-03-12 15:00")
    upcoming = next_reminder(CAMPAIGN, A, [], {}, now)
    assert (upcoming.kind, upcoming.at) == ("periodic", paris("2026-03-17 10:00"))


def test_a_snooze_moves_the_next_reminder_to_its_end_inside_allowed_hours():
    now = paris("2026-03-18 12:00")
    upcoming = next_reminder(CAMPAIGN, A, [], {101: paris("2026-03-21 11:00")}, now)
    assert (upcoming.kind, upcoming.at) == ("snooze", paris("2026-03-23 09:00"))


def test_the_deadline_reminder_and_nothing_when_closed_or_off():
    log = [Sent(*A, "periodic", f"periodic:2026-04-0{d}", paris(f"2026-04-0{d} 10:00"))
           for d in (7,)]
    upcoming = next_reminder(CAMPAIGN, A, log, {}, paris("2026-04-07 12:00"))
    # the deadline one (Tuesday 7/4 9:00) fell before the weekly one: the next is weekly
    assert upcoming.kind == "periodic" and upcoming.at == paris("2026-04-14 10:00")
    fresh = next_reminder(CAMPAIGN, A, [], {}, paris("2026-04-06 20:00"))
    assert (fresh.kind, fresh.at) == ("deadline", paris("2026-04-07 09:00"))
    assert next_reminder(replace(CAMPAIGN, status="closed"), A, [], {}, LAUNCH) is None
    off = replace(CAMPAIGN, remind_every_days=0, remind_before_days=0)
    assert next_reminder(off, A, [], {}, paris("2026-03-12 15:00")) is None


def test_what_is_due_now_but_not_yet_sent_is_next_at_once():
    now = paris("2026-03-17 10:02")  # the weekly reminder's moment has come
    assert next_reminder(CAMPAIGN, A, [], {}, now).at == now
    saturday = paris("2026-03-21 12:00")
    assert next_reminder(CAMPAIGN, A, [], {}, saturday).at == paris("2026-03-23 09:00")


def test_upcoming_reminders_are_sorted_and_last_reminder_is_per_target():
    snoozes = {101: paris("2026-03-20 11:00")}
    found = upcoming_reminders(CAMPAIGN, [A, B], [], snoozes, paris("2026-03-12 15:00"))
    assert [(u.person_id, u.kind) for u in found] == [(201, "periodic"), (101, "snooze")]
    log = [Sent(*A, "launch", "launch", LAUNCH),
           Sent(*A, "periodic", "periodic:2026-03-17", paris("2026-03-17 10:00")),
           Sent(*B, "manual", "manual:2026-03-18", paris("2026-03-18 10:00"))]
    assert last_reminder(log, A).slot == "periodic:2026-03-17"
    assert last_reminder(log, C) is None


def test_a_moved_deadline_is_told_once_per_change_and_its_reminder_follows():
    changed = paris("2026-04-01 10:00")
    assert deadline_change_slot(date(2026, 4, 24), changed) == (
        "deadline_moved:2026-04-24:2026-04-01T08:00:00+00:00")
    assert deadline_change_slot(date(2026, 4, 24), paris("2026-04-02 10:00")) != (
        deadline_change_slot(date(2026, 4, 24), changed))  # the same date set again later
    moved = replace(CAMPAIGN, deadline=date(2026, 4, 24))
    upcoming = next_reminder(moved, A, [], {}, paris("2026-04-20 20:00"))
    assert (upcoming.kind, upcoming.at) == ("deadline", paris("2026-04-21 09:00"))


# --- Storage of a deferred /relancer and a moved deadline -----------------------------------

@pytest.fixture
def campaign_db():
    db = open_db(":memory:")
    campaign = create_campaign(db, 2026, date(2026, 4, 10), "2025.1", None,
                               now=paris("2026-03-09 10:00"))
    return db, launch_campaign(db, campaign.id, now=LAUNCH)


def test_a_deferred_relancer_is_taken_once_when_its_moment_comes(campaign_db):
    db, campaign = campaign_db
    monday = paris("2026-03-23 09:00")
    campaign = schedule_manual_reminder(db, campaign.id, monday, 500)
    assert campaign.manual_reminder_at == monday and campaign.manual_reminder_by == 500
    assert not take_manual_reminder(db, campaign, paris("2026-03-22 12:00"))
    assert take_manual_reminder(db, campaign, monday)
    assert not take_manual_reminder(db, campaign, monday)  # taken: a second job does nothing
    assert get_campaign(db, campaign.id).manual_reminder_at is None


def test_closing_drops_a_pending_relancer_and_a_closed_campaign_takes_none(campaign_db):
    db, campaign = campaign_db
    schedule_manual_reminder(db, campaign.id, paris("2026-03-23 09:00"), 500)
    closed = close_campaign(db, campaign.id, now=paris("2026-03-21 12:00"))
    assert closed.manual_reminder_at is None
    with pytest.raises(WrongStatus):
        schedule_manual_reminder(db, campaign.id, paris("2026-03-23 09:00"), 500)


def test_the_deadline_of_an_open_campaign_moves(campaign_db):
    db, campaign = campaign_db
    moved = set_deadline(db, campaign.id, date(2026, 4, 24), now=paris("2026-04-01 10:00"))
    assert moved.deadline == date(2026, 4, 24) and moved.is_open
