"""The bot's handlers: Telegram update → engine action → committed step → reply.

Handlers stay thin. The state lives in the database: `interview.apply` commits the step
(answer, position, update id) and only then do handlers talk to Telegram. Updates are
processed one at a time (PTB's default), so one person's fast taps are applied and
shown in order.

Each update is handled at most once: the update id is recorded with the step it causes
(or, for updates that change nothing, just before replying), and a redelivered update
is dropped by `gate` before any handler sees it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sqlite_utils import Database
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

import storage
from bot.settings import Settings
from bot.telegram import callbacks, delivery, interview, outgoing, texts, views
from bot.telegram.access import person_roles, requires
from bot.telegram.interview import Outcome, Session
from bot.telegram.transport import failed_call
from bot.telegram.views import escape
from questionnaire import engine
from questionnaire.engine import Position, Prompt, Step
from questionnaire.grid import Grid
from storage.db import immediate_transaction
from storage.invitations import (
    ExpiredInvitation,
    InvitationError,
    RevokedInvitation,
    UsedInvitation,
    create_invitation,
    redeem_invitation,
    token_prefix,
)
from storage.prefill import carry_over, decide_prefill, prefill_source
from storage.reminders import mark_reachable
from storage.roles import GESTIONNAIRE
from storage.updates import claim_update, incoming

log = logging.getLogger(__name__)

SERVICES = "services"  # the bot_data key of `Services`
PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
PLACE_NAME_MAX = 120
INVITATION_DAYS = 14


@dataclass(frozen=True)
class Services:
    """What handlers need, kept in `application.bot_data` (a cache: rebuilt at start)."""

    db: Database
    grid: Grid
    settings: Settings


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data[SERVICES]


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def add_commands(application: Application, commands: Mapping[str, Callback]) -> None:
    """Register commands, answered in private chats only (in groups, `in_group` answers)."""
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=PRIVATE_MESSAGES))


def add_buttons(application: Application, buttons: Mapping[str, Callback]) -> None:
    """Register the handlers of buttons whose data matches a pattern."""
    for pattern, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))


# --- Small helpers ------------------------------------------------------------------------

def _claim(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    """Record an update that changes nothing; False if it was already handled."""
    return claim_update(services(context).db, update.update_id)


async def _say(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
               view: views.View | None = None) -> None:
    if view is not None:
        await outgoing.send(context.bot, chat_id, view.text, view.markup)
    else:
        await outgoing.send(context.bot, chat_id, text)


MESSAGE_LIMIT = 3800  # a listing's messages stay under Telegram's 4 096 characters


async def say_long(context: ContextTypes.DEFAULT_TYPE, chat_id: int, lines: list[str]) -> None:
    """Lines in as few messages as possible, each under Telegram's limit."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > MESSAGE_LIMIT:
            await _say(context, chat_id, "\n".join(chunk))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        await _say(context, chat_id, "\n".join(chunk))


async def confirmation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> list[str] | None:
    """A press on a "Oui / Non" button: its data fields, or None if already handled.

    The press is answered and the buttons removed, so that a second tap on an old
    confirmation message does nothing.
    """
    query = update.callback_query
    if not _claim(context, update):
        return None
    await query.answer()
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    return [*query.data.split(":"), "", ""]


def _not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def _edit(query: CallbackQuery, view: views.View) -> bool:
    """Edit the pressed message; False if Telegram refused (too old, deleted…)."""
    try:
        await outgoing.edit(query.get_bot(), query, view.text, view.markup)
    except BadRequest as exc:
        if _not_modified(exc):
            return True
        log.warning("could not edit a message (%s): %s", failed_call(exc), exc)
        return False
    return True


async def _remove_keyboard(query: CallbackQuery) -> None:
    try:
        await outgoing.remove_keyboard(query.get_bot(), query)
    except BadRequest as exc:
        if not _not_modified(exc):
            log.info("could not remove a keyboard: %s", exc)


def _place(session: Session) -> str:
    return escape(session.place.name)


async def send_prompt(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      step: Step) -> None:
    """Show where the person stands: a question, the section menu, or the review."""
    prompt = step.prompt
    if prompt.mode in ("question", "other"):
        await _say(context, chat_id, "", views.question_view(prompt))
    elif prompt.mode == "sections":
        await _say(context, chat_id, "", views.sections_view(prompt))
    else:
        await send_review(context, chat_id, session, step)


