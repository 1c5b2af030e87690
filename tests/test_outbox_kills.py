"""The outbox through a kill (storage/outbox.py, wire.py, sending.py, fiches.py).

A kill is simulated in process: at the chosen point the fake Bot API (or the recording
of the outcome) raises `Killed`, a BaseException nothing catches, and from then on
every claim raises it too — the process is dead, nothing else leaves. Then a new
application opens the same database, as after a restart, runs its start-up
(`post_init`: the recovery), the reminder job (which finishes a cut-short launch or
closing) and the resumption of fiche deliveries. For each message kind, killed between
the claim and the send (the request never reached Telegram) and between the send and
the record (Telegram got it, the outcome was not written):

- launch, closing, fiche: everybody has it in the end; a duplicate only for the one
  request that Telegram got but whose outcome was lost (a fiche resumes at the part on
  the wire: its messages that had arrived never come twice);
- reminder (/relancer): never twice; the one on the wire at the kill is dropped.

And with the real rate limiter: a batch killed while messages wait in the limiter
leaves no claim for them (the 16 lost invitations of issue 10).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from enum import StrEnum

import pytest

import storage
from bot.telegram import broadcast, fiches, sending, texts, wire
from bot.telegram.context import services
from storage.campaigns import close_campaign, get_campaign
from storage.roles import DESTINATAIRE, grant_role
from tests.reminder_fakes import Clock, add_manager, open_campaign, paris, restarted, started
from tests.telegram_fakes import FakeRequest, FakeTelegram, seed_response

PEOPLE = [3000 + n for n in range(40)]
KILL_AT = 20  # the 20th message of the batch


class Killed(BaseException):
    """The process dies: nothing after this point runs."""


class Point(StrEnum):
    CLAIM_SEND = "between claim and send"
    SEND_RECORD = "between send and record"


class Death:
    """Kills the batch at its `at`-th request, at `point`; then every claim dies too."""

    def __init__(self, tg: FakeTelegram, monkeypatch, point: Point, method: str,
                 at: int = KILL_AT) -> None:
        self.dead = False
        self.seen = 0
        self.tg = tg
        real_claim = wire._Claim.__call__

        def claim(pending) -> None:
            if self.dead:
                raise Killed
            real_claim(pending)

        monkeypatch.setattr(wire._Claim, "__call__", claim)

        def on_call(name, params):
            if name != method:
                return
            self.seen += 1
            if self.seen == at and point is Point.CLAIM_SEND:
                self.dead = True
                tg.request.calls.pop()  # it never reached Telegram
                raise Killed

        tg.request.on_call = on_call
        if point is Point.SEND_RECORD:
            def record(real):
                def recording(*args, **kwargs):
                    if self.seen >= at and not self.dead:
                        self.dead = True
                        raise Killed
                    return real(*args, **kwargs)
                return recording
            monkeypatch.setattr(sending, "record_outcome", record(sending.record_outcome))
            monkeypatch.setattr(fiches, "record_delivery", record(fiches.record_delivery))
            monkeypatch.setattr(fiches, "record_parts", record(fiches.record_parts))


async def _until_killed(coroutine) -> None:
    with pytest.raises(Killed):
        await coroutine
    await asyncio.sleep(0.05)  # the other workers meet the dead process and stop


async def _restart(tg: FakeTelegram, clock: Clock, monkeypatch) -> FakeTelegram:
    monkeypatch.undo()
    monkeypatch.setattr(fiches, "_render_pdf", _fake_pdf)
    before = tg.request.calls
    tg = await restarted(tg, clock)
    tg.request.calls[:0] = before  # one Telegram: what it received before, and after
    await tg.app.post_init(tg.app)
    await broadcast.send_due_reminders(tg.app)
    await fiches.resume_owed(tg.app)
    return tg


async def _fake_pdf(fiche):
    return b"%PDF-1.7 fake"


def _received(tg: FakeTelegram, start: str, method: str = "sendMessage") -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in tg.request.calls
                   if c.method == method and (c.text or "").startswith(start))


@pytest.fixture
def clock():
    return Clock(paris(2026, 3, 2, 10, 0))  # a Monday, within the reminders' hours


@pytest.fixture
async def tg(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(fiches, "_render_pdf", _fake_pdf)
    tg = await started(tmp_path / "f.db", clock)
    for n, person in enumerate(PEOPLE):
        add_manager(tg, f"Lieu {n:02d}", person)
    _managers_since_january(tg)
    holder = {"tg": tg}
    yield holder
    await holder["tg"].stop()


def _managers_since_january(tg: FakeTelegram) -> None:
    """Managers before the (fake-clock) launch: they are owed its invitation."""
    tg.db.execute("UPDATE managers SET created_at = '2026-01-01T00:00:00+00:00'")


def _verdict(received: Counter[int], point: Point, must_arrive: bool) -> None:
    missing = [p for p in PEOPLE if received[p] == 0]
    doubled = [p for p in PEOPLE if received[p] > 1]
    assert max(received.values()) <= 2
    if must_arrive:
        assert missing == []
        assert len(doubled) == (1 if point is Point.SEND_RECORD else 0)
    else:
        assert doubled == []
        assert len(missing) == (1 if point is Point.CLAIM_SEND else 0)


LAUNCH = texts.LAUNCH_MESSAGE.split("{")[0]
REMINDER = texts.REMINDER_MESSAGE.split("{")[0]
CLOSING = texts.CLOSING_MESSAGE.split("{")[0]


@pytest.mark.parametrize("point", list(Point))
async def test_launch_killed_then_restarted(tg, clock, monkeypatch, point):
    campaign = open_campaign(tg["tg"], clock)
    Death(tg["tg"], monkeypatch, point, "sendMessage")
    await _until_killed(broadcast.announce_launch(tg["tg"].app, campaign))
    tg["tg"] = await _restart(tg["tg"], clock, monkeypatch)
    _verdict(_received(tg["tg"], LAUNCH), point, must_arrive=True)


@pytest.mark.parametrize("point", list(Point))
async def test_closing_killed_then_restarted(tg, clock, monkeypatch, point):
    campaign = open_campaign(tg["tg"], clock)
    campaign = close_campaign(tg["tg"].db, campaign.id, now=clock())
    Death(tg["tg"], monkeypatch, point, "sendMessage")
    await _until_killed(broadcast.announce_closing(tg["tg"].app, campaign))
    tg["tg"] = await _restart(tg["tg"], clock, monkeypatch)
    _verdict(_received(tg["tg"], CLOSING), point, must_arrive=True)


@pytest.mark.parametrize("point", list(Point))
async def test_relancer_killed_then_restarted(tg, clock, monkeypatch, point):
    campaign = open_campaign(tg["tg"], clock)
    storage.campaigns.set_reminder_schedule(tg["tg"].db, campaign.id, 0, 0)  # none due
    for person in PEOPLE:  # the launch went out before
        tg["tg"].db.execute("INSERT INTO reminders (campaign_id, place_id, person_id, kind,"
                            " slot, outcome, created_at) SELECT ?, place_id, person_id,"
                            " 'launch', 'launch', 'sent', '2026-03-02T09:00:00+00:00'"
                            " FROM managers WHERE person_id = ?", [campaign.id, person])
    campaign = get_campaign(tg["tg"].db, campaign.id)
    Death(tg["tg"], monkeypatch, point, "sendMessage")
    app = tg["tg"].app
    await _until_killed(broadcast.remind_now(app, campaign,
                                             broadcast.manual_plan_now(app, campaign)))
    tg["tg"] = await _restart(tg["tg"], clock, monkeypatch)
    app = tg["tg"].app  # the coordinator runs it again
    await broadcast.remind_now(app, campaign, broadcast.manual_plan_now(app, campaign))
    _verdict(_received(tg["tg"], REMINDER), point, must_arrive=False)


@pytest.mark.parametrize("point", list(Point))
async def test_fiche_delivery_killed_then_restarted(tg, clock, monkeypatch, point):
    db = tg["tg"].db
    sender = PEOPLE[0]
    for person in PEOPLE[1:]:
        grant_role(db, person, DESTINATAIRE)
    response = seed_response(db, "Lieu 00", 2026, {}, submit=False)
    storage.mark_submitted(db, response.id, sender)
    fiche = fiches.RenderedFiche(services(tg["tg"].app).grid, {}, "Lieu 00", 2026)
    Death(tg["tg"], monkeypatch, point, "sendDocument")
    await _until_killed(fiches.share_fiche(tg["tg"].app.bot, db, fiche, response.id, sender))
    tg["tg"] = await _restart(tg["tg"], clock, monkeypatch)
    documents = Counter(int(c.params["chat_id"]) for c in tg["tg"].request.calls
                        if c.method == "sendDocument")
    # the sender was owed it too (here `share_fiche` ran alone, without the answer to
    # "Envoyer"): the restart sent it
    _verdict(documents, point, must_arrive=True)
    # a resumed delivery starts at the part on the wire: its intro and messages, which
    # had arrived, do not come twice
    messages = Counter((int(c.params["chat_id"]), c.text) for c in tg["tg"].request.calls
                       if c.method == "sendMessage")
    assert [key for key, count in messages.items() if count > 1] == []
    assert {chat for chat, _text in messages} == set(PEOPLE)


async def test_messages_waiting_in_the_rate_limiter_are_not_claimed(tmp_path, clock):
    """Killed while most of the launch waits in AIORateLimiter: only the requests that
    reached Telegram are claimed; after the restart everybody has exactly one."""
    from bot.telegram.app import build_application
    from bot.telegram.context import CLOCK

    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    tg.request = FakeRequest()
    tg.app = build_application(tg.settings, tg.db, request=tg.request, rate_limiter=True)
    await tg.start()
    tg.app.bot_data[CLOCK] = clock
    for n, person in enumerate(PEOPLE):
        add_manager(tg, f"Lieu {n:02d}", person)
    _managers_since_january(tg)
    campaign = open_campaign(tg, clock)
    task = asyncio.create_task(broadcast.announce_launch(tg.app, campaign))
    while len(_received(tg, LAUNCH)) < 8:
        await asyncio.sleep(0.005)
    task.cancel()  # the kill: the waiting requests never leave
    with pytest.raises(asyncio.CancelledError):
        await task
    received = _received(tg, LAUNCH)
    claims = tg.db.execute("SELECT count(*) FROM reminders WHERE kind = 'launch'"
                           ).fetchone()[0]
    assert 8 <= len(received) < len(PEOPLE) - 16  # most were still waiting
    assert claims == len(received)
    before = tg.request.calls
    tg = await restarted(tg, clock)
    tg.request.calls[:0] = before
    await tg.app.post_init(tg.app)
    await broadcast.send_due_reminders(tg.app)
    assert _received(tg, LAUNCH) == Counter(dict.fromkeys(PEOPLE, 1))
    await tg.stop()


async def test_campagne_statut_lists_who_has_not_received_the_launch(tg, clock):
    from storage.roles import COORDINATEUR
    from tests.reminder_fakes import join

    tg = tg["tg"]
    coordinator = await join(tg, 500, "Chloé", COORDINATEUR)
    campaign = open_campaign(tg, clock)  # launched, its messages not sent yet
    turn = await coordinator.send("/campagne_statut")
    status = "\n".join(turn.texts)
    assert texts.LAUNCH_NOT_RECEIVED in status
    assert texts.LAUNCH_NOT_RECEIVED_LINE.format(place="Lieu 07", count=1, s="") in status
    tg.request.blocked.add(PEOPLE[7])  # Lieu 07's manager blocked the bot
    await broadcast.announce_launch(tg.app, campaign)
    status = "\n".join((await coordinator.send("/campagne_statut")).texts)
    assert texts.LAUNCH_NOT_RECEIVED not in status  # unreachable: counted as such instead


async def test_a_strangers_forged_snooze_writes_nothing(tg, clock):
    tg = tg["tg"]
    campaign = open_campaign(tg, clock)
    stranger = tg.chat(9999, "Mallory")
    turn = await stranger.press(f"snz:{campaign.id}", {
        "message_id": 1, "date": 1, "text": "?",
        "chat": {"id": 9999, "type": "private", "first_name": "Mallory"}})
    assert turn.calls and turn.calls[0].method == "answerCallbackQuery"
    assert tg.db.execute("SELECT count(*) FROM snoozes").fetchone()[0] == 0
    manager = tg.chat(PEOPLE[0], "Gestionnaire")
    await manager.press(f"snz:{campaign.id}", {
        "message_id": 1, "date": 1, "text": "?",
        "chat": {"id": PEOPLE[0], "type": "private", "first_name": "G"}})
    assert tg.db.execute("SELECT count(*) FROM snoozes").fetchone()[0] == 1  # a manager may
