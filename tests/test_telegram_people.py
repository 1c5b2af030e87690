"""Coordinators' place and invitation commands, and personal data, through the bot."""

from __future__ import annotations

import re

import pytest

import storage
from bot.telegram import texts
from storage.invitations import create_invitation, find_invitation, list_invitations
from storage.roles import COORDINATEUR, DESTINATAIRE, has_role
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, manager

LINK = re.compile(r"https://t\.me/fichebot_test_bot\?start=([A-Za-z0-9_-]{20,64})")


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


async def coordinator(tg):
    chat = tg.chat(500, "Chloé")
    await chat.send(f"/start {create_invitation(tg.db, COORDINATEUR, None, ADMIN_ID)}")
    return chat


async def test_team_links_single_links_listing_and_revocation(tg, caplog):
    caplog.set_level("INFO")
    chloe = await coordinator(tg)
    await chloe.send("/lieu_ajouter La Tréso")
    assert (await chloe.send("/inviter")).texts == [texts.INVITE_USAGE]
    assert (await chloe.send("/inviter Nulle Part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]
    team = LINK.search((await chloe.send("/inviter la tréso equipe")).text)[1]
    single = LINK.search((await chloe.send("/inviter La Tréso")).text)[1]
    assert find_invitation(tg.db, team).reusable and not find_invitation(tg.db, single).reusable

    # a team link serves several people; a single-use one, one
    for user_id in (1001, 1002):
        assert "Bonjour" in (await tg.chat(user_id, "X").send(f"/start {team}")).text
    assert "Bonjour" in (await tg.chat(1003, "Y").send(f"/start {single}")).text
    assert (await tg.chat(1004, "Z").send(f"/start {single}")).texts == [texts.INVITATION_USED]
    place = storage.find_place(tg.db, "La Tréso")
    assert {p.telegram_id for p in storage.managers_of_place(tg.db, place.id)} == {
        1001, 1002, 1003}

    listing = (await chloe.send("/invitations")).text
    assert "gestionnaire de La Tréso" in listing and "utilisé 2 fois" in listing
    for token in (team, single):
        assert token not in listing and token[4:] not in caplog.text
        assert token not in str(list(tg.db.query("SELECT * FROM invitations")))
    number = find_invitation(tg.db, team).id
    assert (await chloe.send(f"/revoquer {number}")).texts == [
        texts.REVOKED_LINK.format(id=number)]
    assert (await tg.chat(1005, "W").send(f"/start {team}")).texts == [
        texts.INVITATION_REVOKED]
    assert (await chloe.send("/revoquer 999")).texts == [texts.REVOKE_UNKNOWN.format(id=999)]
    assert all(i.id != number for i in list_invitations(tg.db))


async def test_role_links_and_places_listing(tg):
    chloe = await coordinator(tg)
    link = LINK.search((await chloe.send("/inviter_destinataire")).text)[1]
    turn = await tg.chat(600, "Rita").send(f"/start {link}")
    assert turn.text.startswith(texts.ROLE_GRANTED[DESTINATAIRE])
    assert has_role(tg.db, 600, DESTINATAIRE)
    link = LINK.search((await chloe.send("/inviter_coordinateur")).text)[1]
    await tg.chat(700, "Paul").send(f"/start {link}")
    assert has_role(tg.db, 700, COORDINATEUR)

    await manager(tg, 1001, "Alice", "La Tréso")
    await chloe.send("/lieu_ajouter Le WIP")
    listing = (await chloe.send("/lieux")).text
    assert "<b>2\u00a0lieux</b>" in listing
    assert "• <b>La Tréso</b> — Alice" in listing
    assert "• <b>Le WIP</b> — aucun·e gestionnaire" in listing


async def test_removing_a_place_keeps_its_fiches(tg):
    chloe = await coordinator(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    place = storage.find_place(tg.db, "La Tréso")
    turn = await chloe.send("/lieu_retirer La Tréso")
    assert "Retirer <b>La Tréso</b>\u202f?" in turn.text
    turn = await chloe.tap("Oui, retirer")
    assert texts.REMOVED.format(place="La Tréso") in turn.texts
    assert not storage.get_place(tg.db, place.id).active
    assert "La Tréso" not in (await chloe.send("/lieux")).text
    response = storage.find_response(tg.db, place.id, next(
        tg.db.query("SELECT year FROM responses"))["year"])
    assert storage.load_answers(tg.db, response.id)["lien_social.publics"] == ["benevoles"]
    # a stale second tap changes nothing
    assert not storage.get_place(tg.db, place.id).active


async def test_my_data_and_forgetting(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    text = (await alice.send("/mes_donnees")).text
    assert "identifiant Telegram\u00a0: 1001" in text and "nom\u00a0: Alice" in text
    assert "lieux gérés\u00a0: La Tréso" in text and "réponses que vous avez écrites" in text
    await alice.send("/oublier")
    assert (await alice.tap("Non")).texts == [texts.FORGET_CANCELLED]
    assert storage.get_person(tg.db, 1001) is not None
    await alice.send("/oublier")
    assert texts.FORGOTTEN in (await alice.tap("Oui, effacer")).texts
    assert storage.get_person(tg.db, 1001) is None
    assert (await alice.send("/mes_donnees")).texts == [texts.MY_DATA_NONE]
    place = storage.find_place(tg.db, "La Tréso")
    row = next(tg.db.query("SELECT id FROM responses WHERE place_id = ?", [place.id]))
    assert storage.load_answers(tg.db, row["id"]) == {"lien_social.publics": ["benevoles"]}
