"""`fichebot diagnostic`: is this machine ready to run the bot? One French line per check.

Each check returns a `Check` (holds or not, and the line that says what to do); `main`
prints them all and exits 0 only when every one holds. Nothing is created or changed:
the database is opened read-only, the webhook port is bound and released at once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import os
import re
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot import cli_texts as T
from questionnaire.typography import count_of

TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
BACKUP_MAX_AGE_DAYS = 8  # a weekly backup that ran is fine; a missed week is not


@dataclass(frozen=True)
class Check:
    ok: bool
    label: str
    text: str

    def line(self) -> str:
        return T.LINE.format(mark=T.OK if self.ok else T.FAIL, label=self.label,
                             text=self.text)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "diagnostic", help="vérifier que tout est prêt pour lancer le bot",
        description="Vérifie le jeton, la base de données et ses sauvegardes, le PDF, les "
                    "polices, le webhook et les administrateurs\u202f; une ligne par point, ✅ "
                    "ou ❌ avec ce qu’il faut faire. Code de sortie 0 seulement si tout va. "
                    "Donnez les mêmes options de webhook qu’à fichebot run.")
    # the same metavars as `fichebot run`'s options (bot/cli.py)
    parser.add_argument("--webhook-url", default=None, metavar="URL",
                        help="URL publique du webhook")
    parser.add_argument("--listen", default="0.0.0.0", metavar="ADRESSE",
                        help="adresse d’écoute du webhook")
    parser.add_argument("--port", type=int, default=8443, metavar="PORT",
                        help="port d’écoute du webhook")
    parser.add_argument("--secret-token", default=None, metavar="SECRET",
                        help="secret attendu dans l’en-tête X-Telegram-Bot-Api-Secret-Token")


# --- token ---------------------------------------------------------------------------------

def check_token(values: Mapping[str, str]) -> Check:
    from bot.settings import TOKEN_PATTERN

    token = values.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return Check(False, T.L_TOKEN, T.TOKEN_MISSING)
    if not TOKEN_PATTERN.match(token):
        return Check(False, T.L_TOKEN, T.TOKEN_MALFORMED)
    base_url = values.get("TELEGRAM_API_BASE_URL", "").strip() or None
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return Check(False, T.L_TOKEN, T.BASE_URL_BAD.format(value=base_url))
    return asyncio.run(_get_me(token, base_url))


async def _get_me(token: str, base_url: str | None) -> Check:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    bot = Bot(token, **({"base_url": base_url} if base_url else {}))
    try:
        async with bot:  # initialize() asks getMe
            return Check(True, T.L_TOKEN, T.TOKEN_OK.format(username=bot.username))
    except InvalidToken:
        return Check(False, T.L_TOKEN, T.TOKEN_REFUSED)
    except (TelegramError, OSError) as exc:
        error = str(exc).replace(token, "…")  # never print the token
        return Check(False, T.L_TOKEN, T.TOKEN_UNREACHABLE.format(error=error))


# --- database and backups ------------------------------------------------------------------

def _local(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso).astimezone()
    return f"{moment:%d/%m/%Y} à {moment:%H:%M}"


def check_database(path: Path, now: dt.datetime | None = None) -> list[Check]:
    from bot.backup_command import human_size
    from storage.health import inspect_database
    from storage.migrations import latest_version

    if path.exists() and not path.is_file():
        return [Check(False, T.L_DATABASE, T.DB_NOT_A_FILE.format(path=path))]
    report = inspect_database(path)
    if not report.exists:
        parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
            return [Check(False, T.L_DATABASE, T.DB_NEW_UNWRITABLE.format(path=path))]
        return [Check(True, T.L_DATABASE, T.DB_NEW.format(path=path)),
                Check(True, T.L_BACKUP, T.BACKUP_NOTHING_YET.format(guide=T.GUIDE))]
    if report.error is not None:
        return [Check(False, T.L_DATABASE,
                      T.DB_CHECK_ERROR.format(path=path, error=report.error))]
    if report.problems:
        return [Check(False, T.L_DATABASE, T.DB_CHECK_DAMAGED.format(
            path=path, problem=report.problems[0], guide=T.GUIDE))]
    latest = latest_version()
    size = human_size(report.size_bytes)
    if report.schema_version > latest:
        database = Check(False, T.L_DATABASE, T.DB_CHECK_TOO_NEW.format(
            path=path, found=report.schema_version, known=latest))
    elif report.schema_version < latest:
        database = Check(True, T.L_DATABASE, T.DB_OK_UPGRADE.format(
            path=path, size=size, version=report.schema_version, latest=latest))
    else:
        database = Check(True, T.L_DATABASE, T.DB_OK.format(
            path=path, size=size, version=report.schema_version,
            places=count_of(report.places, "lieu", "lieux")))
    return [database, _backup_check(report.last_backup_at, report.last_backup_path,
                                    report.places, now)]


def _backup_check(last_at: str | None, last_path: str | None, places: int,
                  now: dt.datetime | None) -> Check:
    if last_at is None:
        if places == 0:
            return Check(True, T.L_BACKUP, T.BACKUP_NOTHING_YET.format(guide=T.GUIDE))
        return Check(False, T.L_BACKUP, T.BACKUP_NONE.format(guide=T.GUIDE))
    now = now or dt.datetime.now(dt.UTC)
    age = now - dt.datetime.fromisoformat(last_at)
    if age > dt.timedelta(days=BACKUP_MAX_AGE_DAYS):
        return Check(False, T.L_BACKUP, T.BACKUP_OLD.format(date=_local(last_at),
                                                            days=age.days))
    return Check(True, T.L_BACKUP, T.BACKUP_OK.format(date=_local(last_at), path=last_path))


# --- PDF and fonts -------------------------------------------------------------------------

def check_pdf() -> Check:
    from fiche.pdf_support import MISSING_PDF, pdf_support

    support = pdf_support()
    if not support.available:
        return Check(False, T.L_PDF, T.PDF_MISSING.format(reason=MISSING_PDF))
    try:
        from fiche.model import build_fiche
        from fiche.render import render_pdf
        from questionnaire.grid import default_grid

        pdf = render_pdf(build_fiche(default_grid(), {}, "L'Épicerie 🌱", 2026))
    except Exception as exc:  # anything WeasyPrint or Pango raises is the answer
        return Check(False, T.L_PDF, T.PDF_TEST_FAILED.format(error=exc))
    if not pdf.startswith(b"%PDF"):
        return Check(False, T.L_PDF, T.PDF_TEST_FAILED.format(error="pas un PDF"))
    return Check(True, T.L_PDF, T.PDF_OK)


def check_fonts() -> Check:
    from fiche.glyphs import SAMPLE_ACCENTS, SAMPLE_EMOJI, missing_glyphs
    from fiche.pdf_support import pdf_support

    if not pdf_support().available:
        return Check(False, T.L_FONTS, T.FONTS_NO_PANGO)
    try:
        letters = missing_glyphs(SAMPLE_ACCENTS)
        emoji = missing_glyphs(SAMPLE_EMOJI)
    except OSError:
        return Check(False, T.L_FONTS, T.FONTS_NO_PANGO)
    if letters:
        return Check(False, T.L_FONTS, T.FONTS_NO_LETTERS.format(chars=" ".join(letters)))
    if emoji:
        return Check(False, T.L_FONTS, T.FONTS_NO_EMOJI.format(chars=" ".join(emoji)))
    return Check(True, T.L_FONTS, T.FONTS_OK.format(letters="é œ ’ «", emoji="😀 🎉"))


# --- webhook -------------------------------------------------------------------------------

def check_webhook(url: str | None, listen: str, port: int, secret: str | None) -> Check:
    if not url:
        return Check(True, T.L_WEBHOOK, T.WEBHOOK_NONE)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return Check(False, T.L_WEBHOOK, T.WEBHOOK_NOT_HTTPS.format(url=url))
    public_port = parts.port or 443
    if public_port not in TELEGRAM_WEBHOOK_PORTS:
        return Check(False, T.L_WEBHOOK, T.WEBHOOK_BAD_PORT.format(port=public_port, url=url))
    if not secret:
        return Check(False, T.L_WEBHOOK, T.WEBHOOK_NO_SECRET)
    if not SECRET_PATTERN.match(secret):
        return Check(False, T.L_WEBHOOK, T.WEBHOOK_BAD_SECRET)
    try:
        with socket.create_server((listen, port)):
            pass
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            return Check(False, T.L_WEBHOOK, T.WEBHOOK_PORT_DENIED.format(
                listen=listen, port=port, error=exc.strerror or exc))
        if _bot_is_listening(listen, port, parts.path):
            return Check(True, T.L_WEBHOOK, T.WEBHOOK_BOT_LISTENING.format(url=url, port=port))
        return Check(False, T.L_WEBHOOK, T.WEBHOOK_PORT_TAKEN.format(port=port))
    return Check(True, T.L_WEBHOOK, T.WEBHOOK_PORT_FREE.format(url=url, port=port,
                                                               listen=listen))


def _bot_is_listening(listen: str, port: int, path: str) -> bool:
    """Whether what holds the port answers a POST without the secret with 403, as the
    bot's webhook server does."""
    import httpx

    host = "127.0.0.1" if listen in ("0.0.0.0", "") else ("::1" if listen == "::" else listen)
    if ":" in host:
        host = f"[{host}]"
    try:
        answer = httpx.post(f"http://{host}:{port}{path or '/'}", content=b"{}", timeout=3)
    except httpx.HTTPError:
        return False
    return answer.status_code == 403


