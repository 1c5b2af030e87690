"""Places and invitation links: /lieux, /lieu_ajouter, /lieu_lien, /inviter,
/inviter_coordinateur, /inviter_destinataire, /invitations, /revoquer, /lieu_retirer
(and its confirmation, "rm:").

Links are stored as hashes only (`storage.invitations`); nothing here logs more than a
token's first characters.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

import storage
from bot.telegram import callbacks, texts
from bot.telegram.context import (
    argument,
    claim,
    end_confirmation,
    link,
    refresh_menu,
    say,
    say_long,
    services,
)
from bot.telegram.place_choice import find_place
from bot.telegram.sending import mark_if_blocked
from bot.telegram.views import escape
from bot.telegram.who import who
from campaign.states import PlaceState
from fiche.french import (
    TITLE_PREFIX,
    clean_title_form,
    title_forms,
    title_of,
    without_article,
)
from storage.campaign_status import campaign_status
from storage.campaigns import current_campaign
from storage.db import immediate_transaction
from storage.invitations import (
    create_invitation,
    get_invitation,
    list_invitations,
    revoke_invitation,
    token_prefix,
)
from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE
from storage.updates import claim_update

log = logging.getLogger(__name__)

PLACE_NAME_MAX = 120
INVITATION_DAYS = 14
TEAM_WORDS = {"equipe", "équipe", "reutilisable", "réutilisable"}


async def places(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieux: each active place, its managers and this campaign's state."""
    s = services(context)
    chat_id = update.effective_chat.id
    found = storage.list_places(s.db)
    if not found:
        await say(context, chat_id, texts.PLACES_EMPTY)
        return
    campaign = current_campaign(s.db, include_closed=True)
    states = {}
    if campaign is not None:
        states = {p.place.id: p for p in campaign_status(s.db, campaign, s.grid).places}
    lines = [texts.PLACES_HEAD.format(
        count=texts.count(len(found), "lieu", "lieux"),
        campaign_part=texts.PLACES_CAMPAIGN.format(year=campaign.year) if campaign else "")]
    for place in found:
        managers = ", ".join(escape(m.display_name or "?")
                             for m in storage.managers_of_place(s.db, place.id))
        state = ""
        if place.id in states and states[place.id].state != PlaceState.NO_MANAGER:
            status = states[place.id]
            state = " — " + texts.PLACE_STATES[status.state]
            if status.state == PlaceState.IN_PROGRESS:
                state += texts.STATUS_SECTIONS.format(
                    answered=texts.count(status.sections.answered, "section", "sections"),
                    asked=texts.number(status.sections.asked))
        lines.append(texts.PLACES_LINE.format(place=escape(place.name),
                                              managers=managers or texts.PLACES_NO_MANAGER,
                                              state=state))
    await say_long(context, chat_id, lines)


async def add_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_ajouter <nom du lieu> (coordinators): the place and its invitation link."""
    s = services(context)
    user = update.effective_user
    chat_id = update.effective_chat.id
    name = argument(update)
    if len(name) > PLACE_NAME_MAX:
        if claim(context, update):
            await say(context, chat_id, texts.PLACE_NAME_TOO_LONG.format(
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
        if claim(context, update):
            await say(context, chat_id, texts.PLACE_ADD_USAGE)
        return
    except storage.DuplicatePlace as exc:
        if claim(context, update):
            await say(context, chat_id, texts.PLACE_DUPLICATE.format(place=escape(exc.name)))
        return
    log.info("place %s added by %s, invitation %s", place.id, who(s.db, user.id),
             token_prefix(token))
    await say(context, chat_id, texts.PLACE_ADDED.format(
        place=escape(place.name), days=INVITATION_DAYS, link=link(context, token)))
    await context.bot.send_message(
        chat_id, texts.PLACE_TITLE.format(title=escape(fiche_title(place))),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            texts.TITLE_FIX, callback_data=callbacks.title_form(place.id, None))]]))


def fiche_title(place: storage.Place) -> str:
    return title_of(place.name, place.title_form)


def _title_choices(place: storage.Place) -> tuple[str, InlineKeyboardMarkup]:
    """The message and buttons to choose the form of a place's title."""
    forms = title_forms(place.name)[:10]
    rows = [[InlineKeyboardButton(f"{TITLE_PREFIX} {form}",
                                  callback_data=callbacks.title_form(place.id, index))]
            for index, form in enumerate(forms)]
    text = texts.TITLE_CHOOSE.format(place=escape(place.name),
                                     title=escape(fiche_title(place)),
                                     noun=escape(without_article(place.name).upper()))
    return text, InlineKeyboardMarkup(rows)


