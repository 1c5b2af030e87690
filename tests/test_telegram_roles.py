"""Roles through the bot: invitation links (single-use, team, expiry, revocation), what
each role may then run, per-role /aide and command menus, /lieux, /lieu_retirer, and
personal data (/mes_donnees, /oublier) as the database holds it afterwards."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

import storage
from bot.telegram import access, commands, texts
from bot.telegram.context import MESSAGE_LIMIT
from interview import current_year_for
from storage.campaigns import create_campaign, launch_campaign
from storage.invitations import create_invitation, find_invitation
from storage.reminders import mark_unreachable, snooze
from storage.roles import COORDINATEUR, DESTINATAIRE, GESTIONNAIRE, has_role
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, manager

LINK = re.compile(r"https://t\.me/fichebot_test_bot\?start=([A-Za-z0-9_-]{20,64})")
YEAR = current_year_for()
COORD = 500


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


async def coordinator(tg, user_id: int = COORD, name: str = "Chloé"):
    chat = tg.chat(user_id, name)
    turn = await chat.send(f"/start {create_invitation(tg.db, COORDINATEUR, None, ADMIN_ID)}")
    assert turn.text.startswith(texts.ROLE_GRANTED[COORDINATEUR])
    return chat


def link(turn) -> str:
    match = LINK.search(turn.text)
    assert match, turn.text
    return match[1]


def menu_calls(tg, chat_id: int) -> list:
    """setMyCommands / deleteMyCommands calls scoped to one chat."""
    found = []
    for call in tg.request.calls:
        if call.method not in ("setMyCommands", "deleteMyCommands"):
            continue
        scope = call.params.get("scope")
        scope = json.loads(scope) if isinstance(scope, str) else scope
        if scope and scope.get("type") == "chat" and int(scope["chat_id"]) == chat_id:
            found.append(call)
    return found


def menu_of(tg, chat_id: int) -> list[str] | None:
    """The commands of the chat's own menu as last set (None: deleted, default menu)."""
    calls = menu_calls(tg, chat_id)
    assert calls, f"no menu was set for {chat_id}"
    last = calls[-1]
    if last.method == "deleteMyCommands":
        return None
    commands = last.params["commands"]
    commands = json.loads(commands) if isinstance(commands, str) else commands
    return [c["command"] for c in commands]


# --- Links ---------------------------------------------------------------------------------

async def test_every_link_says_it_expires_in_14_days_and_is_stored_so(tg):
    chloe = await coordinator(tg)
    await chloe.send("/lieu_ajouter La Tréso")
    for command in ("/lieu_lien La Tréso", "/inviter La Tréso", "/inviter La Tréso réutilisable",
                    "/inviter_coordinateur", "/inviter_destinataire"):
        turn = await chloe.send(command)
        assert "14\u00a0jours" in turn.text, command
        invitation = find_invitation(tg.db, link(turn))
        lifetime = (datetime.fromisoformat(invitation.expires_at)
                    - datetime.fromisoformat(invitation.created_at))
        assert lifetime == timedelta(days=14), command
        assert invitation.reusable == command.endswith("réutilisable")


async def test_single_use_and_team_links(tg):
    chloe = await coordinator(tg)
    await chloe.send("/lieu_ajouter La Tréso")
    single = link(await chloe.send("/inviter la TRÉSO"))  # names match in any case
    team = link(await chloe.send("/inviter La Tréso équipe"))
    assert "plusieurs personnes" not in (await chloe.send("/inviter La Tréso")).text

    assert "Bonjour" in (await tg.chat(1001, "Alice").send(f"/start {single}")).text
    turn = await tg.chat(1002, "Bob").send(f"/start {single}")
    assert turn.texts == [texts.INVITATION_USED]
    assert not has_role(tg.db, 1002, GESTIONNAIRE)
    for user_id in (1002, 1003, 1004):
        assert "Bonjour" in (await tg.chat(user_id, "X").send(f"/start {team}")).text
        assert has_role(tg.db, user_id, GESTIONNAIRE)
    assert find_invitation(tg.db, team).uses == 3


