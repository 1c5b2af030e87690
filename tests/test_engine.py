"""The interview engine: every question type, moves, conditions, validation, stale taps."""

from __future__ import annotations

import pytest

from questionnaire import messages
from questionnaire.engine import (
    AskOther,
    Back,
    Jump,
    Keep,
    OpenSections,
    Position,
    RemoveOther,
    Resume,
    Review,
    Show,
    Skip,
    Submit,
    Tap,
    Text,
    Validate,
    build_prompt,
    completion,
    start,
    step,
)
from questionnaire.grid import default_grid

GRID = default_grid()


class Interview:
    """Drives the engine like a channel does: answers and position kept between steps."""

    def __init__(self, answers: dict | None = None) -> None:
        self.answers: dict = dict(answers or {})
        self.position = start(GRID, self.answers)
        self.last = None

    def do(self, action):
        result = step(GRID, self.answers, self.position, action)
        for key, value in result.changes.items():
            if value is None:
                self.answers.pop(key, None)
            else:
                self.answers[key] = value
        assert result.answers == self.answers
        self.position = result.position
        self.last = result
        return result

    @property
    def key(self):
        return self.position.key

    def goto(self, key: str) -> None:
        """Skip questions until `key` is current."""
        for _ in range(60):
            if self.key == key:
                return
            self.do(Skip(self.key))
        raise AssertionError(f"never reached {key}")


def test_starts_on_the_first_question_with_progress():
    interview = Interview()
    prompt = build_prompt(GRID, {}, interview.position)
    assert prompt.key == "lien_social.publics"
    assert str(prompt.progress) == "Lien social · section 1/12"
    assert prompt.options[0].label == "visiteur·euse·s grand public"
    assert "back" not in prompt.actions  # nothing before the first question
    assert {"skip", "validate", "other"} <= prompt.actions


def test_multi_toggles_then_validate_moves_on():
    interview = Interview()
    result = interview.do(Tap("lien_social.publics", "benevoles"))
    assert result.changes == {"lien_social.publics": ["benevoles"]}
    interview.do(Tap("lien_social.publics", "grand_public"))
    result = interview.do(Tap("lien_social.publics", "voisins"))
    # stored in the grid's order, whatever the order of the taps
    assert interview.answers["lien_social.publics"] == ["grand_public", "voisins", "benevoles"]
    selected = [o.id for o in result.prompt.options if o.selected]
    assert selected == ["grand_public", "voisins", "benevoles"]
    interview.do(Tap("lien_social.publics", "voisins"))  # untoggle
    assert interview.answers["lien_social.publics"] == ["grand_public", "benevoles"]
    assert interview.key == "lien_social.publics"  # toggles stay on the question
    interview.do(Validate("lien_social.publics"))
    assert interview.key == "lien_social.contextes"


def test_multi_other_extras():
    interview = Interview()
    result = interview.do(AskOther("lien_social.publics"))
    assert result.prompt.mode == "other"
    interview.do(Text("  les enfants du centre de loisirs "))
    assert interview.answers["lien_social.publics.autre"] == ["les enfants du centre de loisirs"]
    assert interview.position.mode == "question"
    interview.do(AskOther("lien_social.publics"))
    result = interview.do(Text("Les enfants du centre de loisirs"))
    assert result.error and "figure déjà" in result.error
    assert interview.answers["lien_social.publics.autre"] == ["les enfants du centre de loisirs"]
    interview.do(Back())  # cancel typing
    interview.do(RemoveOther("lien_social.publics", "les enfants du centre de loisirs"))
    assert "lien_social.publics.autre" not in interview.answers


def test_a_multi_answered_only_by_extras_counts():
    interview = Interview()
    interview.do(AskOther("lien_social.publics"))
    interview.do(Text("élèves du lycée"))
    interview.do(Validate("lien_social.publics"))
    assert completion(GRID, interview.answers)[0] == 1


def test_exclusive_option_clears_the_others():
    interview = Interview()
    interview.goto("inclusion.constats")
    interview.do(Tap("inclusion.constats", "groupe"))
    interview.do(Tap("inclusion.constats", "federees"))
    interview.do(Tap("inclusion.constats", "aucun"))
    assert interview.answers["inclusion.constats"] == ["aucun"]
    interview.do(Tap("inclusion.constats", "exclues"))
    assert interview.answers["inclusion.constats"] == ["exclues"]


