"""storage.step_reads: the campaign, place and response of a step in one read, the same
as the two reads it replaces (`latest_started_campaign`, `current_place_and_response`)."""

from datetime import UTC, date, datetime

import pytest

import storage
from storage.campaigns import (
    close_campaign,
    create_campaign,
    latest_started_campaign,
    launch_campaign,
)
from storage.people import add_manager, upsert_person
from storage.roles import current_place_and_response, set_current_place
from storage.step_reads import step_reads

NOW = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)  # before every deadline below
PERSON = 41


def two_reads(db, person_id: int, calendar_year: int):
    campaign = latest_started_campaign(db)
    year = campaign.year if campaign is not None else calendar_year
    found = current_place_and_response(db, person_id, year)
    place, response = found if found is not None else (None, None)
    return campaign, year, place, response


def one_read(db, person_id: int, calendar_year: int):
    reads = step_reads(db, person_id, calendar_year)
    return reads.campaign, reads.year, reads.place, reads.response


@pytest.fixture
def db(tmp_path):
    db = storage.open_db(tmp_path / "fichebot.db")
    yield db
    db.close()


def campaign(db, year: int, *, launched: bool = True, closed: bool = False):
    created = create_campaign(db, year, date(year, 12, 1), "2025.1", None, now=NOW)
    if launched:
        launch_campaign(db, created.id, now=NOW)
    if closed:
        close_campaign(db, created.id, now=NOW)
    return created


def manager(db, *names: str, current: int | None = None):
    upsert_person(db, PERSON, "Alice", None)
    places = [storage.add_place(db, name) for name in names]
    for place in places:
        add_manager(db, place.id, PERSON)
    if current is not None:
        set_current_place(db, PERSON, places[current].id)
    return places


SCENES = {
    "a stranger, no campaign": lambda db: None,
    "a stranger, a campaign open": lambda db: campaign(db, 2026),
    "no current place set: the first place by name": lambda db: manager(db, "Zèbre", "Atelier"),
    "current place, no campaign, no response": lambda db: manager(db, "Atelier", current=0),
    "current place, campaign open, its response": lambda db: (
        campaign(db, 2026), manager(db, "Atelier", current=0),
        storage.get_or_create_response(db, 1, 2026, "2025.1")),
    "last year's campaign closed, a draft for this year": lambda db: (
        campaign(db, 2025, closed=True), campaign(db, 2026, launched=False),
        manager(db, "Atelier", "Bercail", current=1),
        storage.get_or_create_response(db, 2, 2025, "2025.1")),
    "a response of another year only": lambda db: (
        manager(db, "Atelier", current=0), storage.get_or_create_response(db, 1, 2024, "2025.1")),
    "current place removed: the other place": lambda db: (
        manager(db, "Atelier", "Bercail", current=1), storage.remove_place(db, 2)),
    "no longer manages the current place": lambda db: (
        manager(db, "Atelier", "Bercail", current=0),
        storage.people.remove_manager(db, 1, PERSON)),
    "manages no place any more": lambda db: (
        manager(db, "Atelier", current=0), storage.people.remove_manager(db, 1, PERSON)),
}


@pytest.mark.parametrize("scene", SCENES)
def test_one_read_is_the_two_reads(db, scene):
    SCENES[scene](db)
    assert one_read(db, PERSON, 2026) == two_reads(db, PERSON, 2026)


def test_what_the_one_read_finds(db):
    campaign(db, 2025, closed=True)
    atelier, = manager(db, "Atelier", current=0)
    response = storage.get_or_create_response(db, atelier.id, 2025, "2025.1")
    reads = step_reads(db, PERSON, 2026)
    assert (reads.campaign.year, reads.campaign.status) == (2025, "closed")
    assert reads.year == 2025  # the closed campaign's year, not the calendar's
    assert reads.place == atelier
    assert reads.response == response
    assert step_reads(db, PERSON + 1, 2026).place is None
