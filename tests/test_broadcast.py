"""Sending one message to many: `send_many` (403, 429, other errors, the reminder log),
and the campaign's announcements built on it (launch with "Commencer", /relancer,
closing), including a launch cut short by a restart."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram.error import TimedOut

import storage
from bot.telegram import broadcast, sending, texts
from bot.telegram.sending import BroadcastReport, LogSlot, Message, send_many
from storage.campaigns import get_campaign
from storage.roles import COORDINATEUR, current_place
from tests.reminder_fakes import (
    COORD,
    Clock,
    add_manager,
    join,
    launched_and_sent_by_alice,
    log_rows,
    open_campaign,
    paris,
    restarted,
    sent_to,
    started,
)
from tests.telegram_fakes import DATE, TOKEN, current_key, limited_app, manager

ALICE, BOB, AWA = 1001, 1002, 1003


@pytest.fixture
def clock():
    return Clock(paris(2026, 3, 2, 10, 0))  # a Monday


@pytest.fixture
async def tg(tmp_path, clock):
    fake = await started(tmp_path / "fichebot.db", clock)
    yield fake
    await fake.stop()


def fail_for(tg, chat_id: int, code: int, description: str) -> None:
    """The next message to `chat_id` is refused as Telegram would."""
    previous = tg.request.on_call

    def hook(method, params):
        if previous:
            previous(method, params)
        if method == "sendMessage" and int(params["chat_id"]) == chat_id:
            tg.request.fail_next("sendMessage", code, description)

    tg.request.on_call = hook


# --- send_many ----------------------------------------------------------------------------

async def test_send_many_counts_each_outcome_and_never_logs_the_token(tg, caplog):
    tg.request.blocked.add(2002)
    fail_for(tg, 2003, 400, "Bad Request: chat not found")
    for person in (2001, 2002, 2003, 2004):
        storage.upsert_person(tg.db, person, "Quelqu'un")
    with caplog.at_level(logging.INFO):
        report = await send_many(tg.app.bot, [Message(p, "Bonjour") for p in
                                              (2001, 2002, 2003, 2004)], db=tg.db)
    assert report == BroadcastReport(sent=2, unreachable=1, failed=1)
    assert storage.reminders.is_unreachable(tg.db, 2002)
    assert not storage.reminders.is_unreachable(tg.db, 2003)
    number = storage.person_numbers.person_number(tg.db, 2003)
    assert f"sendMessage to person {number} failed" in caplog.text
    assert "Chat not found" in caplog.text
    assert not any(str(p) in caplog.text for p in (2001, 2002, 2003, 2004))  # no Telegram id
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_logged_messages_are_claimed_sent_and_recorded_once(tg, clock):
    place_id = add_manager(tg, "La Tréso", ALICE)
    campaign = open_campaign(tg, clock)
    message = Message(ALICE, "Bonjour", log=LogSlot(campaign.id, place_id, "manual", "manual:x"))
    assert (await send_many(tg.app.bot, [message], db=tg.db)).sent == 1
    again = await send_many(tg.app.bot, [message], db=tg.db)
    assert again == BroadcastReport(skipped=1)
    assert len(sent_to(tg, ALICE)) == 1
    assert log_rows(tg) == [{"place_id": place_id, "person_id": ALICE, "kind": "manual",
                             "slot": "manual:x", "outcome": "sent"}]
    with pytest.raises(ValueError):
        await send_many(tg.app.bot, [message])  # a logged message needs the database


@pytest.mark.parametrize(("failure", "kept"), [
    ("network", False),  # surely not sent: released, due again at the next run
    ("timeout", True),  # maybe sent: kept (never twice), not retried
    ("bad request", True),  # refused: kept, not retried every five minutes
])
async def test_a_failed_logged_message(tg, clock, failure, kept):
    place_id = add_manager(tg, "La Tréso", ALICE)
    campaign = open_campaign(tg, clock)
    message = Message(ALICE, "Bonjour", log=LogSlot(campaign.id, place_id, "manual", "manual:x"))

    def fail(method, params):
        if method != "sendMessage":
            return
        if failure == "network":
            raise OSError("connection refused")
        if failure == "timeout":
            raise TimedOut()
        tg.request.fail_next("sendMessage", 400, "Bad Request: message text is empty")

    tg.request.on_call = fail
    report = await send_many(tg.app.bot, [message], db=tg.db)
    assert report == BroadcastReport(failed=1)
    assert [r["outcome"] for r in log_rows(tg)] == (["error"] if kept else [])
    tg.request.on_call = None
    report = await send_many(tg.app.bot, [message], db=tg.db)
    assert report == (BroadcastReport(skipped=1) if kept else BroadcastReport(sent=1))


async def test_retry_after_through_the_rate_limiter_is_honoured_not_a_failure(
        tmp_path, monkeypatch):
    """The application's AIORateLimiter waits out a 429 and sends again."""
    async with limited_app(tmp_path / "limited.db", monkeypatch) as limited:
        limited.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 5",
                                  retry_after=5)
        report = await send_many(limited.app.bot, [Message(2001, "Un"), Message(2002, "Deux")],
                                 db=limited.db)
    assert report == BroadcastReport(sent=2)
    assert pytest.approx(5.1) in limited.waits  # retry_after, plus the limiter's 0.1 s
    sends = [c for c in limited.request.calls if c.method == "sendMessage"]
    assert len(sends) == 3  # one refused, then both through