async def test_an_expired_link_grants_nothing_and_leaves_the_list(tg):
    chloe = await coordinator(tg)
    await chloe.send("/lieu_ajouter La Tréso")
    manager_link = link(await chloe.send("/inviter La Tréso equipe"))
    recipient_link = link(await chloe.send("/inviter_destinataire"))
    assert "n° " in (await chloe.send("/invitations")).text
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    tg.db.execute("UPDATE invitations SET expires_at = ?", [past])  # 14 days later

    turn = await tg.chat(1001, "Alice").send(f"/start {manager_link}")
    assert turn.texts == [texts.INVITATION_EXPIRED]
    turn = await tg.chat(600, "Rita").send(f"/start {recipient_link}")
    assert turn.texts == [texts.INVITATION_EXPIRED]
    assert not has_role(tg.db, 1001, GESTIONNAIRE) and not has_role(tg.db, 600, DESTINATAIRE)
    assert menu_calls(tg, 1001) == [] and menu_calls(tg, 600) == []
    assert (await chloe.send("/invitations")).texts == [texts.INVITATIONS_EMPTY]


async def test_a_revoked_role_link_grants_nothing(tg):
    chloe = await coordinator(tg)
    token = link(await chloe.send("/inviter_coordinateur"))
    listing = (await chloe.send("/invitations")).text
    number = find_invitation(tg.db, token).id
    assert f"n° {number} — coordinateur·rice — expire le" in listing
    assert (await chloe.send(f"/revoquer {number}")).texts == [
        texts.REVOKED_LINK.format(id=number)]
    assert (await chloe.send("/revoquer")).texts == [texts.REVOKE_USAGE]
    paul = tg.chat(700, "Paul")
    assert (await paul.send(f"/start {token}")).texts == [texts.INVITATION_REVOKED]
    assert not has_role(tg.db, 700, COORDINATEUR)
    assert (await paul.send("/lieux")).texts == [texts.role_needed(access.STAFF)]


async def test_tokens_are_never_logged_nor_stored_nor_listed(tg, caplog):
    caplog.set_level("INFO")  # as `fichebot run` logs (PTB included), and ours in full
    caplog.set_level("DEBUG", logger="bot")
    caplog.set_level("DEBUG", logger="storage")
    chloe = await coordinator(tg)
    tokens = [link(await chloe.send("/lieu_ajouter La Tréso")),
              link(await chloe.send("/lieu_lien La Tréso")),
              link(await chloe.send("/inviter La Tréso equipe")),
              link(await chloe.send("/inviter_coordinateur")),
              link(await chloe.send("/inviter_destinataire"))]
    for user_id, token in enumerate(tokens, start=2001):
        await tg.chat(user_id, "X").send(f"/start {token}")
        await tg.chat(user_id, "X").send(f"/start {token}")  # used: refused, logged
    # Telegram refuses the message carrying a link: the failed call is logged, redacted
    tg.request.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    assert texts.APOLOGY in (await chloe.send("/inviter_destinataire")).texts
    refused = [c for c in tg.request.calls if c.method == "sendMessage" and "start=" in c.text]
    tokens.append(LINK.search(refused[-1].text)[1])
    assert "Telegram refused sendMessage" in caplog.text
    listing = (await chloe.send("/invitations")).text
    dump = json.dumps([list(tg.db.query(f"SELECT * FROM [{table}]"))
                       for table in tg.db.table_names()], default=str)
    for token in tokens:
        assert token[:4] in caplog.text  # the prefix helps match a log line to a link
        assert token[:5] not in caplog.text
        assert token not in listing and token[:8] not in dump


# --- What each role may then run -----------------------------------------------------------

async def test_a_coordinator_link_opens_the_coordinators_commands(tg):
    chloe = await coordinator(tg)
    assert set(menu_of(tg, COORD)) == set(commands.commands_for({COORDINATEUR}))
    await chloe.send("/lieu_ajouter La Tréso")
    assert "<b>La Tréso</b>" in (await chloe.send("/lieux")).text
    paul_link = link(await chloe.send("/inviter_coordinateur"))
    paul = tg.chat(700, "Paul")
    turn = await paul.send(f"/start {paul_link}")
    assert "/lieux" in turn.text and "/campagne_creer" in turn.text  # what they can do now
    assert "<b>La Tréso</b>" in (await paul.send("/lieux")).text


