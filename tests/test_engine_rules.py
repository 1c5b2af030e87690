"""The engine's rules for trust: moving never erases, typed text is clean, taps carry
intent, an empty fiche is sent only once confirmed, one answer in words everywhere."""

from __future__ import annotations

import itertools

import pytest

from questionnaire import messages
from questionnaire.answers import clean_text, describe, strip_controls, validate_answers
from questionnaire.engine import (
    AskOther,
    Back,
    Erase,
    OpenSections,
    Position,
    PromptAction,
    Review,
    Skip,
    Submit,
    Tap,
    Text,
    Validate,
    build_prompt,
    start,
    step,
)
from questionnaire.grid import default_grid
from tests.test_engine import Interview

GRID = default_grid()
NBSP, NNBSP = "\u00a0", "\u202f"
PUBLICS = "lien_social.publics"


# --- Moving forward never erases --------------------------------------------------------

def answer_first_section(interview: Interview) -> dict:
    interview.do(Tap(PUBLICS, "voisins"))
    interview.do(Tap(PUBLICS, "benevoles"))
    interview.do(Validate(PUBLICS))
    interview.do(Tap("lien_social.contextes", "evenements"))
    interview.do(Validate("lien_social.contextes"))
    interview.do(Tap("lien_social.frequence", "mensuel"))
    interview.do(Validate("lien_social.frequence"))
    interview.do(Text("Un commentaire écrit avec soin."))
    interview.do(Tap("sante.effets", "stress"))
    interview.do(Validate("sante.effets"))
    interview.do(Text("Moins de conflits."))
    interview.do(Text("1200"))  # insertion.beneficiaires
    return dict(interview.answers)


def test_back_then_forward_with_skip_keeps_every_answer():
    interview = Interview()
    answered = answer_first_section(interview)
    assert len(answered) == 7
    where = interview.key
    for _ in range(8):
        interview.do(Back())
    assert interview.key == PUBLICS
    while interview.key != where:
        result = interview.do(Skip(interview.key))
        assert result.changes == {}
    assert interview.answers == answered


def test_skip_on_each_type_keeps_the_answer():
    for key, action in [(PUBLICS, Tap(PUBLICS, "voisins")),
                        ("insertion.beneficiaires", Text("15")),
                        ("lien_social.commentaire", Text("texte"))]:
        interview = Interview()
        interview.goto(key)
        interview.do(action)
        if interview.key != key:
            interview.do(Back())
        before = dict(interview.answers)
        assert interview.last.prompt.answered
        interview.do(Skip(key))
        assert interview.answers == before and interview.key != key


def test_erase_is_the_one_action_that_removes_an_answer():
    interview = Interview()
    interview.do(Tap(PUBLICS, "voisins"))
    interview.do(Text("x"))  # not possible on a multi: refused
    prompt = interview.last.prompt
    assert PromptAction.ERASE in prompt.actions and PromptAction.SKIP in prompt.actions
    interview.do(OpenSections())
    interview.do(Back())
    assert interview.key == PUBLICS and interview.position.mode == "question"
    # an extra too: erase removes both
    interview.answers[PUBLICS + ".autre"] = ["les enfants"]
    result = interview.do(Erase(PUBLICS))
    assert result.changes == {PUBLICS: None, PUBLICS + ".autre": None}
    assert interview.answers == {}
    assert interview.key == PUBLICS  # stays on the question
    prompt = interview.last.prompt
    assert not prompt.answered and PromptAction.ERASE not in prompt.actions
    again = interview.do(Erase(PUBLICS))  # twice (two managers): nothing more happens
    assert again.changes == {} and not again.error


def test_erase_of_a_typed_answer_and_of_an_older_message_is_stale():
    interview = Interview()
    interview.goto("insertion.beneficiaires")
    interview.do(Text("15"))
    assert interview.do(Erase("insertion.beneficiaires")).stale  # not the current question
    assert interview.answers == {"insertion.beneficiaires": 15}
    interview.do(Back())
    interview.do(Erase("insertion.beneficiaires"))
    assert interview.answers == {}


# --- Control characters -----------------------------------------------------------------

CONTROLS = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\x9f"]


