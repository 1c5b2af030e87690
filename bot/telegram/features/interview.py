"""The manager's interview in Telegram: /start (and invitation links), /reprendre,
/apercu, /modifier, /envoyer, typed answers, the interview's buttons, last year's
answers ("pf:"), "Commencer" under an announcement ("go:"), and the fiche sent at the end.

Handlers stay thin: `interview.apply` commits the step (answer, position, update id in
one transaction) and only then do they talk to Telegram. The session's rules (place,
year, campaign open or closed, prefill offer, read-only after sending) are the
`interview` package's; `replies.py` turns its `Outcome` into messages.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

import interview
import storage
from bot.telegram import callbacks, fiches, outgoing, replies, texts, views
from bot.telegram.access import person_roles
from bot.telegram.context import claim, now_of, refresh_menu, say, services
from bot.telegram.views import escape
from bot.telegram.who import who
from interview import Outcome, Prefill, Problem, Result, Session
from questionnaire import engine
from questionnaire.engine import Position, Step
from questionnaire.grid import Grid
from storage.db import immediate_transaction
from storage.invitations import (
    ExpiredInvitation,
    InvitationError,
    RevokedInvitation,
    UsedInvitation,
    redeem_invitation,
    token_prefix,
)
from storage.roles import GESTIONNAIRE, set_current_place
from storage.updates import claim_update

log = logging.getLogger(__name__)

def _session(context: ContextTypes.DEFAULT_TYPE, update: Update) -> Session | None:
    s = services(context)
    return interview.open_session(s.db, s.grid, update.effective_user.id,
                                  now_of(context.application))


def _apply(context: ContextTypes.DEFAULT_TYPE, update: Update,
           action: engine.Action | interview.Press, *, reopen: bool = False,
           update_id: int | None = -1) -> Outcome:
    """One committed step of the sender's interview, recorded as the handling of this
    update (unless `update_id` None: the caller recorded it)."""
    s = services(context)
    return interview.apply(s.db, s.grid, update.effective_user.id, action,
                           update.update_id if update_id == -1 else update_id,
                           reopen=reopen, now=now_of(context.application))


async def _step_or_no_place(context: ContextTypes.DEFAULT_TYPE, update: Update,
                            action: engine.Action, *, reopen: bool = False,
                            tell_id: bool = False) -> tuple[Session, Outcome] | None:
    """`_apply`, and the session it ran in; None when nothing more is to be said: the
    update was already handled, or the person manages no place (and is told how to get
    an invitation; with `tell_id`, someone with no role at all also gets their Telegram
    id, which the administrator needs to give them one)."""
    outcome = _apply(context, update, action, reopen=reopen)
    if outcome.result is Result.DUPLICATE:
        return None
    if outcome.session is None:
        text = texts.NO_PLACE
        user_id = update.effective_user.id
        s = services(context)
        if tell_id and not person_roles(s.db, s.settings, user_id):
            text += texts.YOUR_ID.format(telegram_id=user_id)
        await say(context, update.effective_chat.id, text)
        return None
    return outcome.session, outcome


async def _step_command(update: Update, context: ContextTypes.DEFAULT_TYPE,
                        action: engine.Action, *, reopen: bool = False) -> None:
    stepped = await _step_or_no_place(context, update, action, reopen=reopen)
    if stepped is not None:
        await replies.reply(context, update.effective_chat.id, *stepped)


# --- Commands (records the update: the step) ----------------------------------------------

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
        stepped = await _step_or_no_place(context, update, engine.Show(), tell_id=True)
        if stepped is not None:
            await _welcome(context, update, *stepped)
        return

    try:
        with immediate_transaction(s.db):
            if not claim_update(s.db, update.update_id):
                return
            invitation = redeem_invitation(s.db, token, user.id)
    except InvitationError as exc:
        log.info("invitation %s refused for %s: %s", token_prefix(token), who(s.db, user.id),
                 type(exc).__name__)
        if claim(context, update):
            await say(context, chat_id,
                      _INVITATION_ERRORS.get(type(exc), texts.INVITATION_UNKNOWN))
        return
    log.info("invitation %s redeemed by %s (%s)", token_prefix(token), who(s.db, user.id),
             invitation.role)
    await refresh_menu(context, user.id)
    if invitation.role != GESTIONNAIRE:
        await say(context, chat_id, texts.ROLE_GRANTED[invitation.role] + "\n\n"
                  + texts.help_text(person_roles(s.db, s.settings, user.id)))
        return
    outcome = _apply(context, update, engine.Show(), update_id=None)  # recorded above
    assert outcome.session is not None  # a manager of the place, just now
    await _welcome(context, update, outcome.session, outcome)


async def _welcome(context: ContextTypes.DEFAULT_TYPE, update: Update, session: Session,
                   outcome: Outcome) -> None:
    """/start: hello (or welcome back), then where the person stands."""
    template = texts.WELCOME_BACK if outcome.before is not None else texts.WELCOME
    intro = template.format(name=escape(update.effective_user.first_name),
                            place=replies.place(session), year=session.response.year)
    await replies.reply(context, update.effective_chat.id, session, outcome, intro)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reprendre: the current question again."""
    await _step_command(update, context, engine.Show())


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/modifier: the section menu; a submitted fiche is reopened first."""
    await _step_command(update, context, engine.OpenSections(), reopen=True)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/envoyer: the review, with the button that sends."""
    await _step_command(update, context, engine.Review())


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer, a number standing for an option, or a misplaced message."""
    await _step_command(update, context, engine.Text(update.effective_message.text))


# --- Commands and messages that change nothing (the table records the update first) ------

async def preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/apercu: the fiche as it stands; changes nothing."""
    s = services(context)
    chat_id = update.effective_chat.id
    session = _session(context, update)
    if session is None:
        await say(context, chat_id, texts.NO_PLACE)
        return
    answers = storage.load_answers(s.db, session.response.id)
    if session.closed and not answers:  # nothing was answered that year
        await say(context, chat_id, replies.closed(session))
        return
    await fiches.send_fiche_messages(context.bot, chat_id, s.grid, answers,
                                     session.place.name, session.response.year,
                                     title_form=session.place.title_form,
                                     sent_at=session.response.submitted_at)
    await say(context, chat_id, texts.PREVIEW_FOOTER)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photo, sticker, voice, video, document, location…: only text is read."""
    no_place = _session(context, update) is None
    await say(context, update.effective_chat.id, texts.NO_PLACE if no_place else texts.NOT_TEXT)


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message changes nothing: say so."""
    await say(context, update.effective_chat.id, texts.EDITED)