async def send_review(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      step: Step) -> None:
    """The fiche as it stands, then the message to send it or edit a section."""
    grid = services(context).grid
    await delivery.send_fiche_messages(context.bot, chat_id, grid, step.answers,
                                       session.place.name, session.response.year)
    await _say(context, chat_id, "", _review_view(grid, step))


def _review_view(grid: Grid, step: Step) -> views.View:
    answered, asked = engine.completion(grid, step.answers)
    return views.review_view(step.prompt, answered, asked)


def _prompt_view(grid: Grid, step: Step) -> views.View:
    prompt = step.prompt
    if prompt.mode in ("question", "other"):
        return views.question_view(prompt)
    if prompt.mode == "sections":
        return views.sections_view(prompt)
    return _review_view(grid, step)


def _closed(session: Session) -> str:
    if session.upcoming is not None:
        return texts.CAMPAIGN_NOT_YET_OPEN.format(year=session.upcoming.year)
    closed_on = session.campaign.closed_at if session.campaign else None
    date_part = (" depuis le " + closed_on.astimezone(interview.PARIS).strftime("%d/%m/%Y")
                 if closed_on else "")
    return texts.CAMPAIGN_CLOSED_FOR_MANAGER.format(year=session.response.year,
                                                   date_part=date_part)


def _already_sent(session: Session) -> str:
    return texts.ALREADY_SENT.format(place=_place(session), year=session.response.year)


def _typed_question(prompt: Prompt) -> bool:
    """Whether the person is expected to type (the question is right above)."""
    if prompt.mode == "other":
        return True
    return prompt.mode == "question" and prompt.question is not None and (
        prompt.question.type in ("count", "amount", "comment"))


async def reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                outcome: Outcome, intro: str | None = None) -> None:
    """Answer a message or a command once its step is committed (`_step_or_no_place`
    has dealt with a redelivered update)."""
    if outcome.closed:
        await _say(context, chat_id, _closed(session))
        return
    if outcome.offer is not None:
        await _send_offer(context, chat_id, session, outcome.offer, intro)
        return
    step = outcome.step
    assert step is not None
    if intro:
        await _say(context, chat_id, intro)
    if outcome.read_only:
        await _say(context, chat_id, _already_sent(session))
        return
    if outcome.reopened:
        await _say(context, chat_id, texts.REOPENED)
    if step.error:
        await _say(context, chat_id, escape(step.error))
        if _typed_question(step.prompt) and not step.stale:
            return  # the question and its buttons are just above
        if step.prompt.mode == "review":  # the buttons again, not the whole fiche
            await _say(context, chat_id, "", _review_view(services(context).grid, step))
            return
    await send_prompt(context, chat_id, session, step)


async def _no_place(context: ContextTypes.DEFAULT_TYPE, update: Update) -> None:
    if _claim(context, update):
        await _say(context, update.effective_chat.id, texts.NO_PLACE)


def _session(context: ContextTypes.DEFAULT_TYPE, update: Update) -> Session | None:
    s = services(context)
    return interview.open_session(s.db, s.grid, update.effective_user.id)


def _apply(context: ContextTypes.DEFAULT_TYPE, update: Update,
           action: engine.Action | callbacks.Press, *, reopen: bool = False) -> Outcome:
    """One committed step of the sender's interview (`interview.apply`), recorded as
    the handling of this update."""
    s = services(context)
    return interview.apply(s.db, s.grid, update.effective_user.id, action, update.update_id,
                           reopen=reopen)


async def _step_or_no_place(context: ContextTypes.DEFAULT_TYPE, update: Update,
                            action: engine.Action, *, reopen: bool = False
                            ) -> tuple[Session, Outcome] | None:
    """`_apply`, and the session it ran in; None when nothing more is to be said: the
    update was already handled, or the person manages no place (and is told how to get
    an invitation)."""
    outcome = _apply(context, update, action, reopen=reopen)
    if outcome.duplicate:
        return None
    if outcome.session is None:
        await _say(context, update.effective_chat.id, texts.NO_PLACE)
        return None
    return outcome.session, outcome


# --- Updates already handled --------------------------------------------------------------

