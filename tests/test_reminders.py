"""The bot's own reminders, run as its JobQueue job runs them, with a fake clock (no
sleeping): quiet hours, the deadline reminder, nothing after a fiche is sent or the
campaign closed, restarts (between runs and in the middle of a batch), blocked managers,
the snooze button."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

import storage
from bot.telegram import broadcast, sending, texts
from bot.telegram.features import reminders
from storage.campaigns import close_campaign
from storage.roles import COORDINATEUR
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
from tests.telegram_fakes import manager

ALICE, BOB = 1001, 1002


@pytest.fixture
def clock():
    return Clock(paris(2026, 3, 2, 10, 0))  # a Monday


@pytest.fixture
async def tg(tmp_path, clock):
    fake = await started(tmp_path / "fichebot.db", clock)
    yield fake
    await fake.stop()


async def run_job(tg) -> tuple[broadcast.BroadcastReport, list]:
    """One run of the job; what it reported and the messages it sent."""
    before = len(tg.request.calls)
    report = await broadcast.send_due_reminders(tg.app)
    return report, [c for c in tg.request.calls[before:] if c.method == "sendMessage"]


def to(calls, chat_id: int) -> list:
    return [c for c in calls if int(c.params["chat_id"]) == chat_id]


async def test_the_job_is_scheduled_at_start_and_sends_through_the_schedule(tg, clock, caplog):
    reminders.schedule(tg.app)
    job = next(j for j in tg.app.job_queue.jobs() if j.name == "reminders")
    assert job.trigger.interval == reminders.EVERY
    add_manager(tg, "La Tréso", ALICE)
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 9, 10, 0)  # a week on
    with caplog.at_level(logging.INFO):
        await reminders.reminder_job(SimpleNamespace(application=tg.app))
    assert [c.text for c in sent_to(tg, ALICE)] == [texts.REMINDER_MESSAGE.format(
        year=2026, place="La Tréso", deadline="30/06/2026",
        progress=texts.REMINDER_PROGRESS_NONE)]
    assert "reminders: 1 sent, 0 unreachable, 0 failed" in caplog.text


async def test_quiet_hours_friday_evening_to_monday_morning(tg, clock):
    add_manager(tg, "La Tréso", ALICE)
    clock.moment = paris(2026, 3, 6, 20, 0)  # launched on a Friday evening
    open_campaign(tg, clock)
    # the first periodic reminder falls a week later, Friday 20:00: too late
    for moment in (paris(2026, 3, 13, 20, 0), paris(2026, 3, 14, 11, 0),
                   paris(2026, 3, 15, 18, 0), paris(2026, 3, 16, 8, 59)):
        clock.moment = moment
        report, sent = await run_job(tg)
        assert sent == [] and report == broadcast.BroadcastReport(), moment
    clock.moment = paris(2026, 3, 16, 9, 0)  # Monday 9:00
    report, sent = await run_job(tg)
    assert report.sent == 1 and [int(c.params["chat_id"]) for c in sent] == [ALICE]
    assert sent[0].text.startswith("Petit rappel\u00a0: la fiche 2026 de <b>La Tréso</b>")
    assert [b["text"] for row in sent[0].buttons for b in row] == [
        "Reprendre", "Me le rappeler dans 3\u00a0jours"]
    assert log_rows(tg)[-1]["slot"] == "periodic:2026-03-13"
    clock.moment = paris(2026, 3, 16, 9, 5)
    assert (await run_job(tg))[1] == []


async def test_the_deadline_reminder_with_the_progress(tg, clock):
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    open_campaign(tg, clock, deadline=date(2026, 6, 30), every=0, before=3)
    # 3 days before the deadline is Saturday 27 June: it goes out on Monday 29 at 9:00
    for moment in (paris(2026, 6, 26, 18, 0), paris(2026, 6, 27, 9, 0),
                   paris(2026, 6, 29, 8, 0)):
        clock.moment = moment
        assert (await run_job(tg))[1] == [], moment
    clock.moment = paris(2026, 6, 29, 9, 0)
    report, sent = await run_job(tg)
    assert report.sent == 1
    assert "avant le <b>30/06/2026</b>" in sent[0].text
    assert texts.REMINDER_PROGRESS.format(answered="1\u00a0section", asked=12) in sent[0].text
    assert log_rows(tg)[-1]["kind"] == "deadline"
    clock.moment = paris(2026, 6, 30, 10, 0)
    assert (await run_job(tg))[1] == []


async def test_nothing_after_a_place_sent_nor_after_closing(tg, clock):
    coordinator = await launched_and_sent_by_alice(tg, ALICE, BOB)

    clock.moment = paris(2026, 3, 9, 10, 0)
    report, sent = await run_job(tg)
    assert report.sent == 1 and to(sent, ALICE) == [] and len(to(sent, BOB)) == 1

    clock.moment = paris(2026, 3, 9, 11, 0)
    await coordinator.send("/campagne_cloturer")
    turn = await coordinator.tap("Oui, clôturer")
    assert next(c.text for c in turn.sent if int(c.params["chat_id"]) == BOB).startswith(
        "La campagne 2026 est maintenant close")
    for days in (7, 14, 21):  # the periodic moments go by: nothing
        clock.moment = paris(2026, 3, 9, 11, 0) + timedelta(days=days)
        report, sent = await run_job(tg)
        assert sent == [] and report.sent == 0


async def test_a_restart_neither_doubles_nor_drops(tg, clock):
    for person, place in ((ALICE, "La Tréso"), (BOB, "Le WIP")):
        add_manager(tg, place, person)
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 9, 10, 0)
    assert (await run_job(tg))[0].sent == 2

    # restarted at once: what was sent is in the database, nothing goes out again
    tg = await restarted(tg, clock)
    assert (await run_job(tg))[1] == []
    # then down from Friday to Tuesday morning: Monday's reminder fell due meanwhile
    await tg.stop()
    clock.moment = paris(2026, 3, 17, 8, 0)
    tg = await started(tg.db_path, clock, first_update_id=50_000)
    assert (await run_job(tg))[1] == []  # 8:00: not yet
    clock.moment = paris(2026, 3, 17, 9, 0)
    report, sent = await run_job(tg)
    assert report.sent == 2 and {int(c.params["chat_id"]) for c in sent} == {ALICE, BOB}
    assert (await run_job(tg))[1] == []
    assert [r["slot"] for r in log_rows(tg) if r["person_id"] == ALICE] == [
        "periodic:2026-03-09", "periodic:2026-03-16"]
    await tg.stop()


class Killed(BaseException):
    """The process dies (SIGKILL): nothing after this point runs."""


async def test_killed_in_the_middle_of_a_batch(tg, clock, monkeypatch):
    """Sent ones are not sent again, unsent ones go out after the restart; only the one
    in flight when the process died is lost (claimed, maybe sent: never sent twice)."""
    monkeypatch.setattr(sending, "CONCURRENT_SENDS", 1)
    people = [2001, 2002, 2003, 2004, 2005]
    for n, person in enumerate(people):
        add_manager(tg, f"Lieu {n + 1}", person)
    open_campaign(tg, clock)
    clock.moment = paris(2026, 3, 9, 10, 0)

    def die_at_third(method, params):
        sends = [c for c in tg.request.calls if c.method == "sendMessage"]
        if len(sends) == 3:
            raise Killed

    tg.request.on_call = die_at_third
    with pytest.raises(Killed):
        await broadcast.send_due_reminders(tg.app)
    assert [r["outcome"] for r in log_rows(tg)] == ["sent", "sent", None]

    clock.moment = paris(2026, 3, 9, 10, 5)
    tg = await restarted(tg, clock)
    report, sent = await run_job(tg)
    assert report.sent == 2 and [int(c.params["chat_id"]) for c in sent] == [2004, 2005]
    assert (await run_job(tg))[1] == []
    await tg.stop()


async def test_a_blocked_manager_is_unreachable_not_retried_and_shown(tg, clock):
    coordinator = await join(tg, COORD, "Chloé", COORDINATEUR)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    add_manager(tg, "Le WIP", BOB)
    open_campaign(tg, clock)
    tg.request.blocked.add(ALICE)

    clock.moment = paris(2026, 3, 9, 10, 0)
    report, sent = await run_job(tg)
    assert (report.sent, report.unreachable, report.failed) == (1, 1, 0)
    assert storage.reminders.is_unreachable(tg.db, ALICE)
    assert [r["outcome"] for r in log_rows(tg) if r["person_id"] == ALICE] == ["unreachable"]

    clock.moment = paris(2026, 3, 16, 10, 0)
    before = len(tg.request.calls)
    report, sent = await run_job(tg)
    assert report.sent == 1 and report.unreachable == 0
    assert sent_to(tg, ALICE, before) == []  # not even tried

    status = (await coordinator.send("/campagne_statut")).text
    assert "1\u00a0injoignable" in status
    assert "<b>Injoignable (1)</b>\n• <b>La Tréso</b>" in status

    # she unblocks the bot and writes to it: reachable again, reminded again
    tg.request.blocked.discard(ALICE)
    await alice.send("/reprendre")
    assert not storage.reminders.is_unreachable(tg.db, ALICE)
    clock.moment = paris(2026, 3, 23, 10, 0)
    report, sent = await run_job(tg)
    assert len(to(sent, ALICE)) == 1


async def test_snooze_button(tg, clock):
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    campaign = open_campaign(tg, clock)
    await broadcast.remind_now(tg.app, campaign, broadcast.manual_plan_now(tg.app, campaign))
    reminder = alice.last_keyboard()
    turn = await alice.tap("Me le rappeler dans 3\u00a0jours", reminder)
    assert turn.texts == [texts.SNOOZED.format(date="05/03/2026")]
    # the same update delivered again changes nothing and says nothing
    again = await tg.process(turn.update)
    assert again.calls == []

    clock.moment = paris(2026, 3, 4, 10, 0)
    assert (await run_job(tg))[1] == []
    clock.moment = paris(2026, 3, 5, 10, 0)  # three days on
    report, _ = await run_job(tg)
    assert report.sent == 1 and log_rows(tg)[-1]["kind"] == "snooze"
    assert (await run_job(tg))[1] == []

    # a tap once the campaign is closed: a short notice, no snooze
    close_campaign(tg.db, campaign.id, now=clock())
    turn = await alice.tap("Me le rappeler dans 3\u00a0jours", reminder)
    assert turn.notice == texts.SNOOZE_CLOSED and turn.sent == []
    assert storage.reminders.snoozes(tg.db, campaign.id)[ALICE] < paris(2026, 3, 6)
