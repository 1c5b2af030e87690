"""The ONE table of what the bot answers: commands, buttons, messages.

Each `Command` row says its name, the roles that may run it (empty: everyone), its menu
text (None: in no menu), its handler and its `Claim` policy. The table drives:

- handler registration (`register`), in private chats only (groups get `in_group`);
- the role check: someone without a needed role gets a refusal naming the role, and the
  handler never runs;
- each person's command menu (`MENUS`, `menus.Menus`) and the role-matrix test;
- recording the update as handled (`Claim.FIRST`: before the handler; `Claim.STEP`: the
  handler records it in the transaction of what it changes, e.g. an interview step).

`BUTTONS` does the same for the buttons outside the interview (by data prefix, see
`callbacks.py`), and `MESSAGES` for what is not a command. Add a command: write its
handler in the feature it belongs to (`features/`), its French in `texts.py`, and add
one row here.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import callbacks, guard, texts
from bot.telegram.access import ADMIN, EVERYONE, STAFF, may_run, person_roles
from bot.telegram.callbacks import Route
from bot.telegram.context import Callback, claim, say, services
from bot.telegram.features import (
    campaigns,
    delivery,
    interview,
    places,
    privacy,
    reminders,
    steering,
    synthesis,
)
from bot.telegram.menus import MenuEntry, Menus
from bot.telegram.sending import mark_if_blocked, method_of
from bot.telegram.transport import failed_call
from bot.telegram.views import escape
from bot.telegram.who import who
from storage.reminders import mark_reachable
from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE
from storage.updates import incoming

log = logging.getLogger(__name__)

PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
MANAGERS = frozenset({GESTIONNAIRE})
READERS = frozenset({DESTINATAIRE, COORDINATEUR})


class Claim(StrEnum):
    """When the update is recorded as handled (a redelivered one is then dropped by
    `gate` before any handler)."""

    FIRST = "first"  # by the table, before the handler: handlers that change nothing
    STEP = "step"  # by the handler, in the transaction of the change it makes


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[str]
    menu: str | None
    handler: Callback
    claim: Claim = Claim.FIRST
    # False: the roles shape the menu only; the handler itself answers someone without
    # them (the interview tells a person with no place how to get an invitation)
    check_roles: bool = True


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/aide: the help of the roles the person holds."""
    s = services(context)
    roles = person_roles(s.db, s.settings, update.effective_user.id)
    await say(context, update.effective_chat.id, texts.help_text(roles))


def _menu(name: str) -> str:
    return texts.COMMAND_DESCRIPTIONS[name]


