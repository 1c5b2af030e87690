"""The interview in a Telegram chat, end to end in process (real PTB, fake Bot API)."""

import copy
import gc

import pytest

import storage
from bot.telegram import texts
from interview import current_year_for
from questionnaire import messages
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, current_key, manager, skip_to

YEAR = current_year_for()


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


def answers(tg, place="La Tréso"):
    place_row = storage.find_place(tg.db, place)
    response = storage.find_response(tg.db, place_row.id, YEAR)
    return storage.load_answers(tg.db, response.id) if response else {}


def response_of(tg, place="La Tréso"):
    return storage.find_response(tg.db, storage.find_place(tg.db, place).id, YEAR)


# --- Starting -----------------------------------------------------------------------------

async def test_first_question_after_the_invitation(tg):
    alice = await manager(tg)
    first = alice.last_keyboard()
    assert first["text"].startswith("<b>LIEN SOCIAL · 1/12</b>\n"
                                    "Entre quels publics avez-vous observé")
    assert "1. visiteur·euse·s grand public" in first["text"]
    labels = alice.labels(first)
    assert labels[0] == "1. visiteur·euse·s grand public"
    assert labels[-3:] == ["✏️ Autre…", "✔️ Valider", "Passer"]
    assert "⬅️ Retour" not in labels  # the first question


async def test_start_again_resumes_where_one_was(tg):
    alice = await manager(tg)
    await alice.tap("Passer")
    turn = await alice.send("/start")
    assert turn.texts[0] == texts.WELCOME_BACK.format(place="La Tréso", year=YEAR)
    assert "Dans quels contextes" in turn.texts[1]


async def test_at_start_what_lives_as_long_as_the_bot_is_out_of_the_collectors_reach(tg):
    gc.unfreeze()
    await tg.app.post_init(tg.app)
    # the application's own objects are among them: a full collection no longer walks them
    assert gc.get_freeze_count() > 10_000
    assert not gc.is_tracked(tg.app) or tg.app not in gc.get_objects(generation=2)


async def test_commands_menu_is_set_in_french(tg):
    tg.request.calls.clear()
    await manager(tg)  # opening the link sets the manager's own menu
    await tg.app.post_init(tg.app)
    calls = [c for c in tg.request.calls if c.method == "setMyCommands"]
    default = next(c for c in calls if not c.params.get("scope"))
    commands = {c["command"]: c["description"] for c in default.params["commands"]}
    assert commands["aide"] == "Comment ça marche"
    assert set(commands) == {"start", "aide", "mes_donnees", "oublier"}

    def menu_of(person_id):
        call = next(c for c in calls if c.params.get("scope")
                    and c.params["scope"].get("chat_id") == person_id)
        return {c["command"]: c["description"] for c in call.params["commands"]}

    managing = menu_of(1001)
    assert managing["reprendre"] == "Revoir la question en cours"
    assert {"reprendre", "apercu", "modifier", "envoyer"} <= set(managing)
    assert "campagne_lancer" not in managing
    assert "campagne_lancer" in menu_of(ADMIN_ID)


# --- Question types -----------------------------------------------------------------------

async def test_multi_toggles_edit_the_same_message(tg):
    alice = await manager(tg)
    message_id = alice.last_keyboard()["message_id"]
    turn = await alice.tap("2.")
    assert turn.methods == ["answerCallbackQuery", "editMessageText"]
    assert turn.call("editMessageText").params["message_id"] == message_id
    assert "✅ 2. acteur·rice·s du quartier" in turn.texts[0]
    assert "✅ 2. acteur·rice·s du quartier" in alice.labels(alice.message(message_id))
    await alice.tap("8.")
    turn = await alice.tap("✅ 2.")  # untick
    assert turn.call("editMessageText").params["message_id"] == message_id
    assert answers(tg) == {"lien_social.publics": ["benevoles"]}
    assert "2. acteur·rice·s du quartier" in alice.labels(alice.message(message_id))

    turn = await alice.tap("✔️ Valider")
    closed = alice.message(message_id)
    assert "reply_markup" not in closed
    assert closed["text"].endswith("→ bénévoles")
    assert turn.sent[-1].params["text"].startswith("<b>LIEN SOCIAL · 1/12</b>\nDans quels")
    assert turn.sent[-1].buttons  # the next question is a new message with buttons
    assert current_key(alice) == "lien_social.contextes"


