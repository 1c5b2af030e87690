"""`fichebot export --campagne 2026 --format csv|xlsx|json [-o FICHIER] [--db CHEMIN]
[--separateur ';'|','|tab]`.

The same exports as the bot's /export (`campaign.export`). `--campagne` may be given
several times: one table of every year, in the columns of the latest grid version (older
answers carried over through the versions' map). Without -o the export goes to
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
                    "séparé par des points-virgules (ce qu'attendent Excel et LibreOffice "
                    "en français) ; --separateur ',' pour les outils qui veulent la virgule.")
    parser.add_argument("--campagne", type=int, action="append", default=None,
                        metavar="ANNÉE",
                        help="année de la campagne (par défaut : la campagne en cours) ; "
                             "répétez-la pour exporter plusieurs années dans un même tableau")
    parser.add_argument("--separateur", choices=(";", ",", "tab"), default=";",
                        metavar="SÉPARATEUR",
                        help="séparateur des colonnes du CSV : ';' (par défaut), ',' ou tab")
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


def _done(campaigns: list, rows: int, target: Path) -> str:
    """"Campagne 2026 : 12 lieux exportés dans export.csv." (French plurals)."""
    if len(campaigns) == 1:
        what = "1 lieu exporté" if rows == 1 else f"{rows} lieux exportés"
        return f"Campagne {campaigns[0].year} : {what} dans {target}."
    years = ", ".join(str(c.year) for c in campaigns[:-1]) + f" et {campaigns[-1].year}"
    what = "1 ligne exportée" if rows == 1 else f"{rows} lignes (une par lieu et par année)"
    return f"Campagnes {years} : {what} dans {target}."


def choose_format(requested: str | None, output: str | None) -> str:
    if requested:
        return requested
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def main(args: argparse.Namespace) -> int:
    from bot.paths import db_path
    from campaign.export import CSV_SEPARATORS, export
    from storage import open_db
    from storage.campaign_status import campaign_responses
    from storage.campaigns import (
        current_campaign,
        find_campaign,
        list_campaigns,
    )
    from storage.errors import SchemaTooNew, StorageError

    fmt = choose_format(args.format, args.output)
    if fmt == "xlsx" and not args.output and sys.stdout.isatty():
        return _fail("le format xlsx est binaire : indiquez un fichier avec -o "
                     "(ou redirigez la sortie : > export.xlsx).", EXIT_BAD_REQUEST)
    path = Path(args.db).expanduser() if args.db else db_path()
    if not path.is_file():
        return _fail(f"base de données introuvable : {path}", EXIT_BAD_REQUEST)
    try:
        db = open_db(path)
    except SchemaTooNew:
        return _fail(f"{path} : base créée par une version plus récente de fichebot ; "
                     "mettez fichebot à jour.", EXIT_FAILED)
    except StorageError as exc:
        return _fail(f"{path} : impossible d'ouvrir la base ({exc})", EXIT_FAILED)
    try:
        wanted_years = list(dict.fromkeys(args.campagne or []))
        if wanted_years:
            found = [find_campaign(db, year) for year in wanted_years]
        else:
            found = [current_campaign(db, include_closed=True)]
        if None in found:
            years = ", ".join(str(c.year) for c in list_campaigns(db)) or "aucune"
            missing = [y for y, c in zip(wanted_years, found, strict=True) if c is None]
            wanted = f"pour l'année {missing[0]}" if missing else "en cours"
            return _fail(f"aucune campagne {wanted} (campagnes existantes : {years}).",
                         EXIT_BAD_REQUEST)
        campaigns = sorted((c for c in found if c is not None), key=lambda c: c.year)
        responses = [row for campaign in campaigns
                     for row in campaign_responses(db, campaign, submitted_only=args.envoyees)]
    finally:
        db.conn.close()
    data = export(responses, fmt, separator=CSV_SEPARATORS[args.separateur])
    if args.output:
        target = Path(args.output)
        try:
            target.write_bytes(data)
        except OSError as exc:
            return _fail(f"{target} : impossible d'écrire ({exc.strerror or exc})", EXIT_FAILED)
        print(_done(campaigns, len(responses), target), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