def test_single_is_one_tap():
    interview = Interview()
    interview.goto("capacite_agir.porteurs")
    result = interview.do(Tap("capacite_agir.porteurs", "frequentants"))
    assert interview.answers["capacite_agir.porteurs"] == "frequentants"
    assert result.position.key == "capacite_agir.commentaire"


def test_count_accepts_what_people_type():
    for typed, value in [("15", 15), ("1 200", 1200), ("environ 20", 20), ("0", 0),
                         ("1\u202f000", 1000), ("20 personnes", 20)]:
        interview = Interview()
        interview.goto("insertion.beneficiaires")
        interview.do(Text(typed))
        assert interview.answers["insertion.beneficiaires"] == value, typed
        assert interview.key == "insertion.resultats"


@pytest.mark.parametrize("typed", ["beaucoup", "12,5", "-3", "entre 10 et 20", "",
                                   "−3", "–3", "—3", "environ ‐3", "9" * 5000, "\u200b"])
def test_count_refuses_what_is_not_a_whole_number(typed):
    interview = Interview()
    interview.goto("insertion.beneficiaires")
    before = dict(interview.answers)
    result = interview.do(Text(typed))
    assert result.error in (messages.COUNT_NOT_WHOLE, messages.COUNT_NEGATIVE,
                            messages.COUNT_TOO_LARGE, messages.TEXT_EMPTY)
    if "3" in typed:  # a minus, however typed, is a negative number (not 3)
        assert result.error == messages.COUNT_NEGATIVE
    assert result.changes == {}
    assert interview.answers == before
    assert interview.key == "insertion.beneficiaires"


def test_count_refuses_too_large():
    interview = Interview()
    interview.goto("insertion.beneficiaires")
    result = interview.do(Text("2 000 000"))
    assert result.error == messages.COUNT_TOO_LARGE
    assert "insertion.beneficiaires" not in interview.answers


def test_amount_by_suggestion_or_typed():
    interview = Interview()
    interview.goto("capacite_agir.nombre_projets")
    prompt = build_prompt(GRID, interview.answers, interview.position)
    assert [o.label for o in prompt.options][:2] == ["1 ou 2 par an", "environ 5 par an"]
    interview.do(Tap("capacite_agir.nombre_projets", "3"))
    assert interview.answers["capacite_agir.nombre_projets"] == "une vingtaine par an"
    interview.do(Back())
    interview.do(Text("une quarantaine par an"))
    assert interview.answers["capacite_agir.nombre_projets"] == "une quarantaine par an"
    interview.do(Back())
    result = interview.do(Text("x" * 81))
    assert "81\u00a0caractères" in result.error
    assert interview.answers["capacite_agir.nombre_projets"] == "une quarantaine par an"


def test_comment_limits_and_text_kept_as_typed():
    interview = Interview()
    interview.goto("lien_social.commentaire")
    result = interview.do(Text("é" * 2001))
    assert result.error == messages.TEXT_TOO_LONG.format(length="2\u202f001", limit="2\u202f000")
    assert result.changes == {}
    interview.do(Text("<b>Tom & Jerry</b>"))
    assert interview.answers["lien_social.commentaire"] == "<b>Tom & Jerry</b>"


def test_keywords_are_limited_to_200():
    interview = Interview()
    interview.goto("synthese.mots_cles_individuels")
    result = interview.do(Text("a" * 201))
    assert "200" in result.error


def test_text_where_a_tap_is_expected():
    interview = Interview()
    result = interview.do(Text("les voisins"))
    assert result.error == messages.TAP_EXPECTED
    assert interview.answers == {}


def test_unknown_option_stores_nothing():
    interview = Interview()
    result = interview.do(Tap("lien_social.publics", "martiens"))
    assert result.error == messages.UNKNOWN_OPTION
    assert interview.answers == {}


def test_skip_keeps_the_answer_and_moves_on():
    interview = Interview()
    interview.do(Tap("lien_social.publics", "benevoles"))
    assert interview.last.prompt.answered
    result = interview.do(Skip("lien_social.publics"))
    assert result.changes == {}
    assert interview.answers == {"lien_social.publics": ["benevoles"]}
    assert interview.key == "lien_social.contextes"
    assert not interview.last.prompt.answered


