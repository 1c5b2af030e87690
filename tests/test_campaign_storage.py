"""Campaigns in storage: life cycle, status of each place, reminder targets, the reminder
log and snoozes, and the schedule driven from the database across a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from campaign.schedule import PARIS, Target, due_reminders
from questionnaire.grid import default_grid
from storage import (
    add_manager,
    add_place,
    get_or_create_response,
    interview_step,
    mark_submitted,
    open_db,
    remove_place,
    upsert_person,
)
from storage.campaign_status import campaign_responses, campaign_status
from storage.campaigns import (
    IN_PROGRESS,
    NO_MANAGER,
    NOT_STARTED,
    SUBMITTED,
    UNREACHABLE,
    AnotherCampaignOpen,
    DeadlinePassed,
    DuplicateCampaign,
    WrongStatus,
    close_campaign,
    create_campaign,
    current_campaign,
    find_campaign,
    get_campaign,
    latest_started_campaign,
    launch_campaign,
    list_campaigns,
    reminder_targets,
    set_deadline,
    set_reminder_schedule,
)
from storage.errors import NotFound
from storage.reminders import (
    ERROR,
    SENT,
    claim_reminder,
    is_unreachable,
    mark_reachable,
    mark_unreachable,
    record_outcome,
    release_reminder,
    sent_log,
    snooze,
    snoozes,
)

GRID = default_grid()
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # Monday
DEADLINE = date(2026, 4, 10)
COORDINATOR = 900


@pytest.fixture
def db():
    return open_db(":memory:")


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def place_with_managers(db, name: str, *person_ids: int) -> int:
    place = add_place(db, name)
    for person_id in person_ids:
        upsert_person(db, person_id, f"Gestionnaire {person_id}")
        add_manager(db, place.id, person_id)
    return place.id


def store(db, place_id: int, year: int, answers: dict, *, submit: bool = False) -> int:
    response = get_or_create_response(db, place_id, year, GRID.version)
    with interview_step(db, response.id, 0) as step:
        step.save(answers)
    if submit:
        mark_submitted(db, response.id, 0)
    return response.id


def launched(db, year: int = 2026, **schedule):
    campaign = create_campaign(db, year, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    if schedule:
        set_reminder_schedule(db, campaign.id, schedule["every"], schedule["before"])
    return launch_campaign(db, campaign.id, now=paris("2026-03-10 10:00"))


# --- Life cycle -------------------------------------------------------------------------

def test_a_new_campaign_is_a_draft_with_the_default_schedule(db):
    campaign = create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    assert campaign.status == "draft" and not campaign.is_open
    assert (campaign.year, campaign.deadline, campaign.grid_version) == (2026, DEADLINE,
                                                                        GRID.version)
    assert (campaign.remind_every_days, campaign.remind_before_days) == (7, 3)
    assert campaign.created_by == COORDINATOR
    assert campaign.created_at == NOW
    assert campaign.opened_at is campaign.launched_at is campaign.closed_at is None
    assert get_campaign(db, campaign.id) == campaign == find_campaign(db, 2026)
    assert find_campaign(db, 2025) is None
    with pytest.raises(NotFound):
        get_campaign(db, 999)


def test_a_year_has_one_campaign_and_a_deadline_cannot_be_past(db):
    create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    with pytest.raises(DuplicateCampaign) as error:
        create_campaign(db, 2026, date(2026, 5, 1), GRID.version, COORDINATOR, now=NOW)
    assert error.value.year == 2026
    with pytest.raises(DeadlinePassed):
        create_campaign(db, 2027, date(2026, 3, 1), GRID.version, COORDINATOR, now=NOW)
    # today is still allowed; "today" is the Paris date (23:30 UTC is tomorrow in Paris)
    assert create_campaign(db, 2027, date(2026, 3, 2), GRID.version, None, now=NOW)
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    with pytest.raises(DeadlinePassed):
        create_campaign(db, 2028, date(2026, 3, 2), GRID.version, None, now=late_evening)


def test_launch_then_close(db):
    campaign = create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    launch_time = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # already Tuesday 10/03 in Paris
    opened = launch_campaign(db, campaign.id, now=launch_time)
    assert opened.status == "open" and opened.is_open
    assert opened.launched_at == launch_time
    assert opened.opened_at == date(2026, 3, 10)
    with pytest.raises(WrongStatus):
        launch_campaign(db, campaign.id, now=launch_time)
    closed = close_campaign(db, campaign.id, now=paris("2026-04-20 18:00"))
    assert closed.status == "closed" and closed.closed_at == paris("2026-04-20 18:00")
    with pytest.raises(WrongStatus):
        close_campaign(db, campaign.id)
    with pytest.raises(WrongStatus):
        set_reminder_schedule(db, campaign.id, 5, 2)
    with pytest.raises(WrongStatus):
        set_deadline(db, campaign.id, date(2026, 5, 1), now=paris("2026-04-20 18:00"))


def test_a_draft_cannot_be_closed_and_a_passed_deadline_cannot_be_launched(db):
    campaign = create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    with pytest.raises(WrongStatus):
        close_campaign(db, campaign.id)
    with pytest.raises(DeadlinePassed):
        launch_campaign(db, campaign.id, now=paris("2026-04-11 09:00"))
    assert set_deadline(db, campaign.id, date(2026, 4, 30),
                        now=paris("2026-04-11 09:00")).deadline == date(2026, 4, 30)
    assert launch_campaign(db, campaign.id, now=paris("2026-04-11 09:00")).is_open


def test_one_campaign_open_at_a_time(db):
    first = launched(db, 2026)
    second = create_campaign(db, 2027, date(2027, 4, 1), GRID.version, COORDINATOR, now=NOW)
    with pytest.raises(AnotherCampaignOpen) as error:
        launch_campaign(db, second.id, now=NOW)
    assert error.value.other == first
    close_campaign(db, first.id)
    assert launch_campaign(db, second.id, now=NOW).is_open


def test_current_campaign_is_the_open_one_else_the_latest_draft(db):
    assert current_campaign(db) is None
    old = launched(db, 2025)
    draft = create_campaign(db, 2027, date(2027, 4, 1), GRID.version, COORDINATOR, now=NOW)
    assert current_campaign(db) == old
    close_campaign(db, old.id)
    assert current_campaign(db) == draft
    newer = create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR,
                            now=NOW + timedelta(hours=1))
    assert current_campaign(db) == newer  # the most recently created draft
    assert [c.year for c in list_campaigns(db)] == [2027, 2026, 2025]


def test_latest_started_campaign_is_the_open_one_else_the_latest_closed(db):
    create_campaign(db, 2024, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    assert latest_started_campaign(db) is None  # a draft does not count
    old = launched(db, 2023)
    assert latest_started_campaign(db) == old
    close_campaign(db, old.id)
    assert latest_started_campaign(db).id == old.id
    newer = launched(db, 2025)
    close_campaign(db, newer.id)
    assert latest_started_campaign(db).year == 2025  # the latest closed year
    opened = launched(db, 2022)
    assert latest_started_campaign(db) == opened  # open before any closed one


def test_after_closing_only_include_closed_finds_it(db):
    campaign = launched(db)
    close_campaign(db, campaign.id)
    assert current_campaign(db) is None
    assert current_campaign(db, include_closed=True).id == campaign.id


def test_the_reminder_schedule_is_per_campaign(db):
    campaign = create_campaign(db, 2026, DEADLINE, GRID.version, COORDINATOR, now=NOW)
    changed = set_reminder_schedule(db, campaign.id, 5, 0)
    assert (changed.remind_every_days, changed.remind_before_days) == (5, 0)
    for every, before in ((-1, 3), (7, 366), (True, 3), (2.5, 3)):
        with pytest.raises(ValueError):
            set_reminder_schedule(db, campaign.id, every, before)


# --- Status -----------------------------------------------------------------------------

def test_campaign_status_says_where_each_active_place_stands(db):
    campaign = launched(db)
    not_started = place_with_managers(db, "La Tréso", 1)
    in_progress = place_with_managers(db, "Le WIP", 2, 3)
    submitted = place_with_managers(db, "Utopic", 4)
    blocked = place_with_managers(db, "Les Grands Voisins", 5, 6)
    orphan = place_with_managers(db, "L'Hermitage")
    half_blocked = place_with_managers(db, "La Station", 7, 8)
    removed = place_with_managers(db, "Ancien lieu", 9)
    store(db, in_progress, 2026, {"lien_social.publics": ["voisins"], "sante.effets": []})
    store(db, in_progress, 2025, {}, submit=True)  # another year: does not count
    store(db, submitted, 2026, {"lien_social.frequence": ["mensuel"]}, submit=True)
    store(db, not_started, 2026, {})  # opened the interview, answered nothing
    for person in (5, 6, 7):
        mark_unreachable(db, person)
    remove_place(db, removed)

    status = campaign_status(db, campaign)
    by_id = {p.place.id: p for p in status.places}
    assert set(by_id) == {not_started, in_progress, submitted, blocked, orphan, half_blocked}
    assert by_id[not_started].state == NOT_STARTED
    assert by_id[in_progress].state == IN_PROGRESS
    # 38 asked: espaces.ameliorations and espaces.degradations wait for espaces.effet
    assert (by_id[in_progress].answered, by_id[in_progress].asked) == (1, 38)
    assert by_id[submitted].state == SUBMITTED and by_id[submitted].submitted_at is not None
    assert by_id[blocked].state == UNREACHABLE
    assert (by_id[blocked].managers, by_id[blocked].unreachable_managers) == (2, 2)
    assert by_id[orphan].state == NO_MANAGER
    assert by_id[half_blocked].state == NOT_STARTED
    assert status.counts == {NOT_STARTED: 2, IN_PROGRESS: 1, SUBMITTED: 1, UNREACHABLE: 1,
                             NO_MANAGER: 1}
    assert [p.place.name for p in status.in_state(NOT_STARTED)] == ["La Station", "La Tréso"]
    assert [p.place.name for p in status.places] == [
        "L'Hermitage", "La Station", "La Tréso", "Le WIP", "Les Grands Voisins", "Utopic"]


def test_a_blocked_manager_of_a_place_that_sent_does_not_hide_the_sending(db):
    campaign = launched(db)
    place = place_with_managers(db, "Utopic", 1)
    store(db, place, 2026, {}, submit=True)
    mark_unreachable(db, 1)
    assert campaign_status(db, campaign).places[0].state == SUBMITTED


def test_reminder_targets_are_reachable_managers_of_places_that_have_not_sent(db):
    campaign = launched(db)
    a = place_with_managers(db, "A", 1, 2)
    b = place_with_managers(db, "B", 3)
    c = place_with_managers(db, "C", 4)
    d = place_with_managers(db, "D", 5)
    store(db, b, 2026, {}, submit=True)
    store(db, c, 2026, {"sante.commentaire": "en cours"})
    store(db, d, 2025, {}, submit=True)  # sent last year, not this one
    mark_unreachable(db, 2)
    removed = place_with_managers(db, "E", 6)
    remove_place(db, removed)
    assert reminder_targets(db, campaign) == [Target(a, 1), Target(c, 4), Target(d, 5)]
    assert mark_reachable(db, 2) and not mark_reachable(db, 2)
    assert Target(a, 2) in reminder_targets(db, campaign)


def test_campaign_responses_are_those_of_its_year(db):
    campaign = launched(db)
    wip = place_with_managers(db, "Le WIP", 1)
    treso = place_with_managers(db, "La Tréso", 2)
    store(db, wip, 2026, {"insertion.beneficiaires": 15}, submit=True)
    store(db, treso, 2026, {"sante.commentaire": "en cours"})
    store(db, treso, 2025, {"insertion.beneficiaires": 3}, submit=True)
    remove_place(db, wip)  # its answers of 2026 still belong to the campaign
    responses = campaign_responses(db, campaign)
    assert [(r.place, r.year, r.status) for r in responses] == [
        ("La Tréso", 2026, "in_progress"), ("Le WIP", 2026, "submitted")]
    assert responses[1].answers == {"insertion.beneficiaires": 15}
    assert responses[1].submitted_at is not None and responses[0].submitted_at is None
    assert [r.place for r in campaign_responses(db, campaign, submitted_only=True)] == [
        "Le WIP"]


# --- The reminder log -------------------------------------------------------------------

def test_a_slot_is_claimed_once(db):
    campaign = launched(db)
    place = place_with_managers(db, "A", 1)
    first = claim_reminder(db, campaign.id, place, 1, "periodic", "periodic:2026-03-17",
                           due_at=paris("2026-03-17 10:00"), now=paris("2026-03-17 10:00"))
    assert first is not None
    assert claim_reminder(db, campaign.id, place, 1, "periodic", "periodic:2026-03-17") is None
    assert claim_reminder(db, campaign.id, place, 1, "deadline", "deadline:2026-04-10",
                          now=paris("2026-04-07 09:00"))
    with pytest.raises(ValueError):
        claim_reminder(db, campaign.id, place, 1, "weekly", "x")
    record_outcome(db, first, SENT, now=paris("2026-03-17 10:01"))
    row = db.execute("SELECT outcome, sent_at, due_at FROM reminders WHERE id = ?",
                     [first]).fetchone()
    assert row == ("sent", "2026-03-17T09:01:00+00:00", "2026-03-17T09:00:00+00:00")
    assert {(e.kind, e.slot, e.at) for e in sent_log(db, campaign.id)} == {
        ("periodic", "periodic:2026-03-17", paris("2026-03-17 10:01")),
        ("deadline", "deadline:2026-04-10", paris("2026-04-07 09:00")),  # claimed, unsent
    }
    with pytest.raises(NotFound):
        record_outcome(db, 999, SENT)


def test_a_403_marks_the_manager_unreachable(db):
    campaign = launched(db)
    place = place_with_managers(db, "A", 1, 2)
    reminder = claim_reminder(db, campaign.id, place, 1, "launch", "launch")
    record_outcome(db, reminder, "unreachable")
    assert is_unreachable(db, 1) and not is_unreachable(db, 2)
    assert reminder_targets(db, campaign) == [Target(place, 2)]


def test_a_released_claim_is_due_again_but_a_sent_one_cannot_be_released(db):
    campaign = launched(db)
    place = place_with_managers(db, "A", 1)
    failed = claim_reminder(db, campaign.id, place, 1, "manual", "manual:2026-03-12")
    record_outcome(db, failed, ERROR)
    assert release_reminder(db, failed)
    again = claim_reminder(db, campaign.id, place, 1, "manual", "manual:2026-03-12")
    assert again is not None
    record_outcome(db, again, SENT)
    assert not release_reminder(db, again)
    assert len(sent_log(db, campaign.id)) == 1


def test_snoozes_replace_each_other(db):
    campaign = launched(db)
    place_with_managers(db, "A", 1)
    until = snooze(db, campaign.id, 1, 3, now=paris("2026-03-17 10:05"))
    assert until == paris("2026-03-20 10:05")
    assert snoozes(db, campaign.id) == {1: until}
    later = snooze(db, campaign.id, 1, 5, now=paris("2026-03-18 10:00"))
    assert snoozes(db, campaign.id) == {1: later}
    with pytest.raises(ValueError):
        snooze(db, campaign.id, 1, 0)


# --- The schedule from the database, across a restart -----------------------------------

def send_due(db, campaign_id: int, now: datetime, *, crash_after: int | None = None) -> int:
    """What the bot's reminder job does; `crash_after` stops it (as a crash would) after
    that many claims, the last of which is claimed but never sent."""
    campaign = get_campaign(db, campaign_id)
    sent = 0
    for due in due_reminders(campaign, reminder_targets(db, campaign),
                             sent_log(db, campaign_id), snoozes(db, campaign_id), now):
        reminder_id = claim_reminder(db, campaign_id, due.place_id, due.person_id, due.kind,
                                     due.slot, due_at=due.due_at, now=now)
        assert reminder_id is not None
        if crash_after is not None and sent + 1 == crash_after:
            return sent
        record_outcome(db, reminder_id, SENT, now=now)
        sent += 1
    return sent


def test_a_restart_in_the_middle_of_a_batch_sends_the_rest_and_nothing_twice(tmp_path: Path):
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    campaign = launched(db)
    places = [place_with_managers(db, f"Lieu {n:02d}", 100 + n) for n in range(10)]
    store(db, places[0], 2026, {}, submit=True)
    now = paris("2026-03-17 10:00")
    assert send_due(db, campaign.id, now, crash_after=4) == 3  # the 4th is claimed, unsent
    db.conn.close()

    db = open_db(path)  # the bot restarts
    later = now + timedelta(minutes=15)
    assert send_due(db, campaign.id, later) == 5  # 9 places, 4 claimed before the crash
    assert send_due(db, campaign.id, later + timedelta(minutes=15)) == 0
    slots = db.execute("SELECT place_id, slot FROM reminders").fetchall()
    assert len(slots) == len(set(slots)) == 9
    # a week later the next periodic reminder goes to those still not sent
    assert send_due(db, campaign.id, paris("2026-03-24 10:00")) == 9


def test_closing_stops_reminders_from_the_database(db):
    campaign = launched(db)
    place_with_managers(db, "A", 1)
    close_campaign(db, campaign.id, now=paris("2026-03-16 12:00"))
    assert send_due(db, campaign.id, paris("2026-03-17 10:00")) == 0


def test_a_fresh_database_has_the_campaign_tables(db):
    tables = set(db.table_names())
    assert {"campaigns", "reminders", "snoozes"} <= tables
    assert "unreachable_at" in db["people"].columns_dict