async def place_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_titre <lieu> [= <titre>] (coordinators): the title of a place's fiche, the
    forms to choose from, or the form typed after "="."""
    s = services(context)
    chat_id = update.effective_chat.id
    name, _, form = argument(update).partition("=")
    name, form = name.strip(), clean_title_form(form)
    if not name:
        await say(context, chat_id, texts.TITLE_USAGE)
        return
    # by any spelling; among several, a button shows that place's forms (a typed form
    # does not fit in a button: it is typed again with the exact name, or chosen there)
    place = await find_place(context, chat_id, name, "lieu_titre")
    if place is None:
        return
    if not form:
        text, markup = _title_choices(place)
        await context.bot.send_message(chat_id, text, reply_markup=markup)
        return
    place = storage.set_place_title(s.db, place.id, form)
    log.info("title of place %s corrected by %s", place.id,
             who(s.db, update.effective_user.id))
    await say(context, chat_id, texts.TITLE_SET.format(place=escape(place.name),
                                                       title=escape(fiche_title(place))))


async def title_form_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Corriger le titre" (shows the forms), or one of the forms (stores it)."""
    s = services(context)
    chat_id = update.effective_chat.id
    query = update.callback_query
    press = callbacks.decode_title_form(query.data)
    try:
        place = storage.get_place(s.db, press.place_id) if press else None
    except storage.NotFound:
        place = None
    forms = title_forms(place.name) if place is not None else []
    if press is None or place is None or not place.active \
            or (press.index is not None and press.index >= len(forms)):
        await query.answer()
        await say(context, chat_id, texts.TITLE_STALE)
        return
    if press.index is None:
        await query.answer()
        text, markup = _title_choices(place)
        await context.bot.send_message(chat_id, text, reply_markup=markup)
        return
    # the rule's own form (the first) is stored as "no correction"
    place = storage.set_place_title(s.db, place.id, forms[press.index] if press.index else None)
    log.info("title of place %s chosen by %s", place.id,
             who(s.db, update.effective_user.id))
    await end_confirmation(update)
    await say(context, chat_id, texts.TITLE_SET.format(place=escape(place.name),
                                                       title=escape(fiche_title(place))))


async def place_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_lien <nom du lieu> (coordinators): a new invitation link for a place."""
    user = update.effective_user
    chat_id = update.effective_chat.id
    name = argument(update)
    if not name:
        await say(context, chat_id, texts.PLACE_LINK_USAGE)
        return
    place = await find_place(context, chat_id, name, "lieu_lien")
    if place is not None:
        await _link_for(context, chat_id, place, user.id)


async def _link_for(context: ContextTypes.DEFAULT_TYPE, chat_id: int, place: storage.Place,
                    user_id: int) -> None:
    s = services(context)
    token = create_invitation(s.db, GESTIONNAIRE, place.id, created_by=user_id,
                              ttl_days=INVITATION_DAYS)
    log.info("invitation %s for place %s by %s", token_prefix(token), place.id,
             who(s.db, user_id))
    await say(context, chat_id, texts.PLACE_LINK.format(
        place=escape(place.name), days=INVITATION_DAYS, link=link(context, token)))


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/inviter <lieu> [equipe]: a manager link, single-use unless for a team."""
    chat_id = update.effective_chat.id
    words = argument(update).split()
    team = bool(words) and words[-1].lower() in TEAM_WORDS
    name = " ".join(words[:-1] if team else words)
    if not name:
        await say(context, chat_id, texts.INVITE_USAGE)
        return
    place = await find_place(context, chat_id, name, "inviter", int(team))
    if place is not None:
        await _invite_for(context, chat_id, place, update.effective_user.id, team)


async def _invite_for(context: ContextTypes.DEFAULT_TYPE, chat_id: int, place: storage.Place,
                      user_id: int, team: bool) -> None:
    s = services(context)
    token = create_invitation(s.db, GESTIONNAIRE, place.id, created_by=user_id,
                              reusable=team, ttl_days=INVITATION_DAYS)
    log.info("invitation %s for place %s by %s", token_prefix(token), place.id,
             who(s.db, user_id))
    await say(context, chat_id, texts.INVITE_LINK.format(
        place=escape(place.name), team=texts.INVITE_TEAM if team else "",
        days=INVITATION_DAYS, link=link(context, token)))


async def _invite_role(update: Update, context: ContextTypes.DEFAULT_TYPE, role: str) -> None:
    s = services(context)
    token = create_invitation(s.db, role, None, created_by=update.effective_user.id,
                              ttl_days=INVITATION_DAYS)
    log.info("invitation %s for a %s by %s", token_prefix(token), role,
             who(s.db, update.effective_user.id))
    await say(context, update.effective_chat.id, texts.INVITE_ROLE_LINK[role].format(
        days=INVITATION_DAYS, link=link(context, token)))


async def invite_coordinator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _invite_role(update, context, COORDINATEUR)


