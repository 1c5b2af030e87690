"""How the logs name a person: by their number (`storage.person_numbers`), never by
their Telegram id or name, so that nothing in the logs points to someone after
`/oublier` (their number is erased with them)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.person_numbers import person_number


def who(db: Database | None, telegram_id: int | None) -> str:
    """"person 12"; "a group" for a chat that is not a person; "someone unknown" for a
    person the bot keeps nothing about."""
    if telegram_id is not None and telegram_id < 0:
        return "a group"
    number = person_number(db, telegram_id) if db is not None and telegram_id else None
    return f"person {number}" if number is not None else "someone unknown"
