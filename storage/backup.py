"""Consistent copies of the database while the bot runs, with SQLite's online backup API.

`Connection.backup` with its default ``pages=-1`` copies every page in one step, inside
one read transaction: in WAL mode writers go on meanwhile, and the copy is the database
as it was at one commit, never half of a transaction. The copy is written under a
temporary name, checked with ``quick_check``, switched to a single-file journal mode
(no ``-wal`` to carry along), then renamed: a file with the final name is always whole.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from .db import immediate_transaction, now_iso, select
from .health import DatabaseDamaged, check_problems


@dataclass(frozen=True)
class Backup:
    path: Path
    size_bytes: int
    finished_at: str  # ISO 8601 UTC


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_database(db: Database, target: Path) -> Backup:
    """Copy the open database `db` to `target` (replaced if it exists) and record it.

    Raises `DatabaseDamaged` if the copy fails its check (nothing is left at `target`),
    `OSError` if `target` cannot be written, `sqlite3.Error` from SQLite.
    """
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partiel")
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            db.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE").fetchall()
            problems = check_problems(copy)
        finally:
            copy.close()
        if problems:
            raise DatabaseDamaged(target, problems)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    backup = Backup(target, target.stat().st_size, now_iso())
    with immediate_transaction(db):
        db.execute("INSERT INTO backups (path, size_bytes, finished_at) VALUES (?, ?, ?)",
                   [str(backup.path), backup.size_bytes, backup.finished_at])
    return backup


def last_backup(db: Database) -> Backup | None:
    rows = select(db, "SELECT path, size_bytes, finished_at FROM backups "
                      "ORDER BY finished_at DESC, id DESC LIMIT 1")
    if not rows:
        return None
    return Backup(Path(rows[0]["path"]), rows[0]["size_bytes"], rows[0]["finished_at"])
