"""The interview in a terminal: a thin channel over the engine, like the Telegram one.

Input lines become engine actions; prompts become numbered text. Every step goes
through `storage.interview_step`, so quitting at any moment (q, Ctrl-C, end of input)
loses nothing and the next run resumes at the same question.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import sqlite_utils

import storage
from bot import terminal_texts as T
from bot.db_open import damaged_line
from bot.fiche_files import write_fiche_files
from bot.paths import data_dir
from fiche.pdf_support import MISSING_PDF, pdf_support
from questionnaire import engine, messages
from questionnaire.answers import describe
from questionnaire.engine import Action, Position, Prompt
from questionnaire.grid import Grid, default_grid
from storage.responses import last_touched_place

TERMINAL_PERSON = 0  # the terminal user, in the people table
_NUMBERS = re.compile(r"^\d+(?:[\s,;]+\d+)*$")


class Quit(Exception):
    """The person asked to stop (q, Ctrl-C or end of input)."""


class TerminalInterview:
    def __init__(self, db: sqlite_utils.Database, grid: Grid, response: storage.Response,
                 place: storage.Place, out_dir: Path, read: Callable[[str], str],
                 out: TextIO) -> None:
        self.db = db
        self.grid = grid
        self.response = response
        self.place = place
        self.out_dir = out_dir
        self.read = read
        self.out = out

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # --- one step through storage and the engine ---
    def apply(self, action: Action) -> engine.Step:
        with storage.interview_step(self.db, self.response.id, TERMINAL_PERSON) as step:
            position = Position.from_dict(self.grid, step.position)
            result = engine.step(self.grid, step.answers, position, action)
            if not result.error:
                step.save(result.changes, result.position.to_dict())
            self.response = step.response
        return result

    def run(self) -> int:
        result = self.apply(engine.Show())
        while True:
            if result.error:
                self.say(f"⚠ {result.error}")
            self.show(result.prompt, result.answers)
            if result.submit:
                self.submit(result.answers)
                return 0
            line = self.read("> ")
            action = self.parse(line.strip(), result.prompt)
            if action is None:
                continue
            if isinstance(action, str):
                self.say(action)
                continue
            result = self.apply(action)

    # --- input ---
    def parse(self, line: str, prompt: Prompt) -> Action | str | None:
        """An engine action, or a French message to show, or None to show the prompt again."""
        word = line.lower()
        if word in ("q", "quitter"):
            raise Quit
        if prompt.mode == "review" and prompt.confirm:
            if word in ("o", "oui"):
                return engine.Submit(confirmed=True)
            return engine.Show() if word in ("n", "non") else T.UNKNOWN_INPUT.format(
                help=T.CONFIRM_SEND)
        if prompt.mode == "review":
            return {"e": engine.Submit(), "m": engine.OpenSections(), "r": engine.Back(),
                    "c": engine.Resume()}.get(word) or T.UNKNOWN_INPUT.format(help=T.HELP_REVIEW)
        if prompt.mode == "sections":
            if word == "r":
                return engine.Back()
            if word.isdigit() and 1 <= int(word) <= len(prompt.sections):
                return engine.Jump(prompt.sections[int(word) - 1].id)
            return T.UNKNOWN_INPUT.format(help=T.HELP_SECTIONS)
        key = prompt.key or ""
        if prompt.mode == "other":
            return engine.Back() if word == "r" else engine.Text(line)
        commands: dict[str, Action] = {"p": engine.Skip(key), "r": engine.Back(key),
                                       "s": engine.OpenSections()}
        if "keep" in prompt.actions:
            commands["g"] = engine.Keep(key)
        if "validate" in prompt.actions:
            commands["v"] = engine.Validate(key)
        if "other" in prompt.actions:
            commands["a"] = engine.AskOther(key)
        if word in commands:
            return commands[word]
        question = prompt.question
        assert question is not None
        if question.type == "multi" and re.fullmatch(r"x\s*\d+", word):
            index = int(word[1:].strip()) - 1
            if 0 <= index < len(prompt.extras):
                return engine.RemoveOther(key, prompt.extras[index])
            return T.NUMBER_OUT_OF_RANGE.format(number=index + 1)
        if prompt.options and _NUMBERS.match(word):
            numbers = [int(n) for n in re.split(r"[\s,;]+", word)]
            for number in numbers:
                if not 1 <= number <= len(prompt.options):
                    return T.NUMBER_OUT_OF_RANGE.format(number=number)
            if question.type == "multi":
                for number in numbers[:-1]:
                    self.apply(engine.Tap(key, prompt.options[number - 1].id))
            return engine.Tap(key, prompt.options[numbers[-1] - 1].id)
        if question.type in ("multi", "single"):
            return T.UNKNOWN_INPUT.format(help=self.help(prompt))
        return engine.Text(line)

    # --- output ---
    def help(self, prompt: Prompt) -> str:
        question = prompt.question
        assert question is not None
        text = {"multi": T.HELP_MULTI, "single": T.HELP_SINGLE, "amount": T.HELP_AMOUNT}.get(
            question.type, T.HELP_TEXT)
        if "keep" in prompt.actions:
            text += " " + T.HELP_KEEP
        return text

    def show(self, prompt: Prompt, answers: dict) -> None:
        if prompt.mode == "review":
            self.say()
            self.say(T.REVIEW_TITLE)
            self.say()
            self.say(self.markdown(answers))
            if prompt.unvisited:
                self.say(T.UNVISITED)
            warning = messages.unanswered_sections(prompt.unanswered_sections,
                                                   len(prompt.sections))
            if warning:
                self.say(warning)
            if prompt.confirm:
                self.say(T.CONFIRM_SEND)
                return
            self.say(T.HELP_REVIEW + (" " + T.HELP_REVIEW_RESUME if prompt.unvisited else ""))
            return
        if prompt.mode == "sections":
            self.say()
            self.say(T.SECTIONS_TITLE)
            for view in prompt.sections:
                self.say(T.SECTION_LINE.format(number=view.number, title=view.title,
                                               answered=view.answered, asked=view.asked))
            self.say(T.HELP_SECTIONS)
            return
        self.say()
        self.say(f"── {prompt.progress} ──")
        self.say(prompt.text)
        if prompt.mode == "other":
            self.say(T.HELP_OTHER)
            return
        question = prompt.question
        assert question is not None
        for option in prompt.options:
            mark = ("[x] " if option.selected else "[ ] ") if question.type == "multi" else (
                "(•) " if option.selected else "")
            self.say(f"  {option.number}. {mark}{option.label}")
        if prompt.extras:
            self.say(T.EXTRAS.format(extras=" ; ".join(
                f"{n}. {extra}" for n, extra in enumerate(prompt.extras, 1))))
            self.say(T.EXTRA_REMOVE)
        if prompt.current is not None:
            self.say(T.CURRENT_ANSWER.format(value=describe(question, prompt.current)))
        self.say(self.help(prompt))

    def markdown(self, answers: dict) -> str:
        from fiche.model import build_fiche
        from fiche.render import render_markdown

        fiche = build_fiche(self.grid, answers, self.place.name, self.response.year)
        return render_markdown(fiche)

    def submit(self, answers: dict) -> None:
        storage.mark_submitted(self.db, self.response.id, TERMINAL_PERSON)
        paths = write_fiche_files(self.grid, answers, self.place.name, self.response.year,
                                  self.out_dir)
        self.say()
        self.say(self.markdown(answers))
        self.say(T.SENT)
        for path in paths:
            self.say(f"  {path}")
        support = pdf_support()
        if not support.available:
            self.say(T.NO_PDF.format(reason=MISSING_PDF))


def choose_response(db: sqlite_utils.Database, grid: Grid, place_name: str | None,
                    year: int, read: Callable[[str], str], say: Callable[[str], None]
                    ) -> tuple[storage.Place, storage.Response]:
    """The place and response to work on: named, else the last one touched, else asked."""
    storage.upsert_person(db, TERMINAL_PERSON, "Terminal")
    place = None
    if place_name is None:
        last = last_touched_place(db)
        if last is not None:
            place = storage.get_place(db, last)
    while place is None:
        name = place_name if place_name is not None else read(T.ASK_PLACE)
        if place_name is None and name.strip().lower() == "q":  # "q" quits, here too
            raise Quit
        place_name = None
        if not name.strip():
            say(T.PLACE_EMPTY)
            continue
        place = storage.find_place(db, name) or storage.add_place(db, name)
    storage.add_manager(db, place.id, TERMINAL_PERSON)
    existing = storage.find_response(db, place.id, year)
    response = existing or storage.get_or_create_response(db, place.id, year, grid.version)
    say((T.RESUMING if existing else T.STARTING).format(place=place.name, year=year))
    return place, response


def main(args: argparse.Namespace) -> int:
    """`fichebot demo`."""
    grid = default_grid()
    db_file = Path(args.db) if args.db else data_dir() / "demo.sqlite"
    out_dir = Path(args.out) if args.out else db_file.parent
    try:
        db = storage.open_db(db_file)
    except storage.DatabaseDamaged as exc:
        print(damaged_line("demo", db_file, exc), file=sys.stderr)
        return 1
    except storage.StorageError as exc:
        print(f"fichebot demo : {exc}", file=sys.stderr)
        return 1
    out = sys.stdout

    def read(prompt: str) -> str:
        print(prompt, end="", file=out, flush=True)
        line = sys.stdin.readline()
        if not line:
            raise Quit
        return line.rstrip("\n")

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    say(T.WELCOME.format(db=db_file))
    year = args.annee or dt.date.today().year
    try:
        place, response = choose_response(db, grid, args.lieu, year, read, say)
        interview = TerminalInterview(db, grid, response, place, out_dir, read, out)
        if response.submitted:
            say(T.ALREADY_SENT.format(place=place.name, year=year))
            while True:
                word = read("> ").strip().lower()
                if word == "m":
                    interview.response = storage.reopen_response(db, response.id)
                    say(T.REOPENED)
                    interview.apply(engine.OpenSections())
                    break
                if word == "q":
                    raise Quit
        return interview.run()
    except (Quit, KeyboardInterrupt, EOFError):
        say("")
        say(T.QUIT)
        return 0
