"""The reminder log, snoozes, and people who blocked the bot.

Sending one reminder, exactly as the bot should do it::

    reminder_id = claim_reminder(db, campaign.id, due.place_id, due.person_id,
                                 due.kind, due.slot, due_at=due.due_at, now=now)
    if reminder_id is None:
        return                      # already claimed: sent (or being sent) before
    try:
        await bot.send_message(...)
    except Forbidden:               # 403: the person blocked the bot
        record_outcome(db, reminder_id, UNREACHABLE)   # also marks the person
    except RetryAfter:              # not a failure: wait, then send again (same claim)
        ...
    except TelegramError:
        record_outcome(db, reminder_id, ERROR)         # or release_reminder() to retry
    else:
        record_outcome(db, reminder_id, SENT)

The claim (an INSERT that does nothing when the slot exists) comes before the send, so a
restart — even in the middle of a batch — never sends a slot twice. A claim left without
an outcome by a crash between the claim and the send counts as sent: one reminder lost
is better than one sent twice. Every function here is a single statement, or joins the
caller's transaction when one is open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlite_utils import Database

from campaign.schedule import Sent
from campaign.states import ReminderKind, ReminderOutcome

from .campaigns import resolve_now, stamp
from .errors import NotFound

KINDS: Final = tuple(ReminderKind)
SENT: Final = ReminderOutcome.SENT
UNREACHABLE: Final = ReminderOutcome.UNREACHABLE
ERROR: Final = ReminderOutcome.ERROR
OUTCOMES: Final = tuple(ReminderOutcome)


def claim_reminder(db: Database, campaign_id: int, place_id: int, person_id: int, kind: str,
                   slot: str, *, due_at: datetime | None = None, now: datetime | None = None
                   ) -> int | None:
    """Claim a reminder slot before sending it: its id, or None if it was already claimed.

    Slots: what `campaign.schedule.due_reminders` returns; 'launch' and 'closing' for
    the campaign's opening and closing messages; for `/relancer`, e.g.
    'manual:<Paris date>' (at most one manual reminder a day).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r} (expected one of {', '.join(KINDS)})")
    cursor = db.execute(
        """
        INSERT INTO reminders (campaign_id, place_id, person_id, kind, slot, due_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (campaign_id, place_id, person_id, kind, slot) DO NOTHING
        """,
        [campaign_id, place_id, person_id, kind, slot,
         stamp(due_at) if due_at else None, stamp(resolve_now(now))],
    )
    return cursor.lastrowid if cursor.rowcount == 1 else None


def record_outcome(db: Database, reminder_id: int, outcome: str, *,
                   now: datetime | None = None) -> None:
    """What happened to a claimed reminder. 'sent' sets sent_at; 'unreachable' also marks
    the person unreachable (`mark_unreachable`). Raises `NotFound`."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r} (expected one of {', '.join(OUTCOMES)})")
    now = resolve_now(now)
    cursor = db.execute(
        "UPDATE reminders SET outcome = ?, sent_at = CASE WHEN ? = 'sent' THEN ? END"
        " WHERE id = ?",
        [outcome, outcome, stamp(now), reminder_id],
    )
    if cursor.rowcount != 1:
        raise NotFound(f"no reminder with id {reminder_id}")
    if outcome == UNREACHABLE:
        (person_id,) = db.execute("SELECT person_id FROM reminders WHERE id = ?",
                                  [reminder_id]).fetchone()
        mark_unreachable(db, person_id, now=now)


def release_reminder(db: Database, reminder_id: int) -> bool:
    """Forget a claim whose message surely did not go out, so that it is due again."""
    cursor = db.execute("DELETE FROM reminders WHERE id = ? AND (outcome IS NULL OR outcome = ?)",
                        [reminder_id, ERROR])
    return cursor.rowcount == 1


def sent_log(db: Database, campaign_id: int) -> list[Sent]:
    """The campaign's log for `due_reminders`: every claim, sent or not, with its time."""
    return [
        Sent(place_id, person_id, kind, slot, datetime.fromisoformat(at))
        for place_id, person_id, kind, slot, at in db.execute(
            "SELECT place_id, person_id, kind, slot, COALESCE(sent_at, created_at)"
            " FROM reminders WHERE campaign_id = ?",
            [campaign_id],
        )
    ]


def mark_unreachable(db: Database, person_id: int, *, now: datetime | None = None) -> None:
    """The person blocked the bot (403): no more messages until `mark_reachable`.

    Idempotent: the first time is kept.
    """
    db.execute(
        "UPDATE people SET unreachable_at = COALESCE(unreachable_at, ?) WHERE telegram_id = ?",
        [stamp(resolve_now(now)), person_id],
    )


def mark_reachable(db: Database, person_id: int) -> bool:
    """The person wrote to the bot again: reachable. True if they were unreachable.

    Runs on every update: the read comes first, so that the common case takes no write
    lock and commits nothing.
    """
    if not is_unreachable(db, person_id):
        return False
    cursor = db.execute(
        "UPDATE people SET unreachable_at = NULL"
        " WHERE telegram_id = ? AND unreachable_at IS NOT NULL",
        [person_id],
    )
    return cursor.rowcount == 1


def is_unreachable(db: Database, person_id: int) -> bool:
    row = db.execute("SELECT unreachable_at FROM people WHERE telegram_id = ?",
                     [person_id]).fetchone()
    return bool(row and row[0])


def snooze(db: Database, campaign_id: int, person_id: int, days: int,
           now: datetime | None = None) -> datetime:
    """"Me le rappeler dans 3 jours": no reminder to this person before now + days; then
    one (kind 'snooze', at the next allowed moment). A new snooze replaces the previous
    one. Returns the end of the snooze."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        raise ValueError("days must be a whole number from 1 to 60")
    now = resolve_now(now)
    until = now + timedelta(days=days)
    db.execute(
        """
        INSERT INTO snoozes (campaign_id, person_id, until, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (campaign_id, person_id) DO UPDATE SET
            until = excluded.until, created_at = excluded.created_at
        """,
        [campaign_id, person_id, stamp(until), stamp(now)],
    )
    return until


def snoozes(db: Database, campaign_id: int) -> dict[int, datetime]:
    """person id → end of their snooze, for `due_reminders`."""
    return {
        person_id: datetime.fromisoformat(until)
        for person_id, until in db.execute(
            "SELECT person_id, until FROM snoozes WHERE campaign_id = ?", [campaign_id])
    }
