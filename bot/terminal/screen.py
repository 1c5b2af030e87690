"""Engine prompts → the lines the terminal prints. Pure: text in, text out.

Plain text everywhere (no Markdown source, no HTML): the review prints the fiche with
`fiche.plain`. Every answer in words comes from `questionnaire.answers.describe`, the
one wording the chat, the export and the fiche share.
"""

from __future__ import annotations

import re
import textwrap

from bot.terminal import texts as T
from bot.terminal.commands import Screen, commands_line, help_line, screen_of
from fiche.model import Fiche
from fiche.plain import render_text
from questionnaire import messages
from questionnaire.answers import describe
from questionnaire.engine import Mode, Prompt, PromptAction
from questionnaire.typography import LIST_SEPARATOR, count_of


def question_lines(prompt: Prompt) -> list[str]:
    """A question (or typing an extra for it): heading, options, answer, help, commands."""
    question, progress = prompt.question, prompt.progress
    assert question is not None and progress is not None
    lines = ["", T.HEADING.format(section=progress.section_title, index=progress.section_number,
                                  count=progress.section_count, number=progress.question_number,
                                  total=progress.question_count),
             prompt.text]
    if prompt.mode == Mode.QUESTION:
        for option in prompt.options:
            template = T.OPTION_MULTI if question.type == "multi" else T.OPTION_SINGLE
            if question.type == "amount":
                lines.append(f"  {option.number}. {option.label}")
                continue
            mark = T.MARK_ON if option.selected else T.MARK_OFF
            lines.append(template.format(number=option.number, mark=mark, label=option.label))
    if prompt.extras:
        lines.append(T.EXTRAS.format(extras=LIST_SEPARATOR.join(
            T.EXTRA_ITEM.format(number=n, text=extra)
            for n, extra in enumerate(prompt.extras, 1))))
        if prompt.mode == Mode.QUESTION:
            lines.append(T.HELP_EXTRA_REMOVE)
    if prompt.current is not None:
        value = describe(question, prompt.current) or ""
        lines.append(T.CURRENT_ANSWER.format(value=value.replace("\n", "\n  ")))
    return [*lines, *help_lines(prompt)]


def help_lines(prompt: Prompt) -> list[str]:
    """What can be typed here, and the screen's commands."""
    lines = [help_line(prompt)] if help_line(prompt) else []
    return [*lines, commands_line(prompt)]


def review_lines(prompt: Prompt, fiche: Fiche, answered: int, asked: int,
                 width: int) -> list[str]:
    """The review: the fiche as it stands (plain text), the counts, the commands. When
    confirming a send, only the warning and the question: the fiche is just above."""
    warning = messages.unanswered_sections(prompt.unanswered_sections, prompt.fiche_sections)
    if screen_of(prompt) == Screen.CONFIRM:
        return ["", warning, T.CONFIRM_SEND, commands_line(prompt)]
    lines = ["", T.REVIEW_TITLE, "", render_text(fiche, width).rstrip(), "",
             T.REVIEW_COUNT.format(answered=answered, asked=asked)]
    if warning:
        lines.append(warning)
    if PromptAction.RESUME in prompt.actions:
        lines.append(T.UNVISITED)
    return [*lines, commands_line(prompt)]


def sections_lines(prompt: Prompt) -> list[str]:
    lines = ["", T.SECTIONS_TITLE]
    for view in prompt.sections:
        lines.append(T.SECTION_LINE.format(
            number=view.number, title=view.title,
            answered=count_of(view.answered, *T.ANSWERS_NOUN), asked=view.asked))
    return [*lines, *help_lines(prompt)]


_OPTION = re.compile(r"^(\s*(?:\d+\. (?:\[.\] |\(.\) )?|– |x\d+\. )?)")


def wrap(lines: list[str], width: int) -> list[str]:
    """Lines cut at `width` on ordinary spaces (never inside "1 200 personnes"); an
    option's continuation is indented under its label."""
    wrapped: list[str] = []
    for line in (part for text in lines for part in text.split("\n")):
        if len(line) <= width:
            wrapped.append(line)
            continue
        indent = " " * len(_OPTION.match(line)[1])  # type: ignore[index]
        wrapped.extend(textwrap.wrap(line, width, subsequent_indent=indent,
                                     break_long_words=False, break_on_hyphens=False))
    return wrapped
