"""The terminal interview's loop: read a line, apply what it means, show the outcome.

Channel work only: `commands.parse` turns the line into engine actions, the shared
session (`interview.apply`, through `TerminalSession`) applies them, `screen` turns
the prompt into lines. The session's outcomes that are not a step — the offer of last
year's answers, a fiche already sent, a closed campaign — get their own short dialogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import storage
from bot.fiche_files import write_fiche_files
from bot.system_errors import os_error
from bot.terminal import screen
from bot.terminal import texts as T
from bot.terminal.commands import parse
from bot.terminal.console import Console, Quit
from bot.terminal.session import TerminalSession
from fiche.model import build_fiche
from fiche.pdf_support import MISSING_PDF, pdf_support
from interview import Outcome, Prefill, Problem, Result, Session
from questionnaire import engine
from questionnaire.answers import describe, describe_key
from questionnaire.engine import Mode, Step

ERASED_SHOWN = 80  # characters of an erased answer quoted back


class TerminalInterview:
    def __init__(self, session: TerminalSession, console: Console, out_dir: Path) -> None:
        self.session = session
        self.console = console
        self.out_dir = out_dir
        self.files_written = True  # False once writing the fiche's files failed

    def run(self) -> bool:
        """Until the fiche is sent or answering is closed (returns), or the person quits
        (`Quit`). False when the fiche's files could not be written."""
        outcome, notice = self.session.apply(engine.Show()), None
        while True:
            settled = self.settle(outcome)
            if settled is None:
                return self.files_written
            step = settled.step
            assert step is not None
            if step.submit:
                self.sent(settled)
                return self.files_written
            self.report(settled, notice)
            outcome, notice = self.next_outcome(step)

    # --- outcomes ---
    def settle(self, outcome: Outcome) -> Outcome | None:
        """Through the session's own dialogues until there is a step to show; None when
        there is nothing more to do here."""
        while outcome.result is not Result.STEPPED:
            if outcome.result is Result.OFFER:
                outcome = self.offer(outcome)
            elif outcome.result is Result.READ_ONLY:
                reopened = self.read_only(outcome)
                if reopened is None:
                    return None
                outcome = reopened
            elif outcome.result is Result.CLOSED:
                session = outcome.session
                upcoming = session.upcoming if session else None
                self.say_lines([T.NOT_YET_OPEN.format(year=upcoming.year) if upcoming
                                else T.CLOSED])
                return None
            else:  # NO_PLACE (the terminal names its place), DUPLICATE (no update id)
                self.say_lines([T.NO_PLACE])
                return None
        return outcome

    def offer(self, outcome: Outcome) -> Outcome:
        assert outcome.offer is not None and outcome.session is not None
        year = outcome.offer.year
        self.say_lines(["", T.PREFILL_OFFER.format(place=outcome.session.place.name,
                                                    year=year), T.PREFILL_CHOICE])
        while True:
            word = self.console.read(T.PROMPT).strip().casefold().lstrip("/")
            if word in ("q", "quitter"):
                raise Quit
            if word in ("o", "oui", "n", "non"):
                break
            self.say_lines([T.PREFILL_CHOICE])
        done = self.session.choose_prefill(outcome, accept=word in ("o", "oui"))
        if done is Prefill.COPIED:
            self.say_lines([T.PREFILLED.format(year=year)])
        elif done is Prefill.BLANK:
            self.say_lines([T.PREFILL_BLANK])
        return self.session.apply(engine.Show())

    def read_only(self, outcome: Outcome) -> Outcome | None:
        """A fiche already sent: reopen it (m), write its files (f, then None), or quit."""
        session = outcome.session
        assert session is not None
        self.say_lines(["", T.ALREADY_SENT.format(place=session.place.name,
                                                  year=session.response.year,
                                                  folder=self.out_dir)])
        while True:
            word = self.console.read(T.PROMPT).strip().casefold().lstrip("/")
            if word in ("q", "quitter"):
                raise Quit
            if word in ("m", "modifier"):
                break
            if word in ("f", "fichiers"):
                answers = storage.load_answers(self.session.db, session.response.id)
                self.write_files(session, answers, T.FILES_WRITTEN, T.FILES_NOT_WRITTEN)
                return None
            self.say_lines([T.ALREADY_SENT_CHOICE])
        self.say_lines([T.REOPENED])
        return self.session.apply(engine.OpenSections(), reopen=True)

    def report(self, outcome: Outcome, notice: str | None = None) -> None:
        """What the last input did: a refusal and the help, or the new screen (after
        `notice`, what it changed that the screen does not show: an answer erased)."""
        step = outcome.step
        assert step is not None
        problem = outcome.problem
        if problem is Problem.STALE:  # made for another screen: the current one, in full
            self.say_lines([f"⚠ {T.STALE}"])
        elif problem is not None:
            self.say_lines([f"⚠ {T.PROBLEMS[problem].format(**outcome.details)}",
                            *screen.help_lines(step.prompt)])
            return
        elif step.error:
            self.say_lines([f"⚠ {step.error}", *screen.help_lines(step.prompt)])
            return
        if step.not_asked:  # another terminal or chat changed what this depended on
            self.say_lines(["", T.NO_LONGER_ASKED])
        if outcome.overwritten is not None:
            self.say_lines(["", T.OVERWROTE.format(value=self.replaced(outcome))])
        if notice:
            self.say_lines(["", notice])
        self.show(outcome)

    def replaced(self, outcome: Outcome) -> str:
        """The teammate's answer the step replaced, in words."""
        key = outcome.before.key if outcome.before is not None else None
        question = self.session.grid.question(key or "")
        described = describe(question, outcome.overwritten) if question is not None else None
        return described or str(outcome.overwritten)

    def next_outcome(self, step: Step) -> tuple[Outcome, str | None]:
        """Read lines until one means actions; the outcome of applying them (stopping at
        the first that is refused or leaves the interview's steps), and what to say of
        it before the next screen."""
        while True:
            parsed = parse(self.console.read(T.PROMPT), step.prompt)
            if parsed.quit:
                raise Quit
            if parsed.message:
                self.say_lines([parsed.message])
            elif parsed.help or not parsed.actions:
                self.say_lines(screen.help_lines(step.prompt))
            else:
                break
        for action in parsed.actions:
            outcome = self.session.apply(action)
            if outcome.result is not Result.STEPPED or outcome.refused:
                break
        erased = any(isinstance(action, engine.Erase) for action in parsed.actions)
        return outcome, erased_notice(step) if erased else None

    # --- output ---
    def show(self, outcome: Outcome) -> None:
        step, session = outcome.step, outcome.session
        assert step is not None and session is not None
        prompt = step.prompt
        if prompt.mode == Mode.REVIEW:
            answered, asked = engine.completion(self.session.grid, step.answers)
            fiche = build_fiche(self.session.grid, step.answers, session.place.name,
                                session.response.year, title_form=session.place.title_form)
            self.say_lines(screen.review_lines(prompt, fiche, answered, asked,
                                               self.console.width()))
        elif prompt.mode == Mode.SECTIONS:
            self.say_lines(screen.sections_lines(prompt))
        else:
            self.say_lines(screen.question_lines(prompt))

    def sent(self, outcome: Outcome) -> None:
        """The fiche was shown in the review just before: not printed again."""
        session, step = outcome.session, outcome.step
        assert session is not None and step is not None
        self.write_files(session, step.answers, T.SENT, T.SENT_NOT_WRITTEN)

    def write_files(self, session: Session, answers: Mapping[str, Any], written: str,
                    failed: str) -> None:
        """The sent fiche's files in out_dir, then `written` and their paths; or the one
        line `failed` saying where and why not (and `files_written` becomes False)."""
        sent_at = storage.get_response(self.session.db, session.response.id).submitted_at
        try:
            paths = write_fiche_files(self.session.grid, answers, session.place.name,
                                      session.response.year, self.out_dir,
                                      title_form=session.place.title_form, sent_at=sent_at)
        except OSError as exc:  # the fiche is sent all the same: say so, and how to get them
            self.files_written = False
            self.say_lines(["", failed.format(folder=self.out_dir, reason=os_error(exc))])
            return
        self.say_lines(["", written, *(T.SENT_PATH.format(path=path) for path in paths)])
        if not pdf_support().available:
            self.say_lines([T.NO_PDF.format(reason=MISSING_PDF)])

    def say_lines(self, lines: list[str]) -> None:
        for line in screen.wrap(lines, self.console.width()):
            self.console.say(line)



def erased_notice(step: Step) -> str:
    """"Réponse effacée (c’était « … »)." — the answer the screen showed, shortened."""
    question = step.prompt.question
    value = describe_key(question, step.answers) if question is not None else None
    if not value:
        return T.ERASED
    return T.ERASED_WAS.format(value=shortened(value, ERASED_SHOWN))


def shortened(text: str, width: int) -> str:
    """`text` on one line, cut at an ordinary space to fit `width` with its "…" (no-break
    spaces stay: "1 200 personnes" is never cut)."""
    text = " ".join(text.split("\n"))
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;") + "…"