def test_back_and_keep():
    interview = Interview()
    interview.goto("insertion.beneficiaires")
    interview.do(Text("15"))
    interview.do(Back())
    prompt = interview.last.prompt
    assert prompt.key == "insertion.beneficiaires"
    assert prompt.current == 15 and "keep" in prompt.actions
    interview.do(Keep("insertion.beneficiaires"))
    assert interview.key == "insertion.resultats"
    assert interview.answers["insertion.beneficiaires"] == 15


def test_back_on_the_first_question():
    interview = Interview()
    result = interview.do(Back())
    assert result.error == messages.FIRST_QUESTION
    assert interview.key == "lien_social.publics"


def test_conditions_and_back_over_unasked_questions():
    interview = Interview()
    interview.goto("espaces.effet")
    interview.do(Tap("espaces.effet", "aucun"))
    assert interview.key == "espaces.commentaire"  # neither follow-up is asked
    interview.do(Back())
    assert interview.key == "espaces.effet"
    interview.do(Tap("espaces.effet", "positif"))
    assert interview.key == "espaces.ameliorations"
    interview.do(Tap("espaces.ameliorations", "mixite"))
    interview.do(Validate("espaces.ameliorations"))
    assert interview.key == "espaces.commentaire"  # degradations is not asked
    interview.do(Back())
    assert interview.key == "espaces.ameliorations"
    interview.do(Back())
    interview.do(Tap("espaces.effet", "negatif"))
    assert interview.key == "espaces.degradations"
    # the earlier answer stays stored (restored if the manager changes back) ...
    assert interview.answers["espaces.ameliorations"] == ["mixite"]
    # ... but progress only counts asked questions
    prompt = interview.last.prompt
    assert prompt.progress.question_count == 3


def test_stale_button_changes_nothing():
    interview = Interview()
    interview.do(Tap("lien_social.publics", "benevoles"))
    interview.do(Validate("lien_social.publics"))
    before = dict(interview.answers)
    for action in (Tap("lien_social.publics", "voisins"), Validate("lien_social.publics"),
                   Skip("lien_social.publics"), Back("lien_social.publics")):
        result = interview.do(action)
        assert result.stale and result.error == messages.STALE
        assert result.changes == {}
        assert interview.answers == before
        assert interview.key == "lien_social.contextes"
        assert result.prompt.key == "lien_social.contextes"  # the current question is shown


def test_walk_to_review_and_submit():
    interview = Interview()
    assert interview.do(Submit()).stale  # not in the review yet
    for _ in range(60):
        if interview.position.mode == "review":
            break
        interview.do(Skip(interview.key))
    assert interview.position.mode == "review"
    prompt = interview.last.prompt
    assert {"submit", "sections", "back"} <= prompt.actions
    assert not prompt.unvisited
    assert prompt.unanswered_sections == len(GRID.sections) - 1  # not the synthesis
    result = interview.do(Submit())  # nothing answered: confirm first
    assert not result.submit and result.prompt.confirm and not result.error
    result = interview.do(Submit(confirmed=True))
    assert result.submit and not result.error


def test_edit_a_section_from_the_review_returns_to_the_review():
    interview = Interview()
    for _ in range(60):
        if interview.position.mode == "review":
            break
        interview.do(Skip(interview.key))
    result = interview.do(OpenSections())
    assert result.prompt.mode == "sections"
    assert len(result.prompt.sections) == 12
    assert result.prompt.sections[2].title == "Insertion professionnelle"
    interview.do(Jump("insertion"))
    assert interview.key == "insertion.beneficiaires"
    interview.do(Text("3"))
    interview.do(Tap("insertion.resultats", "autonomie"))
    interview.do(Validate("insertion.resultats"))
    result = interview.do(Text("Deux personnes ont trouvé un emploi."))
    assert result.position.mode == "review"
    assert interview.answers["insertion.beneficiaires"] == 3
    # back from the first question of an edited section also returns
    interview.do(OpenSections())
    interview.do(Jump("sante"))
    interview.do(Back())
    assert interview.position.mode == "review"


def test_jump_mid_interview_returns_to_where_the_manager_was():
    interview = Interview()
    interview.goto("sante.effets")
    interview.do(OpenSections())
    interview.do(Jump("innovation"))
    interview.do(Tap("innovation.collaboration", "oui"))
    result = interview.do(Skip("innovation.commentaire"))
    assert result.position.key == "sante.effets"
    assert result.position.mode == "question"


