"""Annual campaigns through the bot: the coordinator's commands, the bot's own reminders
(with a fake clock: no sleeping), delivery of sent fiches, prefill from last year."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

import storage
from bot.telegram import broadcast, sending, texts
from questionnaire.answer_file import validate_answers
from questionnaire.grid import default_grid
from storage.campaigns import find_campaign
from storage.invitations import create_invitation
from storage.roles import COORDINATEUR, DESTINATAIRE
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, current_key, manager

PARIS = ZoneInfo("Europe/Paris")
COORD = 500
RECIPIENT = 600


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    fake.clock = Clock(datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))  # a Monday
    fake.app.bot_data[broadcast.CLOCK] = fake.clock
    yield fake
    await fake.stop()


async def join(tg, user_id: int, name: str, role: str):
    chat = tg.chat(user_id, name)
    token = create_invitation(tg.db, role, None, ADMIN_ID)
    await chat.send(f"/start {token}")
    return chat


def sent_to(turn, chat_id: int) -> list[str]:
    return [c.text for c in turn.sent if c.method == "sendMessage"
            and int(c.params["chat_id"]) == chat_id]


async def open_campaign(tg, coordinator):
    turn = await coordinator.send("/campagne_creer 2026 30/06/2026")
    assert turn.text.startswith("Campagne 2026 créée, échéance le 30/06/2026.")
    return await coordinator.send("/campagne_lancer")


async def test_campaign_life_cycle(tg):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    bob = await manager(tg, 1002, "Bob", "Le WIP")

    # argument errors get a usage line with an example
    assert "/campagne_creer 2026 30/06/2026" in (await coordinator.send("/campagne_creer")).text
    assert texts.CAMPAIGN_BAD_DATE in (await coordinator.send(
        "/campagne_creer 2026 31/02/2026")).texts
    assert texts.CAMPAIGN_DEADLINE_PASSED.format(deadline="01/01/2026") in (
        await coordinator.send("/campagne_creer 2026 01/01/2026")).texts

    turn = await open_campaign(tg, coordinator)
    assert sent_to(turn, COORD)[-1].startswith(
        "Campagne 2026 lancée. Invitations envoyées\u00a0: 2.")
    launch = sent_to(turn, 1001)
    assert "avant le <b>30/06/2026</b>" in launch[0] and "La Tréso" in launch[0]
    # launched: a new deadline is /campagne_echeance's business, and the bot says so
    assert texts.CAMPAIGN_DUPLICATE_OPEN.format(year=2026, deadline="23/12/2026") in (
        await coordinator.send("/campagne_creer 2026 23/12/2026")).texts

    # the launch message's button starts the interview
    turn = await alice.tap("Commencer")
    assert current_key(alice) == "lien_social.publics"
    await alice.tap("8. bénévoles")

    status = (await coordinator.send("/campagne_statut")).text
    assert ("2\u00a0lieux\u00a0: <b>0\u00a0envoyée</b> (0\u202f%), 1\u00a0en cours, "
            "1\u00a0non commencé, 0\u00a0injoignable, 0\u00a0sans gestionnaire.") in status
    assert "<b>En cours (1)</b>\n• <b>La Tréso</b> — 1\u00a0section sur 12" in status
    assert "• <b>Le WIP</b>" in status

    # /relancer: asks first, then once a day at most
    turn = await coordinator.send("/relancer")
    assert texts.REMIND_CONFIRM_NOW.format(people="2\u00a0gestionnaires",
                                           places="2\u00a0lieux") in turn.text
    turn = await coordinator.tap(texts.REMIND_YES)
    assert sent_to(turn, COORD)[-1] == "Relance envoyée à 2\u00a0gestionnaires."
    assert "Petit rappel" in sent_to(turn, 1002)[0]
    turn = await coordinator.send("/relancer")  # both were reminded minutes ago: says why
    assert "Personne à relancer" in turn.text and "moins de 24\u00a0h" in turn.text

    # the coordinator closes: late managers are told, and nothing more is stored
    turn = await coordinator.send("/campagne_cloturer")
    assert "Clôturer la campagne 2026" in turn.text
    turn = await coordinator.tap("Oui, clôturer")
    assert "La campagne 2026 est maintenant close" in sent_to(turn, 1002)[0]
    assert ("Campagne 2026 close. 2\u00a0gestionnaires en retard prévenu·e·s."
            in sent_to(turn, COORD))
    before = storage.load_answers(tg.db, storage.find_response(
        tg.db, storage.find_place(tg.db, "La Tréso").id, 2026).id)
    turn = await alice.send("/reprendre")
    assert turn.text.startswith("La campagne 2026 est close")
    turn = await bob.send("12")
    assert turn.text.startswith("La campagne 2026 est close")
    after = storage.load_answers(tg.db, storage.find_response(
        tg.db, storage.find_place(tg.db, "La Tréso").id, 2026).id)
    assert after == before
    wip = storage.find_response(tg.db, storage.find_place(tg.db, "Le WIP").id, 2026)
    assert wip is None or storage.load_answers(tg.db, wip.id) == {}

    listing = (await coordinator.send("/campagnes")).text
    assert ("<b>2026</b> — close, échéance le 30/06/2026 — 0\u00a0fiche envoyée, "
            "1\u00a0commencée sans envoi") in listing


async def test_export_sends_three_documents_that_parse(tg):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await open_campaign(tg, coordinator)
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    turn = await coordinator.send("/export")
    documents = [c for c in turn.calls if c.method == "sendDocument"]
    assert [d.files["document"][0] for d in documents] == [
        "fichebot-campagne-2026.csv", "fichebot-campagne-2026.xlsx",
        "fichebot-campagne-2026.json"]
    rows = list(csv.reader(io.StringIO(documents[0].files["document"][1].decode("utf-8-sig")),
                           delimiter=";"))
    header = rows[0]
    assert header[0] and "lien_social.publics.benevoles" in header
    assert rows[1][header.index("lien_social.publics.benevoles")] == "1"
    book = openpyxl.load_workbook(io.BytesIO(documents[1].files["document"][1]))
    assert book.active.max_row == 2
    answer_files = json.loads(documents[2].files["document"][1])
    assert answer_files[0]["place"] == "La Tréso" and answer_files[0]["year"] == 2026
    assert validate_answers(default_grid(), answer_files[0]["answers"]) == {
        "lien_social.publics": ["benevoles"]}
    assert texts.EXPORT_UNKNOWN.format(year=1999, years="2026") in (
        await coordinator.send("/export 1999")).texts


async def test_reminders_follow_the_schedule_and_survive_a_restart(tg, tmp_path):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await manager(tg, 1001, "Alice", "La Tréso")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")  # Monday 2 March, 10:00
    app = tg.app

    async def run_job():
        before = len(tg.request.calls)
        report = await broadcast.send_due_reminders(app)
        return report, [c for c in tg.request.calls[before:] if c.method == "sendMessage"]

    tg.clock.moment = datetime(2026, 3, 6, 20, 0, tzinfo=PARIS)  # Friday evening
    report, sent = await run_job()
    assert sent == [] and report.sent == 0
    tg.clock.moment = datetime(2026, 3, 7, 11, 0, tzinfo=PARIS)  # Saturday
    assert (await run_job())[1] == []
    tg.clock.moment = datetime(2026, 3, 9, 9, 30, tzinfo=PARIS)  # before the launch's hour
    assert (await run_job())[1] == []
    tg.clock.moment = datetime(2026, 3, 9, 10, 0, tzinfo=PARIS)  # Monday: 7 days on
    report, sent = await run_job()
    assert report.sent == 1 and "Petit rappel" in sent[0].text
    assert [b["text"] for row in sent[0].params["reply_markup"]["inline_keyboard"]
            for b in row] == ["Reprendre", "Me le rappeler dans 3\u00a0jours"]

    # a restart: a new application on the same database sends nothing twice
    await tg.stop()
    again = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID},
                               first_update_id=10_000).start()
    again.app.bot_data[broadcast.CLOCK] = tg.clock
    report = await broadcast.send_due_reminders(again.app)
    assert report.sent == 0
    # the bot was down for the next period: that reminder still goes out, once
    tg.clock.moment = datetime(2026, 3, 17, 14, 0, tzinfo=PARIS)
    report = await broadcast.send_due_reminders(again.app)
    assert report.sent == 1
    assert (await broadcast.send_due_reminders(again.app)).sent == 0

    # a manager who blocked the bot is marked unreachable and not retried
    tg.clock.moment = datetime(2026, 3, 23, 14, 0, tzinfo=PARIS)
    again.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    report = await broadcast.send_due_reminders(again.app)
    assert report.unreachable == 1 and report.sent == 0
    assert storage.reminders.is_unreachable(again.db, 1001)
    tg.clock.moment = datetime(2026, 3, 30, 14, 0, tzinfo=PARIS)
    assert (await broadcast.send_due_reminders(again.app)).sent == 0
    status = (await again.chat(COORD, "Chloé").send("/campagne_statut")).text
    assert "1\u00a0injoignable" in status and "a bloqué le bot le 23/03" in status
    await again.stop()
    tg.db = storage.open_db(tmp_path / "fichebot.db")  # for the fixture's teardown
    tg.app = again.app


async def test_retry_after_is_honoured_not_a_failure(tg, monkeypatch):
    waits: list[float] = []

    async def no_sleep(seconds):  # the wait is asserted, not slept
        waits.append(seconds)

    monkeypatch.setattr(sending, "_sleep", no_sleep)
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await manager(tg, 1001, "Alice", "La Tréso")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    tg.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    turn = await coordinator.send("/campagne_lancer")
    assert sent_to(turn, COORD)[-1].startswith(
        "Campagne 2026 lancée. Invitations envoyées\u00a0: 1.")
    # the first try was refused with 429 and waited out; the second went through
    assert len([t for t in sent_to(turn, 1001) if "est ouverte" in t]) == 2
    assert waits == [1]


async def test_snooze_button(tg):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await open_campaign(tg, coordinator)
    await coordinator.send("/relancer")
    await coordinator.tap(texts.REMIND_YES)
    turn = await alice.tap("Me le rappeler dans 3\u00a0jours")
    assert turn.text == texts.SNOOZED.format(date="05/03/2026")
    tg.clock.moment = datetime(2026, 3, 4, 10, 0, tzinfo=PARIS)
    campaign = find_campaign(tg.db, 2026)
    assert storage.reminders.snoozes(tg.db, campaign.id)[1001] > tg.clock.moment


async def test_a_sent_fiche_reaches_managers_recipients_and_coordinators(tg):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await manager(tg, 1003, "Awa", "La Tréso")  # a second manager of the same place
    await manager(tg, 1002, "Bob", "Le WIP")
    await open_campaign(tg, coordinator)
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    turn = await alice.tap("📨 Envoyer quand même")
    for chat_id in (RECIPIENT, 1003):
        messages = sent_to(turn, chat_id)
        assert messages[0] == texts.FICHE_RECEIVED.format(place="La Tréso", year=2026)
        assert any("EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in m for m in messages)
        assert [c for c in turn.calls if c.method == "sendDocument"
                and int(c.params["chat_id"]) == chat_id]
    assert sent_to(turn, COORD) == [
        "La Tréso a envoyé sa fiche 2026 — 1\u00a0lieu sur 2 a répondu."]
    assert sent_to(turn, 1002) == []
    # a recipient can ask for it again; a manager may not
    turn = await tg.chat(RECIPIENT, "Rita").send("/fiche la tréso 2026")
    assert any("EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in t for t in turn.texts)
    assert (await alice.send("/fiche La Tréso")).texts == [
        texts.role_needed(frozenset({DESTINATAIRE, COORDINATEUR}))]


async def test_prefill_from_last_year(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    place = storage.find_place(tg.db, "La Tréso")
    last = storage.get_or_create_response(tg.db, place.id, 2025, "2025.1")
    with storage.interview_step(tg.db, last.id, 1001) as step:
        step.save({"lien_social.publics": ["voisins", "benevoles"],
                   "insertion.beneficiaires": 15, "lien_social.ancienne": "x"}, None)
    storage.mark_submitted(tg.db, last.id, 1001)
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await open_campaign(tg, coordinator)

    turn = await alice.tap("Commencer")
    assert "<b>La Tréso</b> a envoyé sa fiche 2025" in turn.text
    turn = await alice.tap("Repartir des réponses de 2025")
    assert texts.PREFILLED.format(year=2025) in turn.texts
    keyboard = alice.last_keyboard()
    selected = [b["text"] for b in alice.buttons(keyboard) if b["text"].startswith("✅")]
    assert len(selected) == 2
    await alice.tap("✔️ Valider")  # one tap keeps last year's answer
    response = storage.find_response(tg.db, place.id, 2026)
    answers = storage.load_answers(tg.db, response.id)
    assert answers["lien_social.publics"] == ["voisins", "benevoles"]
    assert answers["insertion.beneficiaires"] == 15
    assert "lien_social.ancienne" not in answers  # no longer in the grid: dropped
    # the offer is made once
    assert "a envoyé sa fiche" not in (await alice.send("/reprendre")).text


async def test_prefill_declined_starts_blank(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    place = storage.find_place(tg.db, "La Tréso")
    last = storage.get_or_create_response(tg.db, place.id, 2025, "2025.1")
    with storage.interview_step(tg.db, last.id, 1001) as step:
        step.save({"lien_social.publics": ["voisins"]}, None)
    storage.mark_submitted(tg.db, last.id, 1001)  # only a sent fiche is offered
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    await open_campaign(tg, coordinator)
    await alice.tap("Commencer")
    turn = await alice.tap("Partir d’une fiche vierge")
    assert texts.PREFILL_BLANK in turn.texts
    assert current_key(alice) == "lien_social.publics"
    response = storage.find_response(tg.db, place.id, 2026)
    assert storage.load_answers(tg.db, response.id) == {}