async def test_a_recipient_link_opens_fiche_but_not_places(tg):
    chloe = await coordinator(tg)
    await chloe.send("/lieu_ajouter La Tréso")
    rita = tg.chat(600, "Rita")
    turn = await rita.send(f"/start {link(await chloe.send('/inviter_destinataire'))}")
    assert turn.texts == [texts.ROLE_GRANTED[DESTINATAIRE] + "\n\n"
                          + texts.help_text({DESTINATAIRE})]
    assert "/fiche" in turn.text and "/lieux" not in turn.text
    assert set(menu_of(tg, 600)) == set(commands.commands_for({DESTINATAIRE}))
    refusal = texts.role_needed(access.STAFF)
    assert (await rita.send("/lieux")).texts == [refusal]
    assert (await rita.send("/inviter La Tréso")).texts == [refusal]
    if "fiche" in commands.COMMAND_ROLES:
        turn = await rita.send("/fiche La Tréso")
        assert texts.role_needed(commands.COMMAND_ROLES["fiche"]) not in turn.texts
        assert "La Tréso" in turn.text  # no fiche sent yet: said so


async def test_a_coordinator_may_add_places_and_links_like_an_admin(tg):
    chloe = await coordinator(tg)
    assert (await chloe.send("/lieu_ajouter Le WIP")).text.startswith("Le lieu <b>Le WIP</b>")
    assert "Nouveau lien" in (await chloe.send("/lieu_lien le wip")).text
    assert (await chloe.send("/lieu_lien Nulle Part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]


@pytest.mark.parametrize("roles", [set(), {GESTIONNAIRE}, {DESTINATAIRE}, {COORDINATEUR},
                                   {access.ADMIN}])
async def test_help_names_exactly_the_commands_of_ones_roles(tg, roles):
    user_id = {frozenset(): 9001, frozenset({GESTIONNAIRE}): 1001,
               frozenset({DESTINATAIRE}): 600, frozenset({COORDINATEUR}): COORD,
               frozenset({access.ADMIN}): ADMIN_ID}[frozenset(roles)]
    if roles == {GESTIONNAIRE}:
        chat = await manager(tg, user_id, "Alice")
    elif roles & {DESTINATAIRE, COORDINATEUR}:
        role = next(iter(roles))
        chat = tg.chat(user_id, "X")
        await chat.send(f"/start {create_invitation(tg.db, role, None, ADMIN_ID)}")
    else:
        chat = tg.chat(user_id, "X")
    turn = await chat.send("/aide")
    assert turn.texts == [texts.help_text(roles)]
    named = set(re.findall(r"(?<![<\w])/([a-z_]+)", turn.text))
    assert named == set(commands.commands_for(roles)) - {"start"}, roles


# --- Menus ---------------------------------------------------------------------------------

async def test_menus_are_set_at_start_for_people_with_a_role_and_errors_are_tolerated(
        tmp_path, caplog):
    first = await FakeTelegram(tmp_path / "f.db", admin_ids={ADMIN_ID}).start()
    await manager(first, 1001, "Alice")
    for user_id, role in ((COORD, COORDINATEUR), (600, DESTINATAIRE)):
        await first.chat(user_id, "X").send(f"/start {create_invitation(first.db, role, None, 1)}")
    await first.stop()

    tg = await FakeTelegram(tmp_path / "f.db", admin_ids={ADMIN_ID}).start()
    tg.request.fail_next("setMyCommands", 400, "Bad Request: chat not found")
    settings = tg.app.bot_data["services"].settings
    await commands.MENUS.set_all(tg.app, tg.db, settings)  # what post_init does first
    try:
        default = [c for c in tg.request.calls if c.method == "setMyCommands"
                   and not c.params.get("scope")]
        assert default, "no default menu"
        assert menu_of(tg, ADMIN_ID) == commands.commands_for({access.ADMIN})
        assert set(menu_of(tg, COORD)) == set(commands.commands_for({COORDINATEUR}))
        assert set(menu_of(tg, 600)) == set(commands.commands_for({DESTINATAIRE}))
        assert menu_calls(tg, 1001) == []  # managers' menus were set when they joined
        assert "could not set the default menu" in caplog.text
    finally:
        await tg.stop()


async def test_menu_descriptions_cover_every_declared_command():
    for command in commands.COMMAND_ROLES:
        if command != "help":
            description = texts.COMMAND_DESCRIPTIONS[command]
            assert 3 <= len(description) <= 256, command


# --- Places --------------------------------------------------------------------------------

async def test_places_show_managers_and_this_campaigns_state(tg):
    chloe = await coordinator(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await manager(tg, 1002, "Bob", "La Tréso")
    await manager(tg, 1003, "Carl", "Le Hangar")
    await manager(tg, 1004, "Dan", "La Forge")
    await manager(tg, 1005, "Eve", "La Ruche")
    await chloe.send("/lieu_ajouter Le WIP")
    # before any campaign: managers, no state
    assert "• <b>La Tréso</b> — Alice, Bob\n" in (await chloe.send("/lieux")).text

    now = datetime.now(UTC)
    campaign = create_campaign(tg.db, YEAR, date(YEAR + 1, 6, 30), "2025.1", COORD, now=now)
    launch_campaign(tg.db, campaign.id, now=now)
    await alice.send("/reprendre")
    await alice.tap("8. bénévoles")
    hangar = storage.find_place(tg.db, "Le Hangar")
    response = storage.get_or_create_response(tg.db, hangar.id, YEAR, "2025.1")
    storage.mark_submitted(tg.db, response.id, 1003)
    mark_unreachable(tg.db, 1004)

    text = (await chloe.send("/lieux")).text
    assert f"<b>5\u00a0lieux</b> — campagne {YEAR}" in text
    assert "• <b>La Tréso</b> — Alice, Bob — en cours — 1\u00a0section sur 12" in text
    assert "• <b>Le Hangar</b> — Carl — envoyée" in text
    assert "• <b>La Forge</b> — Dan — injoignable" in text
    assert "• <b>La Ruche</b> — Eve — non commencé" in text
    assert "• <b>Le WIP</b> — aucun·e gestionnaire" in text


async def test_a_long_list_of_places_is_split_under_telegrams_limit(tg):
    chloe = await coordinator(tg)
    names = [f"Le tiers-lieu numéro {n:03d} de la grande région {'x' * 60}" for n in range(150)]
    for name in names:
        storage.add_place(tg.db, name)
    turn = await chloe.send("/lieux")
    assert len(turn.texts) > 1
    assert all(len(text) <= MESSAGE_LIMIT < 4096 for text in turn.texts)
    assert all(name in turn.text for name in names)


async def test_removing_a_place_asks_tells_its_managers_and_ignores_stale_taps(tg):
    chloe = await coordinator(tg)
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    assert (await chloe.send("/lieu_retirer")).texts == [texts.REMOVE_USAGE]
    assert (await chloe.send("/lieu_retirer Nulle Part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle Part")]
    place = storage.find_place(tg.db, "La Tréso")

    # "Non" changes nothing
    await chloe.send("/lieu_retirer la tréso")
    assert (await chloe.tap("Non")).texts == [texts.REMOVE_CANCELLED]
    assert storage.get_place(tg.db, place.id).active

    await chloe.send("/lieu_retirer La Tréso")
    first = copy.deepcopy(chloe.last_keyboard())
    assert chloe.find_button("Oui, retirer")["callback_data"] == f"rm:{place.id}:y"
    await chloe.send("/lieu_retirer La Tréso")  # two confirmations on screen
    second = copy.deepcopy(chloe.last_keyboard())
    turn = await chloe.tap("Oui, retirer", first)
    assert texts.REMOVED.format(place="La Tréso") in turn.texts
    notice = texts.PLACE_REMOVED_FOR_MANAGER.format(place="La Tréso")
    assert [c.text for c in turn.sent if int(c.params["chat_id"]) == 1001] == [notice]
    assert not storage.get_place(tg.db, place.id).active
    assert not has_role(tg.db, 1001, GESTIONNAIRE)
    assert menu_of(tg, 1001) is None  # back to the default menu

    # a second tap on the same message, then "Oui" on the other one: nobody told twice
    for message in (first, second):
        again = await chloe.tap("Oui, retirer", message)
        assert all(int(c.params["chat_id"]) != 1001 for c in again.sent)
    assert "La Tréso" not in (await chloe.send("/lieux")).text
    response = next(tg.db.query("SELECT id FROM responses WHERE place_id = ?", [place.id]))
    assert storage.load_answers(tg.db, response["id"]) == {"lien_social.publics": ["benevoles"]}
    # its manager is now told how to get an invitation, and nothing else
    assert (await alice.send("/reprendre")).texts == [texts.NO_PLACE]


async def test_only_coordinators_may_confirm_a_removal(tg):
    await manager(tg, 1001, "Alice", "La Tréso")
    place = storage.find_place(tg.db, "La Tréso")
    alice = tg.chat(1001, "Alice")
    turn = await alice.press(f"rm:{place.id}:y")
    assert turn.texts == [texts.role_needed(access.STAFF)]
    assert "answerCallbackQuery" in turn.methods
    assert storage.get_place(tg.db, place.id).active


# --- Personal data -------------------------------------------------------------------------

async def test_my_data_lists_roles_places_snoozes_and_reachability(tg):
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    now = datetime.now(UTC)
    campaign = create_campaign(tg.db, YEAR + 1, date(YEAR + 2, 6, 30), "2025.1", 1, now=now)
    snooze(tg.db, campaign.id, 1001, 3, now)
    mark_unreachable(tg.db, 1001)
    text = (await alice.send("/mes_donnees")).text
    assert "identifiant Telegram\u00a0: 1001" in text and "nom\u00a0: Alice" in text
    assert "rôles\u00a0: gestionnaire" in text and "lieux gérés\u00a0: La Tréso" in text
    assert "réponses que vous avez écrites ou modifiées\u00a0: 1" in text
    assert "fiches reçues\u00a0: 0" in text
    assert texts.MY_DATA_SNOOZED in text
    admin = tg.chat(ADMIN_ID, "Admin")
    await admin.send("/start")
    assert "rôles\u00a0: administrateur·rice" in (await admin.send("/mes_donnees")).text
    assert (await tg.chat(9001, "Zoé").send("/mes_donnees")).texts == [texts.MY_DATA_NONE]


async def test_forgetting_through_the_bot_leaves_no_trace_but_the_places_answers(tg):
    chloe = await coordinator(tg, COORD, "Chloé Martin")
    await chloe.send("/lieu_ajouter Le WIP")
    alice = await manager(tg, 1001, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    await chloe.send("/oublier")
    assert texts.FORGOTTEN in (await chloe.tap("Oui, effacer")).texts
    assert menu_of(tg, COORD) is None
    assert (await chloe.send("/lieux")).texts == [texts.role_needed(access.STAFF)]
    for table in tg.db.table_names():
        for row in tg.db[table].rows:
            values = list(row.values())
            assert COORD not in values and "Chloé Martin" not in values, (table, row)

    await alice.send("/oublier")
    confirmation = copy.deepcopy(alice.last_keyboard())
    await alice.tap("Oui, effacer", confirmation)
    again = await alice.tap("Oui, effacer", confirmation)  # a second tap: nothing more
    assert again.texts == [texts.MY_DATA_NONE]
    for table in tg.db.table_names():
        for row in tg.db[table].rows:
            assert 1001 not in row.values() and "Alice" not in row.values(), (table, row)
    place = storage.find_place(tg.db, "La Tréso")
    response = next(tg.db.query("SELECT id FROM responses WHERE place_id = ?", [place.id]))
    assert storage.load_answers(tg.db, response["id"]) == {"lien_social.publics": ["benevoles"]}
    assert (await chloe.send("/aide")).texts == [texts.help_text(set())]