# --- Last year's answers ------------------------------------------------------------------

async def prefill_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to the offer: copy last year's valid answers, or start blank."""
    s = services(context)
    query = update.callback_query
    await query.answer()
    session = _session(context, update)
    if session is None:
        await _step_command(update, context, engine.Show())  # records it; "no place"
        return
    choice = callbacks.decode_prefill(query.data)
    intro = None
    if choice is not None:  # the session checks the offer still stands
        done, source = interview.choose_prefill(s.db, s.grid, session, choice.source_id,
                                                choice.response_id)
        if done is Prefill.COPIED and source is not None:
            intro = texts.PREFILLED.format(year=source.year)
        elif done is Prefill.BLANK:
            intro = texts.PREFILL_BLANK
        else:  # a teammate chose first, or began answering: their choice stands
            intro = texts.PREFILL_GONE
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    stepped = await _step_or_no_place(context, update, engine.Show())
    if stepped is not None:
        await replies.reply(context, update.effective_chat.id, *stepped, intro)


# --- "Commencer" under an announcement ----------------------------------------------------

async def go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Commencer" / "Reprendre" under an announcement: that place's interview."""
    query = update.callback_query
    s = services(context)
    press = callbacks.decode_go(query.data)
    try:
        if press is None or not storage.get_place(s.db, press.place_id).active:
            raise storage.NotFound("no such active place")
        set_current_place(s.db, update.effective_user.id, press.place_id)
    except storage.NotFound:
        if claim(context, update):
            await query.answer()
            await context.bot.send_message(update.effective_chat.id, texts.GO_UNKNOWN_PLACE)
        return
    await query.answer()
    await _step_command(update, context, engine.Show())


