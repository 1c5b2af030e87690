"""Starting a year from the place's previous answers: the offer (once), accepting it (every
question shows last year's answer selected, one tap keeps it), declining it, and what the
database holds. Campaign 2026 is opened through the bot; earlier years are seeded."""

from __future__ import annotations

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import storage
from bot.telegram import broadcast, texts
from questionnaire.grid import default_grid
from storage.invitations import create_invitation
from storage.prefill import carry_over
from storage.roles import COORDINATEUR
from tests.telegram_fakes import (
    ADMIN_ID,
    Chat,
    FakeTelegram,
    current_key,
    invitation_token,
    manager,
    seed_response,
)

PARIS = ZoneInfo("Europe/Paris")
COORD = 500

LAST_YEAR = {
    "lien_social.publics": ["voisins", "benevoles"],
    "lien_social.publics.autre": ["Les associations du quartier"],
    "lien_social.contextes": ["evenements"],
    "lien_social.frequence": ["hebdomadaire"],
    "lien_social.commentaire": "Un lieu vivant",
    "sante.effets": ["disparu"],  # an option the grid no longer has: nothing left
    "insertion.beneficiaires": 15,
    "insertion.resultats": ["confiance", "disparu"],  # one option kept, one gone
    "capacite_agir.porteurs": "benevoles",
    "lien_social.ancienne": "une question retirée de la grille",
    "reseau.nature": None,  # skipped last year
}
CARRIED = {
    "lien_social.publics": ["voisins", "benevoles"],
    "lien_social.publics.autre": ["Les associations du quartier"],
    "lien_social.contextes": ["evenements"],
    "lien_social.frequence": ["hebdomadaire"],
    "lien_social.commentaire": "Un lieu vivant",
    "insertion.beneficiaires": 15,
    "insertion.resultats": ["confiance"],
    "capacite_agir.porteurs": "benevoles",
}


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    fake.app.bot_data[broadcast.CLOCK] = lambda: datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    yield fake
    await fake.stop()


async def open_campaign(tg) -> Chat:
    coordinator = tg.chat(COORD, "Chloé")
    await coordinator.send(f"/start {create_invitation(tg.db, COORDINATEUR, None, ADMIN_ID)}")
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")
    return coordinator


def response_2026(tg, place_name: str = "La Tréso") -> storage.Response:
    return storage.find_response(tg.db, storage.find_place(tg.db, place_name).id, 2026)


def selected(chat: Chat) -> list[str]:
    return [label for label in chat.labels(chat.last_keyboard()) if label.startswith("✅")]


def test_carry_over_keeps_what_still_fits_the_grid():
    assert carry_over(default_grid(), LAST_YEAR) == CARRIED


