"""Helpers for the tests of reminders, announcements and delivery: a fake clock (no
sleeping: the bot reads the time from `bot_data[broadcast.CLOCK]`), places and people
made straight in the database, and what the bot sent to whom."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import storage
from bot.telegram import broadcast
from storage.campaigns import Campaign, create_campaign, get_campaign, launch_campaign
from storage.invitations import create_invitation
from storage.roles import COORDINATEUR
from tests.telegram_fakes import ADMIN_ID, Call, Chat, FakeTelegram, manager

PARIS = ZoneInfo("Europe/Paris")
COORD = 500
RECIPIENT = 600


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


async def started(db_path: Path, clock: Clock, first_update_id: int = 1) -> FakeTelegram:
    """The application over the fake Bot API, on `db_path`, reading `clock`."""
    tg = await FakeTelegram(db_path, admin_ids={ADMIN_ID}, first_update_id=first_update_id
                            ).start()
    tg.app.bot_data[broadcast.CLOCK] = clock
    return tg


async def restarted(tg: FakeTelegram, clock: Clock) -> FakeTelegram:
    """A new application on the same database file, as after a restart."""
    await tg.stop()
    return await started(tg.db_path, clock, first_update_id=tg.next_update_id() + 1000)


def add_manager(tg: FakeTelegram, place: str, person_id: int, name: str = "Gestionnaire"
                ) -> int:
    """A place (created if needed) and one more manager of it; the place id."""
    found = storage.find_place(tg.db, place)
    place_id = found.id if found else storage.add_place(tg.db, place).id
    storage.upsert_person(tg.db, person_id, name, None)
    storage.add_manager(tg.db, place_id, person_id)
    return place_id


async def join(tg: FakeTelegram, user_id: int, name: str, role: str) -> Chat:
    """Someone who opened a coordinator's or recipient's invitation link."""
    chat = tg.chat(user_id, name)
    await chat.send(f"/start {create_invitation(tg.db, role, None, ADMIN_ID)}")
    return chat


def open_campaign(tg: FakeTelegram, clock: Clock, year: int = 2026,
                  deadline: date = date(2026, 6, 30), every: int = 7,
                  before: int = 3) -> Campaign:
    """A campaign launched at the clock's time, without its launch messages."""
    campaign = create_campaign(tg.db, year, deadline, "2025.1", None, now=clock())
    storage.campaigns.set_reminder_schedule(tg.db, campaign.id, every, before)
    launch_campaign(tg.db, campaign.id, now=clock())
    return get_campaign(tg.db, campaign.id)


def sent_to(tg: FakeTelegram, chat_id: int, since: int = 0) -> list[Call]:
    """Messages and documents the bot sent to a chat (after call number `since`)."""
    return [c for c in tg.request.calls[since:]
            if c.method in ("sendMessage", "sendDocument") and "chat_id" in c.params
            and int(c.params["chat_id"]) == chat_id]


def log_rows(tg: FakeTelegram) -> list[dict]:
    return list(tg.db.query(
        "SELECT place_id, person_id, kind, slot, outcome FROM reminders ORDER BY id"))


async def launched_and_sent_by_alice(tg: FakeTelegram, alice_id: int, bob_id: int) -> Chat:
    """A coordinator launches 2026 (deadline 30/06); Alice, of La Tréso, answers one
    question and sends; Bob, of Le WIP, has answered nothing. Returns the coordinator."""
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, alice_id, "Alice", "La Tréso")
    add_manager(tg, "Le WIP", bob_id)
    await coordinator.send("/campagne_creer 2026 30/06/2026")
    await coordinator.send("/campagne_lancer")
    await alice.tap("Commencer")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    await alice.tap("📨 Envoyer quand même")  # eleven sections unanswered
    return coordinator
