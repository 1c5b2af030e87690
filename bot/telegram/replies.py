"""How the Telegram channel shows the interview: an `interview.Outcome` turned into
messages (the question, the section menu, the review, the offer of last year's
answers, the refusals in French), and the edits of a pressed message.

Used by `features/interview.py`; kept apart so that the feature holds the handlers and
this module the rendering of each outcome.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import ContextTypes

import storage
from bot.telegram import callbacks, fiches, outgoing, texts, views
from bot.telegram.context import say, services
from bot.telegram.transport import failed_call
from bot.telegram.views import escape
from campaign.clock import PARIS
from interview import Outcome, Problem, Session
from questionnaire import engine
from questionnaire.answers import describe
from questionnaire.engine import Prompt, Step
from questionnaire.grid import Grid

log = logging.getLogger(__name__)

_PROBLEMS = {
    Problem.STALE: texts.STALE,
    Problem.OTHER_FICHE: texts.OTHER_FICHE_SHORT,
    Problem.BUTTONS_EXPECTED: texts.BUTTONS_EXPECTED,
    Problem.TAP_EXPECTED: texts.TAP_EXPECTED,
    Problem.NUMBER_OUT_OF_RANGE: texts.NUMBER_OUT_OF_RANGE,
}


def error_text(outcome: Outcome) -> str | None:
    """The French words of a refused input: the session's problem, or the engine's."""
    if outcome.problem is not None:
        return _PROBLEMS[outcome.problem].format(**outcome.details)
    return outcome.step.error if outcome.step is not None else None


def not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def edit(query: CallbackQuery, view: views.View) -> bool:
    """Edit the pressed message; False if Telegram refused (too old, deleted…)."""
    try:
        await outgoing.edit(query.get_bot(), query, view.text, view.markup)
    except BadRequest as exc:
        if not_modified(exc):
            return True
        log.warning("could not edit a message (%s): %s", failed_call(exc), exc)
        return False
    return True


async def remove_keyboard(query: CallbackQuery) -> None:
    try:
        await outgoing.remove_keyboard(query.get_bot(), query)
    except BadRequest as exc:
        if not not_modified(exc):
            log.info("could not remove a keyboard: %s", exc)


def place(session: Session) -> str:
    return escape(session.place.name)


def _for_fiche(view: views.View, session: Session) -> views.View:
    """The view with its buttons tagged with the fiche they act on (`callbacks.fiche_tag`):
    tapped later from another place's or year's fiche, they change nothing."""
    if view.markup is None:
        return view
    tag = callbacks.fiche_tag(session.place.id, session.response.year)
    return views.View(view.text, views.Keyboard(view.markup.inline_keyboard, tag))


def review_view(grid: Grid, session: Session, step: Step) -> views.View:
    answered, asked = engine.completion(grid, step.answers)
    return _for_fiche(views.review_view(step.prompt, answered, asked), session)


def prompt_view(grid: Grid, session: Session, step: Step) -> views.View:
    prompt = step.prompt
    if prompt.mode in ("question", "other"):
        return _for_fiche(views.question_view(prompt), session)
    if prompt.mode == "sections":
        return _for_fiche(views.sections_view(prompt), session)
    return review_view(grid, session, step)


async def send_prompt(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      step: Step) -> None:
    """Show where the person stands: a question, the section menu, or the review."""
    if step.prompt.mode == "review":
        await send_review(context, chat_id, session, step)
    else:
        await say(context, chat_id, "", prompt_view(services(context).grid, session, step))


async def send_review(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      step: Step) -> None:
    """The fiche as it stands, then the message to send it or edit a section."""
    grid = services(context).grid
    await fiches.send_fiche_messages(context.bot, chat_id, grid, step.answers,
                                     session.place.name, session.response.year,
                                     title_form=session.place.title_form)
    await say(context, chat_id, "", review_view(grid, session, step))


def closed(session: Session) -> str:
    if session.upcoming is not None:
        return texts.CAMPAIGN_NOT_YET_OPEN.format(year=session.upcoming.year)
    closed_on = session.campaign.closed_at if session.campaign else None
    date_part = (" depuis le " + closed_on.astimezone(PARIS).strftime("%d/%m/%Y")
                 if closed_on else "")
    return texts.CAMPAIGN_CLOSED_FOR_MANAGER.format(year=session.response.year,
                                                   date_part=date_part)


def already_sent(session: Session) -> str:
    return texts.ALREADY_SENT.format(place=place(session), year=session.response.year)


def typed_question(prompt: Prompt) -> bool:
    """Whether the person is expected to type (the question is right above)."""
    if prompt.mode == "other":
        return True
    return prompt.mode == "question" and prompt.question is not None and (
        prompt.question.type in ("count", "amount", "comment"))


async def reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                outcome: Outcome, intro: str | None = None) -> None:
    """Answer a message or a command once its step is committed."""
    if outcome.closed:
        await say(context, chat_id, closed(session))
        return
    if outcome.offer is not None:
        await send_offer(context, chat_id, session, outcome.offer, intro)
        return
    step = outcome.step
    assert step is not None
    if intro:
        await say(context, chat_id, intro)
    if outcome.read_only:
        await say(context, chat_id, already_sent(session))
        return
    if outcome.reopened:
        await say(context, chat_id, texts.REOPENED)
    if step.not_asked:  # typed on a question a teammate's answer made irrelevant
        await say(context, chat_id, texts.NO_LONGER_ASKED)
    await say_overwritten(context, chat_id, outcome)
    error = error_text(outcome)
    if error:
        await say(context, chat_id, escape(error))
        if typed_question(step.prompt) and not step.stale:
            return  # the question and its buttons are just above
        if step.prompt.mode == "review":  # the buttons again, not the whole fiche
            await say(context, chat_id, "", review_view(services(context).grid, session,
                                                        step))
            return
    await send_prompt(context, chat_id, session, step)


async def say_overwritten(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                          outcome: Outcome) -> None:
    """If the step replaced a teammate's newer answer, say which (`Outcome.overwritten`)."""
    if outcome.overwritten is None or outcome.before is None:
        return
    question = services(context).grid.question(outcome.before.key or "")
    value = describe(question, outcome.overwritten) if question else None
    await say(context, chat_id, texts.OVERWROTE.format(
        value=escape(value or str(outcome.overwritten))))


async def send_offer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      source: storage.Response, intro: str | None = None) -> None:
    """Offer to start from an earlier year's answers (the outcome's `offer`)."""
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(texts.PREFILL_YES.format(year=source.year),
                              callback_data=callbacks.prefill(session.response.id,
                                                              source.id))],
        [InlineKeyboardButton(texts.PREFILL_NO,
                              callback_data=callbacks.prefill(session.response.id, None))]])
    text = texts.PREFILL_OFFER.format(place=place(session), source_year=source.year)
    await context.bot.send_message(chat_id, f"{intro}\n\n{text}" if intro else text,
                                   reply_markup=markup)