async def test_accepted_every_question_shows_last_years_answer_and_one_tap_keeps_it(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    last = seed_response(tg.db, "La Tréso", 2025, LAST_YEAR)
    last_answers = storage.load_answers(tg.db, last.id)
    await open_campaign(tg)

    turn = await alice.tap("Commencer")
    assert turn.text == texts.PREFILL_OFFER.format(place="La Tréso", source_year=2025)
    assert alice.labels(alice.last_keyboard()) == [
        "Repartir des réponses de 2025", "Partir d’une fiche vierge"]
    assert storage.load_answers(tg.db, response_2026(tg).id) == {}  # nothing before the choice

    turn = await alice.tap("Repartir des réponses de 2025")
    assert turn.texts[0] == texts.PREFILLED.format(year=2025)
    response = response_2026(tg)
    assert storage.load_answers(tg.db, response.id) == CARRIED  # copied in one go
    row = tg.db.execute("SELECT prefill_from, prefill_decided_at, grid_version FROM responses"
                        " WHERE id = ?", [response.id]).fetchone()
    assert row[0] == last.id and row[1] is not None and row[2] == default_grid().version

    # multi: last year's options ticked, its typed extra listed; "Valider" keeps them
    assert current_key(alice) == "lien_social.publics"
    assert selected(alice) == ["✅ 3. voisin·e·s du quartier", "✅ 8. bénévoles"]
    assert "Les associations du quartier" in alice.last_keyboard()["text"]
    await alice.tap("✔️ Valider")
    assert current_key(alice) == "lien_social.contextes"
    assert [label.split(". ")[0] for label in selected(alice)] == ["✅ 2"]
    await alice.tap("✔️ Valider")
    assert [label.split(". ")[0] for label in selected(alice)] == ["✅ 2"]  # hebdomadaire
    await alice.tap("✔️ Valider")

    # typed: the answer is shown and "Garder" keeps it
    assert current_key(alice) == "lien_social.commentaire"
    question = alice.last_keyboard()
    assert "Un lieu vivant" in question["text"]
    await alice.tap("Garder «\u202fUn lieu vivant\u202f»")

    # an answer that no longer fits is simply not there
    assert current_key(alice) == "sante.effets" and selected(alice) == []
    await alice.tap("Passer")
    await alice.tap("Passer")  # sante.commentaire
    assert current_key(alice) == "insertion.beneficiaires"
    assert "Garder «\u202f15" in " ".join(alice.labels(alice.last_keyboard()))
    await alice.tap("Garder")
    assert current_key(alice) == "insertion.resultats"
    assert [label.split(". ")[0] for label in selected(alice)] == ["✅ 5"]
    await alice.tap("✔️ Valider")
    await alice.tap("Passer")  # insertion.commentaire
    await alice.tap("Passer")  # capacite_agir.nombre_projets (nothing last year)

    # single: last year's choice ticked; tapping it again keeps it
    assert current_key(alice) == "capacite_agir.porteurs"
    assert [label.split(". ")[0] for label in selected(alice)] == ["✅ 2"]
    await alice.tap("✅ 2.")

    answers = storage.load_answers(tg.db, response.id)
    assert {key: answers.get(key) for key in CARRIED} == CARRIED  # kept, one tap each
    assert "lien_social.ancienne" not in answers
    assert storage.load_answers(tg.db, last.id) == last_answers
    assert storage.get_response(tg.db, last.id).submitted  # last year is untouched


async def test_declined_starts_blank_and_the_offer_is_not_made_again(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    seed_response(tg.db, "La Tréso", 2025, LAST_YEAR)
    await open_campaign(tg)
    await alice.tap("Commencer")
    offer = copy.deepcopy(alice.last_keyboard())

    turn = await alice.tap("Partir d’une fiche vierge")
    assert turn.texts[0] == texts.PREFILL_BLANK
    assert current_key(alice) == "lien_social.publics" and selected(alice) == []
    response = response_2026(tg)
    assert storage.load_answers(tg.db, response.id) == {}
    row = tg.db.execute("SELECT prefill_from, prefill_decided_at FROM responses WHERE id = ?",
                        [response.id]).fetchone()
    assert row[0] is None and row[1] is not None

    # the choice is made once: no new offer, and the old offer's buttons copy nothing
    assert texts.PREFILL_YES.format(year=2025) not in (await alice.send("/reprendre")).text
    turn = await alice.press(alice.find_button("Repartir", offer)["callback_data"], offer)
    assert texts.PREFILLED.format(year=2025) not in turn.texts
    assert storage.load_answers(tg.db, response.id) == {}
    assert current_key(alice) == "lien_social.publics"


async def test_accepted_twice_copies_once(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    awa = await manager(tg, 1003, "Awa", "La Tréso")  # a second manager of the place
    seed_response(tg.db, "La Tréso", 2025, LAST_YEAR)
    await open_campaign(tg)
    await alice.tap("Commencer")
    await awa.tap("Commencer")
    offer = copy.deepcopy(alice.last_keyboard())
    await alice.tap("Repartir des réponses de 2025")
    await alice.tap("1.")  # changes last year's selection
    changed = storage.load_answers(tg.db, response_2026(tg).id)
    assert changed["lien_social.publics"] == ["grand_public", "voisins", "benevoles"]

    # Awa's offer, and Alice's old one: too late, nothing is copied over her change
    turn = await awa.tap("Partir d’une fiche vierge")
    assert texts.PREFILL_BLANK not in turn.texts
    assert turn.texts[0] == texts.PREFILL_GONE  # she is told why it is not blank
    await alice.press(alice.find_button("Repartir", offer)["callback_data"], offer)
    assert storage.load_answers(tg.db, response_2026(tg).id) == changed


async def test_the_offer_comes_with_the_invitation_link(tg):
    seed_response(tg.db, "La Tréso", 2025, LAST_YEAR)
    await open_campaign(tg)
    token = await invitation_token(tg, "La Tréso")
    bea = tg.chat(1005, "Béa")
    turn = await bea.send(f"/start {token}")
    assert "Bonjour" in turn.text and texts.PREFILL_OFFER.format(
        place="La Tréso", source_year=2025) in turn.text
    await bea.tap("Repartir des réponses de 2025")
    assert storage.load_answers(tg.db, response_2026(tg).id) == CARRIED


async def test_the_latest_sent_response_is_preferred(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    seed_response(tg.db, "La Tréso", 2023, {"insertion.beneficiaires": 3})
    seed_response(tg.db, "La Tréso", 2024, {"insertion.beneficiaires": 4})
    seed_response(tg.db, "La Tréso", 2025, {"insertion.beneficiaires": 5}, submit=False)
    await open_campaign(tg)
    turn = await alice.tap("Commencer")
    assert "a envoyé sa fiche 2024" in turn.text
    await alice.tap("Repartir des réponses de 2024")
    assert storage.load_answers(tg.db, response_2026(tg).id) == {"insertion.beneficiaires": 4}


async def test_a_draft_never_sent_is_never_offered(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    seed_response(tg.db, "La Tréso", 2025, {"insertion.beneficiaires": 5}, submit=False)
    await open_campaign(tg)
    turn = await alice.tap("Commencer")
    assert "2025" not in turn.text and "a envoyé sa fiche" not in turn.text
    assert current_key(alice) == "lien_social.publics"


def test_carry_over_follows_the_map_of_grid_versions(tmp_path):
    from tests.grid_versions_fixture import catalog_2026

    catalog = catalog_2026(tmp_path)
    carried = carry_over(catalog.grid("2026.1"), {
        "lien_social.frequence": ["quotidien", "ponctuel"],
        "sante.commentaire": "Moins de solitude.",
        "inclusion.commentaire": "Retirée en 2026.",
    }, "2025.1", catalog)
    assert carried == {"lien_social.rythme": ["chaque_jour"],
                       "insertion.commentaire_sante": "Moins de solitude."}


async def test_no_offer_without_earlier_answers(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    seed_response(tg.db, "La Tréso", 2025, {}, submit=False)  # opened last year, never answered
    seed_response(tg.db, "Le WIP", 2025, LAST_YEAR)  # another place's answers are not offered
    await open_campaign(tg)
    turn = await alice.tap("Commencer")
    assert "a envoyé sa fiche" not in turn.text
    assert current_key(alice) == "lien_social.publics" and selected(alice) == []


async def test_a_forged_button_cannot_copy_another_places_answers(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    seed_response(tg.db, "La Tréso", 2025, {"insertion.beneficiaires": 5})
    other = seed_response(tg.db, "Le WIP", 2025, LAST_YEAR)
    await open_campaign(tg)
    await alice.tap("Commencer")
    offer = alice.last_keyboard()
    own = response_2026(tg)
    await alice.press(f"pf:{own.id}:{other.id}", offer)
    assert storage.load_answers(tg.db, own.id) == {}
    row = tg.db.execute("SELECT prefill_decided_at FROM responses WHERE id = ?",
                        [own.id]).fetchone()
    assert row[0] is None  # still undecided: the real offer still stands
    await alice.send("/reprendre")
    await alice.tap("Repartir des réponses de 2025")
    assert storage.load_answers(tg.db, own.id) == {"insertion.beneficiaires": 5}


async def test_a_button_of_an_older_message_gets_the_offer_first(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")  # shown a question before
    old_question = copy.deepcopy(alice.last_keyboard())
    seed_response(tg.db, "La Tréso", 2025, LAST_YEAR)
    await open_campaign(tg)
    turn = await alice.tap("1.", old_question)
    assert texts.PREFILL_OFFER.format(place="La Tréso", source_year=2025) in turn.texts
    assert storage.load_answers(tg.db, response_2026(tg).id) == {}  # the tap waits
    await alice.tap("Repartir des réponses de 2025")
    assert storage.load_answers(tg.db, response_2026(tg).id) == CARRIED
