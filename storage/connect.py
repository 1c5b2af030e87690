"""Opening the fichebot database: connect, set the pragmas, apply pending migrations.

Its own module so that imports go one way: `connect` → `migrations` → `db`.
"""

import sqlite3
from pathlib import Path

import sqlite_utils

from .errors import StorageError
from .health import ensure_sound
from .migrations import migrate

MEMORY = ":memory:"
BUSY_TIMEOUT_MS = 5000


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the fichebot database and apply pending migrations.

    Raises `StorageError` naming `path` if it cannot be opened or used,
    `DatabaseDamaged` if `PRAGMA quick_check` finds it damaged, and `SchemaTooNew`
    if the file was migrated by a newer fichebot.
    """
    is_memory = str(path) == MEMORY
    if not is_memory:
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StorageError(f"cannot create directory for database {path}: {e}") from e
    try:
        conn = sqlite3.connect(
            MEMORY if is_memory else str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    except sqlite3.Error as e:
        raise StorageError(f"cannot open database {path}: {e}") from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not is_memory:
            ensure_sound(conn, path)  # before anything writes to a damaged file
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            # NORMAL is durable against application crashes in WAL mode; only a
            # power loss can drop the last commits.
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = sqlite_utils.Database(conn)
        migrate(db)
    except sqlite3.Error as e:
        conn.close()
        raise StorageError(f"cannot open database {path}: {e}") from e
    except BaseException:
        conn.close()
        raise
    return db
