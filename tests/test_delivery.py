"""Fiches to the people who need them: when a place sends, its managers and every
recipient get the fiche (messages and PDF, rendered and uploaded once), the coordinators
a one-line notice; `/fiche <lieu> [année]` for recipients and coordinators."""

from __future__ import annotations

import logging

import pytest
from telegram.ext import CallbackContext

import storage
from bot.telegram import fiches as delivery
from bot.telegram import texts
from fiche.french import date_fr
from fiche.model import sent_on_of
from storage.roles import COORDINATEUR, DESTINATAIRE
from tests.reminder_fakes import COORD, RECIPIENT, Clock, join, paris, started
from tests.telegram_fakes import manager

ALICE, BOB, AWA = 1001, 1002, 1003
RITA2 = 601
HEADING = "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO"
ROLE_FICHE = texts.role_needed(frozenset({DESTINATAIRE, COORDINATEUR}))


@pytest.fixture
def renders(monkeypatch):
    """The PDF renderer, faked (WeasyPrint is slow) and counted."""
    calls: list[tuple[str, int | None]] = []

    async def render(fiche):
        calls.append((fiche.place, fiche.year))
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(delivery, "_render_pdf", render)
    return calls


@pytest.fixture
async def tg(tmp_path):
    fake = await started(tmp_path / "fichebot.db", Clock(paris(2026, 3, 2, 10, 0)))
    yield fake
    await fake.stop()


async def send_fiche(alice):
    """Alice answers one question, then sends her place's fiche; the turn of "Envoyer"."""
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    return await alice.tap("📨 Envoyer quand même")  # ten sections unanswered


def documents(turn, chat_id: int) -> list:
    return [c for c in turn.calls if c.method == "sendDocument"
            and int(c.params["chat_id"]) == chat_id]


def texts_to(turn, chat_id: int) -> list[str]:
    return [c.text for c in turn.sent if int(c.params["chat_id"]) == chat_id]


