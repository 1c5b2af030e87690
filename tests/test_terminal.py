"""The terminal channel (`fichebot demo`) driven in process, line by line, as a person
types: what is stored, and what is printed."""

from __future__ import annotations

import errno
import io
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import storage
from bot.cli import main as cli_main
from bot.fiche_files import fiche_basename
from bot.terminal import console as console_module
from bot.terminal import texts as T
from bot.terminal.app import open_session
from bot.terminal.commands import parse
from bot.terminal.console import Console, Quit
from bot.terminal.interview import TerminalInterview
from bot.terminal.screen import question_lines
from questionnaire import engine
from questionnaire.engine import Position, build_prompt
from questionnaire.grid import default_grid
from storage.campaigns import close_campaign, create_campaign, launch_campaign

GRID = default_grid()
NBSP, NNBSP = "\u00a0", "\u202f"


class Script(Console):
    """A console that types the given lines and keeps what is printed."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self.printed: list[str] = []
        self.editing = False

    def read(self, prompt: str) -> str:
        if not self.lines:
            raise Quit
        line = self.lines.pop(0)
        self.printed.append(prompt + line)
        return line

    def say(self, text: str = "", end: str = "\n") -> None:
        self.printed.append(text)

    def width(self) -> int:
        return 100

    @property
    def text(self) -> str:
        return "\n".join(self.printed)


def interview(tmp_path: Path, lines: list[str], place: str = "La Tréso") -> Script:
    db = storage.open_db(tmp_path / "demo.sqlite")
    console = Script(lines)
    try:
        session = open_session(db, GRID, console, place, 2025)
        TerminalInterview(session, console, tmp_path / "out").run()
    except Quit:
        pass
    return console


def stored(tmp_path: Path) -> dict:
    db = storage.open_db(tmp_path / "demo.sqlite")
    place = storage.find_place(db, "La Tréso")
    return storage.load_answers(db, storage.find_response(db, place.id, 2025).id)


FIRST_SECTION = ["1 3", "v", "1", "v", "2", "v", "Un commentaire.", "2", "v",
                 "Moins de conflits.", "1 200"]
FIRST_ANSWERS = {
    "lien_social.publics": ["grand_public", "voisins"],
    "lien_social.contextes": ["vie_quotidienne"],
    "lien_social.frequence": ["hebdomadaire"],
    "lien_social.commentaire": "Un commentaire.",
    "sante.effets": ["relations"],
    "sante.commentaire": "Moins de conflits.",
    "insertion.beneficiaires": 1200,
}


def test_back_then_forward_keeps_every_answer(tmp_path):
    interview(tmp_path, FIRST_SECTION)
    assert stored(tmp_path) == FIRST_ANSWERS
    # back over everything, then forward with "p" ("/p" on the typed questions)
    back = ["/r", "/r", "r", "/r", "r", "r", "r"]
    forward = ["p", "p", "p", "/p", "p", "/p", "/p"]
    console = interview(tmp_path, [*back, *forward])
    assert stored(tmp_path) == FIRST_ANSWERS
    assert "suivante\u00a0(réponse\u00a0gardée)" in console.text  # "p" keeps the answer
    headings = [line for line in console.printed if line.startswith("── ")]
    assert headings[-1].startswith("── Insertion professionnelle")


@pytest.mark.parametrize("typed", ["v", "g", "p", "q", "r", "e", "passer", "Quitter", "?"])
def test_a_command_word_is_never_stored_as_a_typed_answer(tmp_path, typed):
    # comment, then count, then amount: a bare command word is refused on each
    lines = ["p", "p", "p", typed, "/p", "p", "/p", typed, "/p", "p", "/p", typed]
    console = interview(tmp_path, lines)
    assert stored(tmp_path) == {}
    assert console.text.count("n’a pas été enregistré") == 3, console.text


def test_slashed_commands_on_text_questions(tmp_path):
    console = interview(tmp_path, ["p", "p", "p", "/zz", "Un vrai commentaire", "/r", "/e",
                                   "/p"])
    assert "La commande «\u202f/zz\u202f» n’existe pas ici." in console.text
    assert stored(tmp_path) == {}  # written, then erased with /e
    assert "Commandes, avec une barre oblique devant\u00a0: /p\u00a0passer" in console.text


def test_control_characters_are_never_stored(tmp_path):
    lines = ["1", "a", "les\x07 enfants\x1b[D", "v", "p", "p",
             "…en CDI\x1b[D\x1b[D\x00 et\x1b[1;5C plus\x9b", "p", "/p", "\x1b[A15"]
    interview(tmp_path, lines, place="La Tréso\x1b[D")
    answers = stored(tmp_path)
    assert answers["lien_social.publics.autre"] == ["les enfants"]
    assert answers["lien_social.commentaire"] == "…en CDI et plus"
    assert answers["insertion.beneficiaires"] == 15


def test_numbers_tick_what_the_screen_showed(tmp_path):
    """Another manager ticks option 1 while the terminal still shows it unticked: typing
    "1" means "tick", and leaves it ticked instead of undoing their tick."""
    db = storage.open_db(tmp_path / "demo.sqlite")
    console = Script([])
    session = open_session(db, GRID, console, "La Tréso", 2025)
    shown = session.apply(engine.Show()).step.prompt
    session.apply(engine.Tap("lien_social.publics", "grand_public", on=True))  # the other
    for action in parse("1 3", shown).actions:
        outcome = session.apply(action)
    assert stored(tmp_path) == {"lien_social.publics": ["grand_public", "voisins"]}
    assert not outcome.refused


def test_the_review_is_plain_text_and_the_fiche_is_printed_once(tmp_path):
    typed = "Tom & Jerry *prêt* <b>gras</b> \\_ # titre"
    lines = ["1", "v", "p", "p", typed, *["/p"] * 40]
    console = interview(tmp_path, lines)
    text = console.text
    assert typed in text  # as typed: no Markdown escapes, no HTML
    assert "\\*" not in text and "\\<" not in text and "**" not in text
    assert "Non renseigné." in text
    assert f"Questions renseignées{NBSP}: 2 sur" in text
    assert f"10{NBSP}sections sur 11 n’ont aucune réponse" in text
    # send: the empty fiche asks to confirm; "n" goes back, "o" sends
    console = interview(tmp_path, ["e", "n", "e", "o"])
    text = console.text
    assert text.count(f"Envoyer quand même{NNBSP}?") == 2
    assert text.count("EFFETS SOCIAUX ET URBAINS DE LA TRÉSO") == 2  # resumed + after "n"
    sent = text[text.rindex("> o"):]
    assert "EFFETS SOCIAUX" not in sent  # once: the review just above is the fiche
    assert T.SENT in sent and "fiche-la-treso-2025.pdf" in sent


def test_french_typography_of_the_terminal(tmp_path):
    console = interview(tmp_path, ["1", "v", "s"])
    text = console.text
    assert f"  1. Lien social (1{NBSP}réponse sur 4)" in text
    assert f"  2. Santé (0{NBSP}réponse sur 2)" in text
    prompt = build_prompt(GRID, {}, Position("question", "lien_social.commentaire", None, 0))
    assert f"Écrivez votre réponse puis Entrée (2{NNBSP}000{NBSP}caractères au plus)." in (
        question_lines(prompt))
    long = interview(tmp_path, ["/r", "/r", "p", "p", "p", "x" * 2001])
    assert f"Votre texte fait 2{NNBSP}001{NBSP}caractères" in long.text


def test_ctrl_c_exits_130_with_a_french_line(tmp_path):
    script = Path(sys.executable).with_name("fichebot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    env = {**os.environ, "FICHEBOT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [*command, "demo", "--db", str(tmp_path / "demo.sqlite"), "--lieu", "La Tréso",
         "--annee", "2025"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("1\n")
    process.stdin.flush()
    seen = ""
    deadline = time.monotonic() + 60
    while "[x] visiteur" not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    while not seen.endswith("> ") and time.monotonic() < deadline:  # waiting for input
        seen += process.stdout.read(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert T.INTERRUPTED in out.replace("\n", " ")  # cut at the width (80 in a pipe)
    assert "Traceback" not in err
    assert stored(tmp_path) == {"lien_social.publics": ["grand_public"]}


# --- The session's other outcomes, in the terminal ----------------------------------------

def seed_sent(tmp_path: Path, year: int, answers: dict) -> None:
    db = storage.open_db(tmp_path / "demo.sqlite")
    storage.upsert_person(db, 0, "Terminal")
    place = storage.find_place(db, "La Tréso") or storage.add_place(db, "La Tréso")
    response = storage.get_or_create_response(db, place.id, year, GRID.version)
    with storage.interview_step(db, response.id, 0) as step:
        step.save(answers, None)
    storage.mark_submitted(db, response.id, 0)


def test_last_years_answers_are_offered_once(tmp_path):
    seed_sent(tmp_path, 2024, {"lien_social.publics": ["voisins"], "ancienne.cle": "x",
                               "insertion.beneficiaires": 40})
    console = interview(tmp_path, ["peut-être", "o", "/q"])
    assert "La Tréso a déjà répondu en 2024." in console.text
    assert f"{NBSP}: /p la garde, ou changez-la." in console.text  # "p" alone is refused on
    # typed questions
    assert T.PREFILL_CHOICE in console.text.split("> peut-être")[1]  # asked again
    assert T.PREFILLED.format(year=2024) in console.text
    assert "  3. [x] voisin·e·s du quartier" in console.text  # shown selected
    assert stored(tmp_path) == {"lien_social.publics": ["voisins"],
                                "insertion.beneficiaires": 40}
    again = interview(tmp_path, ["/q"])
    assert "déjà répondu en 2024" not in again.text


def test_a_blank_fiche_instead_of_last_years(tmp_path):
    seed_sent(tmp_path, 2024, {"lien_social.publics": ["voisins"]})
    console = interview(tmp_path, ["n", "/q"])
    assert T.PREFILL_BLANK in console.text
    assert stored(tmp_path) == {}


def test_a_sent_fiche_is_read_only_until_reopened(tmp_path):
    seed_sent(tmp_path, 2025, {"lien_social.publics": ["voisins"]})
    console = interview(tmp_path, ["1", "m", "2", "/q"])
    assert console.text.startswith(f"Lieu{NBSP}: La Tréso — année 2025.\n\nLa fiche 2025 "
                                   "pour La Tréso a déjà été envoyée.")  # not "On reprend…"
    assert "La fiche 2025 pour La Tréso a déjà été envoyée." in console.text
    assert T.ALREADY_SENT_CHOICE in console.text  # "1" is not taken as an answer
    assert T.REOPENED in console.text
    assert T.SECTIONS_TITLE in console.text
    db = storage.open_db(tmp_path / "demo.sqlite")
    place = storage.find_place(db, "La Tréso")
    assert not storage.find_response(db, place.id, 2025).submitted
    assert stored(tmp_path) == {"lien_social.publics": ["voisins"]}
    assert "── Santé · section 2/12" in console.text  # "2": the section chosen


def test_nothing_is_stored_once_the_campaign_is_closed(tmp_path):
    db = storage.open_db(tmp_path / "demo.sqlite")
    campaign = create_campaign(db, 2025, date(2099, 6, 30), GRID.version, None)
    launch_campaign(db, campaign.id)
    close_campaign(db, campaign.id)
    console = interview(tmp_path, ["1", "v"])
    assert T.CLOSED in console.text
    assert "Lien social" not in console.text
    place = storage.find_place(db, "La Tréso")
    assert storage.find_response(db, place.id, 2025) is None


# --- A pasted text of several lines (bracketed paste) ---------------------------------------

class FakeReadline:
    """GNU readline as `enable_line_editing` sees it: what it is told to bind."""

    __doc__ = "Importing this module enables command line editing using GNU readline."

    def __init__(self) -> None:
        self.bound: list[str] = []

    def parse_and_bind(self, line: str) -> None:
        self.bound.append(line)

    def set_completer(self, completer: object) -> None:
        pass


def test_line_editing_turns_bracketed_paste_on(monkeypatch):
    fake = FakeReadline()
    monkeypatch.setattr(console_module.importlib, "import_module", lambda name: fake)
    assert console_module.enable_line_editing()
    assert "set enable-bracketed-paste on" in fake.bound


def test_a_paste_read_with_line_editing_keeps_its_lines(monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "Première ligne\r\nSeconde\x07 ligne\n")
    console = Console(io.StringIO(), io.StringIO())
    console.editing = True
    assert console.read("> ") == "Première ligne\nSeconde ligne\n"


def test_a_pasted_comment_is_one_answer_with_its_lines(tmp_path):
    console = interview(tmp_path, ["p", "p", "p", "Première ligne.\nSeconde ligne.\n", "/q"])
    assert stored(tmp_path) == {"lien_social.commentaire": "Première ligne.\nSeconde ligne."}
    assert "── Santé" in console.text  # one answer: the next question, not the one after


@pytest.mark.parametrize("pasted", ["15\n16", "1 200\nenviron 40", "/p\n12"])
def test_a_paste_of_several_lines_is_refused_on_a_number_question(tmp_path, pasted):
    lines = ["p", "p", "p", "/p", "p", "/p", pasted, "/q"]
    console = interview(tmp_path, lines)
    assert stored(tmp_path) == {}
    after = re.sub(r"[ \n]+", " ", console.text.split("> " + pasted)[1])
    assert after.startswith(f" Vous avez collé plusieurs lignes{NBSP}: ici, la réponse tient "
                            "sur une seule ligne. Rien n’a été enregistré. Écrivez un nombre")
    assert "── " not in after  # still the same question


@pytest.mark.parametrize("pasted", ["1\n3", "1 3\nv", "e\no"])
def test_a_paste_of_several_lines_is_refused_on_a_choice(tmp_path, pasted):
    console = interview(tmp_path, [pasted, "/q"])
    assert stored(tmp_path) == {}
    assert console.text.count("Vous avez collé plusieurs lignes") == 1
    assert "Tapez les numéros à cocher" in console.text.split("> " + pasted)[1]


# --- Numbers: ASCII digits, and never converted past a list's length -------------------------

HUGE = "9" * 5000


def test_odd_digits_and_huge_numbers_on_a_choice_and_the_section_menu(tmp_path):
    console = interview(tmp_path, ["²", HUGE, f"1 {HUGE}", f"x{HUGE}", "s", "²", HUGE, "3"])
    text = console.text
    assert stored(tmp_path) == {}
    assert f"Je n’ai pas compris «{NNBSP}²{NNBSP}». Tapez les numéros" in text
    assert f"Il n’y a pas de réponse numéro 9999…{NBSP}: choisissez entre 1 et 8." in text
    assert text.count("Il n’y a pas de réponse numéro 9999…") == 2
    assert "Il n’y a pas d’autre réponse numéro 9999…." in text
    assert f"Je n’ai pas compris «{NNBSP}²{NNBSP}». Tapez le numéro de la section." in text
    assert (f"Il n’y a pas de section numéro 9999…{NBSP}: choisissez entre 1 et 12."
            in text)
    assert "── Insertion professionnelle · section 3/12" in text  # "3" still works
    assert HUGE[:10] not in text.replace("> " + HUGE, "").replace(f"> 1 {HUGE}", "").replace(
        f"> x{HUGE}", "")  # quoted short


@pytest.mark.parametrize("typed", ["²", HUGE, "٣"])
def test_odd_digits_on_an_estimation_are_text_not_an_option(typed):
    prompt = build_prompt(GRID, {}, Position("question", "capacite_agir.nombre_projets", None, 0))
    assert parse(typed, prompt).actions == (engine.Text(typed),)
    assert parse("2", prompt).actions == (
        engine.Tap("capacite_agir.nombre_projets", prompt.options[1].id),)


# --- The fiche's files: bounded names, and a write that fails is said --------------------------

def test_a_long_place_name_gives_a_bounded_file_name():
    long = "Le tiers-lieu " + "très " * 110
    base = fiche_basename(long + "A", 2025)
    assert len(base) <= len("fiche--2025") + 60 + 7
    assert base.startswith("fiche-le-tiers-lieu-tres-tres-") and base.endswith("-2025")
    assert base != fiche_basename(long + "B", 2025)  # alike for 60 characters, apart
    assert fiche_basename("La Tréso", 2025) == "fiche-la-treso-2025"


def test_a_too_long_place_name_is_refused_at_the_prompt(tmp_path):
    console = interview(tmp_path, ["x" * 570, "La Tréso", "/q"], place=None)
    assert f"Ce nom est trop long (570{NBSP}caractères, 120 au plus){NBSP}: abrégez-le." in (
        console.text)
    db = storage.open_db(tmp_path / "demo.sqlite")
    assert [place.name for place in storage.list_places(db)] == ["La Tréso"]


def send_empty_fiche(tmp_path: Path, out_dir: Path) -> tuple[Script, bool]:
    db = storage.open_db(tmp_path / "demo.sqlite")
    console = Script([*["/p"] * 60, "e", "o"])
    session = open_session(db, GRID, console, "La Tréso", 2025)
    return console, TerminalInterview(session, console, out_dir).run()


def test_a_sent_fiche_whose_files_cannot_be_written_says_so(tmp_path):
    (tmp_path / "fichier").write_text("pas un dossier")
    out_dir = tmp_path / "fichier" / "fiches"
    console, written = send_empty_fiche(tmp_path, out_dir)
    assert not written
    sent = re.sub(r"[ \n]+", " ", console.text[console.text.rindex("> o"):])
    assert (f"Fiche envoyée, mais ses fichiers n’ont pas pu être écrits dans {out_dir} (un "
            f"élément du chemin n’est pas un dossier){NBSP}: relancez la même commande avec "
            "--out et un autre dossier, puis tapez f pour les écrire.") in sent
    db = storage.open_db(tmp_path / "demo.sqlite")
    assert storage.find_response(db, storage.find_place(db, "La Tréso").id, 2025).submitted
    # "f" on the fiche sent writes them where --out now says
    again = interview(tmp_path, ["f"])
    assert "Fichiers de la fiche écrits ici" in again.text
    assert (tmp_path / "out" / "fiche-la-treso-2025.md").is_file()


def test_demo_exits_1_when_the_sent_fiches_files_cannot_be_written(tmp_path, monkeypatch,
                                                                   capsys):
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("bot.terminal.interview.write_fiche_files", disk_full)
    typed = "".join(f"{line}\n" for line in [*["/p"] * 60, "e", "o"])
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    status = cli_main(["demo", "--db", str(tmp_path / "demo.sqlite"), "--out",
                       str(tmp_path / "out"), "--lieu", "La Tréso", "--annee", "2025"])
    assert status == 1
    out = re.sub(r"[ \n]+", " ", capsys.readouterr().out)
    assert "Fiche envoyée, mais ses fichiers n’ont pas pu être écrits" in out
    assert "(plus de place sur le disque)" in out


def test_demo_refuses_an_out_folder_under_a_file_before_asking_anything(tmp_path, capsys):
    (tmp_path / "fichier").write_text("pas un dossier")
    status = cli_main(["demo", "--db", str(tmp_path / "demo.sqlite"), "--out",
                       str(tmp_path / "fichier" / "fiches")])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err == (f"fichebot demo{NBSP}: la fiche ne pourrait pas être écrite dans "
                            f"{tmp_path / 'fichier' / 'fiches'} (un élément du chemin n’est "
                            f"pas un dossier){NBSP}: choisissez un autre dossier avec --out.\n")


# --- A sent fiche reopened, then left: it is no longer sent, and that is said -----------------

def run_demo_in_process(tmp_path: Path, monkeypatch, capsys, stdin: io.StringIO) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", stdin)
    status = cli_main(["demo", "--db", str(tmp_path / "demo.sqlite"), "--out",
                       str(tmp_path / "out"), "--lieu", "La Tréso", "--annee", "2025"])
    return status, re.sub(r"[ \n]+", " ", capsys.readouterr().out)


def test_quitting_a_reopened_fiche_says_it_is_no_longer_sent(tmp_path, monkeypatch, capsys):
    seed_sent(tmp_path, 2025, {"lien_social.publics": ["voisins"]})
    status, out = run_demo_in_process(tmp_path, monkeypatch, capsys, io.StringIO("m\n1\n/q\n"))
    assert status == 0
    no_longer_sent = (f"La fiche 2025 pour La Tréso n’est plus envoyée{NBSP}: elle a été "
                      "rouverte pour modification. Vos modifications sont enregistrées"
                      f"{NNBSP}; pour la renvoyer, relancez «{NNBSP}fichebot demo{NNBSP}», "
                      "continuez jusqu’à la relecture et tapez e.")
    assert out.endswith(no_longer_sent + " ")
    assert T.QUIT not in out
    # the next launch says it too, before resuming
    status, out = run_demo_in_process(tmp_path, monkeypatch, capsys, io.StringIO("/q\n"))
    assert (f"Lieu{NBSP}: La Tréso — année 2025. La fiche a été envoyée, puis rouverte pour "
            f"modification{NBSP}: elle n’est plus envoyée. On reprend là où vous en étiez") in out
    assert out.endswith(no_longer_sent + " ")


class InterruptedInput(io.StringIO):
    """Standard input whose next line after the given ones is Ctrl-C."""

    def readline(self, *args: object) -> str:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_on_a_reopened_fiche_says_it_is_no_longer_sent(tmp_path, monkeypatch, capsys):
    seed_sent(tmp_path, 2025, {"lien_social.publics": ["voisins"]})
    status, out = run_demo_in_process(tmp_path, monkeypatch, capsys, InterruptedInput("m\n"))
    assert status == 130
    assert "Interrompu (Ctrl-C). La fiche 2025 pour La Tréso n’est plus envoyée" in out


def test_quitting_a_fiche_never_sent_says_the_answers_are_kept(tmp_path, monkeypatch, capsys):
    status, out = run_demo_in_process(tmp_path, monkeypatch, capsys, io.StringIO("1\n/q\n"))
    assert status == 0
    assert out.endswith(re.sub(r"[ \n]+", " ", T.QUIT) + " ")


# --- Erasing says what it erased; "e" is named for what it does on each screen ----------------

def test_erasing_says_what_was_erased(tmp_path):
    long = "Un long commentaire, " * 6 + "\nsur deux lignes."
    console = interview(tmp_path, ["1 3", "v", "r", "e", "p", "p", "p", long, "/r", "/e", "/q"])
    text = re.sub(r"[ \n]+", " ", console.text)
    assert (f"Réponse effacée (c’était «{NNBSP}visiteur·euse·s grand public{NNBSP}; voisin·e·s "
            f"du quartier{NNBSP}»).") in text
    shown = "Un long commentaire, " * 3 + "Un long…"  # cut between words, on one line
    assert f"Réponse effacée (c’était «{NNBSP}{shown}{NNBSP}»)." in text
    assert stored(tmp_path) == {}


def test_e_is_named_for_what_it_does_on_each_screen(tmp_path):
    console = interview(tmp_path, ["1", "v", "/r", *["/p"] * 60])
    text = console.text
    assert f"e{NBSP}effacer{NBSP}ma{NBSP}réponse" in text  # on the question answered
    review = text[text.index(T.REVIEW_TITLE):]
    assert f"e{NBSP}envoyer{NBSP}la{NBSP}fiche" in review
    assert "effacer" not in review


def test_a_wrong_entry_on_the_review_is_answered_with_the_reviews_keys(tmp_path):
    console = interview(tmp_path, [*["/p"] * 60, "p", "e", "peut-être", "/q"])
    text = re.sub(r"[ \n]+", " ", console.text)
    assert (f"> p Je n’ai pas compris «{NNBSP}p{NNBSP}». Commandes{NBSP}: e{NBSP}envoyer{NBSP}la"
            f"{NBSP}fiche · m{NBSP}modifier{NBSP}une{NBSP}section") in text
    assert (f"> peut-être Je n’ai pas compris «{NNBSP}peut-être{NNBSP}». Envoyer quand même"
            f"{NNBSP}? Commandes{NBSP}: o{NBSP}oui,{NBSP}envoyer · n{NBSP}non") in text


def test_the_demos_own_lines_are_cut_at_the_terminals_width(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "60")
    seed_sent(tmp_path, 2025, {"lien_social.publics": ["voisins"]})
    monkeypatch.setattr("sys.stdin", io.StringIO("m\n/q\n/q\n"))
    for _ in range(2):  # the quit line, then the launch line of a reopened fiche
        cli_main(["demo", "--db", str(tmp_path / "demo.sqlite"), "--lieu", "La Tréso",
                  "--annee", "2025"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if len(line) > 60 and " " in line.strip()] == []


def test_an_out_folder_turned_into_a_file_is_named_as_such(tmp_path):
    out_dir = tmp_path / "fiches"
    out_dir.write_text("un fichier, plus un dossier")
    console, written = send_empty_fiche(tmp_path, out_dir)
    assert not written
    assert "(un élément du chemin n’est pas un dossier)" in console.text.replace("\n", " ")


class Interleaved(Script):
    """A script whose callables run between two typed lines (a teammate, elsewhere)."""

    def read(self, prompt: str) -> str:
        while self.lines and callable(self.lines[0]):
            self.lines.pop(0)()
        return super().read(prompt)


def test_a_question_a_teammate_made_irrelevant_is_left_and_said(tmp_path):
    db = storage.open_db(tmp_path / "demo.sqlite")

    def bob_answers_negatif() -> None:  # from Telegram, say
        place = storage.find_place(db, "La Tréso")
        response = storage.find_response(db, place.id, 2025)
        with storage.interview_step(db, response.id, 1002) as step:
            step.save({"espaces.effet": "negatif"}, None)

    console = Interleaved(["s", "9", "1", bob_answers_negatif, "2"])
    try:
        session = open_session(db, GRID, console, "La Tréso", 2025)
        TerminalInterview(session, console, tmp_path / "out").run()
    except Quit:
        pass
    assert T.NO_LONGER_ASKED in console.text
    assert "espaces.ameliorations" not in stored(tmp_path)