# in the order of the menus
COMMANDS: list[Command] = [
    # everyone
    Command("start", EVERYONE, _menu("start"), interview.start, Claim.STEP),
    Command("aide", EVERYONE, _menu("aide"), help_command),
    Command("help", EVERYONE, None, help_command),
    Command("mes_donnees", EVERYONE, _menu("mes_donnees"), privacy.my_data),
    Command("oublier", EVERYONE, _menu("oublier"), privacy.forget),
    # managers
    Command("reprendre", MANAGERS, _menu("reprendre"), interview.resume, Claim.STEP,
            check_roles=False),
    Command("apercu", MANAGERS, _menu("apercu"), interview.preview, Claim.FIRST,
            check_roles=False),
    Command("modifier", MANAGERS, _menu("modifier"), interview.edit, Claim.STEP,
            check_roles=False),
    Command("envoyer", MANAGERS, _menu("envoyer"), interview.send, Claim.STEP,
            check_roles=False),
    Command("mon_bilan", MANAGERS, _menu("mon_bilan"), synthesis.my_report,
            check_roles=False),
    # recipients (and coordinators)
    Command("fiche", READERS, _menu("fiche"), delivery.fiche),
    Command("recevoir", READERS, _menu("recevoir"), delivery.receive),
    Command("synthese", READERS, _menu("synthese"), synthesis.synthese),
    # coordinators
    Command("lieux", STAFF, _menu("lieux"), places.places),
    Command("lieu_ajouter", STAFF, _menu("lieu_ajouter"), places.add_place, Claim.STEP),
    Command("lieu_lien", STAFF, _menu("lieu_lien"), places.place_link),
    Command("lieu_titre", STAFF, _menu("lieu_titre"), places.place_title),
    Command("inviter", STAFF, _menu("inviter"), places.invite),
    Command("inviter_coordinateur", STAFF, _menu("inviter_coordinateur"),
            places.invite_coordinator),
    Command("inviter_destinataire", STAFF, _menu("inviter_destinataire"),
            places.invite_recipient),
    Command("invitations", STAFF, _menu("invitations"), places.invitations),
    Command("revoquer", STAFF, _menu("revoquer"), places.revoke),
    Command("lieu_retirer", STAFF, _menu("lieu_retirer"), places.remove_place),
    Command("campagne_creer", STAFF, _menu("campagne_creer"), campaigns.create),
    Command("campagne_lancer", STAFF, _menu("campagne_lancer"), campaigns.launch),
    Command("campagne_statut", STAFF, _menu("campagne_statut"), steering.status),
    Command("rappels_prevus", STAFF, _menu("rappels_prevus"), steering.upcoming),
    Command("campagne_rappels", STAFF, _menu("campagne_rappels"), campaigns.reminders),
    Command("relancer", STAFF, _menu("relancer"), steering.remind),
    Command("campagne_echeance", STAFF, _menu("campagne_echeance"), steering.deadline),
    Command("campagne_cloturer", STAFF, _menu("campagne_cloturer"), campaigns.close),
    Command("campagnes", STAFF, _menu("campagnes"), campaigns.campaigns),
    Command("export", STAFF, _menu("export"), campaigns.export_command),
    Command("synthese_exclure", STAFF, _menu("synthese_exclure"), synthesis.exclude_command),
    Command("synthese_reintegrer", STAFF, _menu("synthese_reintegrer"),
            synthesis.include_command),
]
COMMAND_ROLES: dict[str, frozenset[str]] = {c.name: c.roles for c in COMMANDS}
MENUS = Menus([MenuEntry(c.name, c.roles, c.menu) for c in COMMANDS])


@dataclass(frozen=True)
class Button:
    """A button outside the interview: its kind (`callbacks.Route`, a data prefix), the
    command whose roles may press it (None: anyone), its handler and claim policy."""

    route: Route
    command: str | None
    handler: Callback
    claim: Claim = Claim.FIRST


BUTTONS: list[Button] = [
    Button(Route.PREFILL, None, interview.prefill_choice, Claim.STEP),
    Button(Route.GO, None, interview.go, Claim.STEP),
    Button(Route.SNOOZE, "reprendre", reminders.snooze_button),  # managers
    Button(Route.REMOVE_PLACE, "lieu_retirer", places.remove_place_confirmed),
    Button(Route.FORGET, None, privacy.forget_confirmed),
    Button(Route.CLOSE_CAMPAIGN, "campagne_cloturer", campaigns.close_confirmed),
    Button(Route.TITLE_FORM, "lieu_titre", places.title_form_chosen),
    Button(Route.STATUS_PAGE, "campagne_statut", steering.status_page),
    Button(Route.REMIND, "relancer", steering.remind_confirmed),
    Button(Route.PLACE_FICHE, "fiche", delivery.fiche_chosen),
    Button(Route.PLACE_LINK, "lieu_lien", places.place_chosen),
    Button(Route.PLACE_INVITE, "inviter", places.place_chosen),
    Button(Route.PLACE_REMOVE, "lieu_retirer", places.place_chosen),
    Button(Route.PLACE_TITLE, "lieu_titre", places.place_chosen),
]


def may_run_command(roles: set[str], command: str) -> bool:
    return may_run(roles, COMMAND_ROLES[command])


def commands_for(roles: set[str]) -> list[str]:
    """The commands this person may run, for their menu."""
    return MENUS.commands_for(roles)


def guarded(handler: Callback, roles: frozenset[str], claim_policy: Claim) -> Callback:
    """The handler behind the role check and the claim policy of its row."""

    @functools.wraps(handler)
    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if roles:
            s = services(context)
            user = update.effective_user
            if user is None or not may_run(person_roles(s.db, s.settings, user.id), roles):
                if claim(context, update):
                    if update.callback_query is not None:  # stop the button's spinner
                        await update.callback_query.answer()
                    await context.bot.send_message(update.effective_chat.id,
                                                   texts.role_needed(roles))
                return
        if claim_policy is Claim.FIRST and not claim(context, update):
            return
        await handler(update, context)

    return run


