"""A button remembers the fiche it was drawn for (`@<place>.<year>` at the end of its
data): tapped from another place's message, or from last year's campaign, it changes
nothing and says which fiche the person is on now."""

from __future__ import annotations

from datetime import date, datetime

import storage
from bot.telegram import broadcast, callbacks, texts, views
from campaign.clock import PARIS
from interview import STALE, FicheOf
from questionnaire import engine
from storage.campaigns import close_campaign, create_campaign, launch_campaign
from storage.roles import DESTINATAIRE
from tests.telegram_fakes import FakeTelegram, invitation_token, manager

ALICE, RITA = 1001, 601


def answers(tg, place: str, year: int = 2026) -> dict:
    response = storage.find_response(tg.db, storage.find_place(tg.db, place).id, year)
    return storage.load_answers(tg.db, response.id) if response else {}


async def test_an_old_question_of_one_place_changes_nothing_in_the_other(tmp_path):
    tg = await FakeTelegram(tmp_path / "f.db", admin_ids={1}).start()
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    treso_question = alice.last_keyboard()
    await manager(tg, ALICE, "Alice", "Le Phare")  # her second place's link: she is on it
    turn = await alice.tap("3. voisin", treso_question)
    assert answers(tg, "Le Phare") == {} and answers(tg, "La Tréso") == {}
    assert texts.OTHER_FICHE.format(place="Le Phare", year=2026) in turn.texts
    assert turn.call("answerCallbackQuery").params["text"] == texts.OTHER_FICHE_SHORT
    await alice.tap("3. voisin")  # on Le Phare's own question: stored there
    assert answers(tg, "Le Phare") == {"lien_social.publics": ["voisins"]}
    await tg.stop()


async def test_an_old_send_button_never_sends_another_places_fiche(tmp_path):
    tg = await FakeTelegram(tmp_path / "f.db", admin_ids={1}).start()
    tg.chat(RITA, "Rita")
    storage.upsert_person(tg.db, RITA, "Rita")
    storage.roles.grant_role(tg.db, RITA, DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await alice.send(f"/start {await invitation_token(tg, 'Le WIP')}")  # now on Le WIP
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    wip_confirm = alice.last_keyboard()  # Le WIP's « Envoyer quand même »
    await alice.send(f"/start {await invitation_token(tg, 'La Tréso')}")
    await alice.send("/envoyer")  # La Tréso's review, empty
    turn = await alice.tap("📨 Envoyer quand même", wip_confirm)
    for place in ("La Tréso", "Le WIP"):
        response = storage.find_response(tg.db, storage.find_place(tg.db, place).id, 2026)
        assert not response.submitted, place
    assert not [c for c in turn.sent if int(c.params["chat_id"]) == RITA]
    await tg.stop()


async def test_last_years_question_changes_nothing_in_this_years_fiche(tmp_path):
    tg = await FakeTelegram(tmp_path / "f.db", admin_ids={1}).start()
    now = {"t": datetime(2026, 3, 2, 10, tzinfo=PARIS)}
    tg.app.bot_data[broadcast.CLOCK] = lambda: now["t"]
    campaign = create_campaign(tg.db, 2026, date(2026, 6, 30), "2025.1", None, now=now["t"])
    launch_campaign(tg.db, campaign.id, now=now["t"])
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    old = alice.last_keyboard()  # a 2026 question, never sent
    close_campaign(tg.db, campaign.id, now=now["t"])
    now["t"] = datetime(2027, 3, 1, 10, tzinfo=PARIS)
    campaign = create_campaign(tg.db, 2027, date(2027, 6, 30), "2025.1", None, now=now["t"])
    launch_campaign(tg.db, campaign.id, now=now["t"])
    turn = await alice.tap("3. voisin", old)
    assert answers(tg, "La Tréso", 2027) == {}
    assert answers(tg, "La Tréso", 2026) == {"lien_social.publics": ["benevoles"]}
    assert texts.OTHER_FICHE.format(place="La Tréso", year=2027) in turn.texts
    await tg.stop()


def test_the_tag_is_read_back_and_a_garbled_one_is_stale():
    press = callbacks.decode("t:lien_social.publics:voisins:1@12.2026")
    assert press.fiche == FicheOf(12, 2026)
    assert press.action == engine.Tap("lien_social.publics", "voisins", on=True)
    assert callbacks.decode("send@3.2027").fiche == FicheOf(3, 2027)
    assert callbacks.decode("t:lien_social.publics:voisins").fiche is None  # older messages
    for garbled in ("send@", "send@x.2026", "send@0.2026", "send@3.27", "t:a.b:c@1.2026@2.2026"):
        assert callbacks.decode(garbled) == STALE, garbled


def test_a_keyboard_sends_its_tag_on_every_button_within_64_bytes():
    long_data = "t:" + "k" * 20 + ".q:" + "o" * 30  # 55 bytes: no room for the tag
    board = views.Keyboard(((views.Button("a", "send"), views.Button("b", long_data)),),
                           tag=callbacks.fiche_tag(123456, 2026))
    [[first, second]] = board.to_dict()["inline_keyboard"]
    assert first["callback_data"] == "send@123456.2026"
    assert second["callback_data"] == long_data


async def test_an_old_question_of_a_removed_place_says_the_place_is_no_longer_followed(
        tmp_path):
    tg = await FakeTelegram(tmp_path / "f.db", admin_ids={1}).start()
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    question = alice.last_keyboard()
    place = storage.find_place(tg.db, "La Tréso")
    storage.remove_place(tg.db, place.id)
    turn = await alice.tap("3. voisin", question)
    assert turn.texts == [texts.GO_UNKNOWN_PLACE]
    response = storage.find_response(tg.db, place.id, 2026)
    assert response is None or storage.load_answers(tg.db, response.id) == {}
    await tg.stop()
