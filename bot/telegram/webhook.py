"""Webhook mode: fichebot's own HTTP endpoint for Telegram's updates.

PTB's webhook server (`telegram.ext._utils.webhookhandler.TelegramHandler`) decodes the
body before checking it (an empty, truncated or non-UTF-8 body is a 500 and a
traceback) and, without a secret token, takes any POST as Telegram's: whoever finds
the URL can write as the administrator. So the bot runs its own Tornado endpoint, as
PTB's "custom webhook" example does, and puts the updates into the application's
queue:

- the secret token is mandatory. Without `--secret-token`, one is generated at each
  start (`secrets.token_urlsafe`) and given to `setWebhook`, which is all Telegram
  needs: nobody has to keep it, nothing writes it down. It is compared in constant time
  and never logged;
- a request is checked in order — secret (403), content type `application/json`
  (415), size (413 over `MAX_BODY`; the connection is dropped over `HARD_CAP`), UTF-8
  and JSON (400), an object with an `update_id`, whole numbers within SQLite's range
  (400), an update PTB can read (400) — and each refusal is one log line with the
  client's address and the reason, never the body, never a traceback;
- other paths are 404 and other methods 405, unlogged.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import secrets
import signal
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # Telegram's updates are a few kB; a message is at most 4 096 chars
HARD_CAP = 64 * 1024 * 1024  # beyond this the HTTP server drops the connection (400)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
INT_RANGE = range(-(2**63), 2**63)  # what SQLite stores as an INTEGER
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts


class BadSecret(ValueError):
    """A secret token setWebhook would refuse."""


def secret_token(given: str | None) -> tuple[str, bool]:
    """(the secret to use, whether it was generated). Raises `BadSecret`."""
    if given is None or given == "":
        return secrets.token_urlsafe(32), True
    if not _SECRET.fullmatch(given):
        raise BadSecret("the secret token must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -")
    return given, False


def _ints_in_range(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and item not in INT_RANGE:
            return False
    return True


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: one update from Telegram, checked, into the application's queue.

    The body is streamed so that an oversized one is read to its end and discarded
    (then refused with 413): refusing it before it is read would reset the connection
    under the client, which then sees no answer at all."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str) -> None:
        self.application_ = bot_application
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            self.chunks.clear()
        else:
            self.chunks.append(chunk)

    def _refuse(self, status: int, reason: str) -> None:
        log.warning("webhook: refused a request from %s: %s (%s)", self.request.remote_ip,
                    reason, status)
        self.set_status(status)
        self.finish()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._refuse(403, "missing secret token" if not given else "wrong secret token")
            return
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            self._refuse(415, "content type is not application/json")
            return
        if self.size > MAX_BODY:
            self._refuse(413, f"body of {self.size} bytes, over {MAX_BODY}")
            return
        body = b"".join(self.chunks)
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            self._refuse(400, "body is not UTF-8")
            return
        except ValueError:
            self._refuse(400, "body is not JSON" if body else "empty body")
            return
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            self._refuse(400, "not an update (no update_id)")
            return
        if not _ints_in_range(data):
            self._refuse(400, "a number is out of range")
            return
        try:
            update = Update.de_json(data, self.application_.bot)
        except Exception as exc:  # PTB refuses the update's shape: say which, no traceback
            self._refuse(400, f"not an update PTB can read ({type(exc).__name__})")
            return
        await self.application_.update_queue.put(update)
        self.set_status(200)
        self.finish()

    def log_exception(self, typ, value, tb) -> None:
        """Never a traceback: what reaches here is said in one line."""
        log.warning("webhook: request from %s failed: %s", self.request.remote_ip,
                    type(value).__name__ if value else typ)


class _WebApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the refusals log themselves, accepted updates are not logged."""


def url_path(webhook_url_path: str) -> str:
    return "/" + webhook_url_path.strip("/")


def start_server(application: Application, *, listen: str, port: int, path: str,
                 secret: str) -> HTTPServer:
    """Listen for Telegram's POSTs on `path` (running loop needed); returns the server."""
    app = _WebApp([(re.escape(url_path(path)) + "/?",
                    UpdateHandler, {"bot_application": application, "secret": secret})])
    server = HTTPServer(app, max_body_size=HARD_CAP, xheaders=True)
    server.listen(port, address=listen)
    return server


async def serve(application: Application, *, webhook_url: str, listen: str, port: int,
                path: str, secret: str, stop: asyncio.Event | None = None) -> None:
    """Run the bot behind its webhook until SIGINT/SIGTERM (or `stop`): start the
    application, listen, then tell Telegram the URL and the secret."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    server = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        server = start_server(application, listen=listen, port=port, path=path,
                              secret=secret)
        await application.bot.set_webhook(webhook_url, secret_token=secret,
                                          allowed_updates=Update.ALL_TYPES)
        log.info("webhook: listening on %s:%s%s", listen, port, url_path(path))
        await stop.wait()
    finally:
        if server is not None:
            server.stop()
            await server.close_all_connections()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
