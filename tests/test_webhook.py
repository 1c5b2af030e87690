"""Webhook mode (bot/telegram/webhook.py), its server started on 127.0.0.1: only
Telegram's requests (the secret) get in, and every malformed body is a 4xx and one
log line, never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import aiohttp
import pytest

from bot.telegram import main as bot_main
from bot.telegram import texts, webhook
from tests.telegram_fakes import FakeTelegram

SECRET = "s3cret-Token_1"
PATH = "/fichebot/hook"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def hook(tmp_path):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    port = _free_port()
    server = webhook.start_server(tg.app, listen="127.0.0.1", port=port, path=PATH,
                                  secret=SECRET)
    async with aiohttp.ClientSession() as session:
        async def post(body: bytes, *, secret: str | None = SECRET,
                       content_type: str = "application/json", path: str = PATH) -> int:
            headers = {"Content-Type": content_type}
            if secret is not None:
                headers[webhook.SECRET_HEADER] = secret
            async with session.post(f"http://127.0.0.1:{port}{path}", data=body,
                                    headers=headers) as response:
                await response.read()
                return response.status
        yield tg, post
    server.stop()
    await server.close_all_connections()
    await tg.stop()


UPDATE = {"update_id": 7, "message": {
    "message_id": 1, "date": 1_767_225_600, "chat": {"id": 1, "type": "private"},
    "from": {"id": 1, "is_bot": False, "first_name": "Admin"}, "text": "/aide",
    "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
GOOD = json.dumps(UPDATE).encode()

MALFORMED = {
    "empty": (b"", 400),
    "truncated JSON": (GOOD[: len(GOOD) // 2], 400),
    "invalid UTF-8": (b'{"update_id": 1, "x": "\xff\xfe"}', 400),
    "not an object": (b"[1, 2, 3]", 400),
    "no update_id": (b'{"message": {}}', 400),
    "update_id not a number": (b'{"update_id": "1"}', 400),
    "huge number": (json.dumps({**UPDATE, "update_id": 10**30}).encode(), 400),
    "huge nested number": (json.dumps({"update_id": 8, "callback_query": {
        "id": "1", "chat_instance": "c", "data": "snz:1",
        "from": {"id": 99999999999999999999, "is_bot": False, "first_name": "X"}}}).encode(),
        400),
    "not an update PTB reads": (b'{"update_id": 9, "message": {"text": "hi"}}', 400),
    "10 MB of garbage": (bytes(range(256)) * (10 * 4096), 413),
}


def _our_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("bot.", "tornado", "telegram"))
            and r.levelno >= logging.INFO]


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_a_malformed_body_is_a_4xx_and_one_line(hook, caplog, name):
    tg, post = hook
    body, status = MALFORMED[name]
    caplog.set_level(logging.DEBUG)
    assert await post(body) == status
    records = _our_records(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None and "Traceback" not in caplog.text
    assert "webhook: refused a request from 127.0.0.1" in records[0].getMessage()
    assert tg.app.update_queue.empty()


async def test_without_the_secret_nothing_gets_in(hook, caplog):
    tg, post = hook
    caplog.set_level(logging.INFO)
    assert await post(GOOD, secret=None) == 403
    assert await post(GOOD, secret="forged") == 403
    assert await post(GOOD, secret=SECRET + "x") == 403
    assert tg.app.update_queue.empty()
    lines = [r.getMessage() for r in _our_records(caplog)]
    assert len(lines) == 3 and all("secret token" in line for line in lines)
    assert not any(SECRET in line or "forged" in line for line in lines)


async def test_wrong_content_type_wrong_path_wrong_method(hook):
    tg, post = hook
    assert await post(GOOD, content_type="text/plain") == 415
    assert await post(GOOD, path="/other") == 404
    assert tg.app.update_queue.empty()


async def test_a_good_update_is_queued(hook):
    tg, post = hook
    assert await post(GOOD, content_type="application/json; charset=utf-8") == 200
    update = await asyncio.wait_for(tg.app.update_queue.get(), 1)
    assert update.update_id == 7 and update.message.text == "/aide"


def test_the_secret_is_generated_when_not_given_and_checked_when_given():
    first, generated = webhook.secret_token(None)
    second, _ = webhook.secret_token(None)
    assert generated and first != second and len(first) >= 32
    assert webhook.secret_token("abc_DEF-9") == ("abc_DEF-9", False)
    for bad in ("with space", "é", "x" * 257, "a:b"):
        with pytest.raises(webhook.BadSecret):
            webhook.secret_token(bad)


def test_a_bad_secret_is_one_line_and_exit_2(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    monkeypatch.setenv("FICHEBOT_DB", str(tmp_path / "f.db"))
    args = type("Args", (), {"webhook_url": "https://example.org/hook", "listen": "127.0.0.1",
                             "port": 1, "secret_token": "not valid!"})()
    assert bot_main.main(args) == 2
    assert capsys.readouterr().err.strip() == texts.BAD_SECRET_TOKEN


async def test_serve_gives_telegram_the_secret_and_answers_through_it(tmp_path):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    port, stop = _free_port(), asyncio.Event()
    task = asyncio.create_task(webhook.serve(
        tg.app, webhook_url=f"https://example.org{PATH}", listen="127.0.0.1", port=port,
        path=PATH, secret=SECRET, stop=stop))

    async def call(method: str, chat_id: int | None = None):
        for _ in range(200):
            for c in tg.request.calls:
                if c.method == method and (chat_id is None
                                           or int(c.params.get("chat_id", 0)) == chat_id):
                    return c
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {method}")

    try:
        set_webhook = await call("setWebhook")
        assert set_webhook.params["secret_token"] == SECRET
        assert set_webhook.params["url"] == f"https://example.org{PATH}"
        async with aiohttp.ClientSession() as session, session.post(
                f"http://127.0.0.1:{port}{PATH}", data=GOOD, headers={
                    "Content-Type": "application/json", webhook.SECRET_HEADER: SECRET}) as r:
            assert r.status == 200
        assert "/" in (await call("sendMessage", 1)).text  # the admin's /aide
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        tg.db.close()
