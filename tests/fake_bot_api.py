"""A small Telegram Bot API server for tests and benchmarks (aiohttp.web, 127.0.0.1 only).

It answers `POST/GET /bot<token>/<method>` the way api.telegram.org does, for the methods
fichebot uses, and lets a test act as Telegram users::

    async with FakeBotApi() as server:           # in the running event loop
        ...  # give server.url to the bot as base_url (PTB appends token and /method)
        server.push_command(alice, "start", "abc")
        call = await server.wait_for(alice.id, lambda c: "Bonjour" in c.text)
        server.press(alice, "Valider")

    server = FakeBotApi().start_in_thread()      # in its own thread and loop, for a bot
    try: ...                                     # running as a subprocess while the test
    finally: server.stop_in_thread()             # blocks or awaits something else

The realism that matters for tests: 401 on a wrong token, 404 on an unknown method, 409
when a second getUpdates replaces a waiting one (as after a crash), long polling with
`offset`, `timeout` and `allowed_updates`; `parse_mode=HTML` checked like Telegram (400
"can't parse entities"), 4096-character texts (UTF-16 units, after entity parsing),
64-byte callback_data, "message is not modified", "message to edit not found", blocked
users (403), and a sliding one-second rate limit answered with 429 and `retry_after`.

One deliberate difference: Telegram shows an `&` that does not start a known entity as
is; this server refuses it (400) unless `strict_entities=False`, because a bot that
forgets to escape "R&D" also forgets to escape "<3".

Private chats only need a user: chat id = user id. All public methods are thread-safe;
`wait_for` and friends can be awaited from any event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DEFAULT_TOKEN = "123456789:AAHfakeTokenForTests_0123456789abcdef"
BOT_USERNAME = "fichebot_test_bot"

# Calls that count as messages against the flood limit (Telegram counts messages sent or
# edited; answering a callback query or showing "typing…" does not).
MESSAGE_METHODS = frozenset({
    "sendmessage", "senddocument", "sendphoto", "editmessagetext", "editmessagereplymarkup",
    "editmessagecaption", "copymessage", "forwardmessage",
})
INT_FIELDS = frozenset({
    "chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id",
    "message_thread_id", "cache_time", "from_chat_id",
})
BOOL_FIELDS = frozenset({
    "show_alert", "drop_pending_updates", "disable_notification", "protect_content",
    "disable_web_page_preview", "allow_sending_without_reply", "disable_content_type_detection",
})
JSON_FIELDS = frozenset({
    "reply_markup", "allowed_updates", "commands", "scope", "entities", "caption_entities",
    "link_preview_options", "reply_parameters",
})
DEFAULT_ALLOWED = frozenset({  # Telegram's default: all but these three
    "message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
    "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "poll",
    "poll_answer", "my_chat_member", "chat_join_request", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "purchased_paid_media", "chat_boost", "removed_chat_boost",
})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message")
QUERY_INVALID = ("Bad Request: query is too old and response timeout expired or query ID "
                 "is invalid")


class ApiError(Exception):
    """An error answer: {"ok": false, "error_code": code, "description": description}."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# --- Telegram's HTML ----------------------------------------------------------------------

class EntityParseError(ValueError):
    pass