@pytest.mark.parametrize("typed", [
    "…en CDI\x1b[D\x1b[D",  # arrow keys of a terminal without line editing
    "\x1b[1;5Centre\x1b[0m", "bel\x07 nul\x00", "esc\x1bO", "osc\x1b]0;titre\x07",
    "c1\x9b2J \x85", "del\x7f",
])
def test_control_characters_are_never_stored(typed):
    for key in ("lien_social.commentaire", "capacite_agir.nombre_projets"):
        interview = Interview()
        interview.goto(key)
        interview.do(Text(typed))
        stored = interview.answers[key]
        assert not any(c in stored for c in CONTROLS), repr(stored)
        assert "[D" not in stored and "[0m" not in stored


def test_control_characters_in_extras_counts_and_answer_files():
    interview = Interview()
    interview.do(Tap(PUBLICS, "voisins"))
    interview.do(AskOther(PUBLICS))
    interview.do(Text("les\x1b[D enfants\x07"))
    assert interview.answers[PUBLICS + ".autre"] == ["les enfants"]
    interview = Interview()
    interview.goto("insertion.beneficiaires")
    interview.do(Text("\x1b[A15\x00"))
    assert interview.answers["insertion.beneficiaires"] == 15
    # `fichebot render` reads answer files through validate_answers: cleaned the same way
    cleaned = validate_answers(GRID, {"lien_social.commentaire": "a\x1b[31mb\x00c\r\nd\te",
                                      PUBLICS + ".autre": ["x\x07y"]})
    assert cleaned == {"lien_social.commentaire": "abc\nd\te", PUBLICS + ".autre": ["xy"]}


def test_strip_controls_keeps_newlines_tabs_and_every_letter():
    text = "Ligne 1\n\tLigne 2 — « été » ’ … 🔧 1\u202f200\u00a0€"
    assert strip_controls(text) == text
    assert clean_text("  a\r\nb\rc  ") == "a\nb\nc"
    assert strip_controls("".join(chr(c) for c in range(0x20) if c != 0x0d)) == "\t\n"
    assert strip_controls("".join(chr(c) for c in range(0x7f, 0xa0))) == ""


def test_a_text_of_control_characters_only_is_empty():
    interview = Interview()
    interview.goto("lien_social.commentaire")
    result = interview.do(Text("\x1b[A\x1b[B\x07"))
    assert result.error == messages.TEXT_EMPTY
    assert interview.answers == {}


# --- Taps carry intent ------------------------------------------------------------------

def shared(answers: dict, position: Position, action) -> tuple[dict, object]:
    """One step on the shared stored answers of a place (two managers, one response)."""
    result = step(GRID, answers, position, action)
    stored = dict(answers)
    for key, value in result.changes.items():
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = value
    return stored, result


def test_two_identical_tick_taps_give_one_tick():
    position = start(GRID, {})
    answers: dict = {}
    # A and B both see "voisins" unticked, both tap it: both meant "tick"
    answers, first = shared(answers, position, Tap(PUBLICS, "voisins", on=True))
    answers, second = shared(answers, position, Tap(PUBLICS, "voisins", on=True))
    assert answers == {PUBLICS: ["voisins"]}
    assert not first.redraw
    assert second.redraw and second.changes == {}  # B's screen is redrawn with the tick
    assert [o.selected for o in second.prompt.options if o.id == "voisins"] == [True]


def test_two_identical_untick_taps_give_no_tick():
    position = start(GRID, {})
    answers: dict = {PUBLICS: ["voisins", "benevoles"]}
    answers, _ = shared(answers, position, Tap(PUBLICS, "voisins", on=False))
    answers, second = shared(answers, position, Tap(PUBLICS, "voisins", on=False))
    assert answers == {PUBLICS: ["benevoles"]} and second.redraw


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_tick_and_untick_interleavings_end_as_the_last_intent(order):
    """A ticks voisins then unticks it; B ticks benevoles then voisins: in every order,
    the result follows the last tap meaning each option."""
    taps = [("A", Tap(PUBLICS, "voisins", on=True)), ("A", Tap(PUBLICS, "voisins", on=False)),
            ("B", Tap(PUBLICS, "benevoles", on=True)), ("B", Tap(PUBLICS, "voisins", on=True))]
    # each person's own taps keep their order
    sequence = [taps[i] for i in order]
    if sequence.index(taps[0]) > sequence.index(taps[1]):
        return
    if sequence.index(taps[2]) > sequence.index(taps[3]):
        return
    answers: dict = {}
    position = start(GRID, {})
    for _, tap in sequence:
        answers, _result = shared(answers, position, tap)
    last_voisins = [t for _, t in sequence if t.option == "voisins"][-1]
    expected = {"benevoles"} | ({"voisins"} if last_voisins.on else set())
    assert set(answers.get(PUBLICS, [])) == expected


