"""/oublier erases a person: no row keeps their Telegram id or name; places keep answers."""

from __future__ import annotations

import datetime as dt

import storage
from storage.campaigns import create_campaign, launch_campaign
from storage.invitations import create_invitation
from storage.outbox import Outcome, claim_delivery, record_delivery, record_parts
from storage.privacy import forget_person, personal_data
from storage.reminders import claim_reminder, snooze
from storage.roles import DESTINATAIRE, grant_role

ALICE = 424242


def test_forget_person_keeps_the_places_answers(tmp_path):
    db = storage.open_db(tmp_path / "f.db")
    place = storage.add_place(db, "La Tréso")
    storage.upsert_person(db, ALICE, "Alice Martin", "alicem")
    storage.add_manager(db, place.id, ALICE)
    grant_role(db, ALICE, DESTINATAIRE)
    response = storage.get_or_create_response(db, place.id, 2026, "2025.1")
    with storage.interview_step(db, response.id, ALICE) as step:
        step.save({"insertion.beneficiaires": 15}, {"mode": "review"})
    storage.mark_submitted(db, response.id, ALICE)
    create_invitation(db, "gestionnaire", place.id, created_by=ALICE)
    now = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    campaign = create_campaign(db, 2026, dt.date(2026, 6, 30), "2025.1", ALICE, now=now)
    launch_campaign(db, campaign.id, now=now)
    claim_reminder(db, campaign.id, place.id, ALICE, "launch", "launch", now=now)
    snooze(db, campaign.id, ALICE, 3, now)
    assert claim_delivery(db, response.id, ALICE, now=now)  # her fiche, sent to her
    record_delivery(db, response.id, ALICE, Outcome.SENT, now=now)
    record_parts(db, response.id, ALICE, 2)  # as a cut delivery leaves its count

    data = personal_data(db, ALICE)
    assert data.display_name == "Alice Martin" and data.places == ("La Tréso",)
    assert data.answers_written == 1 and data.fiches_sent == 1 and data.reminders_received == 1
    assert data.fiches_received == 1
    assert set(data.roles) == {"destinataire", "gestionnaire"}

    assert forget_person(db, ALICE)
    assert personal_data(db, ALICE) is None
    for table in db.table_names():
        for row in db[table].rows:
            assert ALICE not in row.values(), (table, row)
            assert "Alice Martin" not in row.values() and "alicem" not in row.values()
    assert storage.load_answers(db, response.id) == {"insertion.beneficiaires": 15}
    assert storage.get_response(db, response.id).submitted
    assert not forget_person(db, ALICE)
