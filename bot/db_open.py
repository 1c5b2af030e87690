"""Opening the database for a command-line command, every failure as one French line."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlite_utils import Database

from bot import cli_texts as T
from bot.system_errors import database_error
from storage import DatabaseDamaged, StorageError, open_db

EXIT_FAILED = 1
EXIT_BAD_REQUEST = 2


def damaged_line(command: str, path: Path, exc: DatabaseDamaged) -> str:
    return T.DB_DAMAGED.format(command=command, path=path, problem=exc.problems[0],
                               guide=T.GUIDE)


def open_for_command(command: str, path: Path, *, must_exist: bool = True
                     ) -> tuple[Database | None, int]:
    """(the database, 0), or (None, exit status) after one line on stderr."""
    if must_exist and not path.is_file():
        print(T.DB_MISSING.format(command=command, path=path), file=sys.stderr)
        return None, EXIT_BAD_REQUEST
    try:
        return open_db(path), 0
    except DatabaseDamaged as exc:
        print(damaged_line(command, path, exc), file=sys.stderr)
    except StorageError as exc:  # too new, unreadable, not a database…
        print(f"fichebot {command}\u00a0: {database_error(exc, path)}", file=sys.stderr)
    return None, EXIT_FAILED
