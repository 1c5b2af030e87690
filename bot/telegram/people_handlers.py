"""Places, invitation links, roles and personal data: /lieux, /inviter…, /invitations,
/revoquer, /lieu_retirer, /mes_donnees, /oublier, and each person's command menu.

Links are stored as hashes only (`storage.invitations`); nothing here logs more than a
token's first characters.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlite_utils import Database
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

import storage
from bot.settings import Settings
from bot.telegram import access, texts
from bot.telegram.handlers import (
    INVITATION_DAYS,
    _argument,
    _claim,
    _link,
    _say,
    confirmation,
    say_long,
    services,
)
from bot.telegram.views import escape
from storage.campaign_status import campaign_status
from storage.campaigns import current_campaign
from storage.invitations import (
    create_invitation,
    get_invitation,
    list_invitations,
    revoke_invitation,
    token_prefix,
)
from storage.privacy import forget_person, personal_data
from storage.reminders import mark_unreachable
from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE

log = logging.getLogger(__name__)

TEAM_WORDS = {"equipe", "équipe", "reutilisable", "réutilisable"}


# --- Menus --------------------------------------------------------------------------------

async def set_menu(bot: Bot, db: Database, settings: Settings, person_id: int) -> None:
    """The person's command menu: exactly the commands their roles allow.

    Someone with no role gets the default menu back (their chat's own menu is deleted).
    """
    roles = access.person_roles(db, settings, person_id)
    scope = BotCommandScopeChat(person_id)
    try:
        if not roles:
            await bot.delete_my_commands(scope=scope)
            return
        commands = [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name])
                    for name in access.commands_for(roles)]
        await bot.set_my_commands(commands, scope=scope)
    except TelegramError as exc:
        log.info("could not set the menu of %s: %s", person_id, exc)


async def set_all_menus(application: Application) -> None:
    """At start: the default menu, then those of admins, coordinators and recipients.

    Managers' menus are set when they open their link (and menus persist on Telegram's
    side): setting thousands of them at every start would hold the rate limiter for
    minutes.
    """
    s = services(application)
    everyone = [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name])
                for name in access.commands_for(set())]
    try:
        await application.bot.set_my_commands(everyone)
    except TelegramError as exc:
        log.warning("could not set the default menu: %s", exc)
    people = {row[0] for row in s.db.execute("SELECT person_id FROM roles")}
    people |= set(s.settings.admin_ids)
    for person_id in sorted(people):
        if person_id > 0:
            await set_menu(application.bot, s.db, s.settings, person_id)


# --- Places -------------------------------------------------------------------------------

@access.requires("lieux")
async def places(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieux: each active place, its managers and this campaign's state."""
    if not _claim(context, update):
        return
    s = services(context)
    chat_id = update.effective_chat.id
    found = storage.list_places(s.db)
    if not found:
        await _say(context, chat_id, texts.PLACES_EMPTY)
        return
    campaign = current_campaign(s.db, include_closed=True)
    states = {}
    if campaign is not None:
        states = {p.place.id: p for p in campaign_status(s.db, campaign, s.grid).places}
    lines = [texts.PLACES_HEAD.format(
        count=len(found),
        campaign_part=texts.PLACES_CAMPAIGN.format(year=campaign.year) if campaign else "")]
    for place in found:
        managers = ", ".join(escape(m.display_name or "?")
                             for m in storage.managers_of_place(s.db, place.id))
        state = ""
        if place.id in states and states[place.id].state != "no_manager":
            status = states[place.id]
            state = " — " + texts.PLACE_STATES[status.state]
            if status.state == "in_progress":
                state += f" ({status.answered}/{status.asked})"
        lines.append(texts.PLACES_LINE.format(place=escape(place.name),
                                              managers=managers or texts.PLACES_NO_MANAGER,
                                              state=state))
    await say_long(context, chat_id, lines)


@access.requires("inviter")
async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/inviter <lieu> [equipe]: a manager link, single-use unless for a team."""
    if not _claim(context, update):
        return
    s = services(context)
    chat_id = update.effective_chat.id
    words = _argument(update).split()
    team = bool(words) and words[-1].lower() in TEAM_WORDS
    name = " ".join(words[:-1] if team else words)
    if not name:
        await _say(context, chat_id, texts.INVITE_USAGE)
        return
    place = storage.find_place(s.db, name)
    if place is None:
        await _say(context, chat_id, texts.PLACE_UNKNOWN.format(place=escape(name)))
        return
    token = create_invitation(s.db, GESTIONNAIRE, place.id, created_by=update.effective_user.id,
                              reusable=team, ttl_days=INVITATION_DAYS)
    log.info("invitation %s for place %s by %s", token_prefix(token), place.id,
             update.effective_user.id)
    await _say(context, chat_id, texts.INVITE_LINK.format(
        place=escape(place.name), team=texts.INVITE_TEAM if team else "",
        days=INVITATION_DAYS, link=_link(context, token)))


async def _invite_role(update: Update, context: ContextTypes.DEFAULT_TYPE, role: str) -> None:
    if not _claim(context, update):
        return
    s = services(context)
    token = create_invitation(s.db, role, None, created_by=update.effective_user.id,
                              ttl_days=INVITATION_DAYS)
    log.info("invitation %s for a %s by %s", token_prefix(token), role,
             update.effective_user.id)
    await _say(context, update.effective_chat.id, texts.INVITE_ROLE_LINK[role].format(
        days=INVITATION_DAYS, link=_link(context, token)))


@access.requires("inviter_coordinateur")
async def invite_coordinator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _invite_role(update, context, COORDINATEUR)


@access.requires("inviter_destinataire")
async def invite_recipient(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _invite_role(update, context, DESTINATAIRE)


@access.requires("invitations")
async def invitations(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/invitations: the links still usable (never the token itself)."""
    if not _claim(context, update):
        return
    s = services(context)
    found = list_invitations(s.db)
    if not found:
        await _say(context, update.effective_chat.id, texts.INVITATIONS_EMPTY)
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