_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link",
    "code": "code", "pre": "pre", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]*);")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z_-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str, *, strict_entities: bool = True) -> tuple[str, list[dict]]:
    """Telegram's HTML parse mode: the plain text and its entities (UTF-16 offsets).

    Raises EntityParseError with Telegram's wording ("Unsupported start tag ...", "Can't
    find end tag corresponding to start tag ...", ...); offsets are in UTF-8 bytes.
    """
    out: list[str] = []
    out_len = 0  # UTF-16 units written so far
    stack: list[tuple[str, int, dict]] = []  # (tag, start offset, entity extras)
    entities: list[dict] = []
    i, n = 0, len(text)

    def byte_offset(pos: int) -> int:
        return len(text[:pos].encode("utf-8"))

    while i < n:
        ch = text[i]
        if ch == "&":
            m = _ENTITY_RE.match(text, i)
            decoded = None
            if m:
                name = m.group(1)
                if name.startswith("#"):
                    with contextlib.suppress(ValueError, OverflowError):
                        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
                        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                            decoded = chr(code)
                else:
                    decoded = _NAMED_ENTITIES.get(name)
            if decoded is None:
                if strict_entities:
                    shown = m.group(0) if m else "&"
                    raise EntityParseError(
                        f'Unsupported HTML entity "{shown}" at byte offset {byte_offset(i)} '
                        "(only &lt; &gt; &amp; &quot; and numeric entities; escape a bare &)")
                out.append("&")
                out_len += 1
                i += 1
                continue
            out.append(decoded)
            out_len += utf16_len(decoded)
            i = m.end()
            continue
        if ch != "<":
            j = i
            while j < n and text[j] not in "<&":
                j += 1
            chunk = text[i:j]
            out.append(chunk)
            out_len += utf16_len(chunk)
            i = j
            continue
        begin = i
        if i + 1 < n and text[i + 1] == "/":  # end tag
            end = text.find(">", i)
            if end < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            name = text[i + 2:end].strip().lower()
            if not stack:
                raise EntityParseError(
                    f'Unexpected end tag at byte offset {byte_offset(begin)}')
            tag, start, extra = stack[-1]
            if name != tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, expected "
                    f'"</{tag}>", found "</{name}>"')
            stack.pop()
            if out_len > start:
                entity = {"type": _TAG_TYPES[tag], "offset": start, "length": out_len - start}
                entity.update(extra)
                entities.append(entity)
            i = end + 1
            continue
        # start tag
        j = i + 1
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[i + 1:j].lower()
        if name not in _TAG_TYPES:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}')
        end = text.find(">", j)
        if end < 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        attrs: dict[str, str] = {}
        raw_attrs = text[j:end]
        pos = 0
        while pos < len(raw_attrs) and raw_attrs[pos:].strip():
            m = _ATTR_RE.match(raw_attrs, pos)
            if not m or m.end() == pos:
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {byte_offset(begin)}")
            value = m.group(2) or ""
            if value[:1] in "\"'":
                value = value[1:-1]
            attrs[m.group(1).lower()] = html.unescape(value)
            pos = m.end()
        extra: dict[str, Any] = {}
        if name == "a":
            href = attrs.get("href", "")
            if not href:
                raise EntityParseError(
                    f'Tag "a" must have attribute "href" at byte offset {byte_offset(begin)}')
            extra["url"] = href
        elif name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}')
        elif name == "tg-emoji":
            if "emoji-id" not in attrs:
                raise EntityParseError(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                    f"{byte_offset(begin)}")
            extra["custom_emoji_id"] = attrs["emoji-id"]
        elif name == "blockquote" and "expandable" in attrs:
            extra["type"] = "expandable_blockquote"
        elif name == "code" and attrs.get("class", "").startswith("language-"):
            extra["language"] = attrs["class"][len("language-"):]
        stack.append((name, out_len, extra))
        i = end + 1
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --- Users, calls -------------------------------------------------------------------------

@dataclass(frozen=True)
class User:
    id: int
    first_name: str = "Camille"
    username: str | None = None
    language_code: str = "fr"

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name,
                             "language_code": self.language_code}
        if self.username:
            d["username"] = self.username
        return d


