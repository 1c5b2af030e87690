"""The `fichebot` command line: one subcommand a job, each with its own --help.

Subcommands import what they need when they run, so `fichebot --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import backup_command, diagnostic, export_command, synthese_command
from bot.cli_french import FrenchArgumentParser, year

# subcommand -> "module:function(args) -> exit status", imported only when it runs
COMMANDS: dict[str, str] = {
    "demo": "bot.terminal:main",
    "render": "bot.render_command:main",
    "export": "bot.export_command:main",
    "synthese": "bot.synthese_command:main",
    "run": "bot.telegram.main:main",
    "sauvegarde": "bot.backup_command:main",
    "diagnostic": "bot.diagnostic:main",
}


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="fichebot",
        description="Recueille les effets sociaux et urbains d’un tiers-lieu et écrit sa fiche.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)

    demo = sub.add_parser(
        "demo", help="l’entretien dans le terminal (sans Telegram ni réseau)",
        description="Répondre au questionnaire dans le terminal. Les réponses sont "
                    "enregistrées au fur et à mesure\u00a0: interrompez (/q ou Ctrl-C) et "
                    "relancez pour reprendre là où vous en étiez.")
    demo.add_argument("--lieu", default=None, metavar="NOM",
                      help="nom du lieu, avec son article (par défaut\u00a0: demandé au début)")
    demo.add_argument("--annee", type=year, default=None, metavar="AAAA",
                      help="année (par défaut\u00a0: l’année en cours)")
    demo.add_argument("--db", default=None, metavar="FICHIER",
                      help="fichier SQLite (par défaut\u00a0: demo.sqlite dans le dossier "
                           "de données)")
    demo.add_argument("--out", default=None, metavar="DOSSIER",
                      help="dossier où écrire la fiche (par défaut\u00a0: le dossier de données)")

    render = sub.add_parser(
        "render", help="écrire la fiche à partir d’un fichier de réponses JSON",
        description="Écrit la fiche d’un fichier de réponses (format décrit dans grid.md).")
    render.add_argument("--answers", required=True, metavar="FICHIER.json",
                        help="le fichier de réponses")
    render.add_argument("--format", default="md", choices=["md", "html", "pdf", "telegram"],
                        help="format de sortie (md par défaut)")
    render.add_argument("-o", "--output", default=None, metavar="SORTIE",
                        help="fichier de sortie (par défaut\u00a0: la sortie standard)")

    run = sub.add_parser(
        "run", help="lancer le bot Telegram",
        description="Lance le bot Telegram (long polling par défaut, ou webhook). Le jeton "
                    "vient de TELEGRAM_BOT_TOKEN (environnement ou fichier .env).")
    run.add_argument("--webhook-url", default=None, metavar="URL", help="URL publique du webhook")
    run.add_argument("--listen", default="0.0.0.0", metavar="ADRESSE",
                     help="adresse d’écoute du webhook")
    run.add_argument("--port", type=int, default=8443, metavar="PORT",
                     help="port d’écoute du webhook")
    run.add_argument("--secret-token", default=None, metavar="SECRET",
                     help="secret attendu dans l’en-tête X-Telegram-Bot-Api-Secret-Token "
                          "(par défaut\u00a0: tiré au hasard à chaque démarrage et donné à "
                          "Telegram)")
    export_command.add_parser(sub)
    synthese_command.add_parser(sub)
    backup_command.add_parser(sub)
    diagnostic.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module_name, func_name = COMMANDS[args.command].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print()
        return 130


if __name__ == "__main__":
    sys.exit(main())