async def test_retry_after_beyond_the_limiter_is_waited_out_here(tg, clock, monkeypatch):
    waits: list[float] = []

    async def no_sleep(seconds):
        waits.append(seconds)

    monkeypatch.setattr(sending, "_sleep", no_sleep)
    place_id = add_manager(tg, "La Tréso", ALICE)
    campaign = open_campaign(tg, clock)
    tg.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    message = Message(ALICE, "Bonjour", log=LogSlot(campaign.id, place_id, "manual", "m:1"))
    assert await send_many(tg.app.bot, [message], db=tg.db) == BroadcastReport(sent=1)
    assert waits == [3]
    # refused again and again: a failure at last, and the claim is released for later
    for _ in range(sending.MAX_RETRY_AFTER + 1):
        tg.request.fail_next("sendMessage", 429, "Too Many Requests", retry_after=1)
    other = Message(ALICE, "Bonjour", log=LogSlot(campaign.id, place_id, "manual", "m:2"))
    assert await send_many(tg.app.bot, [other], db=tg.db) == BroadcastReport(failed=1)
    assert [r["slot"] for r in log_rows(tg)] == ["m:1"]


# --- The announcements --------------------------------------------------------------------

async def test_launch_invites_every_manager_and_commencer_starts_the_interview(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    treso = storage.find_place(tg.db, "La Tréso").id
    add_manager(tg, "La Tréso", AWA)  # two managers of one place
    wip = add_manager(tg, "Le WIP", BOB)
    add_manager(tg, "Le WIP", ALICE)  # Alice manages both
    gone = add_manager(tg, "L'Ancien", 2009)
    storage.remove_place(tg.db, gone)
    add_manager(tg, "La Forge", 2010)
    storage.reminders.mark_unreachable(tg.db, 2010)

    await coordinator.send("/campagne_creer 2026 30/06/2026")
    turn = await coordinator.send("/campagne_lancer")
    assert texts.CAMPAIGN_LAUNCHED.format(year=2026, sent=4, problems="") in turn.texts
    assert sent_to(tg, 2009) == [] and sent_to(tg, 2010) == []
    launches = [c for c in sent_to(tg, ALICE) if c.buttons and
                c.buttons[0][0]["text"] == texts.LAUNCH_BUTTON]
    assert {c.buttons[0][0]["callback_data"] for c in launches} == {f"go:{treso}", f"go:{wip}"}
    assert "remplir la fiche du <b>WIP</b> avant le <b>30/06/2026</b>" in launches[-1].text

    # "Commencer" under Le WIP's message: Alice now answers for Le WIP
    wip_message = alice.message(max(m["message_id"] for m in alice.bot_messages()
                                    if "du <b>WIP</b>" in m.get("text", "")))
    turn = await alice.tap("Commencer", wip_message)
    assert current_place(tg.db, ALICE).id == wip
    assert current_key(alice) == "lien_social.publics"
    assert turn.notice is None and "answerCallbackQuery" in turn.methods

    # someone who does not manage the place gets a clear answer, and nothing changes
    stranger = tg.chat(3000, "Zoé")
    message = {"message_id": 1, "date": DATE, "chat": stranger.chat, "text": "…"}
    turn = await stranger.press(f"go:{wip}", message)
    assert turn.texts == [texts.GO_UNKNOWN_PLACE]


async def test_relancer_once_a_day_and_no_scheduled_reminder_right_after(tg, clock):
    add_manager(tg, "La Tréso", ALICE)
    add_manager(tg, "Le WIP", BOB)
    campaign = open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 9, 9, 30)  # the periodic reminder falls at 10:00
    plan = broadcast.manual_plan_now(tg.app, campaign)
    report = await broadcast.remind_now(tg.app, campaign, plan)
    assert report == BroadcastReport(sent=2)
    assert {(r["kind"], r["slot"]) for r in log_rows(tg)[-2:]} == {("manual", "manual:2026-03-09")}
    assert await broadcast.remind_now(tg.app, campaign, plan) == BroadcastReport(skipped=2)
    again = broadcast.manual_plan_now(tg.app, campaign)  # both reminded minutes ago
    assert again.send == [] and {s.reason for s in again.skipped} == {"recent"}
    for moment in (paris(2026, 3, 9, 10, 0), paris(2026, 3, 10, 10, 0)):
        clock.moment = moment
        assert await broadcast.send_due_reminders(tg.app) == BroadcastReport()
    clock.moment = paris(2026, 3, 16, 10, 0)  # the next one goes out as usual
    assert (await broadcast.send_due_reminders(tg.app)).sent == 2


