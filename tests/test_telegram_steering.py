"""Coordinators steering from Telegram, with a fake clock: /relancer (asks, keeps to the
allowed hours, says whom it skips and why, schedules what cannot go out now),
/rappels_prevus, /campagne_echeance, /campagne_cloturer's count, places found by any
spelling (buttons), /recevoir, and /fiche with the grid a response was answered with."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

import storage
from bot.telegram import broadcast, texts
from storage.campaigns import find_campaign, get_campaign
from storage.receiving import receive_choice
from storage.roles import COORDINATEUR, DESTINATAIRE
from tests.reminder_fakes import (
    COORD,
    RECIPIENT,
    Clock,
    add_manager,
    join,
    log_rows,
    open_campaign,
    paris,
    sent_to,
    started,
)
from tests.telegram_fakes import ADMIN_ID, manager, seed_response

ALICE, BOB, CARLA = 1001, 1002, 1003
NBSP = "\u00a0"


@pytest.fixture
def clock():
    return Clock(paris(2026, 3, 2, 10, 0))  # a Monday


@pytest.fixture
async def tg(tmp_path, clock):
    fake = await started(tmp_path / "fichebot.db", clock)
    yield fake
    await fake.stop()


def texts_to(tg, chat_id: int, since: int = 0) -> list[str]:
    return [c.text for c in sent_to(tg, chat_id, since) if c.text]


# --- /relancer -------------------------------------------------------------------------------

async def test_relancer_asks_with_the_count_and_sends_only_when_confirmed(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    add_manager(tg, "Le WIP", BOB, "Bob")
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 4, 11, 0)  # Wednesday
    before = len(tg.request.calls)
    turn = await coordinator.send("/relancer")
    assert turn.text == texts.REMIND_CONFIRM_NOW.format(people=f"2{NBSP}gestionnaires",
                                                        places=f"2{NBSP}lieux")
    assert texts_to(tg, ALICE, before) == []  # nothing sent before "Oui"
    turn = await coordinator.tap(texts.REMIND_NO)
    assert turn.texts == [texts.REMIND_CANCELLED] and texts_to(tg, BOB, before) == []
    await coordinator.send("/relancer")
    turn = await coordinator.tap(texts.REMIND_YES)
    assert texts_to(tg, COORD, before)[-1] == texts.REMIND_SENT.format(
        people=f"2{NBSP}gestionnaires", problems="")
    assert [r["slot"] for r in log_rows(tg)] == ["manual:2026-03-04"] * 2


async def test_relancer_skips_the_snoozed_and_the_recently_reminded_and_says_why(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    add_manager(tg, "Le WIP", BOB, "Bob")
    add_manager(tg, "La Friche", CARLA, "Carla")
    campaign = open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 9, 10, 5)  # the weekly reminder went out at 10:00
    await broadcast.send_due_reminders(tg.app)
    storage.reminders.snooze(tg.db, campaign.id, BOB, 3, now=clock())
    clock.moment = paris(2026, 3, 9, 10, 39)
    turn = await coordinator.send("/relancer")
    assert "Personne à relancer" in turn.text
    assert (f"• Alice (La Tréso) a déjà été relancé·e le 09/03 à 10{NBSP}h "
            f"(moins de 24{NBSP}h)") in turn.text
    assert "• Bob (Le WIP) a demandé à être relancé·e à partir du jeudi 12 mars" in turn.text
    assert "• Carla (La Friche)" in turn.text


async def test_relancer_on_a_saturday_is_scheduled_for_monday_9(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock, every=0, before=0)
    clock.moment = paris(2026, 3, 7, 10, 39)  # Saturday
    before = len(tg.request.calls)
    turn = await coordinator.send("/relancer")
    assert "la relance partira lundi 9 mars à 9" in turn.text
    turn = await coordinator.tap(texts.REMIND_YES_LATER)
    assert turn.texts == [texts.REMIND_SCHEDULED.format(when=f"lundi 9 mars à 9{NBSP}h")]
    assert texts_to(tg, ALICE, before) == []
    assert find_campaign(tg.db, 2026).manual_reminder_at == paris(2026, 3, 9, 9, 0)
    status = (await coordinator.send("/rappels_prevus")).text
    assert f"Une relance est prévue lundi 9 mars à 9{NBSP}h." in status
    clock.moment = paris(2026, 3, 8, 12, 0)  # Sunday: the job sends nothing
    assert (await broadcast.send_due_reminders(tg.app)).sent == 0
    clock.moment = paris(2026, 3, 9, 9, 2)
    report = await broadcast.send_due_reminders(tg.app)
    assert report.sent == 1  # Alice's reminder; then the coordinator is told
    assert "Petit rappel" in texts_to(tg, ALICE, before)[-1]
    assert texts_to(tg, COORD, before)[-1] == texts.REMIND_DEFERRED_DONE.format(
        people=f"1{NBSP}gestionnaire relancé·e", problems="")
    assert (await broadcast.send_due_reminders(tg.app)).sent == 0  # once
    assert find_campaign(tg.db, 2026).manual_reminder_at is None


# --- /rappels_prevus -------------------------------------------------------------------------

async def test_rappels_prevus_says_who_gets_the_next_reminders_and_when(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    add_manager(tg, "La Tréso", CARLA, "Carla")
    add_manager(tg, "Le WIP", BOB, "Bob")
    campaign = open_campaign(tg, clock)  # launched Monday 2 March 10:00, every 7 days
    storage.reminders.snooze(tg.db, campaign.id, BOB, 3, now=clock())
    text = (await coordinator.send("/rappels_prevus")).text
    assert text.split("\n")[0] == texts.UPCOMING_HEAD.format(year=2026)
    assert (f"<b>Jeudi 5 mars à 10{NBSP}h</b> — rappel demandé, 1{NBSP}gestionnaire{NBSP}:"
            in text)
    assert f"• Le WIP{NBSP}: Bob" in text
    assert (f"<b>Lundi 9 mars à 10{NBSP}h</b> — rappel périodique, 2{NBSP}gestionnaires"
            f"{NBSP}:") in text
    assert f"• La Tréso{NBSP}: Alice, Carla" in text
    assert text.index("Jeudi 5 mars") < text.index("Lundi 9 mars")


# --- /campagne_echeance ----------------------------------------------------------------------

async def test_the_deadline_of_a_launched_campaign_moves_and_managers_are_told_once(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    await manager(tg, BOB, "Bob", "Le WIP")
    campaign = open_campaign(tg, clock, deadline=date(2026, 6, 30))
    for wrong in ("/campagne_echeance", "/campagne_echeance demain",
                  "/campagne_echeance 31/02/2026"):
        assert (await coordinator.send(wrong)).texts == [texts.DEADLINE_USAGE], wrong
    assert (await coordinator.send("/campagne_echeance 30/06/2026")).texts == [
        texts.DEADLINE_SAME.format(year=2026, deadline="30/06/2026")]
    assert (await coordinator.send("/campagne_echeance 01/01/2026")).texts == [
        texts.CAMPAIGN_DEADLINE_PASSED.format(deadline="01/01/2026")]
    before = len(tg.request.calls)
    turn = await coordinator.send("/campagne_echeance 15/07/2026")
    assert texts_to(tg, COORD, before) == [texts.DEADLINE_MOVED.format(
        year=2026, deadline="15/07/2026", before="30/06/2026",
        told=texts.DEADLINE_MOVED_TOLD.format(people=f"2{NBSP}gestionnaires"),
        reminder=texts.DEADLINE_MOVED_REMINDER.format(when=f"lundi 13 juillet à 9{NBSP}h"))]
    for person in (ALICE, BOB):
        (told,) = texts_to(tg, person, before)
        assert "est maintenant attendue avant le <b>15/07/2026</b>, au lieu du 30/06/2026" \
            in told
    assert get_campaign(tg.db, campaign.id).deadline == date(2026, 7, 15)
    assert [r["slot"] for r in log_rows(tg)] == [
        "deadline_moved:2026-07-15:2026-03-02T09:00:00+00:00"] * 2
    # the deadline reminder follows: 3 days before the new date, not the old one
    clock.moment = paris(2026, 6, 29, 9, 0)
    assert [r for r in log_rows(tg) if r["kind"] == "deadline"] == []
    clock.moment = paris(2026, 7, 13, 9, 0)
    await broadcast.send_due_reminders(tg.app)
    assert {r["slot"] for r in log_rows(tg) if r["kind"] == "deadline"} == {
        "deadline:2026-07-15"}
    del turn


async def test_a_deadline_moved_earlier_or_back_is_told_as_it_is(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock, deadline=date(2026, 6, 30))
    assert (await coordinator.send("/campagne_echeance 30/06/2062")).texts == [
        texts.DEADLINE_FAR.format(deadline="30/06/2062", year=2026)]
    before = len(tg.request.calls)
    await coordinator.send("/campagne_echeance 15/04/2026")
    (told,) = texts_to(tg, ALICE, before)
    assert told.startswith("À noter\u00a0: votre fiche 2026 (<b>La Tréso</b>) est maintenant "
                           "attendue plus tôt, avant le <b>15/04/2026</b>")
    for step, date_text in enumerate(("30/06/2026", "15/04/2026")):  # back, and again
        clock.moment = paris(2026, 3, 2, 11 + step, 0)
        before = len(tg.request.calls)
        turn = await coordinator.send(f"/campagne_echeance {date_text}")
        (told,) = texts_to(tg, ALICE, before)
        assert f"<b>{date_text}</b>" in told
        assert texts.DEADLINE_MOVED_TOLD.format(people=f"1{NBSP}gestionnaire") in turn.text


# --- /campagne_cloturer ----------------------------------------------------------------------

async def test_closing_says_how_many_places_are_still_missing(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    add_manager(tg, "Le WIP", BOB, "Bob")
    add_manager(tg, "La Friche", CARLA, "Carla")
    open_campaign(tg, clock)
    seed_response(tg.db, "La Friche", 2026, {"sante.commentaire": "fait"}, submit=True)
    turn = await coordinator.send("/campagne_cloturer")
    assert turn.text == texts.CLOSE_CONFIRM_MISSING.format(
        year=2026, sent=f"1{NBSP}fiche envoyée", places="3", missing=f"2{NBSP}lieux")


# --- Places by any spelling ------------------------------------------------------------------

async def test_a_place_is_found_by_any_spelling_or_chosen_with_a_button(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    for name in ("La Tréso", "Les Grands Voisins", "Les Petits Voisins"):
        storage.add_place(tg.db, name)
    turn = await coordinator.send("/lieu_lien la treso")
    assert "La Tréso" in turn.text and "https://t.me/" in turn.text
    turn = await coordinator.send("/inviter voisins equipe")
    assert turn.text == texts.PLACE_SEVERAL.format(query="voisins")
    assert coordinator.labels(coordinator.last_keyboard()) == [
        "Les Grands Voisins", "Les Petits Voisins"]
    turn = await coordinator.tap("Les Petits Voisins")
    assert "<b>Les Petits Voisins</b>" in turn.text and texts.INVITE_TEAM in turn.text
    turn = await coordinator.send("/lieu_retirer Treso!")
    assert turn.text == texts.REMOVE_CONFIRM.format(place="La Tréso")
    turn = await coordinator.send("/lieu_lien Tresso")
    assert turn.text == texts.PLACE_CLOSEST.format(query="Tresso")
    turn = await coordinator.tap("La Tréso")
    assert "La Tréso" in turn.text and "https://t.me/" in turn.text
    assert (await coordinator.send("/lieu_lien zzzz")).texts == [
        texts.PLACE_UNKNOWN.format(place="zzzz")]


async def test_fiche_finds_the_place_by_any_spelling_keeps_the_year(tg, clock):
    reader = await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    seed_response(tg.db, "La Tréso", 2025, {"insertion.beneficiaires": 12}, submit=True)
    seed_response(tg.db, "Tréso Nord", 2025, {"insertion.beneficiaires": 3}, submit=True)
    turn = await reader.send("/fiche TRESO 2025")  # the name without its article
    assert any("DE LA TRÉSO" in t for t in turn.texts)
    turn = await reader.send("/fiche tres 2025")
    assert turn.text == texts.PLACE_SEVERAL.format(query="tres")
    turn = await reader.tap("Tréso Nord")
    assert any("DE TRÉSO NORD" in t for t in turn.texts)
    assert turn.call("sendDocument").files["document"][0] == "fiche-treso-nord-2025.pdf"


# --- /recevoir -------------------------------------------------------------------------------

async def test_an_admin_chooses_to_receive_fiches_and_notices(tg, clock):
    admin = tg.chat(ADMIN_ID, "Ada")
    turn = await admin.send("/recevoir")
    assert turn.texts == [texts.RECEIVE_USAGE.format(current=texts.RECEIVE_CURRENT[False])]
    assert (await admin.send("/recevoir oui")).texts == [texts.RECEIVE_ON]
    assert receive_choice(tg.db, ADMIN_ID) is True
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    open_campaign(tg, clock)
    await alice.send("/reprendre")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    before = len(tg.request.calls)
    await alice.tap("📨 Envoyer quand même")  # eleven sections unanswered
    received = texts_to(tg, ADMIN_ID, before)
    assert received[0] == texts.FICHE_RECEIVED.format(place="La Tréso", year=2026)
    assert received[-1] == f"La Tréso a envoyé sa fiche 2026 — 1{NBSP}lieu sur 1 a répondu."
    assert (await admin.send("/recevoir non")).texts == [texts.RECEIVE_OFF]
    rita = tg.chat(RECIPIENT, "Rita")  # not a recipient: may not choose
    assert texts.RECEIVE_ON not in (await rita.send("/recevoir oui")).texts


# --- Grid versions in /fiche -----------------------------------------------------------------

async def test_fiche_renders_a_response_with_the_grid_it_was_answered_with(tg, clock,
                                                                          tmp_path,
                                                                          monkeypatch):
    from questionnaire import versions
    from tests.grid_versions_fixture import catalog_2026

    catalog = catalog_2026(tmp_path)
    monkeypatch.setattr(versions, "default_catalog", lambda: catalog)
    reader = await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    place = storage.add_place(tg.db, "La Tréso")
    response = storage.get_or_create_response(tg.db, place.id, 2027, "2026.1")
    with storage.interview_step(tg.db, response.id, ADMIN_ID) as step:
        step.save({"lien_social.rythme": ["chaque_jour"], "innovation.partenaires": 4}, None)
    storage.mark_submitted(tg.db, response.id, ADMIN_ID)
    turn = await reader.send("/fiche La Tréso 2027")
    fiche = "\n".join(turn.texts)
    assert "chaque jour" in fiche  # an option only version 2026.1 has


# --- The chart and the typed buttons ---------------------------------------------------------

def test_the_chart_is_a_png_with_french_words():
    from campaign.progress_chart import ChartData, french_day, percent, progress_png

    png = progress_png(ChartData(2026, date(2026, 3, 2), date(2026, 6, 30),
                                 date(2026, 3, 20), 12, [date(2026, 3, 5), date(2026, 3, 5),
                                                         date(2026, 2, 28)]))
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert french_day(date(2026, 12, 3)) == "3 déc." and percent(5, 12) == "42\u202f%"
    assert percent(0, 0) == "0\u202f%"


def test_the_new_buttons_round_trip_and_refuse_garbage():
    from bot.telegram import callbacks

    assert callbacks.decode_status_page(callbacks.status_page(3, 2)) == \
        callbacks.StatusPage(3, 2)
    assert callbacks.decode_remind(callbacks.remind(3, False)) == callbacks.Remind(3, False)
    assert callbacks.decode_place_choice(callbacks.place_choice("inviter", 7, 1)) == \
        callbacks.PlaceChoice("inviter", 7, 1)
    for garbage in ("st:1:0", "st:x:1", "rl:1:maybe", "pl:z:1:0", "pl:f:0:0", None, ""):
        assert callbacks.decode_status_page(garbage) is None
        assert callbacks.decode_remind(garbage) is None
        assert callbacks.decode_place_choice(garbage) is None


async def test_the_deadline_of_a_draft_moves_without_telling_anyone(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    before = len(tg.request.calls)
    turn = await coordinator.send("/campagne_echeance 15/07/2026")
    assert turn.texts == [texts.CAMPAIGN_DEADLINE_CHANGED.format(year=2026,
                                                                 deadline="15/07/2026")]
    assert texts_to(tg, ALICE, before) == []
    status = (await coordinator.send("/campagne_statut")).text
    assert "échéance le 15/07/2026" in status
    assert "prochain" not in status and "plus de rappel" not in status  # not launched
    assert turn.calls and not [c for c in (await coordinator.send("/campagne_statut")).calls
                               if c.method == "sendPhoto"]  # no chart before the launch


def test_french_plurals_and_moments_in_words():
    assert texts.count(0, "lieu", "lieux") == f"0{NBSP}lieu"
    assert texts.count(1, "lieu", "lieux") == f"1{NBSP}lieu"
    assert texts.count(3500, "lieu", "lieux") == f"3\u202f500{NBSP}lieux"
    assert texts.every_days(1) == "tous les jours"
    assert texts.every_days(7) == f"tous les 7{NBSP}jours"
    assert texts.days_before(1) == "la veille de l’échéance"
    assert texts.days_before(3) == f"3{NBSP}jours avant l’échéance"
    assert texts.when(paris(2026, 12, 7, 9, 0)) == f"lundi 7 décembre à 9{NBSP}h"
    assert texts.when(paris(2026, 12, 8, 10, 30)) == f"mardi 8 décembre à 10{NBSP}h{NBSP}30"
    assert texts.answered_of(1, 12) == f"1{NBSP}lieu sur 12 a répondu"
    assert texts.answered_of(3, 12) == f"3{NBSP}lieux sur 12 ont répondu"


async def test_campagne_rappels_1_says_every_day(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    turn = await coordinator.send("/campagne_rappels 1 1")
    assert "tous les jours" in turn.text and "la veille de l’échéance" in turn.text
    assert "tous les 1" not in turn.text


async def test_a_reminder_after_the_deadline_says_it_has_passed(tg, clock):
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock, deadline=date(2026, 3, 20))
    clock.moment = paris(2026, 3, 23, 10, 5)  # the campaign is still open
    before = len(tg.request.calls)
    await broadcast.send_due_reminders(tg.app)
    (told,) = texts_to(tg, ALICE, before)
    assert told.startswith(texts.REMINDER_MESSAGE_LATE.split("{progress}")[0].format(
        year=2026, place="La Tréso", deadline="20/03/2026"))


# --- Confirmations tapped late, twice, or by two coordinators -------------------------------

async def test_a_late_confirmation_says_its_campaign_is_closed(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 4, 11, 0)
    await coordinator.send("/relancer")
    old_remind = coordinator.last_keyboard()
    await coordinator.send("/campagne_cloturer")
    old_close = coordinator.last_keyboard()
    await coordinator.tap(texts.CAMPAIGN_CLOSE_YES)
    assert (await coordinator.tap(texts.REMIND_YES, old_remind)).texts == [
        texts.CONFIRMATION_TOO_LATE.format(year=2026)]
    for label in (texts.CAMPAIGN_CLOSE_YES, texts.CAMPAIGN_CLOSE_NO):  # « Non » too
        assert (await coordinator.tap(label, old_close)).texts == [
            texts.CAMPAIGN_ALREADY_CLOSED.format(year=2026)]


async def test_relancer_confirmed_twice_lists_why_nobody_is_reminded(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 4, 11, 0)
    await coordinator.send("/relancer")
    message = coordinator.last_keyboard()
    await coordinator.tap(texts.REMIND_YES, message)
    turn = await coordinator.tap(texts.REMIND_YES, message)
    assert turn.text.startswith(texts.REMIND_NOBODY.format(
        reason=texts.REMIND_NOBODY_SKIPPED))
    assert "• Alice (La Tréso) a déjà été relancé·e" in turn.text


async def test_relancer_confirmed_by_two_coordinators_at_once_goes_once(tg, clock):
    first = await join(tg, COORD, "Chloé", COORDINATEUR)
    second = await join(tg, COORD + 1, "Dan", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 4, 11, 0)
    await first.send("/relancer")
    await second.send("/relancer")
    await asyncio.gather(first.tap(texts.REMIND_YES), second.tap(texts.REMIND_YES))
    said = sorted(texts_to(tg, who)[-1] for who in (COORD, COORD + 1))
    assert said == sorted([texts.REMIND_SENT.format(people=f"1{NBSP}gestionnaire", problems=""),
                           texts.REMIND_ALREADY_SENT])
    assert len([t for t in texts_to(tg, ALICE) if t.startswith("Petit rappel")]) == 1


async def test_no_under_lieu_retirer_after_the_removal_says_it_was_done(tg, clock):
    first = await join(tg, COORD, "Chloé", COORDINATEUR)
    second = await join(tg, COORD + 1, "Dan", COORDINATEUR)
    add_manager(tg, "La Tréso", ALICE, "Alice")
    await first.send("/lieu_retirer La Tréso")
    await second.send("/lieu_retirer La Tréso")
    await second.tap("Oui, retirer")
    assert (await first.tap("Non")).texts == [
        texts.REMOVE_ALREADY_DONE.format(place="La Tréso")]
