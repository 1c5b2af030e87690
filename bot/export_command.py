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

from bot.cli_french import year
from questionnaire.typography import count_of, format_number

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
                    "points-virgules (ce qu’attendent Excel et LibreOffice en "
                    "français)\u202f; --separateur «\u202f,\u202f» pour les outils qui veulent la "
                    "virgule.")
    parser.add_argument("--campagne", type=year, action="append", default=None,
                        metavar="ANNÉE",
                        help="année de la campagne (par défaut\u00a0: la campagne en "
                             "cours)\u202f; répétez-la pour exporter plusieurs années dans "
                             "un même tableau")
    parser.add_argument("--separateur", choices=(";", ",", "tab"), default=";",
                        metavar="SÉPARATEUR",
                        help="séparateur des colonnes du CSV\u00a0: «\u202f;\u202f» (par défaut), "
                             "«\u202f,\u202f» ou «\u202ftab\u202f»")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="format (par défaut\u00a0: l’extension de -o, sinon csv)")
    parser.add_argument("-o", "--output", default=None, metavar="FICHIER",
                        help="fichier à écrire (par défaut\u00a0: la sortie standard\u202f; "
                             "le XLSX exige -o ou une redirection)")
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


def _done(campaigns: list, rows: int, target: Path) -> str:
    """"Campagne 2026 : 12 lieux exportés dans export.csv." (French plurals)."""
    if len(campaigns) == 1:
        what = count_of(rows, "lieu exporté", "lieux exportés")
        return f"Campagne {campaigns[0].year}\u00a0: {what} dans {target}."
    years = ", ".join(str(c.year) for c in campaigns[:-1]) + f" et {campaigns[-1].year}"
    what = ("1\u00a0ligne exportée" if rows == 1
            else f"{format_number(rows)}\u00a0lignes (une par lieu et par année)")
    return f"Campagnes {years}\u00a0: {what} dans {target}."


def choose_format(requested: str | None, output: str | None) -> str:
    if requested:
        return requested
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def main(args: argparse.Namespace) -> int:
    from bot.db_open import open_for_command
    from bot.paths import db_path
    from bot.system_errors import os_error
    from campaign.export import CSV_SEPARATORS, export
    from storage.campaign_status import campaign_responses
    from storage.campaigns import (
        current_campaign,
        find_campaign,
        list_campaigns,
    )

    fmt = choose_format(args.format, args.output)
    if fmt == "xlsx" and not args.output and sys.stdout.isatty():
        return _fail("le format xlsx est binaire\u00a0: indiquez un fichier avec -o "
                     "(ou redirigez la sortie\u00a0: > export.xlsx).", EXIT_BAD_REQUEST)
    path = Path(args.db).expanduser() if args.db else db_path()
    db, status = open_for_command("export", path)
    if db is None:
        return status
    try:
        wanted_years = list(dict.fromkeys(args.campagne or []))
        if wanted_years:
            found = [find_campaign(db, year) for year in wanted_years]
            missing = [y for y, c in zip(wanted_years, found, strict=True) if c is None]
        else:  # the current campaign, if there is one
            found = [current_campaign(db, include_closed=True)]
            missing = []
        if None in found:
            years = ", ".join(str(c.year) for c in list_campaigns(db)) or "aucune"
            wanted = f"pour l’année {missing[0]}" if missing else "en cours"
            return _fail(f"aucune campagne {wanted} (campagnes existantes\u00a0: {years}).",
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
            return _fail(f"{target}\u00a0: impossible d’écrire ({os_error(exc)})",
                         EXIT_FAILED)
        print(_done(campaigns, len(responses), target), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
