"""`fichebot diagnostic`: one French line per check, ✅ or ❌ with what to do; exit 0 only
when every check holds (issue 14)."""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import storage
from bot import cli_texts as T
from bot.diagnostic import (
    check_admins,
    check_database,
    check_fonts,
    check_pdf,
    check_token,
    check_webhook,
    run_checks,
)
from fiche import pdf_support
from storage.backup import backup_database
from storage.migrations import latest_version
from tests.cli_process import ROOT, fichebot_env, run_fichebot, write_no_pango
from tests.fake_bot_api import BOT_USERNAME, DEFAULT_TOKEN, FakeBotApi

WRONG_TOKEN = "987654321:" + "B" * 35
NO_WEBHOOK = argparse.Namespace(webhook_url=None, listen="127.0.0.1", port=8443,
                                secret_token=None)


@pytest.fixture(scope="module")
def api():
    server = FakeBotApi().start_in_thread()
    try:
        yield server
    finally:
        server.stop_in_thread()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- token ---------------------------------------------------------------------------------

def test_token(api):
    ok = check_token({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": api.url})
    assert ok.ok and ok.line() == f"✅ Jeton Telegram\u00a0: accepté par Telegram, le bot est " \
                                  f"@{BOT_USERNAME}."
    assert api.calls("getMe")
    refused = check_token({"TELEGRAM_BOT_TOKEN": WRONG_TOKEN,
                           "TELEGRAM_API_BASE_URL": api.url})
    assert not refused.ok and refused.text == T.TOKEN_REFUSED
    missing = check_token({})
    assert not missing.ok and missing.text == T.TOKEN_MISSING
    malformed = check_token({"TELEGRAM_BOT_TOKEN": "12:abc"})
    assert not malformed.ok and malformed.text == T.TOKEN_MALFORMED
    bad_url = check_token({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                           "TELEGRAM_API_BASE_URL": "127.0.0.1:8081/bot"})
    assert not bad_url.ok and bad_url.text.startswith("TELEGRAM_API_BASE_URL doit être")


def test_token_unreachable_api_never_shows_the_token():
    port = free_port()  # nothing listens there
    check = check_token({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                         "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"})
    assert not check.ok
    assert check.text.startswith("impossible de joindre l’API Telegram (")
    assert DEFAULT_TOKEN not in check.text and DEFAULT_TOKEN.split(":")[1] not in check.text


# --- database and backups ------------------------------------------------------------------

def test_database_not_created_yet(tmp_path):
    database, backups = check_database(tmp_path / "data" / "fichebot.sqlite")
    assert database.ok and "n’existe pas encore" in database.text
    assert backups.ok
    assert not (tmp_path / "data").exists()  # the diagnostic creates nothing
    (tmp_path / "file").write_text("x")
    [blocked] = check_database(tmp_path / "file" / "sub" / "fichebot.sqlite")
    assert not blocked.ok and "pas accessible en écriture" in blocked.text
    [directory] = check_database(tmp_path)
    assert not directory.ok and directory.text.startswith(f"{tmp_path} n’est pas un fichier")


def test_database_sound_with_backups(tmp_path):
    path = tmp_path / "fichebot.sqlite"
    db = storage.open_db(path)
    storage.add_place(db, "La Tréso")
    database, backups = check_database(path)
    assert database.ok
    assert database.text.startswith(f"{path}, ")
    assert f"intacte (quick_check), schéma {latest_version()}, 1\u00a0lieu." in database.text
    assert not backups.ok and backups.text.startswith("cette base n’a jamais été sauvegardée")
    backup = backup_database(db, tmp_path / "copie.sqlite")
    _, backups = check_database(path)
    assert backups.ok and str(backup.path) in backups.text
    later = dt.datetime.fromisoformat(backup.finished_at) + dt.timedelta(days=9)
    _, old = check_database(path, now=later)
    assert not old.ok and "il y a 9\u00a0jours" in old.text
    assert "systemctl list-timers fichebot-sauvegarde" in old.text


def test_database_damaged_too_new_or_to_upgrade(tmp_path):
    path = tmp_path / "fichebot.sqlite"
    db = storage.open_db(path)
    for i in range(30):
        storage.add_place(db, f"Lieu {i}")
    db.conn.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    too_new, _ = check_database(path)
    assert not too_new.ok and "mettez fichebot à jour" in too_new.text
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() - 1}")
    conn.close()
    upgrade, _ = check_database(path)
    assert upgrade.ok and f"il passera au {latest_version()} au prochain démarrage" in upgrade.text
    with open(path, "r+b") as handle:
        handle.seek(2 * 4096)
        handle.write(b"\x00\xff" * 2048)
    damaged, *_ = check_database(path)
    assert not damaged.ok and "est endommagée" in damaged.text and "Restaurer" in damaged.text


# --- PDF and fonts -------------------------------------------------------------------------

def test_pdf_and_fonts_here():
    pdf_support.forget_verdict()
    assert check_pdf().ok
    fonts = check_fonts()
    assert fonts.ok, fonts.text


def test_pdf_and_fonts_without_pango(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(write_no_pango(tmp_path / "no_pango")))
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    pdf_support.forget_verdict()
    try:
        pdf = check_pdf()
        assert not pdf.ok
        assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in pdf.text
        assert "les fiches partent en messages et en HTML" in pdf.text
        fonts = check_fonts()
        assert not fonts.ok and fonts.text == T.FONTS_NO_PANGO
    finally:
        pdf_support.forget_verdict()


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def fonts_only(tmp_path: Path, *files: Path) -> Path:
    """A fontconfig configuration that knows only these font files."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for file in files:
        (fonts / file.name).symlink_to(file)
    (tmp_path / "cache").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=fonts, cache=tmp_path / "cache"), encoding="utf-8")
    return conf


def font_file(name: str) -> Path:
    found = sorted(Path("/usr/share/fonts").rglob(name))
    if not found:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return found[0]


def fonts_line(conf: Path) -> str:
    """The diagnostic's fonts line in a process whose fontconfig knows only `conf`."""
    result = subprocess.run(
        [sys.executable, "-c", "from bot.diagnostic import check_fonts; "
                               "print(check_fonts().line())"],
        env=fichebot_env({"FONTCONFIG_FILE": str(conf)}), cwd=ROOT, capture_output=True,
        text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_fonts_without_an_emoji_font_name_the_package(tmp_path):
    line = fonts_line(fonts_only(tmp_path, font_file("DejaVuSans.ttf")))
    assert line.startswith("❌ Polices\u00a0: ces emoji sortiraient en carrés dans le PDF\u00a0: ")
    assert "🎉" in line and line.endswith("(Debian\u00a0: apt install fonts-noto-color-emoji).")


def test_fonts_without_accented_letters_name_the_package(tmp_path):
    line = fonts_line(fonts_only(tmp_path, font_file("NotoColorEmoji.ttf")))
    assert line.startswith("❌ Polices\u00a0: ces lettres sortiraient en carrés dans le PDF")
    assert "é" in line and "apt install fonts-dejavu" in line


# --- webhook and admins --------------------------------------------------------------------

def test_webhook_settings():
    assert check_webhook(None, "0.0.0.0", 8443, None).ok
    http = check_webhook("http://bot.example.org/tg", "127.0.0.1", 8443, "s3cret")
    assert not http.ok and "https://" in http.text
    port = check_webhook("https://bot.example.org:8080/tg", "127.0.0.1", 8443, "s3cret")
    assert not port.ok and "443, 80, 88 ou 8443" in port.text
    no_secret = check_webhook("https://bot.example.org/tg", "127.0.0.1", 8443, None)
    assert not no_secret.ok and no_secret.text == T.WEBHOOK_NO_SECRET
    bad_secret = check_webhook("https://bot.example.org/tg", "127.0.0.1", 8443, "a b")
    assert not bad_secret.ok and bad_secret.text == T.WEBHOOK_BAD_SECRET
    free = free_port()
    ok = check_webhook("https://bot.example.org/tg", "127.0.0.1", free, "s3cret")
    assert ok.ok and f"le port {free} est libre sur 127.0.0.1" in ok.text


class _Answer(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_POST(self) -> None:  # http.server calls it by this name
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("status", "holds"), [(403, True), (200, False)])
def test_webhook_port_already_taken(status, holds):
    handler = type("Handler", (_Answer,), {"status": status})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        check = check_webhook("https://bot.example.org/tg", "127.0.0.1", port, "s3cret")
    finally:
        server.shutdown()
        server.server_close()
    assert check.ok is holds
    assert ("le bot écoute déjà" if holds else "déjà pris par un autre programme") in check.text


def test_admin_ids():
    assert check_admins("").text == T.ADMINS_NONE and not check_admins(" , ").ok
    assert "« abc »" in check_admins("12,abc").text.replace("\u202f", " ")
    assert not check_admins("-1001234").ok and "groupe" in check_admins("-1001234").text
    ok = check_admins("123456, 789,123456")
    assert ok.ok and ok.text == "2\u00a0identifiants\u00a0: 123456, 789."
    assert check_admins("42").text == "1\u00a0identifiant\u00a0: 42."


# --- the whole command ---------------------------------------------------------------------

def test_without_a_token_it_says_exactly_that(tmp_path):
    result = run_fichebot(["diagnostic"], tmp_path,
                          {"FICHEBOT_DATA_DIR": str(tmp_path / "data"),
                           "FICHEBOT_ADMIN_IDS": "123456"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    lines = result.stdout.splitlines()
    failed = [x for x in lines if x.startswith("❌")]
    assert failed == [f"❌ Jeton Telegram\u00a0: {T.TOKEN_MISSING}"]
    assert lines[-1] == f"1\u00a0point à corriger ci-dessus (guide\u00a0: {T.GUIDE})."


def test_two_failures_are_counted_in_the_plural(tmp_path):
    result = run_fichebot(["diagnostic"], tmp_path, {"FICHEBOT_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [x.split("\u00a0:")[0] for x in lines if x.startswith("❌")] == [
        "❌ Jeton Telegram", "❌ Administrateurs"]
    assert lines[-1] == "2\u00a0points à corriger ci-dessus (guide\u00a0: docs/deploiement.md)."


def test_all_good_exits_0(tmp_path, api):
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={DEFAULT_TOKEN}\nTELEGRAM_API_BASE_URL={api.url}\n"
        f"FICHEBOT_ADMIN_IDS=123456\nFICHEBOT_DB={tmp_path / 'fichebot.sqlite'}\n",
        encoding="utf-8")
    result = run_fichebot(["diagnostic"], tmp_path)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert [x.split("\u00a0:")[0] for x in lines[:-1]] == [
        "✅ Jeton Telegram", "✅ Base de données", "✅ Sauvegardes", "✅ PDF", "✅ Polices",
        "✅ Webhook", "✅ Administrateurs"]
    assert lines[-1] == T.SUMMARY_OK
    assert DEFAULT_TOKEN not in result.stdout


def test_a_malformed_env_file_is_one_line_and_the_rest_still_checked(tmp_path):
    (tmp_path / ".env").write_text("this is not a setting\n", encoding="utf-8")
    checks = run_checks(NO_WEBHOOK, environ={"FICHEBOT_DATA_DIR": str(tmp_path / "d")},
                        env_file=tmp_path / ".env")
    assert not checks[0].ok and checks[0].label == T.L_SETTINGS
    assert "ligne 1" in checks[0].text
    assert [c.label for c in checks[1:]] == [T.L_TOKEN, T.L_DATABASE, T.L_BACKUP, T.L_PDF,
                                             T.L_FONTS, T.L_WEBHOOK, T.L_ADMINS]
