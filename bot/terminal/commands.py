"""A typed line → what to do: engine actions, a French message, quit or help. Pure.

A pasted text of several lines (bracketed paste, see `console`) is one input: a comment
keeps its lines, anywhere else it is refused as a whole, never split into answers.

The rule that keeps answers safe: where the person is expected to write (a number, an
estimation, a comment, an extra option), only a line starting with "/" is a command
("/p", "/passer"); any other line is the answer — except a bare command word ("p",
"quitter"), which is refused with a pointer to "/p" instead of being stored. Where
nothing is to be written (choices, the review, the section menu, the confirmation), the
"/" is optional. Numbers tick options with the intent of what the screen showed
(`Tap.on`), so a tick another manager made meanwhile is never undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.terminal import texts as T
from questionnaire import engine
from questionnaire.answers import strip_controls
from questionnaire.engine import Action, Mode, Prompt, PromptAction
from questionnaire.typography import format_number


class Command(StrEnum):
    VALIDATE = "validate"
    OTHER = "other"
    SKIP = "skip"
    KEEP = "keep"
    ERASE = "erase"
    BACK = "back"
    SECTIONS = "sections"
    SUBMIT = "submit"
    EDIT = "edit"
    RESUME = "resume"
    YES = "yes"
    NO = "no"
    HELP = "help"
    QUIT = "quit"


class Screen(StrEnum):
    CHOICE = "choice"  # multi or single: numbers and commands
    TEXT = "text"  # count, amount, comment: the answer is typed
    OTHER = "other"  # typing an extra option
    REVIEW = "review"
    CONFIRM = "confirm"  # sending with sections unanswered
    SECTIONS = "sections"


@dataclass(frozen=True)
class Word:
    letter: str
    words: tuple[str, ...]  # the same command in full


WORDS: dict[Command, Word] = {
    Command.VALIDATE: Word("v", ("valider",)),
    Command.OTHER: Word("a", ("autre",)),
    Command.SKIP: Word("p", ("passer", "suivant", "suivante")),
    Command.KEEP: Word("g", ("garder",)),
    Command.ERASE: Word("e", ("effacer",)),
    Command.BACK: Word("r", ("retour", "revenir", "annuler")),
    Command.SECTIONS: Word("s", ("sections",)),
    Command.SUBMIT: Word("e", ("envoyer",)),
    Command.EDIT: Word("m", ("modifier",)),
    Command.RESUME: Word("c", ("continuer",)),
    Command.YES: Word("o", ("oui",)),
    Command.NO: Word("n", ("non",)),
    Command.HELP: Word("?", ("aide",)),
    Command.QUIT: Word("q", ("quitter",)),
}
# Bare words refused as answers on a text question: every command's letter and words,
# but not "oui" / "non" (a fair answer to a comment question; commands only when
# confirming).
_COMMAND_LIKE = frozenset(
    word for command, spec in WORDS.items() if command not in (Command.YES, Command.NO)
    for word in (spec.letter, *spec.words))

# Numbers are ASCII digits ("²" is a digit to str.isdigit(), not to int()), and one
# longer than MAX_DIGITS is out of range without being converted (int() refuses
# 5 000 digits, and no list is that long).
_DIGITS = re.compile(r"[0-9]+")
_NUMBERS = re.compile(r"[0-9]+(?:[\s,;]+[0-9]+)*")
_NUMBER_SEPARATOR = re.compile(r"[\s,;]+")
_EXTRA = re.compile(r"x\s*([0-9]+)")
MAX_DIGITS = 4
_TEXT_TYPES = ("count", "amount", "comment")


@dataclass(frozen=True)
class Parsed:
    """What a line means. Nothing set: show the screen's help again."""

    actions: tuple[Action, ...] = ()
    message: str | None = None  # refused: say it, nothing is applied
    quit: bool = False
    help: bool = False


def screen_of(prompt: Prompt) -> Screen:
    if prompt.mode == Mode.REVIEW:
        return Screen.CONFIRM if prompt.confirm else Screen.REVIEW
    if prompt.mode == Mode.SECTIONS:
        return Screen.SECTIONS
    if prompt.mode == Mode.OTHER:
        return Screen.OTHER
    assert prompt.question is not None
    return Screen.TEXT if prompt.question.type in _TEXT_TYPES else Screen.CHOICE


