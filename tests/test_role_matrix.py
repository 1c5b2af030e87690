"""Every command × every role: refusals name the role needed and leak nothing."""

from __future__ import annotations

import re

import pytest
from telegram.ext import CommandHandler

import storage
from bot.telegram import texts
from bot.telegram.access import ADMIN, STAFF
from bot.telegram.commands import COMMAND_ROLES
from bot.telegram.commands import may_run_command as may_run
from storage.invitations import create_invitation
from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, manager

PEOPLE = {
    "inconnu": (9001, set()),
    GESTIONNAIRE: (1001, {GESTIONNAIRE}),
    DESTINATAIRE: (6001, {DESTINATAIRE}),
    COORDINATEUR: (5001, {COORDINATEUR}),
    ADMIN: (ADMIN_ID, {ADMIN}),
}
MANAGER_COMMANDS = {"reprendre", "apercu", "modifier", "envoyer"}
SECRET_PLACE = "Le Jardin Secret"


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    await manager(fake, 1001, "Alice", SECRET_PLACE)
    for role in (DESTINATAIRE, COORDINATEUR):
        user_id = PEOPLE[role][0]
        await fake.chat(user_id, role).send(f"/start {create_invitation(fake.db, role, None, 1)}")
    yield fake
    await fake.stop()


def test_every_registered_command_is_declared_and_the_other_way_round(tmp_path):
    fake = FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID})
    registered: set[str] = set()
    for handlers in fake.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                registered |= set(handler.commands)
    assert registered == set(COMMAND_ROLES)
    assert set(COMMAND_ROLES) - {"help"} <= set(texts.COMMAND_DESCRIPTIONS)
    fake.db.close()


def test_the_table_itself():
    """Spelled out, so that loosening COMMAND_ROLES cannot go unnoticed."""
    everyone = {"start", "aide", "help", "mes_donnees", "oublier"}
    assert {c for c in COMMAND_ROLES if may_run(set(), c)} == everyone
    assert {c for c in COMMAND_ROLES if may_run({GESTIONNAIRE}, c)} == everyone | MANAGER_COMMANDS
    assert {c for c in COMMAND_ROLES if may_run({DESTINATAIRE}, c)} == everyone | {"fiche"}
    assert {c for c in COMMAND_ROLES if may_run({COORDINATEUR}, c)} == (
        set(COMMAND_ROLES) - MANAGER_COMMANDS)
    assert {c for c in COMMAND_ROLES if may_run({ADMIN}, c)} == set(COMMAND_ROLES)


@pytest.mark.parametrize("role", list(PEOPLE))
async def test_role_matrix(tg, role):
    user_id, roles = PEOPLE[role]
    chat = tg.chat(user_id, role)
    for command, needed in COMMAND_ROLES.items():
        turn = await chat.send(f"/{command}")  # /oublier only asks: nothing is erased
        said = turn.text
        refusal = texts.role_needed(needed)
        if may_run(roles, command):
            assert refusal not in turn.texts, (role, command, said)
            continue
        if command in MANAGER_COMMANDS:
            assert turn.texts == [texts.NO_PLACE], (role, command, said)
        else:
            assert turn.texts == [refusal], (role, command, said)
        # nothing leaks: no place name, no count
        assert SECRET_PLACE not in said, (role, command)
        assert not re.search(r"\d", said), (role, command, said)


async def test_forget_is_open_to_anyone_and_confirmed(tg):
    stranger = tg.chat(9002, "Zoé")
    assert (await stranger.send("/oublier")).texts == [texts.MY_DATA_NONE]  # nothing kept
    await stranger.send("/start")  # now the bot knows their name
    turn = await stranger.send("/oublier")
    assert turn.texts == [texts.FORGET_CONFIRM]
    turn = await stranger.tap("Oui, effacer")
    assert texts.FORGOTTEN in turn.texts


@pytest.mark.parametrize("role", ["inconnu", GESTIONNAIRE, DESTINATAIRE])
async def test_coordinators_buttons_refuse_others_and_leak_nothing(tg, role):
    """A crafted press on a coordinator's confirmation button is refused like the command."""
    user_id, _ = PEOPLE[role]
    place = storage.find_place(tg.db, SECRET_PLACE)
    chat = tg.chat(user_id, role)
    turn = await chat.press(f"rm:{place.id}:y", {"message_id": 1, "date": 0,
                                                "chat": {"id": user_id, "type": "private"}})
    assert turn.texts == [texts.role_needed(STAFF)], role
    assert "answerCallbackQuery" in turn.methods
    assert storage.get_place(tg.db, place.id).active