def test_review_before_the_end_offers_to_resume():
    interview = Interview()
    interview.goto("sante.effets")
    result = interview.do(Review())
    assert result.prompt.unvisited and "resume" in result.prompt.actions
    interview.do(Resume())
    assert interview.key == "sante.effets"


def test_sections_back_returns_to_the_question():
    interview = Interview()
    interview.goto("sante.effets")
    interview.do(OpenSections())
    interview.do(Back())
    assert interview.position.mode == "question" and interview.key == "sante.effets"


def test_show_changes_nothing():
    interview = Interview()
    interview.goto("sante.effets")
    result = interview.do(Show())
    assert result.changes == {} and result.prompt.key == "sante.effets"


def test_position_round_trips_and_bad_positions_are_ignored():
    position = Position("question", "sante.effets", "review", 5)
    assert Position.from_dict(GRID, position.to_dict()) == position
    assert Position.from_dict(GRID, {"mode": "question", "key": "nope.nope"}) is None
    assert Position.from_dict(GRID, {"mode": "dancing"}) is None
    assert Position.from_dict(GRID, None) is None


def test_prefilled_answers_are_shown_selected():
    last_year = {"lien_social.publics": ["benevoles"], "insertion.beneficiaires": 12}
    interview = Interview(last_year)
    prompt = build_prompt(GRID, interview.answers, interview.position)
    assert [o.id for o in prompt.options if o.selected] == ["benevoles"]
    interview.do(Validate("lien_social.publics"))  # one tap keeps it
    assert interview.answers["lien_social.publics"] == ["benevoles"]


@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200e \ufeff", "\u202e\u2066"])
def test_a_text_of_invisible_characters_is_empty(typed):
    interview = Interview()
    interview.goto("capacite_agir.nombre_projets")
    result = interview.do(Text(typed))
    assert result.error == messages.TEXT_EMPTY
    assert "capacite_agir.nombre_projets" not in interview.answers


def test_invisible_characters_are_taken_out_of_a_text_but_emoji_stay():
    interview = Interview()
    interview.goto("sante.commentaire")
    interview.do(Text("Des ateliers\u200b \u202epour\u202c tous 👩\u200d👩\u200d👧"))
    assert interview.answers["sante.commentaire"] == "Des ateliers pour tous 👩\u200d👩\u200d👧"


def test_aucun_and_a_typed_extra_never_stand_together():
    interview = Interview()
    interview.goto("inclusion.constats")
    interview.do(Tap("inclusion.constats", "aucun"))
    interview.do(AskOther("inclusion.constats"))
    interview.do(Text("les jeunes restent à l’écart"))
    assert interview.answers.get("inclusion.constats") is None  # "aucun" unticked
    assert interview.answers["inclusion.constats.autre"] == ["les jeunes restent à l’écart"]
    interview.do(Tap("inclusion.constats", "aucun"))  # and "aucun" takes the extra away
    assert interview.answers["inclusion.constats"] == ["aucun"]
    assert "inclusion.constats.autre" not in interview.answers


def test_a_typed_extra_that_is_an_option_ticks_it():
    interview = Interview()
    interview.goto("solidarite.echanges")
    interview.do(AskOther("solidarite.echanges"))
    result = interview.do(Text("Espaces"))
    assert result.error is None
    assert interview.answers["solidarite.echanges"] == ["espaces"]
    assert "solidarite.echanges.autre" not in interview.answers
    interview.do(AskOther("solidarite.echanges"))
    assert interview.do(Text("espaces")).error == messages.OTHER_DUPLICATE.format(
        text="espaces")  # ticked now: it is indeed among the answers


def test_a_question_a_teammate_made_irrelevant_takes_nothing_and_moves_on():
    """Alice is on espaces.ameliorations (asked because the effect is positive); Bob
    changes the effect to negative meanwhile: her tick is not stored, she moves on."""
    interview = Interview()
    interview.goto("espaces.effet")
    interview.do(Tap("espaces.effet", "positif"))
    assert interview.key == "espaces.ameliorations"
    interview.answers["espaces.effet"] = "negatif"  # Bob's answer, stored meanwhile
    result = interview.do(Tap("espaces.ameliorations", interview_first_option()))
    assert result.not_asked and result.changes == {}
    assert "espaces.ameliorations" not in interview.answers
    assert interview.key != "espaces.ameliorations"


def interview_first_option() -> str:
    return GRID.question("espaces.ameliorations").options[0].id