def available(prompt: Prompt) -> list[Command]:
    """The commands of this screen, in the order they are listed."""
    screen = screen_of(prompt)
    actions = prompt.actions
    if screen == Screen.REVIEW:
        commands = [Command.SUBMIT, Command.EDIT]
        if PromptAction.RESUME in actions:
            commands.append(Command.RESUME)
        return [*commands, Command.BACK, Command.QUIT]
    if screen == Screen.CONFIRM:
        return [Command.YES, Command.NO, Command.QUIT]
    if screen in (Screen.SECTIONS, Screen.OTHER):
        return [Command.BACK, Command.QUIT]
    by_action = [(PromptAction.VALIDATE, Command.VALIDATE), (PromptAction.OTHER, Command.OTHER),
                 (PromptAction.KEEP, Command.KEEP), (PromptAction.SKIP, Command.SKIP),
                 (PromptAction.ERASE, Command.ERASE), (PromptAction.BACK, Command.BACK)]
    commands = [command for action, command in by_action if action in actions]
    return [*commands, Command.SECTIONS, Command.QUIT]


def slashed(prompt: Prompt) -> bool:
    """Whether this screen's commands must be written with "/" (text is expected)."""
    return screen_of(prompt) in (Screen.TEXT, Screen.OTHER)


def _lookup(word: str, prompt: Prompt) -> Command | None:
    for command in (*available(prompt), Command.HELP):
        spec = WORDS[command]
        if word == spec.letter or word in spec.words:
            return command
    return None


def parse(line: str, prompt: Prompt) -> Parsed:
    """What `line`, typed at `prompt`, means."""
    text = strip_controls(line).strip()
    screen = screen_of(prompt)
    if not text:
        return Parsed(help=True)
    if "\n" in text and not _takes_lines(prompt):  # a paste: one input, never split
        return Parsed(message=T.ONE_LINE_ONLY.format(help=_after_refusal(prompt)))
    lowered = text.casefold()
    if lowered.startswith("/"):
        name = lowered[1:].strip()
        command = _lookup(name, prompt)
        if command is not None:
            return _command(command, prompt)
        if screen == Screen.CHOICE and (match := _EXTRA.fullmatch(name)):
            return _remove_extra(prompt, match[1])
        return Parsed(message=T.UNKNOWN_COMMAND.format(text=text, help=commands_line(prompt)))
    if screen in (Screen.TEXT, Screen.OTHER):
        if lowered in _COMMAND_LIKE:  # never stored: say how commands are written here
            return Parsed(message=T.LOOKS_LIKE_COMMAND.format(text=text,
                                                              commands=commands_line(prompt)))
        return _typed(text, prompt)
    command = _lookup(lowered, prompt)
    if command is not None:
        return _command(command, prompt)
    if screen == Screen.SECTIONS and _DIGITS.fullmatch(lowered):
        count = len(prompt.sections)
        number = _in_range(lowered, count)
        if number is None:
            return Parsed(message=T.SECTION_OUT_OF_RANGE.format(number=_shown(lowered),
                                                                count=count))
        return Parsed((engine.Jump(prompt.sections[number - 1].id),))
    if screen == Screen.CHOICE:
        if match := _EXTRA.fullmatch(lowered):
            return _remove_extra(prompt, match[1])
        if _NUMBERS.fullmatch(lowered):
            return _taps(prompt, _NUMBER_SEPARATOR.split(lowered))
    return Parsed(message=T.UNKNOWN_INPUT.format(text=text, help=_after_refusal(prompt)))


def _after_refusal(prompt: Prompt) -> str:
    """What follows "Je n’ai pas compris…": the screen's help line, and its commands
    where that line names no key (the review has none, the confirmation only asks)."""
    if screen_of(prompt) in (Screen.REVIEW, Screen.CONFIRM):
        return " ".join(filter(None, (help_line(prompt), commands_line(prompt))))
    return help_line(prompt)


def _takes_lines(prompt: Prompt) -> bool:
    """Whether an answer here may hold several lines: a comment only."""
    question = prompt.question
    return (screen_of(prompt) == Screen.TEXT and question is not None
            and question.type == "comment")


def help_line(prompt: Prompt) -> str:
    """The one line that says what can be typed here."""
    screen = screen_of(prompt)
    question = prompt.question
    if screen == Screen.CHOICE and question is not None:
        return T.HELP_MULTI if question.type == "multi" else T.HELP_SINGLE
    if screen == Screen.TEXT and question is not None:
        return {"count": T.HELP_COUNT, "amount": T.HELP_AMOUNT}.get(
            question.type, T.HELP_COMMENT).format(limit=_limit(prompt))
    return {Screen.OTHER: T.HELP_OTHER, Screen.SECTIONS: T.HELP_SECTIONS,
            Screen.CONFIRM: T.CONFIRM_SEND}.get(screen, "")