# --- What is not a command ----------------------------------------------------------------

async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1, before any handler: whoever writes to the bot is reachable again (they
    unblocked it); a redelivered update stops here, before any handler replies twice."""
    if update.callback_query is not None:
        await guard.refuse(update, context)  # presses no handler can take
    db = services(context).db
    user = update.effective_user
    processed, unreachable = incoming(db, update.update_id, user.id if user else None)
    if unreachable and user is not None and mark_reachable(db, user.id):
        log.info("%s is reachable again", who(db, user.id))
    if processed:
        log.info("update %s was already handled: dropped", update.update_id)
        raise ApplicationHandlerStop


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await say(context, update.effective_chat.id, texts.UNKNOWN_COMMAND)


async def in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command in a group: the bot only works in a private chat."""
    await say(context, update.effective_chat.id,
              texts.GROUP.format(bot=escape(context.bot.username)))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (method and parameters, never the token); apologise to the person.
    A 403 is read as everywhere else (`sending.mark_if_blocked`): the person is marked
    unreachable, and not apologised to."""
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if error is not None and mark_if_blocked(
            services(context).db, chat.id if chat and chat.type == ChatType.PRIVATE else None,
            error):
        log.info("Telegram refused %s: %s", failed_call(error) or method_of(error), error)
        return
    if isinstance(error, BadRequest):
        log.error("Telegram refused %s: %s", failed_call(error) or "a call", error)
    else:
        log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
    except TelegramError:
        pass
    try:
        await context.bot.send_message(chat.id, texts.APOLOGY)
    except TelegramError as exc:
        log.warning("could not apologise to %s: %s", who(services(context).db, chat.id), exc)


def press_dispatcher() -> Callback:
    """One handler for every press: `callbacks.route` names the row of `BUTTONS` whose
    handler takes it, behind its role check and claim policy; the interview takes the
    rest (it records the update in its step). One look-up instead of a pattern tried per
    kind of button: presses are most of what the bot receives."""
    handlers = {button.route: guarded(button.handler, COMMAND_ROLES[button.command]
                                      if button.command else EVERYONE, button.claim)
                for button in BUTTONS}
    assert len(handlers) == len(BUTTONS), "two rows of BUTTONS for one kind of button"

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        route = callbacks.route(update.callback_query.data)
        await handlers.get(route, interview.button)(update, context)  # type: ignore[arg-type]

    return press


def register(application: Application) -> None:
    """Every handler, in the order PTB tries them (the first that matches runs).

    A button press and a message never match the same handler, so the buttons come
    first, and typed answers (not commands) before the commands: taps and answers are
    nearly every update, and each handler tried before the right one costs time.
    """
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CallbackQueryHandler(press_dispatcher()))
    application.add_handler(MessageHandler(PRIVATE_MESSAGES & filters.TEXT & ~filters.COMMAND,
                                           interview.text_message))  # records: the step
    application.add_handler(MessageHandler(
        private & filters.UpdateType.EDITED_MESSAGE,
        guarded(interview.edited_message, EVERYONE, Claim.FIRST)))
    application.add_handler(MessageHandler(
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND,
        guarded(in_group, EVERYONE, Claim.FIRST)))
    for command in COMMANDS:
        application.add_handler(CommandHandler(
            command.name, guarded(command.handler,
                                  command.roles if command.check_roles else EVERYONE,
                                  command.claim),
            filters=PRIVATE_MESSAGES))
    application.add_handler(MessageHandler(PRIVATE_MESSAGES & filters.COMMAND,
                                           guarded(unknown_command, EVERYONE, Claim.FIRST)))
    application.add_handler(MessageHandler(PRIVATE_MESSAGES & ~filters.StatusUpdate.ALL,
                                           guarded(interview.not_text, EVERYONE, Claim.FIRST)))
    application.add_error_handler(on_error)


__all__ = ["ADMIN", "COMMANDS", "COMMAND_ROLES", "MENUS", "STAFF", "Claim", "register"]