async def test_other_extra_is_typed_shown_and_removed(tg):
    alice = await manager(tg)
    message_id = alice.last_keyboard()["message_id"]
    turn = await alice.tap("✏️ Autre…")
    assert turn.call("editMessageText").params["message_id"] == message_id
    assert messages.HINT_OTHER in turn.texts[0]
    assert alice.labels(alice.message(message_id)) == ["⬅️ Retour"]

    turn = await alice.send("les enfants <du centre>")
    assert answers(tg) == {"lien_social.publics.autre": ["les enfants <du centre>"]}
    assert "✅ Autre\u00a0: les enfants &lt;du centre&gt;" in turn.texts[-1]
    assert "🗑 Retirer «\u202fles enfants <du…\u202f»" in alice.labels(alice.last_keyboard())

    await alice.tap("✏️ Autre…")
    turn = await alice.send("Les enfants <du centre>")
    assert turn.texts == [messages.OTHER_DUPLICATE.format(text="Les enfants &lt;du centre&gt;")]
    await alice.tap("⬅️ Retour")  # leave typing without adding
    assert current_key(alice) == "lien_social.publics"

    await alice.tap("🗑 Retirer")
    assert answers(tg) == {}
    assert "Autre\u00a0:" not in alice.last_keyboard()["text"]


async def test_removing_an_extra_twice_cannot_remove_the_next_one(tg):
    alice = await manager(tg)
    for extra in ("un", "deux"):
        await alice.tap("✏️ Autre…")
        await alice.send(extra)
    message = copy.deepcopy(alice.last_keyboard())
    await alice.tap("🗑 Retirer «\u202fun\u202f»", message)
    turn = await alice.tap("🗑 Retirer «\u202fun\u202f»", message)  # the same button, pressed again
    assert turn.notice == texts.STALE
    assert answers(tg) == {"lien_social.publics.autre": ["deux"]}


async def test_single_count_amount_comment(tg):
    alice = await manager(tg)
    await skip_to(alice, "insertion.beneficiaires")
    turn = await alice.send("beaucoup")
    assert turn.texts == [messages.COUNT_NOT_WHOLE]
    turn = await alice.send("environ 1 200")
    assert answers(tg) == {"insertion.beneficiaires": 1200}
    assert "Qu’ont permis ces actions" in turn.texts[-1]

    await skip_to(alice, "capacite_agir.nombre_projets")
    message_id = alice.last_keyboard()["message_id"]
    await alice.tap("une vingtaine par an")
    assert answers(tg)["capacite_agir.nombre_projets"] == "une vingtaine par an"
    assert alice.message(message_id)["text"].endswith("→ une vingtaine par an")

    message_id = alice.last_keyboard()["message_id"]  # porteurs: single
    turn = await alice.tap("1.")
    assert answers(tg)["capacite_agir.porteurs"] == "frequentants"
    assert alice.message(message_id)["text"].endswith("→ une ou des personnes fréquentant le lieu")
    assert "reply_markup" not in alice.message(message_id)

    assert current_key(alice) == "capacite_agir.commentaire"
    turn = await alice.send("x" * 2001)
    assert turn.texts == [messages.TEXT_TOO_LONG.format(length="2\u202f001", limit="2\u202f000")]
    assert "capacite_agir.commentaire" not in answers(tg)
    await alice.send("<b>Un</b> *atelier* & un marché")
    assert answers(tg)["capacite_agir.commentaire"] == "<b>Un</b> *atelier* & un marché"
    turn = await alice.tap("⬅️ Retour")  # shown as typed, not interpreted
    assert ("Réponse actuelle\u00a0: <i>&lt;b&gt;Un&lt;/b&gt; *atelier* &amp; un marché</i>"
            in turn.texts[-1])


async def test_a_command_is_not_taken_for_a_typed_answer(tg):
    alice = await manager(tg)
    await skip_to(alice, "insertion.beneficiaires")  # a count: typed
    assert (await alice.send("/inconnue")).texts == [texts.UNKNOWN_COMMAND]
    turn = await alice.send("/reprendre")  # the question again, nothing stored
    assert turn.texts[-1] == alice.last_keyboard()["text"]
    assert current_key(alice) == "insertion.beneficiaires"
    assert "insertion.beneficiaires" not in answers(tg)
    await alice.send("12")
    assert answers(tg)["insertion.beneficiaires"] == 12


