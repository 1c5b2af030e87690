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
        "export", help="exporter les réponses d'une campagne (CSV, XLSX ou JSON)",
        description="Exporte les réponses d'une campagne : une ligne par lieu, une colonne par "
                    "question (CSV ou XLSX), ou la liste des fichiers de réponses (JSON, "
                    "chacun lisible par « fichebot render --answers »). Le CSV est en UTF-8, "
                    "séparé par des virgules ; pour Excel, préférez le XLSX.")
    parser.add_argument("--campagne", type=int, default=None, metavar="ANNÉE",
                        help="année de la campagne (par défaut : la campagne en cours)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="format (par défaut : l'extension de -o, sinon csv)")
    parser.add_argument("-o", "--output", default=None, metavar="FICHIER",
                        help="fichier à écrire (par défaut : la sortie standard ; "
                             "le xlsx exige -o ou une redirection)")
    parser.add_argument("--db", default=None, metavar="CHEMIN",
                        help="base SQLite (par défaut : celle du bot, FICHEBOT_DB ou "
                             "fichebot.sqlite dans le dossier de données)")
    parser.add_argument("--envoyees", action="store_true",
                        help="seulement les réponses envoyées (par défaut : aussi celles en cours)")
    return parser


def _fail(message: str, status: int) -> int:
    print(f"fichebot export : {message}", file=sys.stderr)
    return status


def choose_format(requested: str | None, output: str | None) -> str:
    if requested:
        return requested
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def main(args: argparse.Namespace) -> int:
    from bot.db_open import open_for_command
    from bot.paths import db_path
    from campaign.export import export
    from storage.campaigns import (
        campaign_responses,
        current_campaign,
        find_campaign,
        list_campaigns,
    )

    fmt = choose_format(args.format, args.output)
    if fmt == "xlsx" and not args.output and sys.stdout.isatty():
        return _fail("le format xlsx est binaire : indiquez un fichier avec -o "
                     "(ou redirigez la sortie : > export.xlsx).", EXIT_BAD_REQUEST)
    path = Path(args.db).expanduser() if args.db else db_path()
    db, status = open_for_command("export", path)
    if db is None:
        return status
    try:
        if args.campagne is not None:
            campaign = find_campaign(db, args.campagne)
        else:
            campaign = current_campaign(db, include_closed=True)
        if campaign is None:
            years = ", ".join(str(c.year) for c in list_campaigns(db)) or "aucune"
            wanted = (f"pour l'année {args.campagne}" if args.campagne is not None
                      else "en cours")
            return _fail(f"aucune campagne {wanted} (campagnes existantes : {years}).",
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
            return _fail(f"{target} : impossible d'écrire ({exc.strerror or exc})", EXIT_FAILED)
        print(f"Campagne {campaign.year} : {len(responses)} réponse(s) exportée(s) "
              f"dans {target}.", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