async def test_a_sent_fiche_reaches_its_managers_the_recipients_and_the_coordinators(
        tg, renders):
    await join(tg, COORD, "Chloé", COORDINATEUR)
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    await join(tg, RITA2, "Romain", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await manager(tg, AWA, "Awa", "La Tréso")
    await manager(tg, BOB, "Bob", "Le WIP")
    storage.campaigns.create_campaign(tg.db, 2026, paris(2026, 6, 30).date(), "2025.1", None,
                                      now=paris(2026, 3, 2, 10, 0))
    turn = await send_fiche(alice)

    mine = texts_to(turn, ALICE)
    assert any(HEADING in t for t in mine)
    assert mine[-1] == texts.SENT.format(place="La Tréso", year=2026)
    for chat_id in (AWA, RECIPIENT, RITA2):
        received = texts_to(turn, chat_id)
        assert received[0] == texts.FICHE_RECEIVED.format(place="La Tréso", year=2026)
        assert any(HEADING in t for t in received[1:])
        [document] = documents(turn, chat_id)
        assert document.params["caption"] == texts.PDF_CAPTION.format(place="La Tréso",
                                                                      year=2026)
    assert texts_to(turn, COORD) == [
        "La Tréso a envoyé sa fiche 2026 — 1\u00a0lieu sur 2 a répondu."]
    assert texts_to(turn, BOB) == []

    # rendered once, uploaded once: the others get the PDF by its file id
    assert renders == [("La Tréso", 2026)]
    uploads = [d for d in turn.calls if d.method == "sendDocument" and d.files]
    assert [int(d.params["chat_id"]) for d in uploads] == [ALICE]
    assert uploads[0].files["document"] == ("fiche-la-treso-2026.pdf", b"%PDF-1.7 fake")
    assert {d.params["document"] for d in turn.calls
            if d.method == "sendDocument" and not d.files} == {"doc"}


async def test_blocked_people_do_not_spoil_the_submit(tg, renders):
    await join(tg, COORD, "Chloé", COORDINATEUR)
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    await join(tg, RITA2, "Romain", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    tg.request.blocked.update({RECIPIENT, COORD})
    turn = await send_fiche(alice)
    assert texts_to(turn, ALICE)[-1] == texts.SENT.format(place="La Tréso", year=2026)
    assert texts.APOLOGY not in turn.texts
    assert documents(turn, RITA2) and any(HEADING in t for t in texts_to(turn, RITA2))
    assert storage.reminders.is_unreachable(tg.db, RECIPIENT)
    assert storage.reminders.is_unreachable(tg.db, COORD)
    assert not storage.reminders.is_unreachable(tg.db, RITA2)
    # the one refused call per blocked person, nothing more
    assert len([c for c in turn.calls if int(c.params.get("chat_id", 0)) == RECIPIENT]) == 1


async def test_a_network_error_keeps_the_fiche_owed_and_it_goes_a_few_minutes_later(
        tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    await join(tg, RITA2, "Romain", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    tg.request.fail_network_next("sendMessage", RITA2)  # her first message: the intro
    turn = await send_fiche(alice)
    assert texts_to(turn, ALICE)[-1] == texts.SENT.format(place="La Tréso", year=2026)
    assert documents(turn, RECIPIENT) and not texts_to(turn, RITA2)
    [response_id] = [r for (r,) in tg.db.execute("SELECT id FROM responses")]
    assert storage.outbox.delivery_outcomes(tg.db, response_id) == {
        ALICE: storage.outbox.Outcome.SENT, RECIPIENT: storage.outbox.Outcome.SENT}
    assert storage.outbox.owed_for(tg.db, response_id) == [RITA2]
    [job] = tg.app.job_queue.get_jobs_by_name(delivery.RETRY_JOB)

    before = len(tg.request.calls)
    await job.callback(CallbackContext(tg.app))  # what the job queue runs, 5 minutes on
    later = tg.request.calls[before:]
    to_rita2 = [c for c in later if int(c.params.get("chat_id", 0)) == RITA2]
    assert to_rita2[0].params.get("text") == texts.FICHE_RECEIVED.format(
        place="La Tréso", year=2026)
    assert [c.method for c in to_rita2][-1] == "sendDocument"
    assert {int(c.params["chat_id"]) for c in later if "chat_id" in c.params} == {RITA2}
    assert storage.outbox.delivery_outcomes(tg.db, response_id)[RITA2] == (
        storage.outbox.Outcome.SENT)
    assert storage.outbox.owed_for(tg.db, response_id) == []
    assert len(tg.app.job_queue.get_jobs_by_name(delivery.RETRY_JOB)) == 1  # none added


async def test_a_delivery_cut_at_its_document_resumes_with_the_document_only(tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    tg.request.fail_network_next("sendDocument", RECIPIENT)  # her messages went, not the PDF
    turn = await send_fiche(alice)
    received = texts_to(turn, RECIPIENT)
    assert received[0] == texts.FICHE_RECEIVED.format(place="La Tréso", year=2026)
    assert not documents(turn, RECIPIENT)
    [response_id] = [r for (r,) in tg.db.execute("SELECT id FROM responses")]
    assert storage.outbox.owed_for(tg.db, response_id) == [RECIPIENT]
    assert storage.outbox.parts_sent(tg.db, response_id, RECIPIENT) == len(received)

    before = len(tg.request.calls)
    report = await delivery.resume_owed(tg.app)
    later = [c for c in tg.request.calls[before:] if int(c.params.get("chat_id", 0)) == RECIPIENT]
    assert [c.method for c in later] == ["sendDocument"]  # not the intro and messages again
    assert later[0].params["caption"] == texts.PDF_CAPTION.format(place="La Tréso", year=2026)
    assert (report.sent, report.failed) == (1, 0)
    assert storage.outbox.delivery_outcomes(tg.db, response_id)[RECIPIENT] == (
        storage.outbox.Outcome.SENT)
    assert storage.outbox.parts_sent(tg.db, response_id, RECIPIENT) == 0  # done: forgotten


async def test_a_delivery_whose_every_part_arrived_before_a_crash_is_closed_silently(
        tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    turn = await send_fiche(alice)
    parts = len(texts_to(turn, RECIPIENT)) + len(documents(turn, RECIPIENT))
    [response_id] = [r for (r,) in tg.db.execute("SELECT id FROM responses")]
    # killed after the last part was acknowledged, before the outcome was written
    tg.db.execute("DELETE FROM deliveries WHERE person_id = ?", [RECIPIENT])
    storage.outbox.record_parts(tg.db, response_id, RECIPIENT, parts)
    before = len(tg.request.calls)
    report = await delivery.resume_owed(tg.app)
    assert [c for c in tg.request.calls[before:]
            if int(c.params.get("chat_id", 0)) == RECIPIENT] == []
    assert report.sent == 1
    assert storage.outbox.delivery_outcomes(tg.db, response_id)[RECIPIENT] == (
        storage.outbox.Outcome.SENT)


async def test_a_fiche_corrected_and_sent_again_reaches_everyone_again(tg, renders):
    await join(tg, COORD, "Chloé", COORDINATEUR)
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    storage.campaigns.create_campaign(tg.db, 2026, paris(2026, 6, 30).date(), "2025.1", None,
                                      now=paris(2026, 3, 2, 10, 0))
    await send_fiche(alice)
    await alice.send("/modifier")
    await alice.tap("2. Santé")  # one more answer
    await alice.tap("5.")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    turn = await alice.tap("📨 Envoyer quand même")

    assert any(HEADING in t for t in texts_to(turn, ALICE)) and documents(turn, ALICE)
    assert texts_to(turn, ALICE)[-1] == texts.SENT.format(place="La Tréso", year=2026)
    received = texts_to(turn, RECIPIENT)
    assert received[0] == texts.FICHE_RECEIVED_AGAIN.format(place="La Tréso", year=2026)
    assert any(HEADING in t for t in received[1:]) and documents(turn, RECIPIENT)
    assert texts_to(turn, COORD) == [
        "La Tréso a renvoyé sa fiche 2026, corrigée — 1\u00a0lieu sur 1 a répondu."]
    [response_id] = [r for (r,) in tg.db.execute("SELECT id FROM responses")]
    assert storage.get_response(tg.db, response_id).submissions == 2
    assert storage.outbox.owed_for(tg.db, response_id) == []
    assert [tuple(r) for r in tg.db.execute(
        "SELECT submission, count(*) FROM deliveries GROUP BY submission")] == [(1, 2), (2, 2)]


async def test_a_reopened_fiche_stops_going_out(tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    tg.request.fail_network_next("sendMessage", RECIPIENT)  # owed, to be tried again
    await send_fiche(alice)
    await alice.send("/modifier")  # being corrected: the old version is not sent any more
    before = len(tg.request.calls)
    report = await delivery.resume_owed(tg.app)
    assert report.sent == 0
    assert [c for c in tg.request.calls[before:]
            if int(c.params.get("chat_id", 0)) == RECIPIENT] == []


async def test_while_the_network_stays_down_the_fiche_is_tried_again_and_again(
        tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    tg.request.fail_network_next("sendMessage", RECIPIENT)
    await send_fiche(alice)
    [job] = tg.app.job_queue.get_jobs_by_name(delivery.RETRY_JOB)
    job.schedule_removal()
    tg.request.fail_network_next("sendMessage", RECIPIENT)  # still down 5 minutes later
    report = await delivery.resume_owed(tg.app)
    assert (report.sent, report.failed) == (0, 1)
    [response_id] = [r for (r,) in tg.db.execute("SELECT id FROM responses")]
    assert storage.outbox.owed_for(tg.db, response_id) == [RECIPIENT]
    assert len(tg.app.job_queue.get_jobs_by_name(delivery.RETRY_JOB)) == 1  # again later
    report = await delivery.resume_owed(tg.app)  # the network is back
    assert (report.sent, report.failed) == (1, 0)
    assert storage.outbox.owed_for(tg.db, response_id) == []


async def test_without_a_pdf_the_messages_still_go(tg, monkeypatch, caplog):
    async def broken(*args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(delivery, "_render_pdf", broken)
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    with caplog.at_level(logging.ERROR):
        turn = await send_fiche(alice)
    assert texts.PDF_FAILED in texts_to(turn, ALICE)
    assert texts_to(turn, ALICE)[-1] == texts.SENT.format(place="La Tréso", year=2026)
    received = texts_to(turn, RECIPIENT)
    assert any(HEADING in t for t in received) and texts.PDF_FAILED not in received
    assert [c for c in turn.calls if c.method == "sendDocument"] == []
    assert caplog.text.count("rendering the PDF fiche") == 1


def submitted(tg, place: str, year: int, answers: dict) -> None:
    place_id = storage.find_place(tg.db, place).id
    response = storage.get_or_create_response(tg.db, place_id, year, "2025.1")
    with storage.interview_step(tg.db, response.id, ALICE) as step:
        step.save(answers, None)
    storage.mark_submitted(tg.db, response.id, ALICE)


async def test_fiche_command(tg, renders):
    rita = await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    chloe = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    submitted(tg, "La Tréso", 2025, {"lien_social.publics": ["voisins"]})
    submitted(tg, "La Tréso", 2026, {"lien_social.publics": ["benevoles"]})

    turn = await rita.send("/fiche la tréso")  # the latest sent
    assert any(HEADING in t for t in turn.texts)
    assert turn.call("sendDocument").files["document"][0] == "fiche-la-treso-2026.pdf"
    turn = await chloe.send("/fiche La Tréso 2025")
    assert turn.call("sendDocument").files["document"][0] == "fiche-la-treso-2025.pdf"

    assert (await rita.send("/fiche La Tréso 1999")).texts == [
        texts.FICHE_NONE.format(place="La Tréso", year_part=" en 1999")]
    assert (await rita.send("/fiche Nulle Part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]
    assert (await rita.send("/fiche")).texts == [texts.FICHE_USAGE]

    # a manager and a stranger are refused, and told nothing about the place
    assert (await alice.send("/fiche La Tréso")).texts == [ROLE_FICHE]
    assert (await tg.chat(3000, "Zoé").send("/fiche La Tréso")).texts == [ROLE_FICHE]

    # a removed place keeps its past fiches
    storage.remove_place(tg.db, storage.find_place(tg.db, "La Tréso").id)
    turn = await rita.send("/fiche La Tréso 2025")
    assert turn.call("sendDocument").files["document"][0] == "fiche-la-treso-2025.pdf"


async def test_the_sent_fiche_carries_the_corrected_title_and_the_day_it_was_sent(
        tg, renders):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    place = storage.find_place(tg.db, "La Tréso")
    storage.set_place_title(tg.db, place.id, "DE LA TRÉSO DE MALAKOFF")
    turn = await send_fiche(alice)
    response = storage.find_response(tg.db, place.id, 2026)
    sent = f"Fiche envoyée le {date_fr(sent_on_of(response.submitted_at))}"
    received = "\n".join(texts_to(turn, RECIPIENT))
    assert f"<b>EFFETS SOCIAUX ET URBAINS DE LA TRÉSO DE MALAKOFF</b>\nAnnée 2026\n{sent}" \
        in received
    turn = await (await join(tg, 602, "Rémi", DESTINATAIRE)).send("/fiche La Tréso")
    assert sent in "\n".join(turn.texts)