async def test_typed_amount(tg):
    alice = await manager(tg)
    await skip_to(alice, "capacite_agir.nombre_projets")
    turn = await alice.send("x" * 81)
    assert turn.texts == [messages.TEXT_TOO_LONG.format(length=81, limit=80)]
    await alice.send("2")  # amounts are typed as is: "2" is not suggestion n° 2
    assert answers(tg) == {"capacite_agir.nombre_projets": "2"}
    assert current_key(alice) == "capacite_agir.porteurs"


async def test_typing_the_number_of_an_option(tg):
    alice = await manager(tg)
    turn = await alice.send("2")
    assert answers(tg) == {"lien_social.publics": ["acteurs_quartier"]}
    assert "✅ 2. acteur·rice·s du quartier" in turn.texts[-1]
    turn = await alice.send("9")
    assert turn.texts[0] == texts.NUMBER_OUT_OF_RANGE.format(number=9, count=8)
    turn = await alice.send("les voisins")
    assert turn.texts[0] == texts.TAP_EXPECTED
    assert turn.sent[-1].buttons  # the question again, buttons at hand
    assert answers(tg) == {"lien_social.publics": ["acteurs_quartier"]}


async def test_skip_back_and_keep(tg):
    alice = await manager(tg)
    await skip_to(alice, "insertion.beneficiaires")
    await alice.send("15")
    turn = await alice.tap("⬅️ Retour")
    assert "Combien de personnes" in turn.texts[-1]
    assert texts.CURRENT_ANSWER.format(value="15\u00a0personnes") in turn.texts[-1]
    message_id = alice.last_keyboard()["message_id"]
    turn = await alice.tap("Garder")
    assert alice.message(message_id)["text"].endswith("→ 15\u00a0personnes")
    assert current_key(alice) == "insertion.resultats"
    assert answers(tg) == {"insertion.beneficiaires": 15}

    message_id = alice.last_keyboard()["message_id"]
    await alice.tap("Passer")
    assert alice.message(message_id)["text"].endswith(texts.CHOSEN_SKIPPED)
    assert "reply_markup" not in alice.message(message_id)


async def test_moving_on_keeps_an_answer_and_only_erase_removes_it(tg):
    alice = await manager(tg)
    await alice.tap("1.")
    await alice.tap("✔️ Valider")
    await alice.tap("⬅️ Retour")
    assert "Passer" not in alice.labels(alice.last_keyboard())  # answered: "Suivant"
    await alice.tap("Suivant")
    assert answers(tg) == {"lien_social.publics": ["grand_public"]}
    assert current_key(alice) == "lien_social.contextes"
    await alice.tap("⬅️ Retour")
    await alice.tap("🗑 Effacer ma réponse")
    assert answers(tg) == {}
    assert current_key(alice) == "lien_social.publics"
    labels = alice.labels(alice.last_keyboard())
    assert "Passer" in labels and "Suivant" not in labels and "🗑 Effacer ma réponse" not in labels


# --- Stale buttons and duplicates ---------------------------------------------------------

async def test_button_of_an_old_message_is_stale(tg):
    alice = await manager(tg)
    old = copy.deepcopy(alice.last_keyboard())  # as a slow phone still shows it
    await alice.tap("3.")
    await alice.tap("✔️ Valider")
    before = answers(tg)
    turn = await alice.tap("1.", old)
    assert turn.notice == texts.STALE
    assert answers(tg) == before == {"lien_social.publics": ["voisins"]}
    assert "Dans quels contextes" in turn.sent[-1].params["text"]
    assert current_key(alice) == "lien_social.contextes"


async def test_garbled_callback_data_is_stale(tg):
    alice = await manager(tg)
    for data in ("n'importe quoi", "t:lien_social.publics:inconnue", "j:nulle_part", "send"):
        turn = await alice.press(data)
        assert turn.notice in (texts.STALE, messages.UNKNOWN_OPTION), data
    assert answers(tg) == {}
    assert current_key(alice) == "lien_social.publics"


async def test_the_same_update_twice_is_applied_once(tg):
    alice = await manager(tg)
    turn = await alice.tap("2.")
    again = await tg.process(turn.update)
    assert again.calls == []
    assert answers(tg) == {"lien_social.publics": ["acteurs_quartier"]}  # not toggled back

    await skip_to(alice, "insertion.beneficiaires")
    turn = await alice.send("15")
    again = await tg.process(turn.update)
    assert again.calls == []
    assert current_key(alice) == "insertion.resultats"

    turn = await alice.send("/aide")
    assert (await tg.process(turn.update)).calls == []


