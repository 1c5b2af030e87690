"""`fichebot synthese --campagne 2026 [--format json|md|html|pdf] [-o SORTIE] [--db CHEMIN]`.

The synthesis of a campaign's sent fiches (`campaign.synthesis`). Without --format, the
extension of -o, else Markdown. Without -o it goes to the standard output (PDF is
refused on a terminal). Exclusions change the database first and are kept for every later
synthesis of that year: --exclure-lieu NOM, --exclure-commentaire "NOM:SECTION" and their
--reintegrer-… counterparts; --exclusions lists them. Exit status: 0 done, 1 the
database or the file failed, 2 bad request.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli_french import year

if TYPE_CHECKING:  # heavy imports happen in `main`, so that `fichebot --help` stays instant
    from sqlite_utils import Database

    from questionnaire.grid import Grid

FORMATS = ("json", "md", "html", "pdf")
EXIT_FAILED = 1
EXIT_BAD_REQUEST = 2


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `synthese` subcommand and its French --help."""
    parser = sub.add_parser(
        "synthese", help="la synthèse d’une campagne, avec ses graphiques",
        description="Écrit la synthèse des fiches envoyées d’une campagne : participation, "
                    "réponses question par question, intensités, mots-clés, commentaires, "
                    "évolution depuis la campagne précédente. JSON (la source des autres "
                    "formats, décrit dans le README), Markdown, HTML ou PDF avec graphiques.")
    parser.add_argument("--campagne", type=year, default=None, metavar="ANNÉE",
                        help="année de la campagne (par défaut : la campagne en cours, sinon "
                             "la dernière close)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="format (par défaut : l’extension de -o, sinon md)")
    parser.add_argument("-o", "--output", default=None, metavar="SORTIE",
                        help="fichier à écrire (par défaut : la sortie standard ; le PDF exige "
                             "-o ou une redirection)")
    parser.add_argument("--db", default=None, metavar="CHEMIN",
                        help="base SQLite (par défaut : celle du bot, FICHEBOT_DB ou "
                             "fichebot.sqlite dans le dossier de données)")
    parser.add_argument("--exclure-lieu", action="append", default=[], metavar="NOM",
                        help="écarter de la synthèse la fiche de ce lieu (répétable)")
    parser.add_argument("--reintegrer-lieu", action="append", default=[], metavar="NOM",
                        help="remettre dans la synthèse la fiche de ce lieu (répétable)")
    parser.add_argument("--exclure-commentaire", action="append", default=[],
                        metavar="NOM:PARTIE",
                        help="écarter un commentaire, par exemple « La Tréso:lien_social » "
                             "(répétable)")
    parser.add_argument("--reintegrer-commentaire", action="append", default=[],
                        metavar="NOM:PARTIE", help="remettre ce commentaire (répétable)")
    parser.add_argument("--exclusions", action="store_true",
                        help="lister ce qui est écarté de la synthèse, sans l’écrire")
    return parser


def _fail(message: str, status: int) -> int:
    print(f"fichebot synthese : {message}", file=sys.stderr)
    return status


def choose_format(requested: str | None, output: str | None) -> str:
    if requested:
        return requested
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "md"


class BadRequest(Exception):
    """A French message for the user, exit status 2."""


def _apply_exclusions(db: Database, grid: Grid, year: int, args: argparse.Namespace
                      ) -> list[str]:
    """Apply the exclusion flags; the French lines saying what changed."""
    from bot.synthesis import WHOLE_PLACE, comment_key
    from storage.places import find_place
    from storage.synthesis import exclude, include

    def place_id(name: str) -> int:
        place = find_place(db, name)
        if place is None:
            raise BadRequest(f"aucun lieu actif ne s’appelle « {name} ».")
        return place.id

    def comment(text: str) -> tuple[int, str, str]:
        name, colon, section = text.rpartition(":")
        if not colon or not name.strip():
            raise BadRequest(f"« {text} » : écrivez le lieu et la partie, par exemple "
                             "« La Tréso:lien_social ».")
        key = comment_key(grid, section)
        if key is None:
            raise BadRequest(f"« {section.strip()} » n’est pas une partie de la grille qui "
                             "a un commentaire (par exemple lien_social, sante, insertion).")
        return place_id(name.strip()), name.strip(), key

    done: list[str] = []
    for name in args.exclure_lieu:
        changed = exclude(db, year, place_id(name), WHOLE_PLACE)
        done.append(f"{name} : fiche écartée" if changed else f"{name} : déjà écartée")
    for name in args.reintegrer_lieu:
        changed = include(db, year, place_id(name), WHOLE_PLACE)
        done.append(f"{name} : fiche réintégrée" if changed else f"{name} : n’était pas écartée")
    for text in args.exclure_commentaire:
        pid, name, key = comment(text)
        changed = exclude(db, year, pid, key)
        done.append(f"{name}, {key} : commentaire écarté" if changed
                    else f"{name}, {key} : déjà écarté")
    for text in args.reintegrer_commentaire:
        pid, name, key = comment(text)
        changed = include(db, year, pid, key)
        done.append(f"{name}, {key} : commentaire réintégré" if changed
                    else f"{name}, {key} : n’était pas écarté")
    return done


def main(args: argparse.Namespace) -> int:
    from bot.paths import db_path
    from bot.synthesis import synthesis_of
    from campaign.synthesis.document import render
    from questionnaire.grid import default_grid
    from storage import open_db
    from storage.campaigns import current_campaign, find_campaign, list_campaigns
    from storage.errors import SchemaTooNew, StorageError
    from storage.synthesis import exclusions

    fmt = choose_format(args.format, args.output)
    if fmt == "pdf" and not args.output and sys.stdout.isatty():
        return _fail("le format pdf est binaire : indiquez un fichier avec -o "
                     "(ou redirigez la sortie : > synthese.pdf).", EXIT_BAD_REQUEST)
    path = Path(args.db).expanduser() if args.db else db_path()
    if not path.is_file():
        return _fail(f"base de données introuvable : {path}", EXIT_BAD_REQUEST)
    try:
        db = open_db(path)
    except SchemaTooNew:
        return _fail(f"{path} : base créée par une version plus récente de fichebot ; "
                     "mettez fichebot à jour.", EXIT_FAILED)
    except StorageError as exc:
        return _fail(f"{path} : impossible d’ouvrir la base ({exc})", EXIT_FAILED)
    grid = default_grid()
    try:
        campaign = (find_campaign(db, args.campagne) if args.campagne is not None
                    else current_campaign(db, include_closed=True))
        if campaign is None:
            years = ", ".join(str(c.year) for c in list_campaigns(db)) or "aucune"
            wanted = (f"pour l’année {args.campagne}" if args.campagne is not None
                      else "en cours")
            return _fail(f"aucune campagne {wanted} (campagnes existantes : {years}).",
                         EXIT_BAD_REQUEST)
        try:
            for line in _apply_exclusions(db, grid, campaign.year, args):
                print(line, file=sys.stderr)
        except BadRequest as exc:
            return _fail(str(exc), EXIT_BAD_REQUEST)
        if args.exclusions:
            found = exclusions(db, campaign.year)
            if not found:
                print(f"Rien n’est écarté de la synthèse {campaign.year}.")
            for item in found:
                print(f"{item.place} : " + ("toute la fiche" if item.whole_place
                                            else f"commentaire {item.key}"))
            return 0
        synthesis = synthesis_of(db, campaign, grid)
    finally:
        db.conn.close()
    data = render(grid, synthesis, fmt)
    payload = data if isinstance(data, bytes) else data.encode("utf-8")
    if args.output:
        target = Path(args.output)
        try:
            target.write_bytes(payload)
        except OSError as exc:
            return _fail(f"{target} : impossible d’écrire ({exc.strerror or exc})", EXIT_FAILED)
        print(f"Synthèse de la campagne {campaign.year} écrite dans {target}.", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    return 0