async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1, before any handler: whoever writes to the bot is reachable again (they
    unblocked it); a redelivered update stops here, before any handler replies twice."""
    db = services(context).db
    user = update.effective_user
    processed, unreachable = incoming(db, update.update_id, user.id if user else None)
    if unreachable and user is not None and mark_reachable(db, user.id):
        log.info("person %s is reachable again", user.id)
    if processed:
        log.info("update %s was already handled: dropped", update.update_id)
        raise ApplicationHandlerStop


# --- Commands -----------------------------------------------------------------------------

_INVITATION_ERRORS: dict[type[InvitationError], str] = {
    ExpiredInvitation: texts.INVITATION_EXPIRED,
    UsedInvitation: texts.INVITATION_USED,
    RevokedInvitation: texts.INVITATION_REVOKED,
}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, and /start <token> from an invitation link."""
    s = services(context)
    user = update.effective_user
    chat_id = update.effective_chat.id
    storage.upsert_person(s.db, user.id, user.full_name, user.username)
    token = context.args[0] if context.args else None
    if token is None:
        stepped = await _step_or_no_place(context, update, engine.Show())
        if stepped is not None:
            await _welcome(context, update, *stepped)
        return

    try:
        with immediate_transaction(s.db):
            if not claim_update(s.db, update.update_id):
                return
            invitation = redeem_invitation(s.db, token, user.id)
    except InvitationError as exc:
        log.info("invitation %s refused for user %s: %s", token_prefix(token), user.id,
                 type(exc).__name__)
        if _claim(context, update):
            await _say(context, chat_id,
                       _INVITATION_ERRORS.get(type(exc), texts.INVITATION_UNKNOWN))
        return
    log.info("invitation %s redeemed by user %s (%s)", token_prefix(token), user.id,
             invitation.role)
    from bot.telegram.people_handlers import set_menu

    await set_menu(context.bot, s.db, s.settings, user.id)
    if invitation.role != GESTIONNAIRE:
        await _say(context, chat_id, texts.ROLE_GRANTED[invitation.role] + "\n\n"
                   + texts.help_text(person_roles(s.db, s.settings, user.id)))
        return
    outcome = interview.apply(s.db, s.grid, user.id, engine.Show(), None)  # claimed above
    assert outcome.session is not None  # a manager of the place, just now
    await _welcome(context, update, outcome.session, outcome)


async def _welcome(context: ContextTypes.DEFAULT_TYPE, update: Update, session: Session,
                   outcome: Outcome) -> None:
    """/start: hello (or welcome back), then where the person stands."""
    template = texts.WELCOME_BACK if outcome.before is not None else texts.WELCOME
    intro = template.format(name=escape(update.effective_user.first_name),
                            place=_place(session), year=session.response.year)
    await reply(context, update.effective_chat.id, session, outcome, intro)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/aide."""
    if not _claim(context, update):
        return
    s = services(context)
    roles = person_roles(s.db, s.settings, update.effective_user.id)
    await _say(context, update.effective_chat.id, texts.help_text(roles))


async def _send_offer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                      source: storage.Response, intro: str | None = None) -> None:
    """Offer to start from an earlier year's answers (the step's `offer`)."""
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(texts.PREFILL_YES.format(year=source.year),
                              callback_data=f"pf:{session.response.id}:{source.id}")],
        [InlineKeyboardButton(texts.PREFILL_NO,
                              callback_data=f"pf:{session.response.id}:0")]])
    text = texts.PREFILL_OFFER.format(place=_place(session), source_year=source.year)
    await context.bot.send_message(chat_id, f"{intro}\n\n{text}" if intro else text,
                                   reply_markup=markup)


async def prefill_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to the offer: copy last year's valid answers, or start blank."""
    s = services(context)
    query = update.callback_query
    session = _session(context, update)
    if session is None:
        if _claim(context, update):
            await query.answer()
            await _say(context, update.effective_chat.id, texts.NO_PLACE)
        return
    await query.answer()
    _, response_id, source_id = [*query.data.split(":"), "", ""][:3]
    intro = None
    # the source is looked up again, never taken from the button's data: only this
    # place's own earlier response can be copied, and only while the offer stands
    offered = None if session.closed else prefill_source(s.db, session.response)
    if offered is not None and response_id == str(session.response.id) and (
            source_id in ("0", str(offered.id))):
        source = offered if source_id != "0" else None
        answers = (carry_over(s.grid, storage.load_answers(s.db, source.id),
                              source.grid_version) if source else {})
        if decide_prefill(s.db, session.response.id, source.id if source else None, answers,
                          session.person_id):
            intro = (texts.PREFILLED.format(year=source.year) if source
                     else texts.PREFILL_BLANK)
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    stepped = await _step_or_no_place(context, update, engine.Show())
    if stepped is not None:
        await reply(context, update.effective_chat.id, *stepped, intro)