# --- Bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "video", "document", "location"])
async def test_only_text_is_read(tg, kind):
    alice = await manager(tg)
    turn = await alice.send_media(kind)
    assert turn.texts == [texts.NOT_TEXT]
    assert answers(tg) == {}


async def test_edited_messages_are_not_taken_into_account(tg):
    alice = await manager(tg)
    await skip_to(alice, "insertion.beneficiaires")
    sent = await alice.send("15")
    turn = await alice.edit(sent.update["message"]["message_id"], "16")
    assert turn.texts == [texts.EDITED]
    assert answers(tg) == {"insertion.beneficiaires": 15}


async def test_a_stranger_is_told_how_to_get_an_invitation(tg):
    bob = tg.chat(2002, "Bob")
    # /start also gives someone with no role their Telegram id, for the administrator
    turn = await bob.send("/start")
    assert turn.texts == [texts.NO_PLACE + texts.YOUR_ID.format(telegram_id=2002)]
    assert turn.texts[0].endswith(
        "\n\nVotre identifiant Telegram\u00a0: 2002 (à donner à l’administrateur)")
    for action in (bob.send("bonjour"), bob.send("/reprendre"),
                   bob.send("/apercu"), bob.send_media("photo")):
        turn = await action
        assert turn.texts == [texts.NO_PLACE]
    alice = await manager(tg)
    turn = await bob.press("t:lien_social.publics:voisins", alice.last_keyboard())
    assert turn.texts == [texts.NO_PLACE]
    assert answers(tg) == {}


async def test_group_chat(tg):
    group = tg.chat(1001, "Alice", chat_id=-100123, chat_type="supergroup")
    turn = await group.send("/start")
    assert turn.texts == [texts.GROUP.format(bot="fichebot_test_bot")]
    turn = await group.send("bonjour tout le monde")
    assert turn.calls == []


async def test_unknown_command_and_help(tg):
    alice = await manager(tg)
    assert (await alice.send("/inconnue")).texts == [texts.UNKNOWN_COMMAND]
    assert (await alice.send("/aide")).texts == [texts.HELP + texts.HELP_PRIVACY]
    admin = tg.chat(ADMIN_ID, "Admin")
    assert (await admin.send("/aide")).texts == [
        texts.HELP + texts.HELP_COORDINATOR + texts.HELP_RECIPIENT + texts.HELP_PRIVACY]


# --- Review, edit, submit -----------------------------------------------------------------

async def walk_to_review(alice):
    for _ in range(60):
        keyboard = alice.last_keyboard()
        if "📨 Envoyer" in alice.labels(keyboard):
            return keyboard
        await alice.tap("Passer")
    raise AssertionError("no review")


