"""Two managers of one place answering the same question at once (issue 10): a tap
says what the person saw and meant (tick / untick), so identical taps give one tick
and different ones both; a stale screen is redrawn as stored; a typed answer that
replaces a teammate's newer one says so."""

from __future__ import annotations

import storage
from bot.telegram import texts
from questionnaire.grid import default_grid
from tests.telegram_fakes import Chat, FakeTelegram, manager, skip_to
from tests.telegram_fakes import current_key as current_key_of

KEY = "lien_social.publics"


async def _team(tmp_path):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    bob = await manager(tg, 1002, "Bob", "La Tréso")
    return tg, alice, bob


def _stored(tg: FakeTelegram, key: str):
    place = storage.find_place(tg.db, "La Tréso")
    response = storage.find_response(tg.db, place.id, 2026) or next(
        r for r in (storage.find_response(tg.db, place.id, y) for y in range(2024, 2030)) if r)
    return storage.load_answers(tg.db, response.id).get(key)


def _ticked(message: dict) -> list[str]:
    return [b["text"] for b in Chat.buttons(message) if b["text"].startswith(texts.CHECKED)]


async def test_both_tick_the_same_option_one_tick_and_the_late_screen_redrawn(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    try:
        alice_screen, bob_screen = alice.last_keyboard(), bob.last_keyboard()
        await alice.tap("3. voisin", alice_screen)
        assert _stored(tg, KEY) == ["voisins"]
        turn = await bob.tap("3. voisin", bob_screen)  # Bob's screen shows no tick
        assert _stored(tg, KEY) == ["voisins"]  # one tick, not none
        assert turn.notice == texts.REDRAWN
        redrawn = bob.message(bob_screen["message_id"])
        assert [t.split(". ")[0] for t in _ticked(redrawn)] == [texts.CHECKED + "3"]
    finally:
        await tg.stop()


async def test_different_options_both_kept_both_screens_right(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    try:
        alice_screen, bob_screen = alice.last_keyboard(), bob.last_keyboard()
        await alice.tap("3. voisin", alice_screen)
        await bob.tap("8. bénévoles", bob_screen)
        assert _stored(tg, KEY) == ["voisins", "benevoles"]
        assert len(_ticked(bob.message(bob_screen["message_id"]))) == 2
        # Alice unticks what she sees ticked: her untick is kept, Bob's tick too
        await alice.tap(texts.CHECKED + "3. voisin", alice.message(alice_screen["message_id"]))
        assert _stored(tg, KEY) == ["benevoles"]
        # Bob, whose screen still shows 3 ticked, unticks it too: nothing is undone
        turn = await bob.tap(texts.CHECKED + "3. voisin", bob.message(bob_screen["message_id"]))
        assert _stored(tg, KEY) == ["benevoles"] and turn.notice == texts.REDRAWN
    finally:
        await tg.stop()


async def test_one_types_while_the_other_taps(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    key = "capacite_agir.nombre_projets"
    try:
        await skip_to(alice, key)
        await skip_to(bob, key)
        await alice.tap("une dizaine par an")
        assert _stored(tg, key) == "une dizaine par an"
        turn = await bob.send("une quarantaine")  # typed on a screen without Alice's answer
        assert _stored(tg, key) == "une quarantaine"
        assert texts.OVERWROTE.format(value="une dizaine par an") in turn.texts
        # Bob goes back and types again over his own answer: nothing to say
        await bob.tap("⬅️ Retour")
        assert current_key_of(bob) == key
        turn = await bob.send("une cinquantaine")
        assert _stored(tg, key) == "une cinquantaine"
        assert not [t for t in turn.texts if "remplace" in t]
    finally:
        await tg.stop()


async def test_both_type_the_same_option_number_one_tick(tmp_path):
    """A typed number chooses: "3" from both managers ticks 3 once, never unticks it."""
    tg, alice, bob = await _team(tmp_path)
    try:
        await alice.send("3")
        assert _stored(tg, KEY) == ["voisins"]
        await bob.send("3")  # Bob's screen shows no tick: he means "voisins" too
        assert _stored(tg, KEY) == ["voisins"]
        await alice.send("3")  # typed again: still chosen (unticking is a tap on ✅)
        assert _stored(tg, KEY) == ["voisins"]
    finally:
        await tg.stop()


async def test_a_question_a_teammate_made_irrelevant_takes_nothing_and_says_so(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    try:
        await skip_to(alice, "espaces.effet")
        await alice.tap("1.")  # positif: alice is asked what improved
        assert current_key_of(alice) == "espaces.ameliorations"
        await skip_to(bob, "espaces.effet")
        await bob.tap("3.")  # négatif: the improvements are no longer asked
        turn = await alice.tap("2.")
        assert turn.call("answerCallbackQuery").params["text"] == texts.NO_LONGER_ASKED
        assert _stored(tg, "espaces.ameliorations") is None
        assert current_key_of(alice) != "espaces.ameliorations"
    finally:
        await tg.stop()


async def test_a_choice_that_replaces_a_teammates_newer_one_says_so(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    try:
        await skip_to(alice, "egalite.equipe")
        await skip_to(bob, "egalite.equipe")
        bob_screen = bob.last_keyboard()  # nothing chosen on it
        await alice.tap("1.")  # plus de femmes
        turn = await bob.tap("3.", bob_screen)  # plus d'hommes, not knowing
        assert _stored(tg, "egalite.equipe") == "plus_hommes"
        label = default_grid().question("egalite.equipe").option("plus_femmes").label
        assert texts.OVERWROTE.format(value=label) in turn.texts
    finally:
        await tg.stop()


async def test_erasing_on_a_stale_screen_never_erases_a_teammates_newer_answer(tmp_path):
    tg, alice, bob = await _team(tmp_path)
    key = "capacite_agir.nombre_projets"
    try:
        await skip_to(alice, key)
        await alice.send("une dizaine par an")
        await skip_to(bob, key)
        bob_screen = bob.last_keyboard()  # shows « une dizaine par an »
        await alice.tap("⬅️ Retour")
        await alice.send("une quarantaine")
        turn = await bob.tap("🗑", bob_screen)  # meant to erase what he saw
        assert _stored(tg, key) == "une quarantaine"
        assert turn.call("answerCallbackQuery").params["text"] == texts.REDRAWN
        assert "une quarantaine" in bob.message(bob_screen["message_id"])["text"]
        await bob.tap("🗑")  # on the redrawn screen: erased
        assert _stored(tg, key) is None
    finally:
        await tg.stop()