def _limit(prompt: Prompt) -> str:
    return format_number(prompt.question.text_limit if prompt.question else 0)


def _command(command: Command, prompt: Prompt) -> Parsed:
    key = prompt.key or ""
    if command == Command.QUIT:
        return Parsed(quit=True)
    if command == Command.HELP:
        return Parsed(help=True)
    action: Action = {
        Command.VALIDATE: engine.Validate(key),
        Command.OTHER: engine.AskOther(key),
        Command.SKIP: engine.Skip(key),
        Command.KEEP: engine.Keep(key),
        Command.ERASE: engine.Erase(key),
        Command.BACK: engine.Back(key) if prompt.mode == Mode.QUESTION else engine.Back(),
        Command.SECTIONS: engine.OpenSections(),
        Command.SUBMIT: engine.Submit(),
        Command.EDIT: engine.OpenSections(),
        Command.RESUME: engine.Resume(),
        Command.YES: engine.Submit(confirmed=True),
        Command.NO: engine.Review(),
    }[command]
    return Parsed((action,))


def _in_range(digits: str, count: int) -> int | None:
    """The number ASCII `digits` write, if it is between 1 and `count`."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        return None
    number = int(digits)
    return number if 1 <= number <= count else None


def _shown(digits: str) -> str:
    """A typed number as a message quotes it: "12", never its 5 000 digits."""
    digits = digits.lstrip("0") or "0"
    return digits if len(digits) <= MAX_DIGITS else digits[:MAX_DIGITS] + "…"


def _typed(text: str, prompt: Prompt) -> Parsed:
    question = prompt.question
    if (prompt.mode == Mode.QUESTION and question is not None and question.type == "amount"
            and _DIGITS.fullmatch(text)
            and (number := _in_range(text, len(prompt.options))) is not None):
        return Parsed((engine.Tap(prompt.key or "", prompt.options[number - 1].id),))
    return Parsed((engine.Text(text),))


def _taps(prompt: Prompt, typed: list[str]) -> Parsed:
    """Numbers typed on a choice question (ASCII digits); on a multi, each flips what the
    screen showed."""
    key = prompt.key or ""
    count = len(prompt.options)
    numbers = []
    for digits in typed:
        number = _in_range(digits, count)
        if number is None:
            return Parsed(message=T.NUMBER_OUT_OF_RANGE.format(number=_shown(digits),
                                                               count=count))
        numbers.append(number)
    question = prompt.question
    assert question is not None
    if question.type != "multi":
        if len(numbers) != 1:
            return Parsed(message=T.UNKNOWN_INPUT.format(text=" ".join(map(str, numbers)),
                                                         help=T.HELP_SINGLE))
        return Parsed((engine.Tap(key, prompt.options[numbers[0] - 1].id),))
    taps = []
    for number in dict.fromkeys(numbers):  # "1 1" is one tap
        option = prompt.options[number - 1]
        taps.append(engine.Tap(key, option.id, on=not option.selected))
    return Parsed(tuple(taps))


def _remove_extra(prompt: Prompt, digits: str) -> Parsed:
    number = _in_range(digits, len(prompt.extras))
    if number is None:
        return Parsed(message=T.EXTRA_OUT_OF_RANGE.format(number=_shown(digits)))
    return Parsed((engine.RemoveOther(prompt.key or "", prompt.extras[number - 1]),))


def commands_line(prompt: Prompt) -> str:
    """The screen's commands in one line: "Commandes : v valider · p passer · …"."""
    prefix = "/" if slashed(prompt) else ""
    meanings = []
    for command in available(prompt):
        meaning = command.value
        if command == Command.KEEP:
            continue  # accepted, not listed: "p" keeps the answer too
        if command == Command.SKIP and prompt.answered:
            meaning = "next"  # moving on keeps the answer
        if command == Command.BACK and prompt.mode == Mode.OTHER:
            meaning = "cancel"
        # no-break spaces inside one command: a long line wraps between commands only
        meanings.append(T.COMMAND.format(word=prefix + WORDS[command].letter,
                                         meaning=T.MEANINGS[meaning].replace(" ", "\u00a0")))
    template = T.COMMANDS_SLASHED if prefix else T.COMMANDS
    return template.format(commands=T.COMMAND_SEPARATOR.join(meanings))
