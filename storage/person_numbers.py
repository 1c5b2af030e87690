"""The number a person is named by in the logs: never their Telegram id or name.

A person's number is given the first time it is asked for and erased with them
(`/oublier` deletes the people row; the number goes with it and is never reused), so a
log line written before `/oublier` names nobody afterwards.
"""

from __future__ import annotations

from sqlite_utils import Database


def person_number(db: Database, telegram_id: int) -> int | None:
    """The person's log number; None if the bot keeps nothing about them (a stranger)."""
    row = db.execute("SELECT number FROM person_numbers WHERE telegram_id = ?",
                     [telegram_id]).fetchone()
    if row is not None:
        return row[0]
    db.execute("INSERT INTO person_numbers (telegram_id)"
               " SELECT telegram_id FROM people WHERE telegram_id = ?"
               " ON CONFLICT (telegram_id) DO NOTHING", [telegram_id])
    row = db.execute("SELECT number FROM person_numbers WHERE telegram_id = ?",
                     [telegram_id]).fetchone()
    return row[0] if row else None
