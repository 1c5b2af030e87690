"""The outbox in the database: claims, outcomes, what a restart owes (storage.outbox),
and the log numbers of people (storage.person_numbers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import storage
from storage.campaigns import create_campaign, get_campaign, launch_campaign
from storage.outbox import (
    Outcome,
    claim_delivery,
    delivery_outcomes,
    fiche_recipients,
    launch_not_received,
    owed_deliveries,
    record_delivery,
    recover_unknown,
    release_delivery,
)
from storage.person_numbers import person_number
from storage.privacy import forget_person
from storage.receiving import set_receive
from storage.reminders import UNREACHABLE, claim_reminder, record_outcome, sent_log
from storage.roles import DESTINATAIRE, grant_role

ALICE, BOB, CAROL, DAN = 1001, 1002, 2001, 2002
MARCH = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    db = storage.open_db(tmp_path / "f.db")
    yield db
    db.close()


def _sent_fiche(db, submitter=ALICE):
    place = storage.add_place(db, "La Tréso")
    for who, name in ((ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol"), (DAN, "Dan")):
        storage.upsert_person(db, who, name)
    storage.add_manager(db, place.id, ALICE)
    storage.add_manager(db, place.id, BOB)
    grant_role(db, CAROL, DESTINATAIRE)
    grant_role(db, DAN, DESTINATAIRE)
    response = storage.get_or_create_response(db, place.id, 2026, "1")
    storage.mark_submitted(db, response.id, submitter)
    return place, response


def test_a_fiche_is_owed_to_the_other_managers_then_the_recipients(db):
    _place, response = _sent_fiche(db)
    assert fiche_recipients(db, response.id) == [ALICE, BOB, CAROL, DAN]
    since = datetime.now(UTC) - timedelta(days=2)
    assert owed_deliveries(db, since) == {response.id: [ALICE, BOB, CAROL, DAN]}


def test_a_claimed_delivery_is_not_owed_and_cannot_be_claimed_twice(db):
    _place, response = _sent_fiche(db)
    assert claim_delivery(db, response.id, BOB)
    assert not claim_delivery(db, response.id, BOB)
    record_delivery(db, response.id, BOB, Outcome.SENT)
    since = datetime.now(UTC) - timedelta(days=2)
    assert owed_deliveries(db, since) == {response.id: [ALICE, CAROL, DAN]}
    assert delivery_outcomes(db, response.id) == {BOB: Outcome.SENT}


def test_a_delivery_on_the_wire_at_a_crash_is_owed_again_after_recovery(db):
    _place, response = _sent_fiche(db)
    for person in (ALICE, BOB, CAROL):
        claim_delivery(db, response.id, person)
    record_delivery(db, response.id, ALICE, Outcome.SENT)
    record_delivery(db, response.id, BOB, Outcome.SENT)  # CAROL: on the wire at the crash
    since = datetime.now(UTC) - timedelta(days=2)
    assert owed_deliveries(db, since) == {response.id: [DAN]}
    assert recover_unknown(db).deliveries == 1
    assert owed_deliveries(db, since) == {response.id: [CAROL, DAN]}
    assert delivery_outcomes(db, response.id) == {ALICE: Outcome.SENT, BOB: Outcome.SENT}


def test_a_released_delivery_is_owed_again_but_not_one_with_an_outcome(db):
    _place, response = _sent_fiche(db)
    claim_delivery(db, response.id, BOB)
    assert release_delivery(db, response.id, BOB)
    claim_delivery(db, response.id, BOB)
    record_delivery(db, response.id, BOB, Outcome.ERROR)
    assert not release_delivery(db, response.id, BOB)
    assert BOB not in owed_deliveries(db, datetime.now(UTC) - timedelta(days=1))[response.id]


def test_old_fiches_and_unsent_responses_owe_nothing(db):
    _place, response = _sent_fiche(db)
    assert owed_deliveries(db, datetime.now(UTC) + timedelta(minutes=1)) == {}
    storage.reopen_response(db, response.id)
    assert fiche_recipients(db, response.id) == []


def test_recipients_who_came_after_the_fiche_or_blocked_the_bot_are_not_owed_it(db):
    _place, response = _sent_fiche(db)
    db.execute("UPDATE managers SET created_at = '2999-01-01T00:00:00+00:00'"
               " WHERE person_id = ?", [BOB])
    db.execute("UPDATE people SET unreachable_at = '2026-01-01T00:00:00+00:00'"
               " WHERE telegram_id = ?", [DAN])
    assert fiche_recipients(db, response.id) == [ALICE, CAROL]


def test_an_administrator_gets_the_fiches_sent_after_their_yes_only(db):
    admin = 9001
    _place, response = _sent_fiche(db)
    set_receive(db, admin, True)
    db.execute("UPDATE receive_preferences SET updated_at = '2999-01-01T00:00:00+00:00'")
    assert fiche_recipients(db, response.id, [admin]) == [ALICE, BOB, CAROL, DAN]
    since = datetime.now(UTC) - timedelta(days=2)
    assert admin not in owed_deliveries(db, since, [admin])[response.id]
    db.execute("UPDATE receive_preferences SET updated_at = '2000-01-01T00:00:00+00:00'")
    assert fiche_recipients(db, response.id, [admin]) == [ALICE, BOB, CAROL, DAN, admin]
    # a recipient's late "oui" does not take away what their role gave them
    set_receive(db, CAROL, True)
    db.execute("UPDATE receive_preferences SET updated_at = '2999-01-01T00:00:00+00:00'")
    assert fiche_recipients(db, response.id) == [ALICE, BOB, CAROL, DAN]


def test_a_manager_who_is_also_a_recipient_gets_the_fiche_once(db):
    _place, response = _sent_fiche(db)
    grant_role(db, BOB, DESTINATAIRE)
    assert fiche_recipients(db, response.id) == [ALICE, BOB, CAROL, DAN]


def test_recovery_releases_launch_and_closing_claims_but_keeps_reminders(db):
    place = storage.add_place(db, "La Tréso")
    campaign = create_campaign(db, 2026, date(2026, 6, 30), "1", None, now=MARCH)
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for kind, slot in (("launch", "launch"), ("closing", "closing"),
                       ("periodic", "periodic:1"), ("manual", "manual:2026-03-02")):
        claim_reminder(db, campaign.id, place.id, ALICE, kind, slot, now=now)
    done = claim_reminder(db, campaign.id, place.id, BOB, "launch", "launch", now=now)
    record_outcome(db, done, UNREACHABLE, now=now)
    assert recover_unknown(db).announcements == 2
    kinds = sorted((e.person_id, e.kind) for e in sent_log(db, campaign.id))
    assert kinds == [(ALICE, "manual"), (ALICE, "periodic"), (BOB, "launch")]


def test_launch_not_received_lists_targets_without_a_sent_launch(db):
    place = storage.add_place(db, "La Tréso")
    other = storage.add_place(db, "Le WIP")
    for who in (ALICE, BOB, CAROL):
        storage.upsert_person(db, who, "X")
    storage.add_manager(db, place.id, ALICE)
    storage.add_manager(db, place.id, BOB)
    storage.add_manager(db, other.id, CAROL)
    db.execute("UPDATE managers SET created_at = '2026-01-05T09:00:00+00:00'")
    storage.upsert_person(db, DAN, "X")
    storage.add_manager(db, other.id, DAN)  # joined after the launch, with a link
    campaign = create_campaign(db, 2026, date(2026, 6, 30), "1", None, now=MARCH)
    assert launch_not_received(db, campaign) == []  # not launched
    launch_campaign(db, campaign.id, now=MARCH)
    campaign = get_campaign(db, campaign.id)
    sent = claim_reminder(db, campaign.id, place.id, ALICE, "launch", "launch")
    record_outcome(db, sent, "sent")
    claim_reminder(db, campaign.id, place.id, BOB, "launch", "launch")  # on the wire
    assert sorted(launch_not_received(db, campaign)) == [(place.id, BOB), (other.id, CAROL)]


def test_a_person_number_is_stable_and_forgotten_with_the_person(db):
    storage.upsert_person(db, ALICE, "Alice")
    storage.upsert_person(db, BOB, "Bob")
    first = person_number(db, ALICE)
    assert first is not None and first == person_number(db, ALICE)
    assert person_number(db, BOB) not in (None, first)
    assert person_number(db, 999) is None  # a stranger gets no number
    forget_person(db, ALICE)
    assert db.execute("SELECT count(*) FROM person_numbers WHERE telegram_id = ?",
                      [ALICE]).fetchone()[0] == 0
    storage.upsert_person(db, ALICE, "Alice")
    assert person_number(db, ALICE) not in (first, person_number(db, BOB))  # never reused
