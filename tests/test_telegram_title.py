"""The fiche's title through the bot: shown when a place is added, corrected by a
coordinator (a button with the possible forms, or /lieu_titre … = …), used by the fiche."""

from __future__ import annotations

import pytest

import storage
from bot.telegram import callbacks, texts
from storage.roles import COORDINATEUR
from tests.telegram_fakes import ADMIN_ID, FakeTelegram

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


async def test_adding_a_place_shows_its_title_and_a_button_corrects_it(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    turn = await admin.send("/lieu_ajouter Le Hangar")
    assert turn.texts[-1] == f"La fiche s’intitulera «{NNBSP}EFFETS SOCIAUX ET URBAINS DU " \
                             f"HANGAR{NNBSP}»."
    assert admin.labels(admin.last_keyboard()) == [texts.TITLE_FIX]

    await admin.send("/lieu_ajouter Hub Créatif")  # an h the rule cannot know
    assert "DE HUB CRÉATIF" in admin.bot_messages()[-1]["text"]
    turn = await admin.tap(texts.TITLE_FIX)
    choices = admin.last_keyboard()
    assert admin.labels(choices)[:4] == [
        "EFFETS SOCIAUX ET URBAINS DE HUB CRÉATIF", "EFFETS SOCIAUX ET URBAINS D’HUB CRÉATIF",
        "EFFETS SOCIAUX ET URBAINS DE L’HUB CRÉATIF", "EFFETS SOCIAUX ET URBAINS DU HUB CRÉATIF"]
    assert "/lieu_titre Hub Créatif = DU HUB CRÉATIF" in turn.texts[-1]
    turn = await admin.tap("EFFETS SOCIAUX ET URBAINS DU HUB CRÉATIF", choices)
    place = storage.find_place(tg.db, "Hub Créatif")
    assert place.title_form == "DU HUB CRÉATIF"
    assert turn.texts[-1] == (f"C’est noté{NBSP}: la fiche de <b>Hub Créatif</b> "
                              f"s’intitulera «{NNBSP}EFFETS SOCIAUX ET URBAINS DU HUB "
                              f"CRÉATIF{NNBSP}».")
    assert admin.labels(admin.message(choices["message_id"])) == []  # buttons gone

    # the rule's own form (the first) puts the title back to the rule
    await admin.send("/lieu_titre hub créatif")
    await admin.tap("EFFETS SOCIAUX ET URBAINS DE HUB CRÉATIF")
    assert storage.find_place(tg.db, "Hub Créatif").title_form is None


async def test_lieu_titre_typed_form_usage_and_unknown_place(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/lieu_ajouter Hackerspace Lillois")
    turn = await admin.send("/lieu_titre Hackerspace Lillois = du hackerspace lillois")
    assert storage.find_place(tg.db, "Hackerspace Lillois").title_form == \
        "DU HACKERSPACE LILLOIS"
    assert "EFFETS SOCIAUX ET URBAINS DU HACKERSPACE LILLOIS" in turn.texts[-1]
    assert (await admin.send("/lieu_titre")).texts == [texts.TITLE_USAGE]
    assert (await admin.send("/lieu_titre Nulle Part = DE NULLE PART")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]
    stranger = tg.chat(2002, "Bob")
    assert (await stranger.send("/lieu_titre Hackerspace Lillois = DE X")).texts == [
        texts.role_needed(frozenset({COORDINATEUR}))]
    assert storage.find_place(tg.db, "Hackerspace Lillois").title_form == \
        "DU HACKERSPACE LILLOIS"


async def test_a_button_for_a_removed_place_or_garbled_data_is_stale(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/lieu_ajouter Le Hangar")
    place = storage.find_place(tg.db, "Le Hangar")
    storage.remove_place(tg.db, place.id)
    turn = await admin.tap(texts.TITLE_FIX)
    assert turn.texts == [texts.TITLE_STALE]
    assert (await admin.press("tf:1:x")).texts == [texts.TITLE_STALE]
    assert (await admin.press(callbacks.title_form(place.id, 9))).texts == [texts.TITLE_STALE]
    assert storage.get_place(tg.db, place.id).title_form is None


async def test_the_fiche_uses_the_corrected_title(tg):
    from bot.telegram.fiches import fiche_messages
    from questionnaire.grid import default_grid

    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/lieu_ajouter Hub Créatif")
    await admin.send("/lieu_titre Hub Créatif = DU HUB CRÉATIF")
    place = storage.find_place(tg.db, "Hub Créatif")
    messages = fiche_messages(default_grid(), {}, place.name, 2026,
                              title_form=place.title_form,
                              sent_at="2026-06-30T08:00:00+00:00")
    assert messages[0].startswith("<b>EFFETS SOCIAUX ET URBAINS DU HUB CRÉATIF</b>\n"
                                  f"Année 2026\nFiche envoyée le 30{NBSP}juin{NBSP}2026")


async def test_the_typed_example_uses_the_name_without_its_article(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/lieu_ajouter La Tréso")
    turn = await admin.send("/lieu_titre La Tréso")
    assert "<code>/lieu_titre La Tréso = DU TRÉSO</code>" in turn.texts[-1]
    assert admin.labels(admin.last_keyboard())[0] == "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO"


async def test_lieu_titre_finds_a_place_by_any_spelling(tg):
    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/lieu_ajouter La Tréso")
    await admin.send("/lieu_ajouter Le Hangar")
    await admin.send("/lieu_ajouter Le Hangar Sud")
    turn = await admin.send("/lieu_titre treso = DE LA TRÉSO")
    assert storage.find_place(tg.db, "La Tréso").title_form == "DE LA TRÉSO"
    assert "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in turn.texts[-1]
    turn = await admin.send("/lieu_titre hang")  # two places: one button each
    assert admin.labels(admin.last_keyboard()) == ["Le Hangar", "Le Hangar Sud"]
    await admin.tap("Le Hangar Sud")
    assert admin.labels(admin.last_keyboard())[0] == "EFFETS SOCIAUX ET URBAINS DU HANGAR SUD"
