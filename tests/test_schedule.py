"""The reminder schedule with a fake clock: quiet hours, periodic and deadline reminders,
snoozes, restarts. Pure: no database, no sleeping."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from campaign.schedule import (
    PARIS,
    Due,
    Sent,
    Target,
    due_reminders,
    is_allowed,
    next_allowed,
    next_wakeup,
)


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


LAUNCH = paris("2026-03-10 10:00")  # a Tuesday


@dataclass(frozen=True)
class FakeCampaign:
    status: str = "open"
    deadline: date = date(2026, 4, 10)  # a Friday
    launched_at: datetime | None = LAUNCH
    remind_every_days: int = 7
    remind_before_days: int = 3


CAMPAIGN = FakeCampaign()
A, B = Target(1, 101), Target(2, 201)


# --- Quiet hours ------------------------------------------------------------------------

@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-03-27 19:30", "2026-03-30 09:00"),  # Friday evening → Monday
    ("2026-03-10 08:59", "2026-03-10 09:00"),  # Tuesday morning, one minute early
    ("2026-03-10 09:00", "2026-03-10 09:00"),
    ("2026-03-10 18:59", "2026-03-10 18:59"),
    ("2026-03-10 19:00", "2026-03-11 09:00"),  # 19:00 is already evening
    ("2026-03-14 12:00", "2026-03-16 09:00"),  # Saturday
    ("2026-03-15 23:59", "2026-03-16 09:00"),  # Sunday
    ("2026-03-16 00:00", "2026-03-16 09:00"),  # Monday, midnight
])
def test_next_allowed_moves_to_the_next_working_hour(moment, expected):
    assert next_allowed(paris(moment)) == paris(expected)


def test_next_allowed_across_daylight_saving_changes():
    # Spring forward on Sunday 29 March 2026: Monday 9:00 is 07:00 UTC, not 08:00.
    monday = next_allowed(paris("2026-03-27 20:00"))
    assert monday == utc("2026-03-30 07:00")
    assert monday.utcoffset() == timedelta(hours=2)
    assert is_allowed(utc("2026-03-30 07:30"))  # 9:30 in Paris (CEST)
    assert not is_allowed(utc("2026-03-23 07:30"))  # 8:30 in Paris (CET), a week before
    assert next_allowed(utc("2026-03-23 07:30")) == utc("2026-03-23 08:00")
    # Fall back on Sunday 25 October 2026: Monday 9:00 is 08:00 UTC again.
    assert next_allowed(paris("2026-10-23 19:30")) == utc("2026-10-26 08:00")
    # In the middle of the night of the change, still Monday 9:00.
    assert next_allowed(utc("2026-10-25 00:30")) == utc("2026-10-26 08:00")


def test_times_without_a_timezone_are_refused():
    with pytest.raises(ValueError):
        next_allowed(datetime(2026, 3, 10, 10, 0))
    with pytest.raises(ValueError):
        due_reminders(CAMPAIGN, [A], [], {}, datetime(2026, 3, 17, 10, 0))


# --- A fake bot that polls every 15 minutes ---------------------------------------------

def simulate(campaign, targets, start, end, *, log=None, snoozes=None, down=(), step=15):
    """Call due_reminders every `step` minutes from start to end, "send" what is due.

    `down` is a list of (from, to) during which the bot is not running. Returns the sends
    as (when, due); `log` (the reminder log, as stored) is updated in place.
    """
    log = [] if log is None else log
    sent: list[tuple[datetime, Due]] = []
    now = start
    while now <= end:
        if not any(stop <= now < back for stop, back in down):
            for due in due_reminders(campaign, targets, log, snoozes or {}, now):
                log.append(Sent(due.place_id, due.person_id, due.kind, due.slot, now))
                sent.append((now, due))
        now += timedelta(minutes=step)
    return sent


def summary(sends):
    return [(when.astimezone(PARIS).strftime("%a %d/%m %H:%M"), due.kind, due.place_id)
            for when, due in sends]


def test_a_whole_campaign_periodic_then_deadline_then_periodic_after_the_deadline():
    sends = simulate(CAMPAIGN, [A], paris("2026-03-10 10:00"), paris("2026-04-15 12:00"))
    assert summary(sends) == [
        ("Tue 17/03 10:00", "periodic", 1),
        ("Tue 24/03 10:00", "periodic", 1),
        ("Tue 31/03 10:00", "periodic", 1),  # after the DST change: still 10:00 in Paris
        ("Tue 07/04 09:00", "deadline", 1),  # 3 days before Friday 10/04, at 9:00
        # the periodic one of Tue 07/04 10:00 is not sent an hour after the deadline one
        ("Tue 14/04 10:00", "periodic", 1),  # deadline passed, campaign still open
    ]
    assert [due.slot for _, due in sends] == [
        "periodic:2026-03-17", "periodic:2026-03-24", "periodic:2026-03-31",
        "deadline:2026-04-10", "periodic:2026-04-14"]
    assert sends[2][0] == utc("2026-03-31 08:00")


def test_every_manager_of_every_target_place_gets_each_reminder():
    targets = [A, B, Target(1, 102)]
    sends = simulate(CAMPAIGN, targets, paris("2026-03-17 09:00"), paris("2026-03-17 11:00"))
    assert [(d.place_id, d.person_id) for _, d in sends] == [(1, 101), (2, 201), (1, 102)]


def test_nothing_for_a_draft_or_a_closed_campaign():
    now = paris("2026-03-17 10:00")
    assert due_reminders(CAMPAIGN, [A], [], {}, now)
    assert due_reminders(replace(CAMPAIGN, status="closed"), [A], [], {}, now) == []
    assert due_reminders(replace(CAMPAIGN, status="draft", launched_at=None), [A], [], {},
                         now) == []


def test_nothing_for_a_place_once_it_has_sent():
    # The caller leaves a place that sent out of the targets; from then on, nothing.
    before = simulate(CAMPAIGN, [A, B], paris("2026-03-10 10:00"), paris("2026-03-20 12:00"))
    after = simulate(CAMPAIGN, [B], paris("2026-03-20 12:15"), paris("2026-04-30 12:00"),
                     log=[Sent(d.place_id, d.person_id, d.kind, d.slot, w) for w, d in before])
    assert {d.place_id for _, d in before} == {1, 2}
    assert after and {d.place_id for _, d in after} == {2}


def test_closing_stops_everything():
    closed = replace(CAMPAIGN, status="closed")
    assert simulate(closed, [A], paris("2026-03-10 10:00"), paris("2026-04-30 12:00")) == []


# --- Quiet hours applied to reminders ---------------------------------------------------

def test_a_reminder_that_falls_on_a_weekend_goes_out_on_monday_at_nine():
    saturday_launch = replace(CAMPAIGN, launched_at=paris("2026-03-07 11:00"))
    sends = simulate(saturday_launch, [A], paris("2026-03-07 11:00"), paris("2026-03-17 12:00"))
    assert summary(sends) == [("Mon 16/03 09:00", "periodic", 1)]
    assert sends[0][1].due_at == paris("2026-03-16 09:00")


def test_a_reminder_that_falls_in_the_evening_goes_out_the_next_working_morning():
    evening_launch = replace(CAMPAIGN, launched_at=paris("2026-03-06 19:30"))  # a Friday
    sends = simulate(evening_launch, [A], paris("2026-03-06 19:30"), paris("2026-03-17 12:00"))
    assert summary(sends) == [("Mon 16/03 09:00", "periodic", 1)]


def test_nothing_is_sent_outside_the_allowed_hours_even_when_due():
    assert due_reminders(CAMPAIGN, [A], [], {}, paris("2026-03-17 09:59")) == []
    assert due_reminders(CAMPAIGN, [A], [], {}, paris("2026-03-17 19:00")) == []
    assert due_reminders(CAMPAIGN, [A], [], {}, paris("2026-03-21 10:00")) == []  # Saturday
    assert len(due_reminders(CAMPAIGN, [A], [], {}, paris("2026-03-23 09:00"))) == 1  # Monday


# --- Deadline reminder ------------------------------------------------------------------

def test_a_deadline_reminder_that_falls_on_a_weekend_goes_out_on_monday():
    wednesday = replace(CAMPAIGN, deadline=date(2026, 4, 8), remind_every_days=0)
    sends = simulate(wednesday, [A], paris("2026-03-10 10:00"), paris("2026-04-09 12:00"))
    assert summary(sends) == [("Mon 06/04 09:00", "deadline", 1)]  # Sunday 05/04 → Monday


def test_no_deadline_reminder_when_its_moment_is_after_the_deadline():
    sunday = replace(CAMPAIGN, deadline=date(2026, 4, 12), remind_every_days=0,
                     remind_before_days=1)  # Saturday 9:00 → Monday 13/04, too late
    assert simulate(sunday, [A], paris("2026-03-10 10:00"), paris("2026-04-20 12:00")) == []


def test_no_deadline_reminder_when_launched_after_its_moment():
    late = replace(CAMPAIGN, launched_at=paris("2026-04-08 10:00"), remind_every_days=0)
    assert simulate(late, [A], paris("2026-04-08 10:00"), paris("2026-04-10 23:00")) == []


def test_zero_days_turns_a_reminder_off():
    off = replace(CAMPAIGN, remind_every_days=0, remind_before_days=0)
    assert simulate(off, [A], paris("2026-03-10 10:00"), paris("2026-05-01 12:00")) == []
    no_deadline = replace(CAMPAIGN, remind_before_days=0)
    sends = simulate(no_deadline, [A], paris("2026-03-10 10:00"), paris("2026-04-08 12:00"))
    assert [d.kind for _, d in sends] == ["periodic"] * 4


def test_an_extended_deadline_allows_one_more_deadline_reminder():
    log: list[Sent] = []
    first = simulate(replace(CAMPAIGN, remind_every_days=0), [A], paris("2026-03-10 10:00"),
                     paris("2026-04-10 12:00"), log=log)
    extended = replace(CAMPAIGN, remind_every_days=0, deadline=date(2026, 4, 24))
    second = simulate(extended, [A], paris("2026-04-10 12:15"), paris("2026-04-25 12:00"),
                      log=log)
    assert [d.slot for _, d in first] == ["deadline:2026-04-10"]
    assert summary(second) == [("Tue 21/04 09:00", "deadline", 1)]


# --- Restarts: nothing doubled, nothing dropped -----------------------------------------

def test_a_restart_in_the_middle_doubles_nothing_and_drops_nothing():
    start, end = paris("2026-03-10 10:00"), paris("2026-04-15 12:00")
    straight = simulate(CAMPAIGN, [A, B], start, end)
    log: list[Sent] = []
    first = simulate(CAMPAIGN, [A, B], start, paris("2026-03-24 10:00"), log=log)
    # restart: a new process, the same log from the database, polling again at once
    again = simulate(CAMPAIGN, [A, B], paris("2026-03-24 10:00"), end, log=log)
    assert first and again
    assert [(d.kind, d.slot, d.place_id) for _, d in first + again] == \
        [(d.kind, d.slot, d.place_id) for _, d in straight]


def test_a_reminder_due_while_the_bot_was_down_goes_out_when_it_is_back():
    launched_at_three = replace(CAMPAIGN, launched_at=paris("2026-03-10 15:00"))
    # down from Tuesday 17/03 14:00 to Wednesday 18/03 10:00: yesterday's 15:00 reminder
    sends = simulate(launched_at_three, [A], paris("2026-03-10 15:00"),
                     paris("2026-03-20 12:00"),
                     down=[(paris("2026-03-17 14:00"), paris("2026-03-18 10:00"))])
    assert summary(sends) == [("Wed 18/03 10:00", "periodic", 1)]
    assert sends[0][1].due_at == paris("2026-03-17 15:00")


def test_back_on_a_saturday_the_missed_reminder_waits_for_monday():
    sends = simulate(CAMPAIGN, [A], paris("2026-03-10 10:00"), paris("2026-03-24 09:00"),
                     down=[(paris("2026-03-17 08:00"), paris("2026-03-21 10:00"))])
    assert summary(sends) == [("Mon 23/03 09:00", "periodic", 1)]


def test_after_a_long_outage_one_reminder_not_a_pile():
    sends = simulate(CAMPAIGN, [A], paris("2026-03-10 10:00"), paris("2026-04-03 12:00"),
                     down=[(paris("2026-03-12 10:00"), paris("2026-04-02 10:00"))])
    assert summary(sends) == [("Thu 02/04 10:00", "periodic", 1)]
    assert sends[0][1].slot == "periodic:2026-03-31"  # the latest one


def test_a_claimed_slot_is_never_sent_again_whatever_its_outcome():
    now = paris("2026-03-17 10:00")
    claimed = Sent(1, 101, "periodic", "periodic:2026-03-17", now)
    assert due_reminders(CAMPAIGN, [A, B], [claimed], {}, now + timedelta(hours=2)) == [
        Due(2, 201, "periodic", "periodic:2026-03-17", now)]


def test_a_recent_message_about_the_place_holds_back_the_next_reminder():
    # a manual reminder (/relancer) on Monday: the periodic one on Tuesday is not sent
    manual = Sent(1, 101, "manual", "manual:2026-03-16", paris("2026-03-16 16:00"))
    assert due_reminders(CAMPAIGN, [A], [manual], {}, paris("2026-03-17 10:00")) == []
    earlier = Sent(1, 101, "manual", "manual:2026-03-16", paris("2026-03-16 11:00"))
    assert len(due_reminders(CAMPAIGN, [A], [earlier], {}, paris("2026-03-17 10:00"))) == 1


# --- Snooze ("Me le rappeler dans 3 jours") ---------------------------------------------

def test_a_snoozed_manager_gets_nothing_until_the_end_then_one_reminder():
    until = paris("2026-03-16 14:00") + timedelta(days=3)  # Thursday 19/03 14:00
    sends = simulate(CAMPAIGN, [A, Target(1, 102)], paris("2026-03-16 14:00"),
                     paris("2026-03-25 12:00"), snoozes={101: until})
    assert [(w.astimezone(PARIS).strftime("%d/%m %H:%M"), d.kind, d.person_id)
            for w, d in sends] == [
        ("17/03 10:00", "periodic", 102),  # the other manager of the place is not snoozed
        ("19/03 14:00", "snooze", 101),
        ("24/03 10:00", "periodic", 101),
        ("24/03 10:00", "periodic", 102),
    ]


def test_a_snooze_ending_on_a_weekend_ends_on_monday_morning():
    until = paris("2026-03-18 10:00") + timedelta(days=3)  # Saturday 21/03 10:00
    sends = simulate(replace(CAMPAIGN, remind_every_days=0), [A], paris("2026-03-18 10:00"),
                     paris("2026-03-24 12:00"), snoozes={101: until})
    assert summary(sends) == [("Mon 23/03 09:00", "snooze", 1)]


# --- Waking up --------------------------------------------------------------------------

def test_next_wakeup_is_the_next_moment_something_may_be_due():
    assert next_wakeup(CAMPAIGN, {}, paris("2026-03-10 10:00")) == paris("2026-03-17 10:00")
    assert next_wakeup(CAMPAIGN, {101: paris("2026-03-12 15:00")},
                       paris("2026-03-10 10:00")) == paris("2026-03-12 15:00")
    assert next_wakeup(CAMPAIGN, {}, paris("2026-04-03 10:00")) == paris("2026-04-07 09:00")
    assert next_wakeup(CAMPAIGN, {}, paris("2026-03-14 10:00")) == paris("2026-03-16 09:00")
    assert next_wakeup(replace(CAMPAIGN, status="closed"), {}, paris("2026-03-14 10:00")) \
        is None
