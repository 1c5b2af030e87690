"""`fichebot export --campagne 2026 --format csv|xlsx|json [-o FICHIER] [--db CHEMIN]`.

The same exports as the bot's /export (`campaign.export`). Without -o the export goes to
the standard output, as bytes; XLSX is binary, so it is refused when the standard output
is a terminal (redirect it, or give -o). Without --format, the format is the extension of
-o, else CSV. Without --campagne, the current campaign (open, else the latest draft, else
the latest closed). Exit status: 0 done, 1 the database or the file failed, 2 bad request
(unknown campaign, no database, XLSX to a terminal).

Heavy imports happen in `main`, so that `fichebot --help` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("csv", "xlsx", "json")
EXIT_FAILED = 1
EXIT_BAD_REQUEST = 2


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `export` subcommand and its French --help."""
    parser = sub.add_parser(
        "export", help="exporter les réponses d’une campagne (CSV, XLSX ou JSON)",
        description="Exporte les réponses d’une campagne\u00a0: une ligne par lieu, une "
                    "colonne par question (CSV ou XLSX), ou la liste des fichiers de "
                    "réponses (JSON, chacun lisible par «\u202ffichebot render "
                    "--answers\u202f»). Le CSV est en UTF-8, séparé par des "
                    "virgules\u202f; pour Excel, préférez le XLSX.")
    parser.add_argument("--campagne", type=int, default=None, metavar="ANNÉE",
                        help="année de la campagne (par défaut\u00a0: la campagne en cours)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="format (par défaut\u00a0: l’extension de -o, sinon csv)")
    parser.add_argument("-o", "--output", default=None, metavar="FICHIER",
                        help="fichier à écrire (par défaut\u00a0: la sortie standard\u202f; "
                             "le xlsx exige -o ou une redirection)")
    parser.add_argument("--db", default=None, metavar="CHEMIN",
                        help="base SQLite (par défaut\u00a0: celle du bot, FICHEBOT_DB ou "
                             "fichebot.sqlite dans le dossier de données)")
    parser.add_argument("--envoyees", action="store_true",
                        help="seulement les réponses envoyées (par défaut\u00a0: aussi "
                             "celles en cours)")
    return parser


def _fail(message: str, status: int) -> int:
    print(f"fichebot export\u00a0: {message}", file=sys.stderr)
    return status


def choose_format(requested: str | None, output: str | None) -> str:
    if requested:
        return requested
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def main(args: argparse.Namespace) -> int:
    from bot.paths import db_path
    from bot.system_errors import database_error, os_error
    from campaign.export import export
    from questionnaire.typography import count_of
    from storage import open_db
    from storage.campaigns import (
        campaign_responses,
        current_campaign,
        find_campaign,
        list_campaigns,
    )
    from storage.errors import StorageError

    fmt = choose_format(args.format, args.output)
    if fmt == "xlsx" and not args.output and sys.stdout.isatty():
        return _fail("le format xlsx est binaire\u00a0: indiquez un fichier avec -o "
                     "(ou redirigez la sortie\u00a0: > export.xlsx).", EXIT_BAD_REQUEST)
    path = Path(args.db).expanduser() if args.db else db_path()
    if not path.is_file():
        return _fail(f"base de données introuvable\u00a0: {path}", EXIT_BAD_REQUEST)
    try:
        db = open_db(path)
    except StorageError as exc:
        return _fail(database_error(exc, path), EXIT_FAILED)
    try:
        if args.campagne is not None:
            campaign = find_campaign(db, args.campagne)
        else:
            campaign = current_campaign(db, include_closed=True)
        if campaign is None:
            years = ", ".join(str(c.year) for c in list_campaigns(db)) or "aucune"
            wanted = (f"pour l’année {args.campagne}" if args.campagne is not None
                      else "en cours")
            return _fail(f"aucune campagne {wanted} (campagnes existantes\u00a0: {years}).",
                         EXIT_BAD_REQUEST)
        responses = campaign_responses(db, campaign, submitted_only=args.envoyees)
    finally:
        db.conn.close()
    data = export(responses, fmt)
    if args.output:
        target = Path(args.output)
        try:
            target.write_bytes(data)
        except OSError as exc:
            return _fail(f"{target}\u00a0: impossible d’écrire ({os_error(exc)})",
                         EXIT_FAILED)
        count = count_of(len(responses), "réponse exportée", "réponses exportées")
        print(f"Campagne {campaign.year}\u00a0: {count} dans {target}.", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
