"""Failures: Telegram refusing a call, a blocked bot, a bug; and the application's set-up."""

import logging
from pathlib import Path

import pytest
from telegram.ext import AIORateLimiter

import storage
from bot.settings import Settings
from bot.telegram import outgoing, replies, texts
from bot.telegram.app import build_application
from interview import current_year_for
from tests.telegram_fakes import ADMIN_ID, TOKEN, FakeTelegram, limited_app, manager


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


async def test_bad_request_is_logged_with_its_call_and_the_person_gets_an_apology(tg, caplog):
    alice = await manager(tg)
    await alice.tap("Passer")
    await alice.tap("Passer")
    await alice.tap("Passer")
    tg.request.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    caplog.set_level(logging.INFO)
    turn = await alice.send("Un <i>commentaire</i>")
    # The answer was committed before the reply failed.
    place = storage.find_place(tg.db, "La Tréso")
    response = storage.find_response(tg.db, place.id, current_year_for())
    assert storage.load_answers(tg.db, response.id) == {
        "lien_social.commentaire": "Un <i>commentaire</i>"}
    assert turn.texts[-1] == texts.APOLOGY
    refused = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert refused, caplog.text
    assert "Telegram refused sendMessage" in refused[-1].getMessage()
    assert "can't parse entities" in refused[-1].getMessage().lower()
    assert "'chat_id': 1001" in refused[-1].getMessage()
    assert TOKEN not in caplog.text


async def test_a_blocked_bot_is_logged_quietly(tg, caplog):
    alice = await manager(tg)
    tg.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    caplog.set_level(logging.INFO)
    turn = await alice.send("/aide")
    assert turn.methods == ["sendMessage"]  # no apology: they cannot read it anyway
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "blocked" in caplog.text


async def test_a_failed_edit_does_not_stop_the_interview(tg):
    alice = await manager(tg)
    tg.request.fail_next("editMessageText", 400, "Bad Request: message can't be edited")
    turn = await alice.tap("1.")
    # The toggle is shown in a new message instead.
    assert turn.methods == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert "✅ 1. visiteur·euse·s grand public" in turn.sent[-1].params["text"]

    await alice.tap("Suivant")  # answered: "Suivant" keeps the tick
    assert "Dans quels contextes" in alice.last_keyboard()["text"]
    tg.request.fail_next("editMessageText", 400, "Bad Request: message is not modified")
    turn = await alice.tap("2.")
    assert turn.methods == ["answerCallbackQuery", "editMessageText"]  # ignored


async def test_a_bug_gets_an_apology(tg, monkeypatch, caplog):
    alice = await manager(tg)

    async def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(replies, "send_prompt", broken)
    turn = await alice.send("/reprendre")
    assert turn.texts == [texts.APOLOGY]
    assert "RuntimeError: a bug" in caplog.text


def test_application_set_up(tmp_path: Path):
    db = storage.open_db(tmp_path / "fichebot.db")
    settings = Settings(token=TOKEN, db_path=tmp_path / "fichebot.db",
                        api_base_url="http://127.0.0.1:8081/bot",
                        api_file_url="http://127.0.0.1:8081/file/bot")
    app = build_application(settings, db)
    assert isinstance(app.bot.rate_limiter, AIORateLimiter)
    assert app.bot.rate_limiter._max_retries == 3
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    assert app.bot.defaults.parse_mode == "HTML"
    assert str(app.bot.defaults.tzinfo) == "Europe/Paris"
    assert app.persistence is None
    db.close()


async def test_interview_calls_go_through_the_rate_limiter(tmp_path, monkeypatch):
    """outgoing's calls (not PTB's methods) are paced and retried like any other."""
    async with limited_app(tmp_path / "limited.db", monkeypatch) as limited:
        limited.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 5",
                                  retry_after=5)
        await outgoing.send(limited.app.bot, 2001, "<b>LIEN SOCIAL</b>")
    sends = [c for c in limited.request.calls if c.method == "sendMessage"]
    assert len(sends) == 2  # refused once, then sent
    assert pytest.approx(5.1) in limited.waits  # retry_after, plus the limiter's 0.1 s
    assert sends[-1].params["parse_mode"] == "HTML"
    assert sends[-1].params["text"] == "<b>LIEN SOCIAL</b>"