# --- admins --------------------------------------------------------------------------------

def check_admins(raw: str) -> Check:
    ids: list[int] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            return Check(False, T.L_ADMINS, T.ADMINS_MALFORMED.format(value=part))
        if int(part) <= 0:
            return Check(False, T.L_ADMINS, T.ADMINS_GROUP.format(value=part))
        ids.append(int(part))
    unique = list(dict.fromkeys(ids))
    if not unique:
        return Check(False, T.L_ADMINS, T.ADMINS_NONE)
    return Check(True, T.L_ADMINS, T.admins_ok(unique))


# --- all -----------------------------------------------------------------------------------

def run_checks(args: argparse.Namespace, environ: Mapping[str, str] | None = None,
               env_file: Path | None = None) -> list[Check]:
    from bot.settings import SettingsError, db_path_from, read_values

    checks: list[Check] = []
    environ = os.environ if environ is None else environ
    try:
        values = read_values(environ, env_file)
    except SettingsError as exc:
        checks.append(Check(False, T.L_SETTINGS, T.SETTINGS_BAD.format(error=exc)))
        values = {k: v for k, v in environ.items() if v != ""}
    checks.append(check_token(values))
    checks.extend(check_database(db_path_from(values)))
    checks.append(check_pdf())
    checks.append(check_fonts())
    checks.append(check_webhook(args.webhook_url, args.listen, args.port, args.secret_token))
    checks.append(check_admins(values.get("FICHEBOT_ADMIN_IDS", "")))
    return checks


def main(args: argparse.Namespace) -> int:
    checks = run_checks(args)
    for check in checks:
        print(check.line(), flush=True)
    failed = sum(not c.ok for c in checks)
    print(T.summary_fail(failed) if failed else T.SUMMARY_OK)
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(argparse.Namespace(webhook_url=None, listen="0.0.0.0", port=8443,
                                     secret_token=None)))