async def _step_command(update: Update, context: ContextTypes.DEFAULT_TYPE,
                        action: engine.Action, *, reopen: bool = False) -> None:
    stepped = await _step_or_no_place(context, update, action, reopen=reopen)
    if stepped is not None:
        await reply(context, update.effective_chat.id, *stepped)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reprendre: the current question again."""
    await _step_command(update, context, engine.Show())


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/modifier: the section menu; a submitted fiche is reopened first."""
    await _step_command(update, context, engine.OpenSections(), reopen=True)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/envoyer: the review, with the button that sends."""
    await _step_command(update, context, engine.Review())


async def preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/apercu: the fiche as it stands; changes nothing."""
    s = services(context)
    session = _session(context, update)
    if session is None:
        await _no_place(context, update)
        return
    if not _claim(context, update):
        return
    answers = storage.load_answers(s.db, session.response.id)
    if session.closed and not answers:  # nothing was answered that year
        await _say(context, update.effective_chat.id, _closed(session))
        return
    chat_id = update.effective_chat.id
    await delivery.send_fiche_messages(context.bot, chat_id, s.grid, answers,
                                       session.place.name, session.response.year)
    await _say(context, chat_id, texts.PREVIEW_FOOTER)


def _argument(update: Update) -> str:
    """The text after the command, as typed (spaces inside kept)."""
    parts = (update.effective_message.text or "").strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


@requires("lieu_ajouter")
async def add_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_ajouter <nom du lieu> (coordinators): the place and its invitation link."""
    s = services(context)
    user = update.effective_user
    chat_id = update.effective_chat.id
    name = _argument(update)
    if len(name) > PLACE_NAME_MAX:
        if _claim(context, update):
            await _say(context, chat_id, texts.PLACE_NAME_TOO_LONG.format(
                length=len(name), limit=PLACE_NAME_MAX))
        return
    try:
        with immediate_transaction(s.db):
            if not claim_update(s.db, update.update_id):
                return
            place = storage.add_place(s.db, name)
            token = create_invitation(s.db, GESTIONNAIRE, place.id, created_by=user.id,
                                      ttl_days=INVITATION_DAYS)
    except storage.InvalidName:
        if _claim(context, update):
            await _say(context, chat_id, texts.PLACE_ADD_USAGE)
        return
    except storage.DuplicatePlace as exc:
        if _claim(context, update):
            await _say(context, chat_id, texts.PLACE_DUPLICATE.format(place=escape(exc.name)))
        return
    log.info("place %s added by %s, invitation %s", place.id, user.id, token_prefix(token))
    await _say(context, chat_id, texts.PLACE_ADDED.format(
        place=escape(place.name), days=INVITATION_DAYS, link=_link(context, token)))


@requires("lieu_lien")
async def place_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_lien <nom du lieu> (coordinators): a new invitation link for a place."""
    s = services(context)
    user = update.effective_user
    chat_id = update.effective_chat.id
    if not _claim(context, update):
        return
    name = _argument(update)
    if not name:
        await _say(context, chat_id, texts.PLACE_LINK_USAGE)
        return
    place = storage.find_place(s.db, name)
    if place is None:
        await _say(context, chat_id, texts.PLACE_UNKNOWN.format(place=escape(name)))
        return
    token = create_invitation(s.db, GESTIONNAIRE, place.id, created_by=user.id,
                              ttl_days=INVITATION_DAYS)
    log.info("invitation %s for place %s by %s", token_prefix(token), place.id, user.id)
    await _say(context, chat_id, texts.PLACE_LINK.format(
        place=escape(place.name), days=INVITATION_DAYS, link=_link(context, token)))


def _link(context: ContextTypes.DEFAULT_TYPE, token: str) -> str:
    return f"https://t.me/{context.bot.username}?start={token}"


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _claim(context, update):
        await _say(context, update.effective_chat.id, texts.UNKNOWN_COMMAND)


async def in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command in a group: the bot only works in a private chat."""
    if _claim(context, update):
        await _say(context, update.effective_chat.id,
                   texts.GROUP.format(bot=escape(context.bot.username)))


# --- Messages -----------------------------------------------------------------------------

async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer, a number standing for an option, or a misplaced message."""
    await _step_command(update, context, engine.Text(update.effective_message.text))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photo, sticker, voice, video, document, location…: only text is read."""
    if _session(context, update) is None:
        await _no_place(context, update)
        return
    if _claim(context, update):
        await _say(context, update.effective_chat.id, texts.NOT_TEXT)


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message changes nothing: say so."""
    if _claim(context, update):
        await _say(context, update.effective_chat.id, texts.EDITED)


