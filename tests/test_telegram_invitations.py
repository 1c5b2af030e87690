"""Places and invitation links through the bot: /lieu_ajouter, /lieu_lien, /start <token>."""

import re

import pytest

import storage
from bot.telegram import texts
from interview import current_year_for
from storage.invitations import create_invitation, find_invitation, revoke_invitation
from storage.roles import COORDINATEUR, current_place, has_role
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, current_key, invitation_token, manager

YEAR = current_year_for()
LINK = re.compile(r"https://t\.me/fichebot_test_bot\?start=([A-Za-z0-9_-]{20,64})$")


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


async def test_admin_creates_a_place_and_a_stranger_opens_its_link(tg, caplog):
    admin = tg.chat(ADMIN_ID, "Admin")
    turn = await admin.send("/lieu_ajouter La Ruche Paris")
    text = turn.texts[0]
    assert text.startswith("Le lieu <b>La Ruche Paris</b> est créé.")
    token = LINK.search(text)[1]
    place = storage.find_place(tg.db, "la ruche paris")
    assert place.name == "La Ruche Paris"
    assert find_invitation(tg.db, token).place_id == place.id

    caplog.set_level("INFO")
    alice = tg.chat(1001, "Alice")
    turn = await alice.send(f"/start {token}")
    assert turn.texts[0] == texts.WELCOME.format(name="Alice", place="La Ruche Paris", year=YEAR)
    assert current_key(alice) == "lien_social.publics"
    assert [p.id for p in storage.places_of_manager(tg.db, 1001)] == [place.id]
    assert storage.get_person(tg.db, 1001).display_name == "Alice"
    assert storage.find_response(tg.db, place.id, YEAR) is not None
    assert token not in caplog.text  # only its first characters are logged
    assert token[:4] in caplog.text


async def test_html_in_a_place_name_is_shown_as_typed(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    turn = await admin.send("/lieu_ajouter Le <Lab> & Co")
    assert "<b>Le &lt;Lab&gt; &amp; Co</b>" in turn.texts[0]


async def test_add_place_usage_duplicate_and_non_admin(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    assert (await admin.send("/lieu_ajouter")).texts == [texts.PLACE_ADD_USAGE]
    assert (await admin.send("/lieu_ajouter    ")).texts == [texts.PLACE_ADD_USAGE]
    await admin.send("/lieu_ajouter La Tréso")
    turn = await admin.send("/lieu_ajouter la tréso")
    assert turn.texts == [texts.PLACE_DUPLICATE.format(place="La Tréso")]  # the one there
    assert len(storage.list_places(tg.db)) == 1
    long_name = "x" * 121
    assert "trop long" in (await admin.send(f"/lieu_ajouter {long_name}")).texts[0]

    stranger = tg.chat(2002, "Bob")
    refusal = texts.role_needed(frozenset({COORDINATEUR}))
    assert (await stranger.send("/lieu_ajouter Chez Bob")).texts == [refusal]
    assert (await stranger.send("/lieu_lien La Tréso")).texts == [refusal]
    assert storage.find_place(tg.db, "Chez Bob") is None


async def test_a_new_link_for_an_existing_place(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    assert (await admin.send("/lieu_lien")).texts == [texts.PLACE_LINK_USAGE]
    assert (await admin.send("/lieu_lien Nulle Part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]
    await admin.send("/lieu_ajouter La Tréso")
    turn = await admin.send("/lieu_lien\nla tréso")
    assert turn.texts[0].startswith("Nouveau lien d’invitation pour <b>La Tréso</b>")
    assert LINK.search(turn.texts[0])


async def test_unknown_used_expired_revoked_links(tg):
    bob = tg.chat(2002, "Bob")
    assert (await bob.send("/start n1mporte-quoi")).texts == [texts.INVITATION_UNKNOWN]
    assert (await bob.send("/start " + "é" * 10)).texts == [texts.INVITATION_UNKNOWN]

    token = await invitation_token(tg)
    await tg.chat(1001, "Alice").send(f"/start {token}")
    assert (await bob.send(f"/start {token}")).texts == [texts.INVITATION_USED]

    place = storage.find_place(tg.db, "La Tréso")
    expired = create_invitation(tg.db, "gestionnaire", place.id, ADMIN_ID)
    tg.db.execute("UPDATE invitations SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert (await bob.send(f"/start {expired}")).texts == [texts.INVITATION_EXPIRED]

    revoked = create_invitation(tg.db, "gestionnaire", place.id, ADMIN_ID)
    revoke_invitation(tg.db, find_invitation(tg.db, revoked).id)
    assert (await bob.send(f"/start {revoked}")).texts == [texts.INVITATION_REVOKED]

    assert storage.places_of_manager(tg.db, 2002) == []
    assert current_place(tg.db, 2002) is None


async def test_redelivered_start_is_applied_once(tg):
    token = await invitation_token(tg)
    alice = tg.chat(1001, "Alice")
    turn = await alice.send(f"/start {token}")
    again = await tg.process(turn.update)
    assert again.calls == []  # not "this link was already used"


async def test_a_manager_of_two_places_switches_by_opening_a_link(tg):
    alice = await manager(tg, place="La Tréso")
    await alice.tap("1.")
    ruche = await invitation_token(tg, "La Ruche Paris")
    turn = await alice.send(f"/start {ruche}")
    assert "<b>La Ruche Paris</b>" in turn.texts[0]
    assert "✅" not in turn.texts[-1]  # a new response, for the other place
    assert current_place(tg.db, 1001).name == "La Ruche Paris"

    treso = await invitation_token(tg, "La Tréso")
    await tg.chat(3003, "Chloé").send(f"/start {treso}")  # this link is used up now
    turn = await alice.send(f"/start {treso}")  # Alice manages La Tréso: she switches back
    assert turn.texts[0] == texts.WELCOME_BACK.format(place="La Tréso", year=YEAR)
    assert "✅ 1. visiteur·euse·s grand public" in turn.texts[-1]


async def test_a_coordinator_link(tg):
    token = create_invitation(tg.db, COORDINATEUR, None, ADMIN_ID)
    dana = tg.chat(4004, "Dana")
    turn = await dana.send(f"/start {token}")
    assert turn.texts == [texts.ROLE_GRANTED[COORDINATEUR] + "\n\n"
                          + texts.help_text({COORDINATEUR})]
    assert "/lieux" in turn.text and "/fiche" in turn.text
    assert has_role(tg.db, 4004, COORDINATEUR)
    # a coordinator may now create places, which only administrators could before
    assert (await dana.send("/lieu_ajouter Chez Dana")).texts[0].startswith("Le lieu")
