"""`fichebot sauvegarde [-o FICHIER] [--db CHEMIN]`: a consistent copy of the database,
taken while the bot runs (storage.backup), under a dated name by default."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot import cli_texts as T
from bot.settings import SettingsError, load_db_path

BACKUP_DIR = "sauvegardes"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "sauvegarde", help="copier la base de données (même pendant que le bot tourne)",
        description="Écrit une copie cohérente de la base de données, sans arrêter le bot. "
                    "Par défaut dans le dossier «\u202fsauvegardes\u202f» à côté de la base, "
                    "sous un nom daté (fichebot-AAAA-MM-JJ-HHMMSS.sqlite).")
    parser.add_argument("-o", "--output", default=None, metavar="FICHIER",
                        help="fichier de sauvegarde (par défaut\u00a0: nom daté dans sauvegardes/)")
    parser.add_argument("--db", default=None, metavar="CHEMIN",
                        help="la base à sauvegarder (par défaut\u00a0: celle de fichebot run)")


def default_target(db_path: Path, now: dt.datetime) -> Path:
    """<dossier de la base>/sauvegardes/fichebot-2026-06-30-031500.sqlite"""
    return db_path.parent / BACKUP_DIR / f"fichebot-{now:%Y-%m-%d-%H%M%S}.sqlite"


def human_size(size: int) -> str:
    """1 234 567 → "1,2 Mo" (French units and decimal comma)."""
    for unit, factor in (("Go", 1 << 30), ("Mo", 1 << 20), ("ko", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f}".replace(".", ",") + f"\u00a0{unit}"
    return f"{size}\u00a0octets"


def main(args: argparse.Namespace) -> int:
    import sqlite3  # here, not at the top: `fichebot --help` stays instant

    from bot.db_open import open_for_command
    from storage.backup import backup_database
    from storage.health import DatabaseDamaged

    try:
        path = Path(args.db).expanduser() if args.db else load_db_path()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = (Path(args.output).expanduser() if args.output
              else default_target(path, dt.datetime.now()))
    if target.exists() and path.exists() and target.resolve() == path.resolve():
        print(T.BACKUP_SAME_FILE.format(path=path), file=sys.stderr)
        return 2
    db, status = open_for_command("sauvegarde", path)
    if db is None:
        return status
    try:
        backup = backup_database(db, target)
    except DatabaseDamaged as exc:
        print(T.DB_DAMAGED.format(command="sauvegarde", path=path, problem=exc.problems[0],
                                  guide=T.GUIDE), file=sys.stderr)
        return 1
    except OSError as exc:
        print(T.BACKUP_WRITE_FAILED.format(path=target, error=exc.strerror or exc),
              file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(T.BACKUP_FAILED.format(error=exc), file=sys.stderr)
        return 1
    finally:
        db.conn.close()
    print(T.BACKUP_DONE.format(path=backup.path, size=human_size(backup.size_bytes)))
    return 0