async def invite_recipient(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _invite_role(update, context, DESTINATAIRE)


async def invitations(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/invitations: the links still usable (never the token itself)."""
    s = services(context)
    found = list_invitations(s.db)
    if not found:
        await say(context, update.effective_chat.id, texts.INVITATIONS_EMPTY)
        return
    names = {p.id: p.name for p in storage.list_places(s.db, include_removed=True)}
    lines = []
    for invitation in found:
        place = f" de {escape(names.get(invitation.place_id, '?'))}" if invitation.place_id \
            else ""
        expires = datetime.fromisoformat(invitation.expires_at).strftime("%d/%m/%Y")
        uses = texts.INVITATIONS_USES.format(uses=invitation.uses) if invitation.uses else ""
        lines.append(texts.INVITATIONS_LINE.format(
            id=invitation.id, role=texts.ROLE_NAMES[invitation.role], place=place,
            expires=expires, uses=uses))
    lines.append(texts.INVITATIONS_FOOTER)
    await say_long(context, update.effective_chat.id, lines)


async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/revoquer <n°>."""
    s = services(context)
    chat_id = update.effective_chat.id
    number = argument(update).lstrip("n°").strip()
    if not number.isdigit():
        await say(context, chat_id, texts.REVOKE_USAGE)
        return
    try:
        get_invitation(s.db, int(number))
        revoke_invitation(s.db, int(number))
    except storage.NotFound:
        await say(context, chat_id, texts.REVOKE_UNKNOWN.format(id=number))
        return
    await say(context, chat_id, texts.REVOKED_LINK.format(id=number))


async def remove_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_retirer <lieu>: asks for confirmation."""
    chat_id = update.effective_chat.id
    name = argument(update)
    if not name:
        await say(context, chat_id, texts.REMOVE_USAGE)
        return
    place = await find_place(context, chat_id, name, "lieu_retirer")
    if place is not None:
        await _confirm_removal(context, chat_id, place)


async def _confirm_removal(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                           place: storage.Place) -> None:
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.REMOVE_YES,
                             callback_data=callbacks.remove_place(place.id, True)),
        InlineKeyboardButton(texts.REMOVE_NO,
                             callback_data=callbacks.remove_place(place.id, False))]])
    await context.bot.send_message(chat_id, texts.REMOVE_CONFIRM.format(
        place=escape(place.name)), reply_markup=markup)


async def place_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A place chosen among several (or among the closest names) for /lieu_lien, /inviter,
    /lieu_retirer or /lieu_titre: the command goes on with it."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_place_choice(update.callback_query.data)
    place = None
    if press is not None:
        try:
            place = storage.get_place(s.db, press.place_id)
        except storage.NotFound:
            place = None
    if press is None or place is None or not place.active:
        await say(context, chat_id, texts.PLACE_CHOSEN_GONE)
        return
    user_id = update.effective_user.id
    if press.command == "lieu_lien":
        await _link_for(context, chat_id, place, user_id)
    elif press.command == "inviter":
        await _invite_for(context, chat_id, place, user_id, bool(press.option))
    elif press.command == "lieu_retirer":
        await _confirm_removal(context, chat_id, place)
    elif press.command == "lieu_titre":
        text, markup = _title_choices(place)
        await context.bot.send_message(chat_id, text, reply_markup=markup)


async def remove_place_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Oui" / "Non" under /lieu_retirer."""
    await end_confirmation(update)
    s = services(context)
    chat_id = update.effective_chat.id
    press = callbacks.decode_remove_place(update.callback_query.data)
    try:
        place = storage.get_place(s.db, press.place_id) if press else None
    except storage.NotFound:
        place = None
    if press is None or not press.yes:
        await say(context, chat_id, texts.REMOVE_ALREADY_DONE.format(place=escape(place.name))
                  if place is not None and not place.active else texts.REMOVE_CANCELLED)
        return
    if place is None:
        await say(context, chat_id, texts.REMOVE_CANCELLED)
        return
    removed_now = place.active  # a second "Oui" (another message) tells nobody again
    if removed_now:
        place = storage.remove_place(s.db, place.id)
        log.info("place %s removed by %s", place.id, who(s.db, update.effective_user.id))
    await say(context, chat_id, texts.REMOVED.format(place=escape(place.name)))
    if removed_now:
        await _tell_managers_of_removal(context, place, update.effective_user.id)


async def _tell_managers_of_removal(context: ContextTypes.DEFAULT_TYPE,
                                    place: storage.Place, by: int) -> None:
    """The place's managers learn it is no longer followed; their menus follow suit."""
    s = services(context)
    notice = texts.PLACE_REMOVED_FOR_MANAGER.format(place=escape(place.name))
    for person in storage.managers_of_place(s.db, place.id):
        if person.telegram_id <= 0 or person.telegram_id == by:
            continue
        try:
            await context.bot.send_message(person.telegram_id, notice)
        except TelegramError as exc:
            if mark_if_blocked(s.db, person.telegram_id, exc):
                continue
            log.warning("could not tell %s of a removal: %s", who(s.db, person.telegram_id),
                        exc)
        await refresh_menu(context, person.telegram_id)
