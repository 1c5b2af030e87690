"""The terminal interview's loop: read a line, apply what it means, show the result.

Channel work only: `commands.parse` turns the line into engine actions, the session
applies them, `screen` turns the prompt into lines. Nothing here decides a rule of the
interview.
"""

from __future__ import annotations

from pathlib import Path

from bot.fiche_files import write_fiche_files
from bot.terminal import screen
from bot.terminal import texts as T
from bot.terminal.commands import parse
from bot.terminal.console import Console, Quit
from bot.terminal.session import TerminalSession
from fiche.model import Fiche, build_fiche
from questionnaire import engine
from questionnaire.engine import Mode, Step


class TerminalInterview:
    def __init__(self, session: TerminalSession, console: Console, out_dir: Path) -> None:
        self.session = session
        self.console = console
        self.out_dir = out_dir

    def run(self) -> None:
        """Until the fiche is sent (returns) or the person quits (`Quit`)."""
        step = self.session.apply(engine.Show())
        self.show(step)
        while True:
            parsed = parse(self.console.read(T.PROMPT), step.prompt)
            if parsed.quit:
                raise Quit
            if parsed.message:
                self.say_lines([parsed.message])
                continue
            if parsed.help or not parsed.actions:
                self.say_lines(screen.help_lines(step.prompt))
                continue
            for action in parsed.actions:
                step = self.session.apply(action)
                if step.error:
                    break
            if step.error and not step.stale:
                self.say_lines([f"⚠ {step.error}", *screen.help_lines(step.prompt)])
                continue
            if step.error:  # made for another screen: the current one, in full
                self.say_lines([f"⚠ {step.error}"])
            if step.submit:
                self.sent(step)
                return
            self.show(step)

    def show(self, step: Step) -> None:
        prompt = step.prompt
        if prompt.mode == Mode.REVIEW:
            answered, asked = engine.completion(self.session.grid, step.answers)
            self.say_lines(screen.review_lines(prompt, self.fiche(step), answered, asked,
                                               self.console.width()))
        elif prompt.mode == Mode.SECTIONS:
            self.say_lines(screen.sections_lines(prompt))
        else:
            self.say_lines(screen.question_lines(prompt))

    def fiche(self, step: Step) -> Fiche:
        s = self.session
        return build_fiche(s.grid, step.answers, s.place.name, s.response.year)

    def sent(self, step: Step) -> None:
        """The fiche was shown in the review just before: not printed again."""
        s = self.session
        paths = write_fiche_files(s.grid, step.answers, s.place.name, s.response.year,
                                  self.out_dir)
        self.console.say()
        self.console.say(T.SENT)
        for path in paths:
            self.console.say(T.SENT_PATH.format(path=path))

    def say_lines(self, lines: list[str]) -> None:
        for line in screen.wrap(lines, self.console.width()):
            self.console.say(line)
