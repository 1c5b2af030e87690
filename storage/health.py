"""Is the database file sound? `PRAGMA quick_check` at every open, and a read-only look
for `fichebot diagnostic` that neither creates nor migrates anything.

A damaged file is refused before anything writes to it: the operator restores the last
backup (docs/deploiement.md) instead of the bot apologising for every message while it
makes the damage worse.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .errors import StorageError

CHECK_LINES_KEPT = 3  # quick_check can list thousands of problems; a few say enough


class DatabaseDamaged(StorageError):
    """`PRAGMA quick_check` found the file damaged (or it is not an SQLite database)."""

    def __init__(self, path: str | Path, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"database {path} is damaged: {'; '.join(problems)}")


def check_problems(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA quick_check` finds wrong (at most a few lines); [] when sound.

    A file that is not an SQLite database at all raises its `sqlite3.DatabaseError`
    ("file is not a database"): that is the wrong file, not a damaged one.
    """
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed"
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise
        return [str(exc)]
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    problems = [line for line in lines if line and line != "ok" and not line.startswith("***")]
    return problems[:CHECK_LINES_KEPT]


def ensure_sound(conn: sqlite3.Connection, path: str | Path) -> None:
    """Raise `DatabaseDamaged` unless `quick_check` says ok."""
    problems = check_problems(conn)
    if problems:
        raise DatabaseDamaged(path, problems)


@dataclass(frozen=True)
class DatabaseReport:
    """What `fichebot diagnostic` says about the database file."""

    path: Path
    exists: bool
    size_bytes: int = 0  # the file and its -wal
    problems: tuple[str, ...] = ()
    schema_version: int = 0
    places: int = 0
    last_backup_at: str | None = None  # ISO 8601 UTC, from the backups table
    last_backup_path: str | None = None
    error: str | None = None  # could not even be opened

    @property
    def sound(self) -> bool:
        return self.exists and self.error is None and not self.problems


def inspect_database(path: Path) -> DatabaseReport:
    """Open the file read-only (never created, never migrated) and report on it."""
    if not path.is_file():
        return DatabaseReport(path, exists=False)
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.is_file() else 0)
    # Read-only; and when no -wal is there (the bot is stopped), immutable too: a
    # read-only WAL connection would otherwise create -wal and -shm files, owned by
    # whoever runs the diagnostic, which the bot's user might then not be able to open.
    immutable = "" if wal.exists() else "&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True,
                               timeout=5)
    except sqlite3.Error as exc:
        return DatabaseReport(path, exists=True, size_bytes=size, error=str(exc))
    try:
        problems = check_problems(conn)
        if problems:
            return DatabaseReport(path, True, size, problems=tuple(problems))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        places = (conn.execute("SELECT count(*) FROM places").fetchone()[0]
                  if "places" in tables else 0)
        last = None
        if "backups" in tables:
            last = conn.execute("SELECT finished_at, path FROM backups "
                                "ORDER BY finished_at DESC LIMIT 1").fetchone()
        return DatabaseReport(path, True, size, schema_version=version, places=places,
                              last_backup_at=last[0] if last else None,
                              last_backup_path=last[1] if last else None)
    except sqlite3.Error as exc:
        return DatabaseReport(path, True, size, error=str(exc))
    finally:
        conn.close()
