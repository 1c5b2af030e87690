"""Settings (environment and .env) and `fichebot run` refusing to start, in one line."""

from pathlib import Path

import pytest

from bot import cli
from bot.settings import SettingsError, file_url_for, load_settings, read_env_file
from bot.telegram import texts

GOOD_TOKEN = "123456789:" + "A" * 35
ENV_NAMES = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "FICHEBOT_DB", "FICHEBOT_DATA_DIR",
             "FICHEBOT_ADMIN_IDS")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FICHEBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env from the developer's working directory
    return monkeypatch


def test_environment(tmp_path):
    settings = load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN,
                              "FICHEBOT_DB": str(tmp_path / "x.sqlite"),
                              "FICHEBOT_ADMIN_IDS": " 12, 34,,"},
                             env_file=tmp_path / "none")
    assert settings.token == GOOD_TOKEN
    assert settings.db_path == tmp_path / "x.sqlite"
    assert settings.admin_ids == {12, 34}
    assert settings.is_admin(12) and not settings.is_admin(99) and not settings.is_admin(None)
    assert settings.api_base_url is None and settings.api_file_url is None
    assert GOOD_TOKEN not in repr(settings)


def test_env_file_and_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text(
        "# fichebot\n"
        f"export TELEGRAM_BOT_TOKEN='{GOOD_TOKEN}'\n"
        "\n"
        'TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot"\n'
        "FICHEBOT_ADMIN_IDS=5\n"
        f"FICHEBOT_DATA_DIR={tmp_path / 'd'}\n", encoding="utf-8")
    settings = load_settings({"FICHEBOT_ADMIN_IDS": "6"}, env_file=env)
    assert settings.token == GOOD_TOKEN
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.api_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.admin_ids == {6}
    assert settings.db_path == tmp_path / "d" / "fichebot.sqlite"


def test_file_url():
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
    assert file_url_for("http://fake:9000/api") == "http://fake:9000/api/file/bot"


@pytest.mark.parametrize(("environ", "message"), [
    ({}, texts.TOKEN_MISSING),
    ({"TELEGRAM_BOT_TOKEN": "  "}, texts.TOKEN_MISSING),
    ({"TELEGRAM_BOT_TOKEN": "123456:short"}, texts.TOKEN_MALFORMED),
    ({"TELEGRAM_BOT_TOKEN": "abc:" + "A" * 35}, texts.TOKEN_MALFORMED),
    ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN + " x"}, texts.TOKEN_MALFORMED),
    ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "TELEGRAM_API_BASE_URL": "127.0.0.1:8081"},
     texts.BASE_URL_MALFORMED.format(value="127.0.0.1:8081")),
    ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "FICHEBOT_ADMIN_IDS": "12, moi"},
     texts.ADMIN_IDS_MALFORMED.format(value="moi")),
])
def test_bad_settings(tmp_path, environ, message):
    with pytest.raises(SettingsError) as excinfo:
        load_settings(environ, env_file=tmp_path / "none")
    assert str(excinfo.value) == message
    assert "\n" not in message


def test_malformed_env_file(tmp_path):
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="ligne 1"):
        read_env_file(env)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["run", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_run_without_token(clean_env, capsys):
    status, out, err = _run(capsys)
    assert status != 0
    assert out == ""
    assert err == texts.TOKEN_MISSING + "\n"


def test_run_with_a_malformed_token(clean_env, capsys):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    status, _, err = _run(capsys)
    assert status != 0
    assert err == texts.TOKEN_MALFORMED + "\n"
    assert "not-a-token" not in err


def test_run_with_a_malformed_token_in_dot_env(clean_env, capsys, tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=42:abc\n", encoding="utf-8")
    status, _, err = _run(capsys)
    assert status != 0
    assert err == texts.TOKEN_MALFORMED + "\n"


@pytest.mark.parametrize("kind", ["directory", "not_sqlite", "under_a_file"])
def test_run_with_an_unusable_database(clean_env, capsys, tmp_path, kind):
    path: Path
    if kind == "directory":
        path = tmp_path / "a_directory"
        path.mkdir()
    elif kind == "not_sqlite":
        path = tmp_path / "notes.db"
        path.write_bytes(b"not a database\n" * 100)
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "sub" / "fichebot.db"
    clean_env.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    clean_env.setenv("FICHEBOT_DB", str(path))
    status, _, err = _run(capsys)
    assert status != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fichebot run\u00a0: base de données inutilisable")
    assert str(path) in lines[0]
    assert "Traceback" not in err and GOOD_TOKEN not in err


def test_run_with_an_unreachable_api(clean_env, capsys, tmp_path):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    clean_env.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")  # nothing listens
    clean_env.setenv("FICHEBOT_DB", str(tmp_path / "fichebot.db"))
    status, _, err = _run(capsys)
    assert status != 0
    assert err.startswith("fichebot run\u00a0: impossible de joindre l’API Telegram")
    assert len(err.strip().splitlines()) == 1, err
    assert GOOD_TOKEN not in err


def test_run_polls_or_listens_for_a_webhook(clean_env, capsys, tmp_path, monkeypatch):
    from telegram import Update
    from telegram.ext import Application

    from bot.telegram import webhook

    calls = []
    monkeypatch.setattr(Application, "run_polling",
                        lambda self, **kw: calls.append(("polling", kw)))

    async def serve(application, **kw):
        calls.append(("webhook", kw))

    monkeypatch.setattr(webhook, "serve", serve)
    clean_env.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    clean_env.setenv("FICHEBOT_DB", str(tmp_path / "fichebot.db"))
    assert _run(capsys) == (0, "", "")
    assert calls.pop() == ("polling", {"allowed_updates": Update.ALL_TYPES})

    status, _, _ = _run(capsys, "--webhook-url", "https://bot.example.org/hook/abc",
                        "--listen", "127.0.0.1", "--port", "8444", "--secret-token", "s3cret")
    assert status == 0
    assert calls.pop() == ("webhook", {
        "listen": "127.0.0.1", "port": 8444, "path": "/hook/abc",
        "webhook_url": "https://bot.example.org/hook/abc", "secret": "s3cret"})

    # without --secret-token: one is drawn at random for this run, never the same
    for _ in range(2):
        assert _run(capsys, "--webhook-url", "https://bot.example.org/hook/abc")[0] == 0
    secrets = [calls.pop()[1]["secret"] for _ in range(2)]
    assert secrets[0] != secrets[1] and all(len(s) >= 32 for s in secrets)
