"""callback_data codec and message views: sizes, truncation, escaping, every question."""

import pytest

from bot.telegram import callbacks, texts, views
from bot.telegram.callbacks import STALE, Press, RemoveExtra
from questionnaire import engine
from questionnaire.engine import Position, build_prompt
from questionnaire.grid import default_grid

GRID = default_grid()


def all_callback_data():
    for question in GRID.questions():
        key = question.key
        yield from (callbacks.validate(key), callbacks.ask_other(key), callbacks.skip(key),
                    callbacks.keep(key), callbacks.back(key), callbacks.cancel_other(key),
                    callbacks.erase(key, "00af"),
                    callbacks.remove_extra(key, 999, "x" * 2000))
        for option in question.options:
            yield callbacks.tap(key, option.id)
        for index in range(len(question.suggestions)):
            yield callbacks.tap(key, str(index))
    for section in GRID.sections:
        yield callbacks.jump(section.id)
    yield from (callbacks.SECTIONS, callbacks.SECTIONS_BACK, callbacks.REVIEW, callbacks.RESUME,
                callbacks.SUBMIT, callbacks.SUBMIT_CONFIRMED)


def test_every_callback_data_fits_in_64_bytes_and_decodes():
    data = list(all_callback_data())
    assert len(data) > 200
    for item in data:
        assert len(item.encode()) <= callbacks.MAX_BYTES
        assert callbacks.decode(item) is not STALE, item


def test_too_long_data_is_refused_by_the_builders():
    with pytest.raises(AssertionError):
        callbacks.tap("lien_social.publics", "x" * 60)


@pytest.mark.parametrize(("data", "press"), [
    ("t:lien_social.publics:benevoles",
     Press(engine.Tap("lien_social.publics", "benevoles"), "question")),
    ("t:capacite_agir.nombre_projets:3",
     Press(engine.Tap("capacite_agir.nombre_projets", "3"), "question")),
    ("v:lien_social.publics", Press(engine.Validate("lien_social.publics"), "question")),
    ("o:lien_social.publics", Press(engine.AskOther("lien_social.publics"), "question")),
    ("s:sante.effets", Press(engine.Skip("sante.effets"), "question")),
    ("k:insertion.beneficiaires", Press(engine.Keep("insertion.beneficiaires"), "question")),
    ("b:sante.effets", Press(engine.Back("sante.effets"), "question")),
    ("c:sante.effets", Press(engine.Back("sante.effets"), "other")),
    ("x:sante.effets:2:00af", Press(RemoveExtra("sante.effets", 2, "00af"), "question")),
    ("e:sante.effets:00af", Press(engine.Erase("sante.effets", "00af"), "question")),
    ("e:sante.effets", Press(engine.Erase("sante.effets"), "question")),  # older messages
    ("m", Press(engine.OpenSections(), "review")),
    ("mb", Press(engine.Back(), "sections")),
    ("j:egalite", Press(engine.Jump("egalite"), "sections")),
    ("r", Press(engine.Review())),
    ("u", Press(engine.Resume(), "review")),
    ("send", Press(engine.Submit(), "review")),
    ("sendok", Press(engine.Submit(confirmed=True), "review")),
    ("e:sante.effets", Press(engine.Erase("sante.effets"), "question")),
])
def test_decode(data, press):
    assert callbacks.decode(data) == press


@pytest.mark.parametrize("data", [
    None, "", "t", "t:lien_social.publics", "t:lien_social.publics:", "t:LIEN.x:y",
    "v:nokey", "z:lien_social.publics", "x:sante.effets:a:00af", "x:sante.effets:1:zz",
    "j:", "sendx", "t:lien_social.publics:benevoles:extra", "é" * 40, "t:a.b:" + "c" * 80,
])
def test_garbled_data_is_stale(data):
    assert callbacks.decode(data) is STALE


def prompt_for(key, answers=None, mode="question"):
    return build_prompt(GRID, answers or {}, Position(mode, key, None, 0))


def test_question_message_lists_options_in_full_and_cuts_buttons():
    prompt = prompt_for("lien_social.contextes", {"lien_social.contextes": ["temps_rencontre"]})
    view = views.question_view(prompt)
    assert view.text.startswith("<b>LIEN SOCIAL · 1/12</b>\n")
    assert ("✅ 4. lors de temps spécifiques organisés pour favoriser les rencontres entre "
            "ces publics") in view.text
    labels = [b.text for row in view.markup.inline_keyboard for b in row]
    assert "✅ 4. lors de temps spécifiques…" in labels
    assert all(len(label) <= texts.BUTTON_MAX_CHARS for label in labels)
    option_rows = view.markup.inline_keyboard[:4]
    assert all(len(row) == 1 for row in option_rows)  # one option per row