async def test_review_edit_a_section_and_submit(tg):
    alice = await manager(tg)
    await alice.tap("1.")
    await alice.tap("✔️ Valider")
    review = await walk_to_review(alice)
    assert alice.labels(review) == ["📨 Envoyer", "✏️ Modifier une section"]
    fiche = [m["text"] for m in alice.bot_messages()[-4:]]
    assert any("EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in text for text in fiche)

    turn = await alice.tap("✏️ Modifier une section")
    assert turn.call("editMessageText").params["message_id"] == review["message_id"]
    menu = alice.message(review["message_id"])
    assert "1. Lien social — 1/4" in menu["text"]
    assert alice.labels(menu)[1] == "2. Santé (0/2)"

    turn = await alice.tap("2. Santé")
    assert alice.message(review["message_id"])["text"] == texts.SECTION_CHOSEN.format(
        title="Santé")
    assert turn.sent[-1].params["text"].startswith("<b>SANTÉ · 2/12</b>")
    await alice.tap("5.")  # stress
    await alice.tap("✔️ Valider")
    turn = await alice.send("Moins de conflits qu'avant")
    assert any("EFFETS SOCIAUX ET URBAINS" in text for text in turn.texts)
    assert "du stress ou des conflits" in turn.text
    review = alice.last_keyboard()
    assert "9\u00a0sections sur 11 n’ont aucune réponse" in review["text"]
    assert "📨 Envoyer" in alice.labels(review)

    # Nine sections unanswered: "Envoyer" asks to confirm, on the same message.
    turn = await alice.tap("📨 Envoyer")
    assert not response_of(tg).submitted
    confirm = alice.message(review["message_id"])
    assert "Envoyer quand même\u202f?" in confirm["text"]
    assert alice.labels(confirm) == ["📨 Envoyer quand même", "✏️ Modifier une section"]
    turn = await alice.tap("📨 Envoyer quand même")
    document = turn.call("sendDocument")
    filename, content = document.files["document"]
    assert filename == f"fiche-la-treso-{YEAR}.pdf"
    assert content.startswith(b"%PDF")
    assert texts.SENT.format(place="La Tréso", year=YEAR) in turn.texts
    assert any("EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in text for text in turn.texts)
    assert response_of(tg).submitted

    # Read-only now, until /modifier.
    turn = await alice.send("/reprendre")
    assert turn.texts == [texts.ALREADY_SENT.format(place="La Tréso", year=YEAR)]
    turn = await alice.send("bonjour")
    assert turn.texts == [texts.ALREADY_SENT.format(place="La Tréso", year=YEAR)]
    turn = await alice.tap("✏️ Modifier une section", review)
    assert turn.notice == texts.ALREADY_SENT_SHORT
    assert response_of(tg).submitted

    turn = await alice.send("/modifier")
    assert turn.texts[0] == texts.REOPENED
    assert turn.texts[1].startswith(texts.SECTIONS)
    assert not response_of(tg).submitted
    assert answers(tg)["sante.effets"] == ["stress"]


async def test_envoyer_and_apercu_commands(tg):
    alice = await manager(tg)
    await alice.tap("1.")
    turn = await alice.send("/apercu")
    assert "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in turn.text
    assert "visiteur·euse·s grand public" in turn.text
    assert turn.texts[-1] == texts.PREVIEW_FOOTER
    assert current_key(alice) == "lien_social.publics"  # nothing moved

    turn = await alice.send("/envoyer")
    assert "📨 Envoyer" in alice.labels(alice.last_keyboard())
    assert "▶️ Continuer le questionnaire" in alice.labels(alice.last_keyboard())
    turn = await alice.send("du texte")
    assert turn.texts[0] == texts.BUTTONS_EXPECTED
    turn = await alice.tap("▶️ Continuer le questionnaire")  # where she had got to
    assert "✅ 1. visiteur·euse·s grand public" in turn.texts[-1]
    assert current_key(alice) == "lien_social.publics"


async def test_reprendre_after_a_restart(tmp_path):
    path = tmp_path / "fichebot.db"
    tg = await FakeTelegram(path, admin_ids={ADMIN_ID}).start()
    alice = await manager(tg)
    await alice.tap("4.")
    await alice.tap("✔️ Valider")
    await alice.tap("2.")  # contextes: evenements, not validated yet
    await tg.stop()

    tg = await FakeTelegram(path, admin_ids={ADMIN_ID}, first_update_id=1000).start()
    alice = tg.chat(1001, "Alice")
    turn = await alice.send("/reprendre")
    assert turn.texts[0].startswith("<b>LIEN SOCIAL · 1/12</b>\nDans quels contextes")
    assert "✅ 2. lors d’évènements grand public" in turn.texts[0]
    assert answers(tg) == {"lien_social.publics": ["publics_difficulte"],
                           "lien_social.contextes": ["evenements"]}
    await tg.stop()


async def test_two_managers_of_one_place(tg):
    alice = await manager(tg)
    bob = await manager(tg, 1002, "Bob")
    await alice.tap("1.")
    await bob.tap("2.")  # Bob's keyboard is his own message, same question
    await bob.tap("✔️ Valider")
    assert answers(tg) == {"lien_social.publics": ["grand_public", "acteurs_quartier"]}
    assert current_key(bob) == "lien_social.contextes"
    assert current_key(alice) == "lien_social.publics"  # each has their own position
    turn = await alice.tap("✔️ Valider")
    assert turn.sent[-1].params["text"].startswith("<b>LIEN SOCIAL · 1/12</b>\nDans quels")
    place = storage.find_place(tg.db, "La Tréso")
    assert {p.telegram_id for p in storage.managers_of_place(tg.db, place.id)} == {1001, 1002}