# --- Buttons ------------------------------------------------------------------------------

def _same_message(before: Position | None, after: Position) -> bool:
    """Whether the new state is shown by editing the pressed message in place."""
    if before is None:
        return False
    asking = ("question", "other")
    if before.mode in asking and after.mode in asking:
        return before.key == after.key
    return before.mode in ("review", "sections") and after.mode in ("review", "sections")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: decoded, checked against the current state, applied."""
    s = services(context)
    query = update.callback_query
    chat_id = update.effective_chat.id
    press = callbacks.decode(query.data)
    outcome = _apply(context, update, press)
    if outcome.duplicate:
        return
    session = outcome.session
    if session is None:
        await outgoing.answer(context.bot, query)
        await _say(context, chat_id, texts.NO_PLACE)
        return
    if outcome.offer is not None:  # e.g. a button of last year's chat
        with contextlib.suppress(TelegramError):
            await outgoing.answer(context.bot, query)
        await _send_offer(context, chat_id, session, outcome.offer)
        return
    if outcome.closed:
        await outgoing.answer(context.bot, query)
        await _remove_keyboard(query)
        await _say(context, chat_id, _closed(session))
        return
    step = outcome.step
    assert step is not None
    if outcome.read_only:
        await outgoing.answer(context.bot, query, texts.ALREADY_SENT_SHORT)
        await _remove_keyboard(query)
        await _say(context, chat_id, _already_sent(session))
        return
    if step.stale:
        await outgoing.answer(context.bot, query, texts.STALE)
        await send_prompt(context, chat_id, session, step)
        return
    if step.error:
        await outgoing.answer(context.bot, query, views.cut(step.error, 200))
        return
    await outgoing.answer(context.bot, query)

    if step.submit:
        await _remove_keyboard(query)
        await _deliver(context, chat_id, session, outcome)
        return
    before, after = outcome.before, step.position
    if _same_message(before, after):
        if not await _edit(query, _prompt_view(s.grid, step)):
            await send_prompt(context, chat_id, session, step)
        return
    await _close(query, s.grid, press, before, step)
    await send_prompt(context, chat_id, session, step)


async def _close(query: CallbackQuery, grid: Grid, press: callbacks.Press,
                 before: Position | None, step: Step) -> None:
    """The pressed message, once acted on, no longer looks actionable."""
    action = press.action
    if before is not None and before.mode == "question" and isinstance(
            action, engine.Tap | engine.Validate | engine.Skip | engine.Keep):
        question = grid.question(before.key or "")
        assert question is not None  # a position in "question" mode names its question
        await _edit(query, views.View(views.closed_question_text(grid, question, step.answers)))
    elif isinstance(action, engine.Jump):
        section = grid.section(action.section_id)
        title = section.title if section else action.section_id
        await _edit(query, views.View(texts.SECTION_CHOSEN.format(title=escape(title))))
    else:
        await _remove_keyboard(query)


async def _deliver(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                   outcome: Outcome) -> None:
    """After "Envoyer": the fiche as messages and PDF, then thanks; then the fiche goes to
    the place's other managers and the recipients, and a notice to the coordinators
    (rendered once; `delivery.share_fiche` never raises)."""
    s = services(context)
    year = session.response.year
    log.info("response %s (place %s, %s) submitted by %s", session.response.id,
             session.place.id, year, session.person_id)
    fiche = delivery.RenderedFiche(s.grid, outcome.answers, session.place.name, year)
    try:
        await delivery.send_rendered(context.bot, chat_id, fiche)
        await _say(context, chat_id, texts.SENT.format(place=_place(session), year=year))
    finally:
        await delivery.share_fiche(context.bot, s.db, fiche, session.place.id,
                                   session.person_id)


# --- Errors -------------------------------------------------------------------------------

async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (method and parameters, never the token); apologise to the person."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("Telegram refused %s: %s (the person blocked the bot?)",
                 failed_call(error) or "a call", error)
        return
    if isinstance(error, BadRequest):
        log.error("Telegram refused %s: %s", failed_call(error) or "a call", error)
    else:
        log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
    except TelegramError:
        pass
    try:
        await context.bot.send_message(chat.id, texts.APOLOGY)
    except TelegramError as exc:
        log.warning("could not apologise in chat %s: %s", chat.id, exc)