@dataclass
class Call:
    """One Bot API request from the bot, and the answer it got."""

    method: str  # as Telegram spells it: sendMessage, editMessageText, ...
    params: dict[str, Any]
    ok: bool = True
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    at: float = 0.0
    chat_id: int | None = None
    reply_to: tuple[int, int] | None = None  # (update_id, delivery number) it answered
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)

    @property
    def message(self) -> dict | None:
        return self.result if isinstance(self.result, dict) else None

    @property
    def text(self) -> str:
        """The message's plain text (entities parsed), its caption, or the query answer."""
        if self.message:
            return self.message.get("text") or self.message.get("caption") or ""
        return str(self.params.get("text", ""))

    @property
    def raw_text(self) -> str:
        """The text as the bot sent it (HTML included)."""
        return str(self.params.get("text", self.params.get("caption", "")))

    @property
    def keyboard(self) -> list[list[dict]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard", []) if isinstance(markup, dict) else []

    @property
    def document(self) -> tuple[str, bytes, str] | None:
        """(file name, content, content type) of an uploaded document."""
        return self.files.get("document")

    def __repr__(self) -> str:
        status = "ok" if self.ok else f"{self.error_code} {self.description}"
        return f"<Call {self.method} chat={self.chat_id} {status} {self.text[:60]!r}>"


def _method_key(method: str) -> str:
    return method.lower()


# --- The server ---------------------------------------------------------------------------

class FakeBotApi:
    """A Bot API server on 127.0.0.1 (port chosen by the OS), with users to script."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, username: str = BOT_USERNAME,
                 rate_limit: int | None = 30, retry_after: int = 1,
                 blocked: Iterable[int] = (), strict_entities: bool = True,
                 max_poll_timeout: float = 50.0):
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.rate_limit = rate_limit
        self.retry_after = retry_after
        self.blocked: set[int] = set(blocked)
        self.strict_entities = strict_entities
        self.max_poll_timeout = max_poll_timeout

        self._lock = threading.RLock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._update_ids = itertools.count(500_000_001)
        self._query_ids = itertools.count(7_000_000_001)
        self._file_ids = itertools.count(1)
        self._queue: list[dict] = []  # pushed, not yet confirmed
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._poll_generation = 0
        self._chats: dict[int, dict] = {}  # chat id -> chat object
        self.webhook: dict[str, Any] | None = None  # the last setWebhook's parameters
        self._msg_ids: dict[int, itertools.count] = {}
        self._messages: dict[tuple[int, int], dict] = {}  # (chat, message id) -> message
        self._bot_messages: set[tuple[int, int]] = set()
        self._queries: dict[str, int] = {}  # open callback query id -> update id
        self._answered_queries: set[str] = set()
        self._last_delivered: dict[int, tuple[int, int]] = {}  # chat -> (update, delivery)
        self._cursors: dict[int, int] = {}
        self._window: deque[float] = deque()
        self._commands: dict[str, list[dict]] = {}

        self.sent: list[Call] = []  # every request but getUpdates, in order
        self.updates: dict[int, dict] = {}  # every update pushed, by id
        self.deliveries: Counter[int] = Counter()  # update id -> times handed to the bot
        self.polls = 0
        self.offset = 0  # the highest offset getUpdates was called with (confirmed below)
        self.too_many_requests = 0  # 429s answered
        self.conflicts = 0  # 409s answered
        self.message_times: list[float] = []  # accepted message calls (rate statistics)

        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base_url to give the bot (PTB appends the token, then /method)."""
        if self.port is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeBotApi:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.loop = asyncio.get_running_loop()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            with self._lock:
                self._poll_generation += 1  # release waiting long polls
            self._notify()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self, timeout: float = 10.0) -> FakeBotApi:
        """Serve from a daemon thread with its own event loop (returns once listening)."""
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.stop())
                loop.close()

        self._thread = threading.Thread(target=run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("the fake Bot API server did not start")
        if errors:
            raise errors[0]
        return self

    def stop_in_thread(self, timeout: float = 10.0) -> None:
        if self._thread is None or self.loop is None:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        self._thread = None

    # --- acting as users ----------------------------------------------------------------

    def know(self, user: User | int) -> None:
        """The user has a private chat with the bot (as if they had written to it once)."""
        user = user if isinstance(user, User) else User(user)
        with self._lock:
            self._chats.setdefault(user.id, self._private_chat(user))

    def push_update(self, update: Mapping[str, Any]) -> dict:
        """Queue a raw update (its update_id is assigned here) and return it."""
        with self._lock:
            update = self._enqueue(dict(update))
        self._notify()
        return update

    def _enqueue(self, update: dict) -> dict:
        update["update_id"] = next(self._update_ids)
        self.updates[update["update_id"]] = update
        self._queue.append(update)
        chat_id = _chat_of_update(update)
        if chat_id is not None:
            self._cursors[chat_id] = len(self.sent)
        return update

    def push_message(self, user: User | int, text: str | None = None, *,
                     chat: Mapping[str, Any] | None = None, edited: bool = False,
                     **extra: Any) -> dict:
        """The user writes `text` (or sends `extra`, e.g. photo=[...]) to the bot.

        By default in the private chat (chat id = user id); pass `chat` for a group.
        After a push, `wait_for` on that chat only looks at the bot's later calls.
        """
        user = _user(user)
        with self._lock:
            chat = dict(chat) if chat else self._private_chat(user)
            self._chats.setdefault(chat["id"], chat)
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat["id"]), "from": user.to_dict(),
                "chat": chat, "date": int(time.time()),
            }
            if text is not None:
                message["text"] = text
                if text.startswith("/"):
                    command = text.split()[0]
                    message["entities"] = [{"type": "bot_command", "offset": 0,
                                            "length": utf16_len(command)}]
            message.update(extra)
            if edited:
                message["edit_date"] = int(time.time())
            self._messages[(chat["id"], message["message_id"])] = message
        kind = "edited_message" if edited else "message"
        return self.push_update({kind: message})

    def push_command(self, user: User | int, command: str, *args: str, **kw: Any) -> dict:
        """`/command arg…` (the leading slash is optional)."""
        text = "/" + command.lstrip("/")
        if args:
            text += " " + " ".join(args)
        return self.push_message(user, text, **kw)

    def push_callback(self, user: User | int, message_id: int, data: str, *,
                      chat_id: int | None = None, check_button: bool = True) -> dict:
        """The user taps the button carrying `data` on a message the bot sent them."""
        user = _user(user)
        chat_id = user.id if chat_id is None else chat_id
        with self._lock:
            key = (chat_id, message_id)
            if key not in self._messages or key not in self._bot_messages:
                raise LookupError(f"the bot sent no message {message_id} to chat {chat_id}")
            message = json.loads(json.dumps(self._messages[key]))
            if check_button:
                datas = [b.get("callback_data") for row in _keyboard_of(message) for b in row]
                if data not in datas:
                    raise LookupError(
                        f"message {message_id} has no button with callback_data {data!r}; "
                        f"it has {datas}")
            query_id = str(next(self._query_ids))
            query = {"id": query_id, "from": user.to_dict(), "message": message,
                     "chat_instance": f"-{chat_id * 7 % 10**12}", "data": data}
            update = self._enqueue({"callback_query": query})
            self._queries[query_id] = update["update_id"]
        self._notify()
        return update

    def press(self, user: User | int, label: str, *, chat_id: int | None = None) -> dict:
        """Tap the button whose label contains `label` on the latest keyboard of the chat."""
        user = _user(user)
        chat_id = user.id if chat_id is None else chat_id
        message_id, data = self.button(chat_id, label)
        return self.push_callback(user, message_id, data, chat_id=chat_id)

    def block(self, chat_id: int) -> None:
        with self._lock:
            self.blocked.add(chat_id)

    def redeliver(self, update_id: int) -> None:
        """Queue an already confirmed update again, same id (a crash before confirming)."""
        with self._lock:
            update = self.updates[update_id]
            if update not in self._queue:
                self._queue.append(update)
                self._queue.sort(key=lambda u: u["update_id"])
            self.offset = min(self.offset, update_id)
        self._notify()

    # --- looking at what the bot did ----------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None, *,
              ok: bool | None = True) -> list[Call]:
        with self._lock:
            return [c for c in self.sent
                    if (method is None or _method_key(c.method) == _method_key(method))
                    and (chat_id is None or c.chat_id == chat_id)
                    and (ok is None or c.ok == ok)]

    @property
    def errors(self) -> list[Call]:
        with self._lock:
            return [c for c in self.sent if not c.ok]

    def parse_errors(self) -> list[Call]:
        return [c for c in self.errors if "can't parse entities" in (c.description or "")]

    def messages(self, chat_id: int) -> list[dict]:
        """The chat's messages as they stand now (edits applied), oldest first."""
        with self._lock:
            keys = sorted(k for k in self._messages if k[0] == chat_id)
            return [json.loads(json.dumps(self._messages[k])) for k in keys]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        with self._lock:
            m = self._messages.get((chat_id, message_id))
            return json.loads(json.dumps(m)) if m else None

    def keyboard(self, chat_id: int) -> tuple[int, list[list[dict]]] | None:
        """(message id, inline keyboard) of the bot's latest message with one in the chat."""
        with self._lock:
            for key in sorted(self._bot_messages, reverse=True):
                if key[0] == chat_id:
                    rows = _keyboard_of(self._messages[key])
                    if rows:
                        return key[1], rows
        return None

    def button(self, chat_id: int, label: str) -> tuple[int, str]:
        """(message id, callback_data) of a button of the chat's latest keyboard.

        An exact label wins; else a single case-insensitive partial match.
        """
        found = self.keyboard(chat_id)
        if found is None:
            raise LookupError(f"no inline keyboard in chat {chat_id}")
        message_id, rows = found
        buttons = [b for row in rows for b in row if "callback_data" in b]
        exact = [b for b in buttons if b["text"] == label]
        partial = exact or [b for b in buttons if label.casefold() in b["text"].casefold()]
        if len(partial) != 1:
            labels = [b["text"] for b in buttons]
            what = "no" if not partial else "several"
            raise LookupError(f"{what} button matching {label!r} in chat {chat_id}: {labels}")
        return message_id, partial[0]["callback_data"]

    def labels(self, chat_id: int) -> list[str]:
        found = self.keyboard(chat_id)
        return [b["text"] for row in found[1] for b in row] if found else []

    def mark(self, chat_id: int) -> int:
        """From now on, `wait_for(chat_id)` only looks at later calls."""
        with self._lock:
            self._cursors[chat_id] = len(self.sent)
            return self._cursors[chat_id]

    async def wait_for(self, chat_id: int, predicate: Callable[[Call], bool] | None = None,
                       timeout: float = 10.0, *, methods: Iterable[str] | None = None,
                       since: int | None = None) -> Call:
        """The bot's next successful message call to the chat matching `predicate`.

        "Next" means after the chat's cursor (moved by every push to that chat, by
        `mark`, and past each call returned here) or after index `since` of `sent`.
        By default messages sent or edited count (not answerCallbackQuery). Raises
        TimeoutError, listing what the bot did send, if nothing matches in time.
        """
        wanted = {_method_key(m) for m in (methods or (
            "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument"))}

        def check() -> Call | None:
            start = self._cursors.get(chat_id, 0) if since is None else since
            for index in range(start, len(self.sent)):
                call = self.sent[index]
                if (call.ok and call.chat_id == chat_id
                        and _method_key(call.method) in wanted
                        and (predicate is None or predicate(call))):
                    self._cursors[chat_id] = index + 1
                    return call
            return None

        found = await self._wait_until(check, timeout)
        if found is None:
            with self._lock:
                start = self._cursors.get(chat_id, 0) if since is None else since
                seen = [c for c in self.sent[start:] if c.chat_id == chat_id]
            raise TimeoutError(f"no matching bot message to chat {chat_id} within {timeout}s;"
                               f" since the cursor the bot sent: {seen}")
        return found

    async def wait_until(self, condition: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until condition() (called under the server's lock) is truthy."""
        found = await self._wait_until(lambda: condition() or None, timeout)
        if found is None:
            raise TimeoutError(f"condition not met within {timeout}s")
        return found

    async def wait_confirmed(self, update_id: int, timeout: float = 15.0) -> None:
        """Wait until the bot confirmed the update (getUpdates with a higher offset)."""
        await self.wait_until(lambda: self.offset > update_id, timeout)

    async def wait_polling(self, timeout: float = 15.0) -> None:
        """Wait until the bot has called getUpdates (after all the ones made so far)."""
        polls = self.polls
        await self.wait_until(lambda: self.polls > polls, timeout)

    def answered_twice(self) -> dict[int, list[Call]]:
        """Updates the bot answered again after a redelivery: update id -> those calls."""
        with self._lock:
            out: dict[int, list[Call]] = {}
            for call in self.sent:
                if call.reply_to and call.reply_to[1] > 1:
                    out.setdefault(call.reply_to[0], []).append(call)
            queries = Counter(str(c.params.get("callback_query_id")) for c in self.sent
                              if _method_key(c.method) == "answercallbackquery")
            for query_id, count in queries.items():
                if count > 1:
                    uid = self._queries.get(query_id, -1)
                    out.setdefault(uid, []).extend(
                        c for c in self.sent if str(c.params.get("callback_query_id")) ==
                        query_id)
            return out

    def rate_stats(self) -> dict[str, float]:
        """Messages accepted, their peak count in any one-second window, and 429s."""
        with self._lock:
            times = list(self.message_times)
        peak, left = 0, 0
        for right, t in enumerate(times):
            while t - times[left] >= 1.0:
                left += 1
            peak = max(peak, right - left + 1)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        return {"messages": len(times), "peak_per_second": peak,
                "mean_per_second": (len(times) - 1) / span if span > 0 else float(len(times)),
                "too_many_requests": self.too_many_requests}

    # --- internals: waiting across threads and loops ------------------------------------

    def _notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if loop is running:
                event.set()
            else:
                with contextlib.suppress(RuntimeError):  # that loop is closed
                    loop.call_soon_threadsafe(event.set)

    async def _wait_until(self, check: Callable[[], Any], timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = asyncio.Event()
            with self._lock:
                result = check()
                if result is not None:
                    return result
                self._waiters.add((loop, event))
            try:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
            finally:
                with self._lock:
                    self._waiters.discard((loop, event))

    # --- internals: HTTP ----------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        return _answer(ApiError(404, "Not Found"))

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _answer(ApiError(401, "Unauthorized"))
        try:
            params, files = await _read_params(request)
        except (ValueError, json.JSONDecodeError) as exc:
            return _answer(bad_request(f"can't parse request: {exc}"))
        key = _method_key(method)
        if key == "getupdates":
            try:
                return _answer(await self._get_updates(params, request))
            except ApiError as exc:
                return _answer(exc)
        handler = getattr(self, f"_m_{key}", None)
        if handler is None:
            return _answer(ApiError(404, "Not Found"))
        call = Call(method=method, params=params, at=time.monotonic(), files=files)
        chat = params.get("chat_id")
        if isinstance(chat, int):
            call.chat_id = chat
        with self._lock:
            try:
                if call.chat_id is not None and call.chat_id in self.blocked:
                    raise ApiError(403, "Forbidden: bot was blocked by the user")
                if key in MESSAGE_METHODS:
                    self._check_rate()
                call.result = handler(params, files)
                if key in MESSAGE_METHODS:
                    self.message_times.append(time.monotonic())
            except ApiError as exc:
                call.ok, call.error_code, call.description = False, exc.code, exc.description
                if exc.code == 429:
                    self.too_many_requests += 1
                call.result = exc
            if key == "answercallbackquery":
                uid = self._queries.get(str(params.get("callback_query_id")))
                call.reply_to = (uid, self.deliveries[uid]) if uid else None
            elif call.chat_id is not None:
                call.reply_to = self._last_delivered.get(call.chat_id)
            result = call.result
            if isinstance(result, ApiError):
                call.result = None
            self.sent.append(call)
        self._notify()
        return _answer(result)

    def _check_rate(self) -> None:
        if self.rate_limit is None:
            return
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= self.rate_limit:
            raise ApiError(429, f"Too Many Requests: retry after {self.retry_after}",
                           {"retry_after": self.retry_after})
        self._window.append(now)

    async def _get_updates(self, params: dict, request: web.Request | None = None,
                           ) -> list[dict]:
        offset = params.get("offset")
        limit = params.get("limit") or 100
        timeout = min(float(params.get("timeout") or 0), self.max_poll_timeout)
        allowed = params.get("allowed_updates")
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            limit = 100
        with self._lock:
            self.polls += 1
            self._poll_generation += 1
            generation = self._poll_generation
            if isinstance(allowed, list) and allowed:
                self._allowed = frozenset(allowed)
            elif isinstance(allowed, list):
                self._allowed = DEFAULT_ALLOWED
            if isinstance(offset, int) and offset < 0:
                self._queue = self._queue[offset:]
            elif isinstance(offset, int) and offset > 0:
                self._queue = [u for u in self._queue if u["update_id"] >= offset]
                self.offset = max(self.offset, offset)
        self._notify()  # a waiting older poll now answers 409, as Telegram does

        def gone() -> bool:  # the poller died (SIGKILL): do not hand it updates
            transport = request.transport if request is not None else None
            return request is not None and (transport is None or transport.is_closing())

        def ready() -> list[dict] | str | None:
            if self._poll_generation != generation:
                return "conflict"
            if gone():
                return "gone"
            batch = [u for u in self._queue if _kind(u) in self._allowed][:limit]
            return batch or None

        result = await self._wait_until(ready, timeout) if timeout > 0 else None
        with self._lock:
            if result is None:
                result = ready()
            if result == "gone":
                return []
            if result == "conflict":
                self.conflicts += 1
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            batch = result or []
            for update in batch:
                uid = update["update_id"]
                self.deliveries[uid] += 1
                chat_id = _chat_of_update(update)
                if chat_id is not None:
                    self._last_delivered[chat_id] = (uid, self.deliveries[uid])
            return json.loads(json.dumps(batch))

    # --- internals: message helpers -----------------------------------------------------

    def _private_chat(self, user: User) -> dict:
        chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
        if user.username:
            chat["username"] = user.username
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._msg_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Fichebot",
                "username": self.username}

    def _chat(self, params: dict) -> dict:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _text(self, params: dict, name: str = "text", limit: int = 4096,
              required: bool = True) -> tuple[str, list[dict]]:
        raw = params.get(name)
        if raw is None or raw == "":
            if required:
                raise bad_request("message text is empty")
            return "", []
        raw = str(raw)
        mode = str(params.get("parse_mode") or "").lower()
        entities_key = "entities" if name == "text" else "caption_entities"
        if mode == "html":
            try:
                text, entities = parse_html(raw, strict_entities=self.strict_entities)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode:
            if mode not in ("markdown", "markdownv2"):
                raise bad_request(f"unsupported parse_mode {params.get('parse_mode')}")
            text, entities = raw, []  # not checked here; fichebot writes HTML
        else:
            text, entities = raw, list(params.get(entities_key) or [])
        stripped = text.strip()
        if required and not stripped:
            raise bad_request("message text is empty")
        if utf16_len(text) > limit:
            raise bad_request("message is too long" if name == "text"
                              else "message caption is too long")
        return text, entities

    def _markup(self, params: dict) -> dict | None:
        markup = params.get("reply_markup")
        if markup in (None, ""):
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup "
                                  "should be an Array of Arrays")
            if len(rows) > 100 or sum(len(r) for r in rows) > 100:
                raise bad_request("too many buttons")
            for row in rows:
                for button in row:
                    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                        raise bad_request("BUTTON_TEXT_INVALID")
                    kinds = [k for k in button if k != "text"]
                    if len(kinds) != 1:
                        raise bad_request("can't parse inline keyboard button: Text buttons "
                                          "are unallowed in the inline keyboard")
                    if "callback_data" in button:
                        data = button["callback_data"]
                        if (not isinstance(data, str) or not data
                                or len(data.encode("utf-8")) > 64):
                            raise bad_request("BUTTON_DATA_INVALID")
                    if "url" in button and not str(button["url"]).strip():
                        raise bad_request("BUTTON_URL_INVALID")
            if not any(rows):
                return None  # Telegram drops an empty inline keyboard
        return markup

    def _store_bot_message(self, chat: dict, fields: dict) -> dict:
        message = {"message_id": self._next_message_id(chat["id"]), "from": self._bot_user(),
                   "chat": chat, "date": int(time.time()), **fields}
        key = (chat["id"], message["message_id"])
        self._messages[key] = message
        self._bot_messages.add(key)
        return json.loads(json.dumps(message))

    def _reply_check(self, params: dict, chat_id: int) -> None:
        reply_to = params.get("reply_to_message_id")
        allow = params.get("allow_sending_without_reply")
        rp = params.get("reply_parameters")
        if isinstance(rp, dict):
            reply_to = rp.get("message_id")
            allow = rp.get("allow_sending_without_reply", allow)
        if reply_to and (chat_id, reply_to) not in self._messages and not allow:
            raise bad_request("message to be replied not found")

    def _editable(self, params: dict) -> tuple[tuple[int, int], dict]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        key = (chat["id"], message_id)
        if key not in self._messages:
            raise bad_request("message to edit not found")
        if key not in self._bot_messages:
            raise bad_request("message can't be edited")
        return key, self._messages[key]

    # --- internals: methods (called under the lock; return the result) -----------------

    def _m_getme(self, params: dict, files: dict) -> dict:
        return {**self._bot_user(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False,
                "can_connect_to_business": False, "has_main_web_app": False}

    def _m_deletewebhook(self, params: dict, files: dict) -> bool:
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self.webhook = None
        return True

    def _m_setwebhook(self, params: dict, files: dict) -> bool:
        """Webhook mode: remember where Telegram would post; a test posts there itself."""
        url = params.get("url")
        # a local URL too: the tests' own bot listens on 127.0.0.1 without TLS
        if not isinstance(url, str) or not url.startswith(("https://", "http://127.0.0.1")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    def _m_getwebhookinfo(self, params: dict, files: dict) -> dict:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self._queue)}

    def _m_close(self, params: dict, files: dict) -> bool:
        return True

    def _m_logout(self, params: dict, files: dict) -> bool:
        return True

    def _commands_key(self, params: dict) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _m_setmycommands(self, params: dict, files: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not COMMAND_RE.match(
                    str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad_request("command description must be non-empty")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def _m_getmycommands(self, params: dict, files: dict) -> list[dict]:
        return list(self._commands.get(self._commands_key(params), []))

    def _m_deletemycommands(self, params: dict, files: dict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _m_sendmessage(self, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        text, entities = self._text(params)
        markup = self._markup(params)
        self._reply_check(params, chat["id"])
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        if markup is not None:
            fields["reply_markup"] = markup
        return self._store_bot_message(chat, fields)

    def _m_editmessagetext(self, params: dict, files: dict) -> dict:
        _key, message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._markup(params)  # no reply_markup: the keyboard goes away
        if (text == message.get("text") and entities == message.get("entities", [])
                and markup == message.get("reply_markup")):
            raise bad_request(NOT_MODIFIED[len("Bad Request: "):])
        message["text"] = text
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return json.loads(json.dumps(message))

    def _m_editmessagereplymarkup(self, params: dict, files: dict) -> dict:
        _key, message = self._editable(params)
        markup = self._markup(params)
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED[len("Bad Request: "):])
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return json.loads(json.dumps(message))

    def _m_answercallbackquery(self, params: dict, files: dict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._queries or query_id in self._answered_queries:
            raise bad_request(QUERY_INVALID[len("Bad Request: "):])
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._answered_queries.add(query_id)
        return True

    def _m_sendchataction(self, params: dict, files: dict) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _m_senddocument(self, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        caption, entities = self._text(params, "caption", limit=1024, required=False)
        markup = self._markup(params)
        self._reply_check(params, chat["id"])
        document = params.get("document")
        upload = files.get("document")
        if upload is None and isinstance(document, str) and document.startswith("attach://"):
            upload = files.get(document[len("attach://"):])
            if upload is not None:
                files["document"] = upload
        if upload is not None:
            name, content, content_type = upload
            if not content:
                raise bad_request("file must be non-empty")
            number = next(self._file_ids)
            doc = {"file_id": f"BQACAgfake{number:06d}", "file_unique_id": f"AgADfake{number}",
                   "file_name": name, "mime_type": content_type, "file_size": len(content)}
        elif isinstance(document, str) and document:
            doc = {"file_id": document, "file_unique_id": "AgADreused", "file_name": "file"}
        else:
            raise bad_request("there is no document in the request")
        fields: dict[str, Any] = {"document": doc}
        if caption:
            fields["caption"] = caption
            if entities:
                fields["caption_entities"] = entities
        if markup is not None:
            fields["reply_markup"] = markup
        return self._store_bot_message(chat, fields)

    def _m_sendphoto(self, params: dict, files: dict) -> dict:
        """A photo upload: Telegram takes JPEG, PNG, GIF or WEBP up to 10 MB."""
        chat = self._chat(params)
        caption, entities = self._text(params, "caption", limit=1024, required=False)
        markup = self._markup(params)
        upload = files.get("photo")
        photo = params.get("photo")
        if upload is None and isinstance(photo, str) and photo.startswith("attach://"):
            upload = files.get(photo[len("attach://"):])
            if upload is not None:
                files["photo"] = upload
        if upload is None:
            raise bad_request("there is no photo in the request")
        _name, content, _content_type = upload
        if not content.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"RIFF")):
            raise bad_request("IMAGE_PROCESS_FAILED")
        if len(content) > 10 * 1024 * 1024:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        number = next(self._file_ids)
        fields: dict[str, Any] = {"photo": [{"file_id": f"AgACfake{number:06d}",
                                             "file_unique_id": f"AQADfake{number}",
                                             "width": 1200, "height": 750,
                                             "file_size": len(content)}]}
        if caption:
            fields["caption"] = caption
            if entities:
                fields["caption_entities"] = entities
        if markup is not None:
            fields["reply_markup"] = markup
        return self._store_bot_message(chat, fields)


# --- helpers --------------------------------------------------------------------------------

def _answer(result: Any) -> web.Response:
    if isinstance(result, ApiError):
        body: dict[str, Any] = {"ok": False, "error_code": result.code,
                                "description": result.description}
        if result.parameters:
            body["parameters"] = result.parameters
        return web.json_response(body, status=result.code)
    return web.json_response({"ok": True, "result": result})


def _convert(name: str, value: Any) -> Any:
    """A form value as Telegram reads it: ints, booleans and JSON-serialized fields."""
    if not isinstance(value, str):
        return value
    if name in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value  # "@channel" chat ids and the like stay strings
    if name in BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    if name in JSON_FIELDS:
        return json.loads(value) if value.strip() else None
    return value


async def _read_params(request: web.Request) -> tuple[dict, dict]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, tuple[str, bytes, str]] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("the JSON body must be an object")
            params.update(body)
        else:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = (value.filename or name, value.file.read(),
                                   value.content_type)
                else:
                    params[name] = value
    return {k: _convert(k, v) for k, v in params.items()}, files


def _user(user: User | int) -> User:
    return user if isinstance(user, User) else User(int(user))


def _kind(update: Mapping[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def _chat_of_update(update: Mapping[str, Any]) -> int | None:
    body = update.get(_kind(update))
    if not isinstance(body, dict):
        return None
    if "chat" in body:
        return body["chat"]["id"]
    if isinstance(body.get("message"), dict):
        return body["message"]["chat"]["id"]
    if isinstance(body.get("from"), dict):
        return body["from"]["id"]
    return None


def _keyboard_of(message: Mapping[str, Any]) -> list[list[dict]]:
    markup = message.get("reply_markup") or {}
    return markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
