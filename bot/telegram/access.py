"""Who may run which command.

Every command is declared here with the roles that may run it (an empty set: anyone).
Handlers of restricted commands are wrapped with `requires(...)`; a refusal names the
role that would be needed and nothing else (no place names, no counts). The same table
gives each person their command menu (`setMyCommands` with a chat scope) and drives the
role-matrix test, so a command cannot be added without saying who may use it.

Administrators (FICHEBOT_ADMIN_IDS) may run everything.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Final

from telegram import Update
from telegram.ext import ContextTypes

from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE, roles_of
from storage.updates import claim_update

ADMIN: Final = "admin"
EVERYONE: frozenset[str] = frozenset()
STAFF: frozenset[str] = frozenset({COORDINATEUR})

# command -> roles that may run it (admins always may). Keep in the order of the menus.
COMMAND_ROLES: dict[str, frozenset[str]] = {
    # everyone
    "start": EVERYONE,
    "aide": EVERYONE,
    "help": EVERYONE,
    "mes_donnees": EVERYONE,
    "oublier": EVERYONE,
    # managers
    "reprendre": frozenset({GESTIONNAIRE}),
    "apercu": frozenset({GESTIONNAIRE}),
    "modifier": frozenset({GESTIONNAIRE}),
    "envoyer": frozenset({GESTIONNAIRE}),
    # recipients (and coordinators)
    "fiche": frozenset({DESTINATAIRE, COORDINATEUR}),
    # coordinators
    "lieux": STAFF,
    "lieu_ajouter": STAFF,
    "lieu_lien": STAFF,
    "inviter": STAFF,
    "inviter_coordinateur": STAFF,
    "inviter_destinataire": STAFF,
    "invitations": STAFF,
    "revoquer": STAFF,
    "lieu_retirer": STAFF,
    "campagne_creer": STAFF,
    "campagne_lancer": STAFF,
    "campagne_statut": STAFF,
    "campagne_rappels": STAFF,
    "relancer": STAFF,
    "campagne_cloturer": STAFF,
    "campagnes": STAFF,
    "export": STAFF,
}

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def person_roles(db, settings, user_id: int) -> set[str]:
    """The roles a Telegram user holds, 'admin' included."""
    roles = roles_of(db, user_id)
    if settings.is_admin(user_id):
        roles.add(ADMIN)
    return roles


def may_run(roles: set[str], command: str) -> bool:
    needed = COMMAND_ROLES[command]
    return not needed or ADMIN in roles or bool(roles & needed)


def commands_for(roles: set[str]) -> list[str]:
    """The commands this person may run, for their menu."""
    return [name for name in COMMAND_ROLES if name != "help" and may_run(roles, name)]


def requires(command: str) -> Callable[[Handler], Handler]:
    """Wrap a handler so that only the roles of COMMAND_ROLES[command] reach it."""
    if command not in COMMAND_ROLES:
        raise KeyError(f"command /{command} is not declared in access.COMMAND_ROLES")

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            from bot.telegram import texts
            from bot.telegram.handlers import services

            s = services(context)
            user = update.effective_user
            if user is None or not may_run(person_roles(s.db, s.settings, user.id), command):
                if claim_update(s.db, update.update_id):
                    if update.callback_query is not None:  # stop the button's spinner
                        await update.callback_query.answer()
                    await context.bot.send_message(
                        update.effective_chat.id, texts.role_needed(COMMAND_ROLES[command]))
                return
            await handler(update, context)

        return guarded

    return decorate