async def test_closing_tells_only_the_late_managers(tg, clock):
    await launched_and_sent_by_alice(tg, ALICE, BOB)
    campaign = get_campaign(tg.db, 1)
    storage.campaigns.close_campaign(tg.db, campaign.id, now=clock())
    before = len(tg.request.calls)
    report = await broadcast.announce_closing(tg.app, get_campaign(tg.db, campaign.id))
    assert report == BroadcastReport(sent=1)
    assert sent_to(tg, ALICE, before) == []
    assert [c.text for c in sent_to(tg, BOB, before)] == [texts.CLOSING_MESSAGE.format(
        year=2026, place="Le WIP")]
    assert log_rows(tg)[-1]["kind"] == "closing"


class Killed(BaseException):
    """The process dies (SIGKILL)."""


async def test_a_launch_cut_short_is_finished_by_the_job(tg, clock, monkeypatch):
    monkeypatch.setattr(sending, "CONCURRENT_SENDS", 1)
    people = [2001, 2002, 2003, 2004]
    for n, person in enumerate(people):
        add_manager(tg, f"Lieu {n + 1}", person)
    # managers since before the launch (the fake clock is earlier than the real one)
    tg.db.execute("UPDATE managers SET created_at = '2026-01-01T00:00:00+00:00'")
    clock.moment = paris(2026, 3, 2, 18, 30)
    campaign = open_campaign(tg, clock)

    def die_at_second(method, params):
        if len([c for c in tg.request.calls if c.method == "sendMessage"]) == 2:
            raise Killed

    tg.request.on_call = die_at_second
    with pytest.raises(Killed):
        await broadcast.announce_launch(tg.app, campaign)
    clock.moment = paris(2026, 3, 2, 20, 0)
    tg = await restarted(tg, clock)
    add_manager(tg, "Lieu 5", 2005)  # joined after the launch: no launch message for them
    assert await broadcast.send_due_reminders(tg.app) == BroadcastReport()  # 20:00: quiet
    clock.moment = paris(2026, 3, 3, 9, 0)
    report = await broadcast.send_due_reminders(tg.app)
    # the first went out before the crash, the second was in flight (claimed: lost)
    assert report == BroadcastReport(sent=2)
    assert [len([c for c in sent_to(tg, p) if "est ouverte" in c.text]) for p in people] == [
        0, 0, 1, 1]  # this application's own calls
    assert sent_to(tg, 2005) == []
    assert await broadcast.send_due_reminders(tg.app) == BroadcastReport()
    await tg.stop()


async def test_the_job_gives_way_to_an_announcement(tg, clock, monkeypatch):
    monkeypatch.setattr(sending, "CONCURRENT_SENDS", 1)
    for n in range(4):
        add_manager(tg, f"Lieu {n + 1}", 2001 + n)
    campaign = open_campaign(tg, clock)
    clock.moment += timedelta(days=7)
    busy = tg.app.bot_data.setdefault(broadcast.BUSY, set())
    busy.add(campaign.id)  # a coordinator's /relancer is being sent
    assert await broadcast.send_due_reminders(tg.app) == BroadcastReport()
    busy.discard(campaign.id)

    def relancer_starts(method, params):
        busy.add(campaign.id)

    tg.request.on_call = relancer_starts  # during the job's first message
    assert (await broadcast.send_due_reminders(tg.app)).sent == 1
    busy.discard(campaign.id)
    tg.request.on_call = None
    assert (await broadcast.send_due_reminders(tg.app)).sent == 3
