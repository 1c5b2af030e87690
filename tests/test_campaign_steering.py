"""What coordinators steer with: one state per place (status, exports, reminders agree),
each manager's detail, progress in sections, exports of every place across grid
versions, and who receives fiches and notices."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from campaign import export as export_module
from campaign.clock import PARIS
from campaign.export import export, export_table, to_csv
from campaign.states import LABELS, PlaceState, place_state
from questionnaire.grid import default_grid
from questionnaire.progress import section_progress
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
from storage.campaigns import create_campaign, launch_campaign, reminder_targets, state_counts
from storage.privacy import forget_person
from storage.receiving import fiche_recipients, notice_recipients, receive_choice, set_receive
from storage.reminders import claim_reminder, mark_unreachable, record_outcome, snooze
from storage.roles import COORDINATEUR, DESTINATAIRE, grant_role
from tests.grid_versions_fixture import catalog_2026

GRID = default_grid()
LAUNCH = datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)  # Tuesday


@pytest.fixture
def db():
    return open_db(":memory:")


def place_with_managers(db, name: str, *person_ids: int) -> int:
    place = add_place(db, name)
    for person_id in person_ids:
        upsert_person(db, person_id, f"Gestionnaire {person_id}")
        add_manager(db, place.id, person_id)
    return place.id


def store(db, place_id: int, year: int, answers: dict, *, by: int = 0,
          submit: bool = False, version: str = GRID.version) -> int:
    response = get_or_create_response(db, place_id, year, version)
    with interview_step(db, response.id, by) as step:
        step.save(answers)
    if submit:
        mark_submitted(db, response.id, by)
    return response.id


def launched(db, year: int = 2026):
    campaign = create_campaign(db, year, date(2026, 4, 10), GRID.version, None,
                               now=LAUNCH - timedelta(days=1))
    return launch_campaign(db, campaign.id, now=LAUNCH)


# --- One definition of a place's state ------------------------------------------------------

@pytest.mark.parametrize(("facts", "state"), [
    ({"submitted": True, "managers": 0, "unreachable_managers": 0, "has_answers": True},
     PlaceState.SUBMITTED),
    ({"submitted": True, "managers": 2, "unreachable_managers": 2, "has_answers": False},
     PlaceState.SUBMITTED),
    ({"submitted": False, "managers": 0, "unreachable_managers": 0, "has_answers": True},
     PlaceState.NO_MANAGER),
    ({"submitted": False, "managers": 2, "unreachable_managers": 2, "has_answers": True},
     PlaceState.UNREACHABLE),
    ({"submitted": False, "managers": 2, "unreachable_managers": 1, "has_answers": True},
     PlaceState.IN_PROGRESS),
    ({"submitted": False, "managers": 1, "unreachable_managers": 0, "has_answers": False},
     PlaceState.NOT_STARTED),
])
def test_the_state_of_a_place(facts, state):
    assert place_state(**facts) == state


def _mixed_campaign(db):
    campaign = launched(db)
    ids = {
        "La Tréso": place_with_managers(db, "La Tréso", 1),
        "Le WIP": place_with_managers(db, "Le WIP", 2, 3),
        "Utopic": place_with_managers(db, "Utopic", 4),
        "Les Grands Voisins": place_with_managers(db, "Les Grands Voisins", 5),
        "L'Hermitage": place_with_managers(db, "L'Hermitage"),
    }
    store(db, ids["Le WIP"], 2026, {"lien_social.publics": ["voisins"]}, by=2)
    store(db, ids["Utopic"], 2026, {"insertion.beneficiaires": 4}, by=4, submit=True)
    store(db, ids["Les Grands Voisins"], 2026, {"sante.commentaire": "oui"}, by=5)
    mark_unreachable(db, 5)
    return campaign, ids


def test_status_exports_and_reminders_agree_on_every_place(db):
    campaign, ids = _mixed_campaign(db)
    status = {p.place.name: p.state for p in campaign_status(db, campaign).places}
    assert status == {
        "La Tréso": PlaceState.NOT_STARTED, "Le WIP": PlaceState.IN_PROGRESS,
        "Utopic": PlaceState.SUBMITTED, "Les Grands Voisins": PlaceState.UNREACHABLE,
        "L'Hermitage": PlaceState.NO_MANAGER}
    rows = list(csv.DictReader(io.StringIO(
        export(campaign_responses(db, campaign), "csv").decode("utf-8-sig")), delimiter=";"))
    assert {r["place"]: r["status"] for r in rows} == {
        name: LABELS[state] for name, state in status.items()}
    targeted = {t.place_id for t in reminder_targets(db, campaign)}
    assert targeted == {ids[name] for name, state in status.items()
                        if state in (PlaceState.NOT_STARTED, PlaceState.IN_PROGRESS)}


def test_every_active_place_has_a_row_even_without_a_response(db):
    campaign, _ids = _mixed_campaign(db)
    gone = place_with_managers(db, "Ancien lieu", 9)
    never = place_with_managers(db, "Jamais venu", 10)
    store(db, gone, 2026, {"sante.commentaire": "avant"}, by=9)
    remove_place(db, gone)  # removed, with a response: kept
    remove_place(db, never)  # removed, without one: left out
    rows = campaign_responses(db, campaign)
    assert [r.place for r in rows] == ["Ancien lieu", "L'Hermitage", "La Tréso", "Le WIP",
                                       "Les Grands Voisins", "Utopic"]
    treso = next(r for r in rows if r.place == "La Tréso")
    assert (treso.response_id, treso.answers, treso.grid_version) == (None, {}, GRID.version)
    assert [r.place for r in campaign_responses(db, campaign, submitted_only=True)] == [
        "Utopic"]
    # JSON holds answer files: a place without a response has none to render
    assert {f["place"] for f in json.loads(export(rows, "json"))} == {
        "Ancien lieu", "Le WIP", "Les Grands Voisins", "Utopic"}


def test_the_bot_says_the_same_words_as_the_exports() -> None:
    from bot.telegram import texts
    assert {PlaceState(k): v for k, v in texts.PLACE_STATES.items()} == LABELS


# --- Each manager, and progress in sections --------------------------------------------------

def test_each_manager_says_what_they_did_and_what_comes_next(db):
    campaign, ids = _mixed_campaign(db)
    wip = ids["Le WIP"]
    reminder = claim_reminder(db, campaign.id, wip, 3, "periodic", "periodic:2026-03-17",
                              now=datetime(2026, 3, 17, 10, 0, tzinfo=PARIS))
    record_outcome(db, reminder, "sent", now=datetime(2026, 3, 17, 10, 0, tzinfo=PARIS))
    snooze(db, campaign.id, 2, 3, now=datetime(2026, 3, 18, 11, 0, tzinfo=PARIS))
    now = datetime(2026, 3, 18, 12, 0, tzinfo=PARIS)  # Wednesday
    places = {p.place.name: p for p in campaign_status(db, campaign, now=now).places}
    wip_status = places["Le WIP"]
    alice, bob = wip_status.people
    assert (alice.person_id, alice.name) == (2, "Gestionnaire 2")
    assert alice.joined_at is not None and alice.last_answer_at is not None
    assert bob.last_answer_at is None and not bob.unreachable
    assert bob.last_reminder is not None and bob.last_reminder.kind == "periodic"
    assert alice.last_reminder is None
    # Alice snoozed until Saturday 21/03 11:00: her reminder goes out on Monday at 9:00
    assert alice.next_reminder.kind == "snooze"
    assert alice.next_reminder.at == datetime(2026, 3, 23, 9, 0, tzinfo=PARIS)
    # Bob: the weekly reminder, on Tuesday 24/03 at the launch's time
    assert (bob.next_reminder.kind, bob.next_reminder.at) == (
        "periodic", datetime(2026, 3, 24, 10, 0, tzinfo=PARIS))
    assert wip_status.last_answer_at == alice.last_answer_at
    assert places["Les Grands Voisins"].people[0].unreachable
    assert places["Les Grands Voisins"].people[0].next_reminder is None
    assert places["Utopic"].people[0].next_reminder is None  # sent: nothing more


def test_progress_counts_sections_with_an_answer_over_sections_asked(db):
    answers = {"lien_social.publics": ["voisins"], "lien_social.contextes": ["evenements"],
               "sante.effets": ["confiance"], "synthese.intensite_individuels": "2",
               "insertion.commentaire": ""}
    assert section_progress(GRID, answers) == (3, len(GRID.sections))
    campaign, ids = _mixed_campaign(db)
    store(db, ids["La Tréso"], 2026, answers, by=1)
    treso = next(p for p in campaign_status(db, campaign).places if p.place.name == "La Tréso")
    assert treso.sections == (3, 12) and treso.state == PlaceState.IN_PROGRESS
    assert campaign_status(db, campaign).share_submitted == pytest.approx(1 / 5)


# --- Exports across grid versions ----------------------------------------------------------

def test_a_multi_year_export_carries_older_answers_onto_the_latest_grid(db, tmp_path: Path,
                                                                           monkeypatch):
    catalog = catalog_2026(tmp_path)
    monkeypatch.setattr(export_module, "default_catalog", lambda: catalog)
    old = launched(db, 2025)
    place = place_with_managers(db, "La Tréso", 1)
    store(db, place, 2025, {"lien_social.frequence": ["quotidien", "ponctuel"],
                            "sante.commentaire": "Moins de solitude.",
                            "inclusion.commentaire": "Disparu en 2026."}, by=1, submit=True)
    new = create_campaign(db, 2027, date(2027, 4, 10), "2026.1", None,
                          now=datetime(2027, 1, 5, 10, 0, tzinfo=PARIS))
    store(db, place, 2027, {"lien_social.rythme": ["chaque_jour"],
                            "innovation.partenaires": 3}, by=1, version="2026.1")
    rows = campaign_responses(db, old) + campaign_responses(db, new)
    table = export_table(rows)
    assert table.grid_version == "2026.1"
    lines = list(csv.DictReader(io.StringIO(to_csv(table).decode("utf-8-sig")),
                                delimiter=";"))
    y2025, y2027 = lines
    assert (y2025["year"], y2025["grid_version"]) == ("2025", "2025.1")
    assert y2025["lien_social.rythme"] == "chaque jour"  # renamed question and option
    assert y2025["lien_social.rythme.chaque_jour"] == "1"
    assert y2025["insertion.commentaire_sante"] == "Moins de solitude."  # moved
    assert "inclusion.commentaire" not in y2025 and "lien_social.frequence" not in y2025
    assert y2027["innovation.partenaires"] == "3" and y2025["innovation.partenaires"] == ""
    lost = table.unmapped[("La Tréso", 2025)]
    assert {(u.key, u.reason) for u in lost} == {
        ("lien_social.frequence", "option removed"), ("inclusion.commentaire", "removed")}
    # the JSON keeps each response in its own version, answers as they were given

    files = json.loads(export(rows, "json"))
    assert files[0]["grid_version"] == "2025.1"
    assert files[0]["answers"]["lien_social.frequence"] == ["quotidien", "ponctuel"]
    assert files[1]["answers"] == {"lien_social.rythme": ["chaque_jour"],
                                   "innovation.partenaires": 3}


# --- Who receives fiches and notices ---------------------------------------------------------

def test_admins_receive_only_when_they_chose_and_others_may_stop(db):
    for person in (1, 2, 3):
        upsert_person(db, person, f"P{person}")
    grant_role(db, 1, DESTINATAIRE)
    grant_role(db, 2, COORDINATEUR)
    admins = {7, 8}
    assert fiche_recipients(db, admins) == [1]
    assert notice_recipients(db, admins) == [2]
    set_receive(db, 7, True)
    assert receive_choice(db, 7) is True and receive_choice(db, 8) is None
    assert fiche_recipients(db, admins) == [1, 7]
    assert notice_recipients(db, admins) == [2, 7]
    set_receive(db, 1, False)
    set_receive(db, 7, False)
    assert fiche_recipients(db, admins) == [] and notice_recipients(db, admins) == [2]
    set_receive(db, 2, True)
    forget_person(db, 2)
    assert receive_choice(db, 2) is None



def test_state_counts_agree_with_the_status(tmp_path):
    """The synthesis counts places by state without reading their answers: the same
    counts as /campagne_statut's, one place in each state here."""
    db = open_db(tmp_path / "f.db")
    campaign = create_campaign(db, 2026, date(2026, 6, 30), "2025.1", None, now=LAUNCH)
    for n, (name, people, answered, sent, blocked) in enumerate([
            ("Sans gestionnaire", 0, False, False, False),
            ("Pas commencé", 1, False, False, False),
            ("En cours", 2, True, False, False),
            ("Envoyé", 1, True, True, False),
            ("Injoignable", 1, False, False, True)]):
        place = add_place(db, name)
        for person in range(100 * n, 100 * n + people):
            upsert_person(db, person + 1, f"P{person}")
            add_manager(db, place.id, person + 1)
            if blocked:
                mark_unreachable(db, person + 1)
        if answered:
            response = get_or_create_response(db, place.id, 2026, "2025.1")
            with interview_step(db, response.id, 100 * n + 1) as step:
                step.save({"insertion.beneficiaires": 3}, None)
            if sent:
                mark_submitted(db, response.id, 100 * n + 1)
    assert state_counts(db, campaign) == {state: 1 for state in PlaceState}
    assert state_counts(db, campaign) == campaign_status(db, campaign).counts
