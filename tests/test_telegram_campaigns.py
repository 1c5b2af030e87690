"""The coordinators' campaign commands through the bot (PTB `process_update` over the fake
Bot API of `telegram_fakes`): what the coordinator and the managers see, and what the
database holds afterwards. The bot's clock is a fake one (Monday 2 March 2026, 10:00)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

import storage
from bot import pdf_worker
from bot.telegram import broadcast, texts
from bot.telegram.access import STAFF
from campaign import export as campaign_export
from interview import current_year_for
from questionnaire.answer_file import validate_answers
from questionnaire.grid import default_grid
from storage.campaigns import (
    close_campaign,
    create_campaign,
    find_campaign,
    launch_campaign,
    list_campaigns,
)
from storage.invitations import create_invitation
from storage.roles import COORDINATEUR
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, current_key, manager, seed_response

PARIS = ZoneInfo("Europe/Paris")
COORD = 500
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # a Monday


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    fake.now = NOW
    fake.app.bot_data[broadcast.CLOCK] = lambda: fake.now
    yield fake
    await fake.stop()


async def coordinator_chat(tg):
    chat = tg.chat(COORD, "Chloé")
    await chat.send(f"/start {create_invitation(tg.db, COORDINATEUR, None, ADMIN_ID)}")
    return chat


def to(turn, chat_id: int) -> list[str]:
    """The texts sent to one chat during a turn."""
    return [c.text for c in turn.sent if int(c.params["chat_id"]) == chat_id]


def all_answers(db) -> list[tuple]:
    return db.execute("SELECT response_id, key, value FROM answers ORDER BY 1, 2").fetchall()


def past_campaign(db, year: int, *, close: bool = True):
    """A campaign of an earlier year, created, launched (and closed) at that time."""
    at = datetime(year, 1, 15, 10, 0, tzinfo=PARIS)
    campaign = create_campaign(db, year, date(year, 6, 30), "2025.1", ADMIN_ID, now=at)
    launch_campaign(db, campaign.id, now=at)
    if close:
        close_campaign(db, campaign.id, now=datetime(year, 7, 1, 10, 0, tzinfo=PARIS))
    return find_campaign(db, year)


# --- /campagne_creer ------------------------------------------------------------------------

async def test_create_refuses_wrong_arguments_with_an_example(tg):
    coordinator = await coordinator_chat(tg)
    usage = texts.CAMPAIGN_CREATE_USAGE
    assert "<code>/campagne_creer 2026 30/06/2026</code>" in usage
    for text, expected in [
        ("/campagne_creer", usage),
        ("/campagne_creer 2026", usage),
        ("/campagne_creer 2026 30/06/2026 encore", usage),
        ("/campagne_creer vingt 30/06/2026", texts.CAMPAIGN_BAD_YEAR),
        ("/campagne_creer 26 30/06/2026", texts.CAMPAIGN_BAD_YEAR),
        ("/campagne_creer 2026 2026-06-30", texts.CAMPAIGN_BAD_DATE),
        ("/campagne_creer 2026 31/02/2026", texts.CAMPAIGN_BAD_DATE),
        ("/campagne_creer 2026 juin", texts.CAMPAIGN_BAD_DATE),
        ("/campagne_creer 2026 30/06/2062",
         texts.CAMPAIGN_DEADLINE_FAR.format(deadline="30/06/2062", year=2026)),
        ("/campagne_creer 2026 01/03/2026",
         texts.CAMPAIGN_DEADLINE_PASSED.format(deadline="01/03/2026")),
    ]:
        assert (await coordinator.send(text)).texts == [expected], text
    assert "par exemple" in texts.CAMPAIGN_BAD_YEAR and "par exemple" in texts.CAMPAIGN_BAD_DATE
    assert list_campaigns(tg.db) == []

    # today is accepted; dots are as good as slashes
    turn = await coordinator.send("/campagne_creer 2026 02.03.2026")
    assert turn.text.startswith("Campagne 2026 créée, échéance le 02/03/2026.")
    (campaign,) = list_campaigns(tg.db)
    assert (campaign.year, campaign.deadline, campaign.status, campaign.created_by) == (
        2026, date(2026, 3, 2), "draft", COORD)
    assert campaign.grid_version == default_grid().version

    # the next day, the draft's deadline has passed: it cannot be launched until a new
    # one is given, with the same command
    tg.now = datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)
    assert (await coordinator.send("/campagne_lancer")).texts == [
        texts.CAMPAIGN_LAUNCH_DEADLINE_PASSED.format(year=2026, deadline="02/03/2026")]
    assert find_campaign(tg.db, 2026).status == "draft"
    turn = await coordinator.send("/campagne_creer 2026 30/06/2026")
    assert turn.texts == [texts.CAMPAIGN_DEADLINE_CHANGED.format(year=2026,
                                                                 deadline="30/06/2026")]
    (campaign,) = list_campaigns(tg.db)
    assert campaign.deadline == date(2026, 6, 30) and campaign.status == "draft"
    await coordinator.send("/campagne_lancer")
    assert find_campaign(tg.db, 2026).is_open

    # launched, the year is taken: the bot points to /campagne_echeance
    turn = await coordinator.send("/campagne_creer 2026 15/07/2026")
    assert turn.texts == [texts.CAMPAIGN_DUPLICATE_OPEN.format(year=2026,
                                                               deadline="15/07/2026")]
    assert find_campaign(tg.db, 2026).deadline == date(2026, 6, 30)


async def test_campaign_commands_are_for_coordinators_only(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    stranger = tg.chat(4242, "Inconnu")
    coordinator = await coordinator_chat(tg)
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")
    campaign = find_campaign(tg.db, 2026)
    refusal = texts.role_needed(STAFF)
    for chat in (alice, stranger):
        for command in ("/campagne_creer 2027 30/06/2027", "/campagne_lancer",
                        "/campagne_statut", "/campagne_rappels 1 1", "/relancer",
                        "/campagne_cloturer", "/campagnes", "/export"):
            turn = await chat.send(command)
            assert turn.texts == [refusal], command
            assert not [c for c in turn.calls if c.method == "sendDocument"]
        # a forged press on the closing confirmation changes nothing either
        turn = await chat.press(f"cc:{campaign.id}:y", chat.bot_messages()[-1])
        assert to(turn, chat.id) == [refusal]
    assert [c.year for c in list_campaigns(tg.db)] == [2026]
    assert find_campaign(tg.db, 2026).is_open
    assert find_campaign(tg.db, 2026).remind_every_days == campaign.remind_every_days


# --- Wrong states ---------------------------------------------------------------------------

async def test_commands_in_the_wrong_state_say_what_to_do(tg):
    coordinator = await coordinator_chat(tg)
    for command, expected in [
        ("/campagne_lancer", texts.CAMPAIGN_NO_DRAFT),
        ("/campagne_statut", texts.CAMPAIGN_NONE),
        ("/campagne_rappels 7 3", texts.CAMPAIGN_NONE),
        ("/relancer", texts.CAMPAIGN_NOT_OPEN),
        ("/campagne_cloturer", texts.CAMPAIGN_NOT_OPEN),
        ("/campagnes", texts.CAMPAIGNS_EMPTY),
        ("/export", texts.CAMPAIGNS_EMPTY),
    ]:
        assert (await coordinator.send(command)).texts == [expected], command

    await coordinator.send("/campagne_creer 2026 30/06/2026")
    # a draft cannot be reminded nor closed
    assert (await coordinator.send("/relancer")).texts == [texts.CAMPAIGN_NOT_OPEN]
    assert (await coordinator.send("/campagne_cloturer")).texts == [texts.CAMPAIGN_NOT_OPEN]
    await coordinator.send("/campagne_lancer")
    assert (await coordinator.send("/campagne_lancer")).texts == [
        texts.CAMPAIGN_ALREADY_OPEN.format(year=2026)]

    # "Non" keeps it open
    turn = await coordinator.send("/campagne_cloturer")
    assert turn.text == texts.CLOSE_CONFIRM_EMPTY.format(year=2026)
    assert coordinator.labels(coordinator.last_keyboard()) == [
        texts.CAMPAIGN_CLOSE_YES, texts.CAMPAIGN_CLOSE_NO]
    turn = await coordinator.tap(texts.CAMPAIGN_CLOSE_NO)
    assert to(turn, COORD) == [texts.CAMPAIGN_CLOSE_CANCELLED]
    assert find_campaign(tg.db, 2026).is_open

    # closed: nothing left to close or to remind; a closed year cannot be recreated
    await coordinator.send("/campagne_cloturer")
    await coordinator.tap(texts.CAMPAIGN_CLOSE_YES)
    assert find_campaign(tg.db, 2026).status == "closed"
    assert (await coordinator.send("/campagne_cloturer")).texts == [texts.CAMPAIGN_NOT_OPEN]
    assert (await coordinator.send("/relancer")).texts == [texts.CAMPAIGN_NOT_OPEN]
    assert (await coordinator.send("/campagne_lancer")).texts == [texts.CAMPAIGN_NO_DRAFT]
    assert (await coordinator.send("/campagne_creer 2026 30/06/2026")).texts == [
        texts.CAMPAIGN_DUPLICATE.format(year=2026)]


# --- The life cycle -------------------------------------------------------------------------

async def test_life_cycle_create_launch_status_remind_close(tg):
    coordinator = await coordinator_chat(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    bob = await manager(tg, 1002, "Bob", "Le WIP")
    carla = await manager(tg, 1003, "Carla", "La Friche")
    await manager(tg, 1004, "Dan", "L'Atelier")
    storage.add_place(tg.db, "Le Vide")  # nobody to ask
    tg.request.blocked.add(1004)  # Dan blocked the bot

    await coordinator.send("/campagne_creer 2026 30/06/2026")
    turn = await coordinator.send("/campagne_lancer")
    assert to(turn, COORD) == [texts.CAMPAIGN_LAUNCHED.format(
        year=2026, sent=3, problems=" (1\u00a0injoignable)")]
    assert find_campaign(tg.db, 2026).is_open
    for chat_id in (1001, 1002, 1003):
        (launch,) = to(turn, chat_id)
        assert "30/06/2026" in launch

    # Alice begins, Carla sends, Bob does nothing
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    question = alice.last_keyboard()
    await carla.tap("Commencer")
    await carla.tap("3.")
    await carla.tap("✔️ Valider")
    await carla.send("/envoyer")
    await carla.tap("📨 Envoyer")
    await carla.tap("📨 Envoyer quand même")

    friche = storage.find_place(tg.db, "La Friche")
    sent_on = storage.find_response(tg.db, friche.id, 2026).submitted_at
    turn = await coordinator.send("/campagne_statut")
    assert len(turn.sent) == 1
    lines = turn.text.split("\n")
    assert lines[:2] == [
        "<b>Campagne 2026</b> (ouverte), échéance le 30/06/2026",
        "5\u00a0lieux\u00a0: <b>1\u00a0envoyée</b> (20\u202f%), 1\u00a0en cours, "
        "1\u00a0non commencé, 1\u00a0injoignable, 1\u00a0sans gestionnaire."]
    titles = [line for line in lines if line.startswith("<b>") and "(" in line][1:]
    assert titles == ["<b>Non commencé (1)</b>", "<b>En cours (1)</b>",
                      "<b>Injoignable (1)</b>", "<b>Sans gestionnaire (1)</b>",
                      "<b>Envoyée (1)</b>"]
    assert "• <b>La Tréso</b> — 1\u00a0section sur 12" in lines
    assert "• <b>La Friche</b> — envoyée le " + datetime.fromisoformat(sent_on).astimezone(
        PARIS).strftime("%d/%m") in lines
    assert any(line.startswith("   Dan\u00a0: lien ouvert le ")
               and "a bloqué le bot le" in line for line in lines)
    assert any(line.startswith("   Bob\u00a0: lien ouvert le ") and "aucune réponse" in line
               and "prochain lundi" in line for line in lines)
    assert "<code>/inviter Le Vide</code>" in turn.text
    photo = turn.call("sendPhoto")  # the chart comes with it
    assert photo.files["photo"][1].startswith(b"\x89PNG")

    # the reminder schedule
    for wrong in ("/campagne_rappels", "/campagne_rappels 7", "/campagne_rappels sept 3",
                  "/campagne_rappels 7 -3", "/campagne_rappels 7 3 1"):
        assert (await coordinator.send(wrong)).texts == [texts.REMINDERS_USAGE], wrong
    assert "<code>/campagne_rappels 7 3</code>" in texts.REMINDERS_USAGE
    turn = await coordinator.send("/campagne_rappels 10 0")
    assert turn.texts == [texts.REMINDERS_SET.format(
        year=2026, every_text="tous les 10\u00a0jours",
        before_text=texts.REMINDERS_BEFORE_OFF)]
    campaign = find_campaign(tg.db, 2026)
    assert (campaign.remind_every_days, campaign.remind_before_days) == (10, 0)

    # /relancer: the places that have not sent, their reachable managers only
    await coordinator.send("/relancer")
    turn = await coordinator.tap(texts.REMIND_YES)
    assert to(turn, COORD) == [texts.REMIND_SENT.format(people="2\u00a0gestionnaires",
                                                        problems="")]
    assert to(turn, 1001) and to(turn, 1002) and not to(turn, 1003) and not to(turn, 1004)

    # closing, confirmed: the late managers are told
    before = all_answers(tg.db)
    await coordinator.send("/campagne_cloturer")
    turn = await coordinator.tap(texts.CAMPAIGN_CLOSE_YES)
    assert to(turn, COORD) == [texts.CAMPAIGN_CLOSED.format(
        year=2026, people="2\u00a0gestionnaires en retard prévenu·e·s", problems="")]
    assert to(turn, 1001) and to(turn, 1002) and not to(turn, 1003)
    campaign = find_campaign(tg.db, 2026)
    assert campaign.status == "closed" and campaign.closed_at is not None

    # afterwards, answering is refused politely and nothing is stored
    closed = texts.CAMPAIGN_CLOSED_FOR_MANAGER.format(
        year=2026, date_part=" depuis le " + campaign.closed_at.astimezone(PARIS).strftime(
            "%d/%m/%Y"))
    for chat, attempt in [(alice, "3"), (alice, "/reprendre"), (alice, "/envoyer"),
                          (bob, "/start"), (bob, "/apercu"), (bob, "beaucoup"),
                          (carla, "/modifier")]:
        turn = await chat.send(attempt)
        assert turn.texts == [closed], attempt
    turn = await alice.tap("2.", question)  # a button of a question shown before closing
    assert to(turn, 1001) == [closed]
    assert turn.notice is None  # the press is answered quietly
    assert all_answers(tg.db) == before
    assert storage.find_response(tg.db, friche.id, 2026).submitted

    listing = (await coordinator.send("/campagnes")).text
    assert listing == ("• <b>2026</b> — close, échéance le 30/06/2026 — "
                       "1\u00a0fiche envoyée, 1\u00a0commencée sans envoi")


async def test_closed_stays_closed_while_the_next_campaign_is_a_draft(tg):
    coordinator = await coordinator_chat(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    await coordinator.send("/campagne_cloturer")
    await coordinator.tap(texts.CAMPAIGN_CLOSE_YES)
    before = all_answers(tg.db)

    await coordinator.send("/campagne_creer 2027 30/06/2027")
    waiting = texts.CAMPAIGN_NOT_YET_OPEN.format(year=2027)
    for attempt in ("/reprendre", "2", "/envoyer"):
        assert (await alice.send(attempt)).texts == [waiting], attempt
    turn = await alice.send("/apercu")  # 2026 as it was sent or left: read only
    assert "Année 2026" in turn.text and "bénévoles" in turn.text
    assert all_answers(tg.db) == before
    place = storage.find_place(tg.db, "La Tréso")
    assert storage.find_response(tg.db, place.id, 2027) is None

    # launched: the manager answers for 2027, 2026 stays as it was
    await coordinator.send("/campagne_lancer")
    turn = await alice.tap("Commencer")
    # 2026 was never sent: no offer to start from it, the first question at once
    assert "2026" not in turn.text and "LIEN SOCIAL" in turn.text
    await alice.tap("1.")
    response = storage.find_response(tg.db, place.id, 2027)
    assert storage.load_answers(tg.db, response.id) == {"lien_social.publics": ["grand_public"]}
    assert storage.load_answers(tg.db, storage.find_response(tg.db, place.id, 2026).id) == {
        "lien_social.publics": ["benevoles"]}


async def test_a_response_of_a_closed_year_is_never_changed(tg):
    """A step reads the campaign in its own transaction: closed a moment before, the
    step stores nothing (and the update counts as handled)."""
    import interview
    from questionnaire import engine

    await manager(tg, 1001, "Alice", "La Tréso")
    campaign = create_campaign(tg.db, current_year_for(), date(2099, 1, 1), "x", ADMIN_ID)
    launch_campaign(tg.db, campaign.id)
    session = interview.open_session(tg.db, default_grid(), 1001)
    assert not session.closed
    close_campaign(tg.db, campaign.id)
    outcome = interview.apply(tg.db, default_grid(), 1001,
                              engine.Tap("lien_social.publics", "voisins"), 99_999)
    assert outcome.closed and outcome.step is None
    assert outcome.session.response.id == session.response.id
    assert storage.load_answers(tg.db, session.response.id) == {}
    assert storage.is_update_processed(tg.db, 99_999)  # handled: not applied on redelivery


async def test_status_is_split_under_telegram_limit(tg):
    coordinator = await coordinator_chat(tg)
    names = [f"Tiers-lieu numéro {n:03d} " + "de la très longue rue des Associations" * 2
             for n in range(150)]
    for name in names:
        storage.add_place(tg.db, name)
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    turn = await coordinator.send("/campagne_statut")
    pages = [turn.text]
    while "Suivante ›" in coordinator.labels(coordinator.last_keyboard()):
        turn = await coordinator.tap("Suivante ›")
        pages.append(turn.call("editMessageText").text)
    assert len(pages) > 1 and all(len(page) <= 4096 for page in pages)
    assert "150\u00a0lieux" in pages[0]
    assert pages[-1].endswith(f"Page {len(pages)} sur {len(pages)}")
    shown = "\n".join(pages)
    assert all(f"• <b>{name}</b>" in shown for name in names)  # none cut, none lost
    turn = await coordinator.tap("‹ Précédente")
    assert turn.call("editMessageText").text.endswith(
        f"Page {len(pages) - 1} sur {len(pages)}")


# --- /campagnes -----------------------------------------------------------------------------

async def test_campaigns_lists_past_years(tg):
    past_campaign(tg.db, 2024)
    seed_response(tg.db, "La Tréso", 2024, {"lien_social.publics": ["voisins"]}, submit=True)
    past_campaign(tg.db, 2025)
    seed_response(tg.db, "La Tréso", 2025, {"lien_social.publics": ["voisins"]}, submit=True)
    seed_response(tg.db, "Le WIP", 2025, {"lien_social.publics": ["benevoles"]}, submit=True)
    seed_response(tg.db, "La Friche", 2025, {"lien_social.publics": ["voisins"]}, submit=False)
    storage.remove_place(tg.db, storage.find_place(tg.db, "Le WIP").id)  # its past stays
    coordinator = await coordinator_chat(tg)
    await coordinator.send("/campagne_creer 2026 30/06/2026")

    turn = await coordinator.send("/campagnes")
    assert turn.texts == ["\n".join([
        "• <b>2026</b> — en préparation, échéance le 30/06/2026 — 0\u00a0fiche envoyée sur 2, "
        "0 en cours",
        "• <b>2025</b> — close, échéance le 30/06/2025 — 2\u00a0fiches envoyées, "
        "1\u00a0commencée sans envoi",
        "• <b>2024</b> — close, échéance le 30/06/2024 — 1\u00a0fiche envoyée, "
        "0\u00a0commencée sans envoi",
    ])]


# --- /export --------------------------------------------------------------------------------

async def test_export_sends_csv_xlsx_and_json_that_parse(tg, monkeypatch):
    in_worker = []
    real_run = pdf_worker.run

    async def recording_run(function, *args):
        in_worker.append(function)
        return await real_run(function, *args)

    monkeypatch.setattr(pdf_worker, "run", recording_run)
    coordinator = await coordinator_chat(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    bob = await manager(tg, 1002, "Bob", "Le WIP")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    await alice.tap("3.")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    await alice.tap("📨 Envoyer quand même")
    await bob.tap("Commencer")
    await bob.tap("1.")

    turn = await coordinator.send("/export")
    documents = [c for c in turn.calls if c.method == "sendDocument"]
    assert [d.files["document"][0] for d in documents] == [
        "fichebot-campagne-2026.csv", "fichebot-campagne-2026.xlsx",
        "fichebot-campagne-2026.json"]
    assert all(int(d.params["chat_id"]) == COORD for d in documents)
    assert [d.params["caption"] for d in documents] == [
        texts.EXPORT_CAPTION.format(year=2026, places="2\u00a0lieux", fmt=fmt)
        for fmt in ("CSV", "XLSX", "JSON")]
    assert turn.texts[-1] == texts.EXPORT_DONE.format(year=2026)
    # written out by the worker process, not by the bot's (which answers everyone)
    assert in_worker.count(campaign_export.export) == 3

    rows = list(csv.reader(io.StringIO(documents[0].files["document"][1].decode("utf-8-sig")),
                           delimiter=";"))
    header = rows[0]
    assert len(rows) == 3
    column = header.index("lien_social.publics.benevoles")
    by_place = {row[header.index("place")]: row for row in rows[1:]}
    assert by_place["La Tréso"][column] == "1" and by_place["Le WIP"][column] == "0"

    book = openpyxl.load_workbook(io.BytesIO(documents[1].files["document"][1]))
    sheet = book.active
    assert sheet.max_row == 3
    assert [cell.value for cell in sheet[1]] == header

    answer_files = json.loads(documents[2].files["document"][1])
    assert {f["place"] for f in answer_files} == {"La Tréso", "Le WIP"}
    for answer_file in answer_files:
        assert answer_file["year"] == 2026
        place = storage.find_place(tg.db, answer_file["place"])
        stored = storage.load_answers(tg.db, storage.find_response(tg.db, place.id, 2026).id)
        assert validate_answers(default_grid(), answer_file["answers"]) == stored


async def test_export_of_a_past_year_and_wrong_arguments(tg):
    past_campaign(tg.db, 2025)
    seed_response(tg.db, "La Tréso", 2025, {"insertion.beneficiaires": 12}, submit=True)
    coordinator = await coordinator_chat(tg)
    await coordinator.send("/campagne_creer 2026 30/06/2026")

    turn = await coordinator.send("/export 2025")
    names = [c.files["document"][0] for c in turn.calls if c.method == "sendDocument"]
    assert names == ["fichebot-campagne-2025.csv", "fichebot-campagne-2025.xlsx",
                     "fichebot-campagne-2025.json"]
    json_file = [c for c in turn.calls if c.method == "sendDocument"][2].files["document"][1]
    assert json.loads(json_file)[0]["answers"] == {"insertion.beneficiaires": 12}

    # no answer yet in 2026: every active place still has its row, in its state
    turn = await coordinator.send("/export")
    csv_file = next(c for c in turn.calls if c.method == "sendDocument").files["document"][1]
    rows = list(csv.DictReader(io.StringIO(csv_file.decode("utf-8-sig")), delimiter=";"))
    assert [(r["place"], r["status"]) for r in rows] == [("La Tréso", "sans gestionnaire")]
    for wrong in ("/export deux", "/export 2025 2026"):
        assert (await coordinator.send(wrong)).texts == [texts.EXPORT_USAGE], wrong
    assert (await coordinator.send("/export 1999")).texts == [
        texts.EXPORT_UNKNOWN.format(year=1999, years="2026, 2025")]


# --- The year of a response -----------------------------------------------------------------

async def test_the_year_of_a_response_follows_the_open_campaign(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    place = storage.find_place(tg.db, "La Tréso")
    calendar = current_year_for()

    # no campaign: the calendar year, the bot's grid
    await alice.tap("1.")
    response = storage.find_response(tg.db, place.id, calendar)
    assert response.grid_version == default_grid().version
    assert storage.load_answers(tg.db, response.id) == {"lien_social.publics": ["grand_public"]}

    # a draft changes nothing yet
    coordinator = await coordinator_chat(tg)
    later = calendar + 1
    create_campaign(tg.db, later, date(later, 6, 30), "grille-test", COORD)
    await alice.tap("2.")
    assert storage.load_answers(tg.db, response.id) == {
        "lien_social.publics": ["grand_public", "acteurs_quartier"]}
    assert storage.find_response(tg.db, place.id, later) is None

    # launched: its year and its grid version
    await coordinator.send("/campagne_lancer")
    turn = await alice.tap("Commencer")
    assert str(calendar) not in turn.text  # last year was never sent: nothing offered
    assert current_key(alice) == "lien_social.publics"
    await alice.tap("4.")
    new = storage.find_response(tg.db, place.id, later)
    assert new.grid_version == "grille-test"
    assert storage.load_answers(tg.db, new.id) == {"lien_social.publics": ["publics_difficulte"]}
    assert storage.load_answers(tg.db, response.id) == {
        "lien_social.publics": ["grand_public", "acteurs_quartier"]}
    turn = await alice.send("/apercu")
    assert f"Année {later}" in turn.text
