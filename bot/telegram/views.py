"""Engine prompts → Telegram messages (HTML text + inline keyboard). No I/O here.

A question message: the section and its number in bold, the question, the options in
full and numbered (buttons are cut to stay readable on a phone: "✅ 1. visiteur·euse·s
gra…", one option per row), typed extras, the current typed answer, then the hint.
Every text that comes from a person is escaped; messages stay under Telegram's 4 096
characters (long answers and extras are cut in the message, never in the database).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from bot.telegram import callbacks, texts
from questionnaire import messages
from questionnaire.answers import answer_digest, describe, describe_key
from questionnaire.engine import Prompt, PromptAction
from questionnaire.grid import Grid, Question

MAX_MESSAGE = 4096
EXTRA_SHOWN = 150  # characters of a typed extra shown in a question message
EXTRAS_SHOWN = 10
CURRENT_SHOWN = 1000  # characters of a typed answer shown in a question message
ANSWER_SHOWN = 600  # characters of an answer in a closed question
_BLANKS = re.compile(r"[^\S\u00a0\u202f]+")


class Button(NamedTuple):
    """An inline button that sends `callback_data` (named as in the Bot API)."""

    text: str
    callback_data: str


@dataclass(frozen=True, slots=True)
class Keyboard:
    """An inline keyboard, rows of buttons, as plain data.

    Not PTB's `InlineKeyboardMarkup`: building and serialising PTB's objects cost more
    than the rest of a question's view (bench/bench_telegram.py). `to_dict` is what
    the Bot API receives; `outgoing` sends it.
    """

    inline_keyboard: tuple[tuple[Button, ...], ...]
    tag: str = ""  # added to every button's data when sent (`callbacks.fiche_tag`)

    def to_dict(self) -> dict[str, Any]:
        """As the Bot API takes it; each button's data ends with `tag`, unless that would
        pass Telegram's 64 bytes (the data is ASCII): then it goes without, and the press
        is checked as before tags existed."""
        tag = self.tag
        room = callbacks.MAX_BYTES - len(tag)
        return {"inline_keyboard": [
            [{"text": b.text, "callback_data": b.callback_data + tag
              if len(b.callback_data) <= room else b.callback_data} for b in row]
            for row in self.inline_keyboard]}


def keyboard(rows: list[list[Button]]) -> Keyboard:
    return Keyboard(tuple(tuple(row) for row in rows))


@dataclass(frozen=True)
class View:
    text: str
    markup: Keyboard | None = None


def escape(value: Any) -> str:
    return html.escape(str(value), quote=False)


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, with "…" when cut."""
    text = _BLANKS.sub(" ", text).strip() if limit <= 80 else text  # no-break spaces kept
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def visible_length(html_text: str) -> int:
    """The length Telegram counts: tags removed, entities decoded."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def _button(label: str, data: str) -> Button:
    return Button(_label(label), data)


@lru_cache(maxsize=4096)
def _label(label: str) -> str:
    """A button's label cut to fit a phone: most labels are the grid's and `texts`' own,
    the same for every place, so each is cut once (a few a step otherwise)."""
    return cut(label, texts.BUTTON_MAX_CHARS)


@lru_cache(maxsize=1024)
def _heading(section_title: str, number: int, count: int, question_text: str) -> str:
    """The section line and the question, the top of a question's message: the same for
    every place, so kept."""
    return "\n".join([texts.HEADER.format(section=escape(section_title.upper()), index=number,
                                          count=count), escape(question_text)])


# --- Question -----------------------------------------------------------------------------

def question_view(prompt: Prompt) -> View:
    """The message of a question (mode "question"), or of typing an extra ("other")."""
    question = prompt.question
    key = prompt.key
    progress = prompt.progress
    assert question is not None and key is not None and progress is not None
    lines = [_heading(progress.section_title, progress.section_number, progress.section_count,
                      prompt.text)]
    rows: list[list[Button]] = []

    if prompt.mode == "other":
        lines += _extra_lines(prompt.extras)
        lines += ["", f"<i>{escape(prompt.hint)}</i>"]
        rows.append([_button(texts.BUTTON_BACK, callbacks.cancel_other(key))])
        return View("\n".join(lines), keyboard(rows))

    if question.type in ("multi", "single"):
        lines.append("")
        for option in prompt.options:
            line, button = _option(key, option.id, option.label, option.number, option.selected,
                                   question.type == "multi")
            lines.append(line)
            rows.append([button])
    elif question.type == "amount":
        for option in prompt.options:
            mark = texts.CHECKED if option.selected else ""
            rows.append([_button(mark + option.label, callbacks.tap(key, option.id))])

    if question.type == "multi":
        lines += _extra_lines(prompt.extras)
        for index, extra in enumerate(prompt.extras[:EXTRAS_SHOWN]):
            rows.append([_button(texts.BUTTON_REMOVE_EXTRA.format(text=cut(extra, 16)),
                                 callbacks.remove_extra(key, index, extra))])
        buttons = []
        if "other" in prompt.actions:
            buttons.append(_button(texts.BUTTON_OTHER, callbacks.ask_other(key)))
        buttons.append(_button(texts.BUTTON_VALIDATE, callbacks.validate(key)))
        rows.append(buttons)

    if prompt.current is not None and question.type != "multi":
        if question.type in ("count", "amount", "comment"):
            lines += ["", texts.CURRENT_ANSWER.format(
                value=escape(cut(format_value(question, prompt.current), CURRENT_SHOWN)))]
        if "keep" in prompt.actions:
            rows.append([_button(texts.BUTTON_KEEP.format(
                value=cut(format_value(question, prompt.current), 14)), callbacks.keep(key))])

    lines += ["", f"<i>{escape(prompt.hint)}</i>"]
    if PromptAction.ERASE in prompt.actions:
        rows.append([_button(texts.BUTTON_ERASE, callbacks.erase(key, _shown(prompt)))])
    last = []
    if "back" in prompt.actions:
        last.append(_button(texts.BUTTON_BACK, callbacks.back(key)))
    last.append(_button(texts.BUTTON_NEXT if prompt.answered else texts.BUTTON_SKIP,
                        callbacks.skip(key)))
    rows.append(last)
    return View("\n".join(lines), keyboard(rows))


def _shown(prompt: Prompt) -> str:
    """The digest of the answer the prompt shows (`answers.answer_digest`)."""
    question = prompt.question
    assert question is not None
    if question.type in ("multi", "single"):
        chosen = [o.id for o in prompt.options if o.selected]
        value: Any = chosen if question.type == "multi" else next(iter(chosen), None)
        return answer_digest(question, value, prompt.extras)
    return answer_digest(question, prompt.current)


@lru_cache(maxsize=4096)
def _option(key: str, option_id: str, label: str, number: int, selected: bool,
            intent: bool) -> tuple[str, Button]:
    """An option's line in the message and its button, the same for every place: kept
    (the grid has a few hundred of them, ticked or not). With `intent` (multi choice),
    the button says what a tap means from what the person sees: tick it if it shows
    unticked, untick it if it shows ticked."""
    mark = texts.CHECKED if selected else ""
    return (texts.OPTION_LINE.format(mark=mark, number=number, label=escape(label)),
            _button(texts.OPTION_LINE.format(mark=mark, number=number, label=label),
                    callbacks.tap(key, option_id, not selected if intent else None)))


def _extra_lines(extras: tuple[str, ...]) -> list[str]:
    lines = [texts.EXTRA_LINE.format(text=escape(cut(extra, EXTRA_SHOWN)))
             for extra in extras[:EXTRAS_SHOWN]]
    if len(extras) > EXTRAS_SHOWN:
        lines.append("…")
    return lines


def format_value(question: Question, value: Any) -> str:
    """A typed answer in words (`questionnaire.answers.describe`)."""
    return describe(question, value) or ""


def closed_question_text(grid: Grid, question: Question, answers: dict[str, Any]) -> str:
    """A question once answered: no more buttons, the answer under it."""
    answer = describe_key(question, answers)
    last = (texts.CHOSEN.format(answer=escape(cut(answer, ANSWER_SHOWN))) if answer
            else texts.CHOSEN_SKIPPED)
    section = grid.section(question.section_id)
    assert section is not None
    top = _heading(section.title, grid.section_index(section.id) + 1, len(grid.sections),
                   question.prompt)
    return "\n".join([top, "", last])


# --- Review and section menu --------------------------------------------------------------

def review_view(prompt: Prompt, answered: int, asked: int) -> View:
    """The review's buttons, with the warning about sections without an answer. After
    "Envoyer" with such sections (`prompt.confirm`), the confirmation instead."""
    lines = [texts.REVIEW.format(answered=answered, asked=asked)]
    warning = messages.unanswered_sections(prompt.unanswered_sections, prompt.fiche_sections)
    if warning:
        lines += ["", escape(warning)]
    if prompt.confirm:
        lines += ["", texts.REVIEW_CONFIRM]
        send = _button(texts.BUTTON_SEND_ANYWAY, callbacks.SUBMIT_CONFIRMED)
    else:
        send = _button(texts.BUTTON_SEND, callbacks.SUBMIT)
    rows = [[send], [_button(texts.BUTTON_EDIT_SECTION, callbacks.SECTIONS)]]
    if prompt.unvisited:
        lines += ["", texts.REVIEW_UNVISITED]
        rows.append([_button(texts.BUTTON_CONTINUE, callbacks.RESUME)])
    return View("\n".join(lines), keyboard(rows))


def sections_view(prompt: Prompt) -> View:
    lines = [texts.SECTIONS, ""]
    rows = []
    for view in prompt.sections:
        lines.append(texts.SECTION_LINE.format(number=view.number, title=escape(view.title),
                                               answered=view.answered, asked=view.asked))
        label = texts.BUTTON_SECTION.format(number=view.number, title=cut(view.title, 20),
                                            answered=view.answered, asked=view.asked)
        rows.append([Button(label, callbacks.jump(view.id))])
    rows.append([_button(texts.BUTTON_BACK, callbacks.SECTIONS_BACK)])
    return View("\n".join(lines), keyboard(rows))