@access.requires("revoquer")
async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/revoquer <n°>."""
    if not _claim(context, update):
        return
    s = services(context)
    chat_id = update.effective_chat.id
    argument = _argument(update).lstrip("n°").strip()
    if not argument.isdigit():
        await _say(context, chat_id, texts.REVOKE_USAGE)
        return
    try:
        get_invitation(s.db, int(argument))
        revoke_invitation(s.db, int(argument))
    except storage.NotFound:
        await _say(context, chat_id, texts.REVOKE_UNKNOWN.format(id=argument))
        return
    await _say(context, chat_id, texts.REVOKED_LINK.format(id=argument))


@access.requires("lieu_retirer")
async def remove_place(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lieu_retirer <lieu>: asks for confirmation."""
    if not _claim(context, update):
        return
    s = services(context)
    chat_id = update.effective_chat.id
    name = _argument(update)
    if not name:
        await _say(context, chat_id, texts.REMOVE_USAGE)
        return
    place = storage.find_place(s.db, name)
    if place is None:
        await _say(context, chat_id, texts.PLACE_UNKNOWN.format(place=escape(name)))
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.REMOVE_YES, callback_data=f"rm:{place.id}:y"),
        InlineKeyboardButton(texts.REMOVE_NO, callback_data=f"rm:{place.id}:n")]])
    await context.bot.send_message(chat_id, texts.REMOVE_CONFIRM.format(
        place=escape(place.name)), reply_markup=markup)


@access.requires("lieu_retirer")
async def remove_place_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    fields = await confirmation(update, context)
    if fields is None:
        return
    s = services(context)
    chat_id = update.effective_chat.id
    _, place_id, choice = fields[:3]
    if choice != "y" or not place_id.isdigit():
        await _say(context, chat_id, texts.REMOVE_CANCELLED)
        return
    try:
        place = storage.get_place(s.db, int(place_id))
    except storage.NotFound:
        await _say(context, chat_id, texts.REMOVE_CANCELLED)
        return
    removed_now = place.active  # a second "Oui" (another message) tells nobody again
    if removed_now:
        place = storage.remove_place(s.db, place.id)
        log.info("place %s removed by %s", place.id, update.effective_user.id)
    await _say(context, chat_id, texts.REMOVED.format(place=escape(place.name)))
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
        except Forbidden:
            mark_unreachable(s.db, person.telegram_id)
            continue
        except TelegramError as exc:
            log.warning("could not tell manager %s of a removal: %s", person.telegram_id, exc)
        await set_menu(context.bot, s.db, s.settings, person.telegram_id)


# --- Personal data ------------------------------------------------------------------------

async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mes_donnees (anyone)."""
    if not _claim(context, update):
        return
    s = services(context)
    data = personal_data(s.db, update.effective_user.id)
    if data is None:
        await _say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    nothing = texts.MY_DATA_NOTHING
    roles = list(data.roles)
    if s.settings.is_admin(data.telegram_id):
        roles.insert(0, access.ADMIN)
    await _say(context, update.effective_chat.id, texts.MY_DATA.format(
        telegram_id=data.telegram_id, name=escape(data.display_name or nothing),
        username=escape("@" + data.username) if data.username else nothing,
        roles=", ".join(texts.ROLE_NAMES.get(r, r) for r in roles) or nothing,
        places=", ".join(escape(p) for p in data.places) or nothing,
        answers=data.answers_written, sent=data.fiches_sent,
        reminders=data.reminders_received,
        snoozed=texts.MY_DATA_SNOOZED if data.snoozed else "",
        unreachable=texts.MY_DATA_UNREACHABLE if data.unreachable else ""))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/oublier (anyone): asks for confirmation."""
    if not _claim(context, update):
        return
    if storage.get_person(services(context).db, update.effective_user.id) is None:
        await _say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.FORGET_YES, callback_data="fg:y"),
        InlineKeyboardButton(texts.FORGET_NO, callback_data="fg:n")]])
    await context.bot.send_message(update.effective_chat.id, texts.FORGET_CONFIRM,
                                   reply_markup=markup)


async def forget_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    fields = await confirmation(update, context)
    if fields is None:
        return
    s = services(context)
    user_id = update.effective_user.id
    if fields[1] != "y":
        await _say(context, update.effective_chat.id, texts.FORGET_CANCELLED)
        return
    if not forget_person(s.db, user_id):  # a second tap: nothing left to erase
        await _say(context, update.effective_chat.id, texts.MY_DATA_NONE)
        return
    log.info("a person's data was erased on their request")
    await set_menu(context.bot, s.db, s.settings, user_id)
    await _say(context, update.effective_chat.id, texts.FORGOTTEN)


COMMANDS = {
    "lieux": places,
    "inviter": invite,
    "inviter_coordinateur": invite_coordinator,
    "inviter_destinataire": invite_recipient,
    "invitations": invitations,
    "revoquer": revoke,
    "lieu_retirer": remove_place,
    "mes_donnees": my_data,
    "oublier": forget,
}

BUTTONS = {r"^rm:": remove_place_confirmed, r"^fg:": forget_confirmed}