def test_every_question_renders_within_limits():
    long_answers = {}
    for question in GRID.questions():
        if question.type == "multi":
            long_answers[question.key] = [o.id for o in question.options]
            long_answers[question.other_key] = [f"<b>{n}</b>" * 200 for n in range(30)]
        elif question.type == "single":
            long_answers[question.key] = question.options[0].id
        elif question.type == "count":
            long_answers[question.key] = 1_000_000
        else:
            long_answers[question.key] = "<" * question.text_limit
    for question in GRID.questions():
        for answers in ({}, long_answers):
            for mode in ("question", "other") if question.type == "multi" else ("question",):
                view = views.question_view(prompt_for(question.key, answers, mode))
                assert views.visible_length(view.text) <= views.MAX_MESSAGE
                for row in view.markup.inline_keyboard:
                    for button in row:
                        assert len(button.callback_data.encode()) <= 64


def test_user_text_is_escaped():
    answers = {"lien_social.publics.autre": ["<script>"], "lien_social.commentaire": "a & <b>"}
    view = views.question_view(prompt_for("lien_social.publics", answers))
    assert "✅ Autre\u00a0: &lt;script&gt;" in view.text
    view = views.question_view(prompt_for("lien_social.commentaire", answers))
    assert "Réponse actuelle\u00a0: <i>a &amp; &lt;b&gt;</i>" in view.text


def test_buttons_per_type():
    def labels(key, answers=None):
        view = views.question_view(prompt_for(key, answers))
        return [b.text for row in view.markup.inline_keyboard for b in row]

    assert labels("lien_social.publics")[-3:] == ["✏️ Autre…", "✔️ Valider", "Passer"]
    assert labels("lien_social.frequence")[-3:] == ["✔️ Valider", "⬅️ Retour", "Passer"]
    assert "✏️ Autre…" not in labels("lien_social.frequence")  # other: false in the grid
    assert labels("insertion.beneficiaires") == ["⬅️ Retour", "Passer"]
    assert labels("insertion.beneficiaires", {"insertion.beneficiaires": 15}) == [
        "Garder «\u202f15\u00a0personnes\u202f»", "🗑 Effacer ma réponse", "⬅️ Retour", "Suivant"]
    assert labels("lien_social.publics", {"lien_social.publics": ["voisins"]})[-4:] == [
        "✏️ Autre…", "✔️ Valider", "🗑 Effacer ma réponse", "Suivant"]
    assert labels("capacite_agir.nombre_projets")[:5] == [
        "1 ou 2 par an", "environ 5 par an", "une dizaine par an", "une vingtaine par an",
        "plus de 30 par an"]
    assert labels("synthese.intensite_individuels")[:2] == ["1. +", "2. ++"]


def test_closed_question_shows_the_answer():
    answers = {"lien_social.publics": ["grand_public", "benevoles"],
               "lien_social.publics.autre": ["les <enfants>"]}
    text = views.closed_question_text(GRID, GRID.question("lien_social.publics"), answers)
    assert text.endswith(
        "→ visiteur·euse·s grand public\u202f; bénévoles\u202f; les &lt;enfants&gt;")
    # the top of the message as it was while the question was asked
    shown = views.question_view(prompt_for("lien_social.publics", answers)).text
    assert text.split("\n\n")[0] == shown.split("\n\n")[0]
    text = views.closed_question_text(GRID, GRID.question("sante.effets"), {})
    assert text.endswith(texts.CHOSEN_SKIPPED)


def test_review_and_sections_views():
    prompt = build_prompt(GRID, {}, Position("review", None, None, 3))
    view = views.review_view(prompt, 2, 40)
    labels = [b.text for row in view.markup.inline_keyboard for b in row]
    assert labels == ["📨 Envoyer", "✏️ Modifier une section", "▶️ Continuer le questionnaire"]
    complete = build_prompt(GRID, {}, Position("review", None, None, len(GRID.keys)))
    labels = [b.text for row in views.review_view(complete, 2, 40).markup.inline_keyboard
              for b in row]
    assert labels == ["📨 Envoyer", "✏️ Modifier une section"]
    menu = views.sections_view(build_prompt(GRID, {"sante.effets": ["stress"]},
                                            Position("sections", None, None, 0)))
    labels = [b.text for row in menu.markup.inline_keyboard for b in row]
    assert len(labels) == 13
    assert labels[1] == "2. Santé (1/2)"
    assert labels[-1] == "⬅️ Retour"
    assert "12. Synthèse — 0/6" in menu.text