def test_taps_without_intent_still_toggle():
    interview = Interview()
    interview.do(Tap(PUBLICS, "voisins"))
    interview.do(Tap(PUBLICS, "voisins"))
    assert interview.answers == {}
    assert not interview.last.redraw


def test_tick_with_intent_keeps_the_exclusive_rule():
    interview = Interview()
    interview.goto("inclusion.constats")
    interview.do(Tap("inclusion.constats", "groupe", on=True))
    interview.do(Tap("inclusion.constats", "aucun", on=True))  # exclusive
    assert interview.answers == {"inclusion.constats": ["aucun"]}
    interview.do(Tap("inclusion.constats", "groupe", on=True))
    assert interview.answers == {"inclusion.constats": ["groupe"]}


# --- An empty fiche asks to confirm -----------------------------------------------------

def in_review(answers: dict) -> Interview:
    interview = Interview(answers)
    interview.position = Position("review", None, None, len(GRID.keys))
    interview.do(Review())
    return interview


def test_the_review_counts_unanswered_sections():
    assert in_review({}).last.prompt.unanswered_sections == 12
    prompt = in_review({PUBLICS: ["voisins"], "sante.effets": ["stress"]}).last.prompt
    assert prompt.unanswered_sections == 10
    assert [v.answered for v in prompt.sections][:3] == [1, 1, 0]


def test_an_empty_fiche_is_sent_only_once_confirmed():
    interview = in_review({})
    result = interview.do(Submit())
    assert not result.submit and result.prompt.confirm
    assert PromptAction.CONFIRM in result.prompt.actions
    assert result.position == interview.position  # nothing stored changes
    assert not interview.do(Review()).prompt.confirm  # the question is not kept
    assert interview.do(Submit(confirmed=True)).submit


def test_a_complete_fiche_is_sent_at_once():
    answers = {}
    for section in GRID.sections:
        question = section.questions[0]
        if question.type == "multi":
            answers[question.key] = [question.options[0].id]
        elif question.type == "single":
            answers[question.key] = question.options[0].id
        else:
            answers[question.key] = {"count": 1, "amount": "un peu"}[question.type]
    interview = in_review(answers)
    assert interview.last.prompt.unanswered_sections == 0
    assert interview.do(Submit()).submit


def test_unanswered_sections_in_words():
    assert messages.unanswered_sections(0, 12) == ""
    assert messages.unanswered_sections(1, 12) == (
        f"1{NBSP}section sur 12 n’a aucune réponse{NBSP}: elle sera imprimée "
        f"«{NNBSP}Non renseigné{NNBSP}».")
    assert messages.unanswered_sections(3, 12).startswith(f"3{NBSP}sections sur 12 n’ont")
    assert messages.unanswered_sections(12, 12).startswith(f"Aucune des 12{NBSP}sections")


# --- One answer in words ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "words"), [
    (0, f"0{NBSP}personne"), (1, f"1{NBSP}personne"), (2, f"2{NBSP}personnes"),
    (1200, f"1{NNBSP}200{NBSP}personnes"), (1_000_000, f"1{NNBSP}000{NNBSP}000{NBSP}personnes"),
])
def test_describe_a_count(value, words):
    assert describe(GRID.question("insertion.beneficiaires"), value) == words


def test_describe_every_type():
    publics = GRID.question(PUBLICS)
    assert describe(publics, ["benevoles", "voisins"], ["les enfants"]) == (
        f"voisin·e·s du quartier{NNBSP}; bénévoles{NNBSP}; les enfants")
    assert describe(publics, [], ["les enfants"]) == "les enfants"
    assert describe(publics, None) is None
    frequence = GRID.question("synthese.intensite_individuels")
    assert describe(frequence, frequence.options[1].id) == frequence.options[1].label
    assert describe(GRID.question("lien_social.commentaire"), "tel quel") == "tel quel"
    assert describe(GRID.question("lien_social.commentaire"), "") is None


def test_the_prompt_of_a_question_already_answered():
    answers = {"insertion.beneficiaires": 15}
    position = Position("question", "insertion.beneficiaires", None, 0)
    prompt = build_prompt(GRID, answers, position)
    assert prompt.answered and {PromptAction.KEEP, PromptAction.ERASE} <= prompt.actions
    assert PromptAction.SKIP in prompt.actions
