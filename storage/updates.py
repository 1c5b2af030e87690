"""Telegram update ids already applied, for at-most-once processing of redeliveries."""

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from .db import now_iso


def claim_update(db: Database, update_id: int) -> bool:
    """Record update_id as processed; False if it already was (the caller must skip it).

    Joins the open transaction if there is one. For updates that change
    interview state, pass update_id to `interview_step` instead, so the record
    and the changes commit together.
    """
    cursor = db.execute(
        "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)"
        " ON CONFLICT (update_id) DO NOTHING",
        [update_id, now_iso()],
    )
    return cursor.rowcount == 1


def incoming(db: Database, update_id: int, person_id: int | None) -> tuple[bool, bool]:
    """(the update was already processed, its sender is marked unreachable).

    The two checks made before every update, in one read.
    """
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_id = ?),"
        " EXISTS (SELECT 1 FROM people WHERE telegram_id = ? AND unreachable_at IS NOT NULL)",
        [update_id, person_id]).fetchone()
    return bool(row[0]), bool(row[1])


def is_update_processed(db: Database, update_id: int) -> bool:
    rows = db.execute(
        "SELECT 1 FROM processed_updates WHERE update_id = ?", [update_id]
    ).fetchall()
    return bool(rows)


def prune_processed_updates(db: Database, keep_days: int = 7) -> int:
    """Forget update ids older than keep_days; return how many were removed.

    Telegram stops redelivering an update after 24 hours, so a week is ample.
    """
    cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).isoformat(timespec="seconds")
    cursor = db.execute("DELETE FROM processed_updates WHERE processed_at < ?", [cutoff])
    return cursor.rowcount
