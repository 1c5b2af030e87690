"""The one way this package opens transactions, and its small shared helpers.

Opening a database is `connect.open_db` (it migrates, and migrations use this module:
keeping the two apart is what keeps imports one-way). Connections made by `open_db`
use ``isolation_level=None``: Python's sqlite3 module then never opens a transaction
behind our back, every statement outside
an explicit transaction commits on its own, and `immediate_transaction` is the
only thing that issues ``BEGIN``. sqlite-utils' own ``db.atomic()`` and
``Table`` methods keep working (they issue explicit ``BEGIN``/``SAVEPOINT``).

A connection belongs to the thread that opened it; open one per thread.
"""

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from .errors import DatabaseBusy, StorageError

_last_stamp: tuple[int, str] = (0, "")


def now_iso() -> str:
    """Current UTC time as ISO 8601, e.g. ``2025-06-01T09:30:00+00:00``.

    Formatted once per second: a step stamps two or three rows, and formatting a
    datetime costs more than the rest of such a write (bench/bench_telegram.py).
    """
    global _last_stamp
    second = int(time.time())
    if _last_stamp[0] != second:
        _last_stamp = (second, datetime.fromtimestamp(second, UTC).isoformat())
    return _last_stamp[1]


def select(db: sqlite_utils.Database, sql: str,
           params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a SELECT, as dicts: `db.query` without its savepoint.

    sqlite-utils runs every `query()` inside ``SAVEPOINT``/``RELEASE`` so that it can
    undo a statement that turns out to return no rows: three statements for each read,
    and most of the SQL of one tap in the bot (bench/bench_telegram.py). The reads here
    are plain SELECTs, which need no such guard.
    """
    cursor = db.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "locked" in str(error) or "busy" in str(error)
    return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


@contextmanager
def immediate_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in a ``BEGIN IMMEDIATE`` transaction: commit on success, roll back on error.

    The write lock is taken at ``BEGIN``, so anything read inside the block is
    current until the commit; other writers wait (up to the busy timeout).
    Refuses to nest: an already open transaction would silently lose that
    guarantee. Raises `DatabaseBusy` if the lock cannot be obtained in time.
    """
    conn = db.conn
    if conn.in_transaction:
        raise StorageError(
            "a transaction is already open on this connection; "
            "immediate_transaction() cannot be nested"
        )
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        if _is_busy(e):
            raise DatabaseBusy(f"database is busy, could not start a write: {e}") from e
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            db.execute("ROLLBACK")
        raise