# --- The interview's buttons --------------------------------------------------------------

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
    if outcome.result is Result.DUPLICATE:
        return
    session = outcome.session
    if session is None:  # a button of a place since removed, or the person's only one
        await outgoing.answer(context.bot, query)
        await say(context, chat_id, texts.GO_UNKNOWN_PLACE if press.fiche is not None
                  else texts.NO_PLACE)
        return
    if outcome.offer is not None:  # e.g. a button of last year's chat
        with contextlib.suppress(TelegramError):
            await outgoing.answer(context.bot, query)
        await replies.send_offer(context, chat_id, session, outcome.offer)
        return
    if outcome.closed:
        await outgoing.answer(context.bot, query)
        await replies.remove_keyboard(query)
        await say(context, chat_id, replies.closed(session))
        return
    step = outcome.step
    assert step is not None
    if outcome.read_only:
        await outgoing.answer(context.bot, query, texts.ALREADY_SENT_SHORT)
        await replies.remove_keyboard(query)
        await say(context, chat_id, replies.already_sent(session))
        return
    if step.stale:
        if outcome.problem is Problem.OTHER_FICHE:  # an old message of another place, year
            await outgoing.answer(context.bot, query, texts.OTHER_FICHE_SHORT)
            await say(context, chat_id, texts.OTHER_FICHE.format(
                place=replies.place(session), year=session.response.year))
        else:
            await outgoing.answer(context.bot, query, texts.STALE)
        await replies.send_prompt(context, chat_id, session, step)
        return
    error = replies.error_text(outcome)
    if error:
        await outgoing.answer(context.bot, query, views.cut(error, 200))
        return
    # another manager of the place got there first: their screen is redrawn as stored
    await outgoing.answer(context.bot, query, texts.NO_LONGER_ASKED if step.not_asked
                          else texts.REDRAWN if step.redraw else None)
    await replies.say_overwritten(context, chat_id, outcome)

    if step.submit:
        await replies.remove_keyboard(query)
        await _deliver(context, chat_id, session, outcome)
        return
    before, after = outcome.before, step.position
    if _same_message(before, after):
        if not await replies.edit(query, replies.prompt_view(s.grid, session, step)):
            await replies.send_prompt(context, chat_id, session, step)
        return
    await _close(query, s.grid, press, before, step)
    await replies.send_prompt(context, chat_id, session, step)


async def _close(query: CallbackQuery, grid: Grid, press: interview.Press,
                 before: Position | None, step: Step) -> None:
    """The pressed message, once acted on, no longer looks actionable."""
    action = press.action
    if before is not None and before.mode == "question" and isinstance(
            action, engine.Tap | engine.Validate | engine.Skip | engine.Keep):
        question = grid.question(before.key or "")
        assert question is not None  # a position in "question" mode names its question
        await replies.edit(query, views.View(
            views.closed_question_text(grid, question, step.answers)))
    elif isinstance(action, engine.Jump):
        section = grid.section(action.section_id)
        title = section.title if section else action.section_id
        await replies.edit(query, views.View(texts.SECTION_CHOSEN.format(title=escape(title))))
    else:
        await replies.remove_keyboard(query)


async def _deliver(context: ContextTypes.DEFAULT_TYPE, chat_id: int, session: Session,
                   outcome: Outcome) -> None:
    """After "Envoyer": the fiche as messages and PDF (an HTML page without Pango), then
    thanks; then the fiche goes to the place's other managers and the recipients, and a
    notice to the coordinators (rendered once; `fiches.share_fiche` never raises). Those
    a network error kept it from are sent it again a few minutes later."""
    s = services(context)
    year = session.response.year
    log.info("response %s (place %s, %s) submitted by %s", session.response.id,
             session.place.id, year, who(s.db, session.person_id))
    sent = storage.get_response(s.db, session.response.id)
    fiche = fiches.RenderedFiche(s.grid, outcome.answers, session.place.name, year,
                                 title_form=session.place.title_form,
                                 sent_at=sent.submitted_at, submission=sent.submissions)
    try:
        await fiches.deliver_one(context.bot, s.db, fiche, session.response.id, chat_id)
        thanks = texts.SENT_WITHOUT_PDF if await fiche.sent_without_pdf() else texts.SENT
        await say(context, chat_id, thanks.format(place=replies.place(session), year=year))
    finally:
        await fiches.share_fiche(context.bot, s.db, fiche, session.response.id,
                                 session.person_id, s.settings.admin_ids)
        fiches.retry_if_owed(context.application, session.response.id)
