"""A fake Bot API in process, as python-telegram-bot's own tests do it.

`FakeRequest` replaces PTB's HTTP transport: it records every Bot API call (method,
decoded parameters, uploaded files) and answers with plausible results, keeping the
messages the bot sent so that their buttons can be pressed later. `FakeTelegram` builds
the real application over it; `Chat` is one person talking to the bot.

    tg = FakeTelegram(tmp_path / "fichebot.db", admin_ids={1})
    await tg.start()
    alice = tg.chat(1001, "Alice")
    turn = await alice.send("/start")
    await alice.tap("✔️ Valider")
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

import storage
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.transport import NoteFailedCalls

TOKEN = "123456789:" + "A" * 35
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Fichebot",
            "username": "fichebot_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False}
DATE = 1_767_225_600  # 2026-01-01


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name → (file, bytes)

    @property
    def text(self) -> str | None:
        return self.params.get("text") or self.params.get("caption")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard", [])

    def __repr__(self) -> str:
        return f"Call({self.method}, {self.params!r})"


class FakeRequest(NoteFailedCalls, BaseRequest):
    """Answers Bot API calls in process and records them."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # what each chat shows
        # method → answers to fail with: (code, description, retry_after)
        self.failures: dict[str, list[tuple[int, str, int | None]]] = {}
        self.blocked: set[int] = set()  # chats that blocked the bot: 403 to every call
        # (method, chat id or None): the next such call fails as a dropped connection
        self.network_failures: list[tuple[str, int | None]] = []
        self.on_call: Any = None  # (method, params) -> None, called before answering
        self._ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail_next(self, method: str, code: int = 400, description: str = "Bad Request",
                  retry_after: int | None = None) -> None:
        """Make the next call of `method` fail as Telegram would (429: with retry_after)."""
        self.failures.setdefault(method, []).append((code, description, retry_after))

    def fail_network_next(self, method: str, chat_id: int | None = None) -> None:
        """Make the next call of `method` (to `chat_id`) fail before it reaches Telegram,
        as a refused connection does: PTB raises `NetworkError`; nothing is recorded."""
        self.network_failures.append((method, chat_id))

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        assert TOKEN in url
        params = dict(request_data.parameters) if request_data is not None else {}
        for index, (failing, chat_id) in enumerate(self.network_failures):
            if failing == name and chat_id in (None, int(params.get("chat_id", 0))):
                del self.network_failures[index]
                raise NetworkError("httpx.ConnectError: All connection attempts failed")
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for key, value in request_data.multipart_data.items():
                files[key] = (value[0], value[1])
        self.calls.append(Call(name, params, files))
        if self.on_call is not None:
            self.on_call(name, params)
        if "chat_id" in params and int(params["chat_id"]) in self.blocked:
            body = {"ok": False, "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user"}
            return 403, json.dumps(body).encode()
        if self.failures.get(name):
            code, description, retry_after = self.failures[name].pop(0)
            body = {"ok": False, "error_code": code, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self.result(name, params, files)}).encode()

    def _message(self, chat_id: int, message_id: int, **content: Any) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Un groupe"
        message = {"message_id": message_id, "date": DATE, "chat": chat, "from": BOT_USER,
                   **content}
        self.messages[(chat_id, message_id)] = message
        return message

    def result(self, name: str, params: dict[str, Any],
               files: dict[str, tuple[str, bytes]]) -> Any:
        if name == "getMe":
            return BOT_USER
        if name == "getUpdates":
            return []
        if name == "sendMessage":
            content = {"text": params["text"]}
            if params.get("reply_markup"):
                content["reply_markup"] = params["reply_markup"]
            return self._message(int(params["chat_id"]), next(self._ids), **content)
        if name == "sendDocument":
            filename = files["document"][0] if "document" in files else "document"
            document = {"file_id": "doc", "file_unique_id": "doc", "file_name": filename}
            return self._message(int(params["chat_id"]), next(self._ids), document=document,
                                 caption=params.get("caption", ""))
        if name in ("sendPhoto", "sendMediaGroup"):
            media = params.get("media", [None])
            if isinstance(media, str):
                media = json.loads(media)
            photo = [{"file_id": "photo", "file_unique_id": "photo", "width": 1088,
                      "height": 1088}]
            sent = [self._message(int(params["chat_id"]), next(self._ids), photo=photo,
                                  caption=(item or params).get("caption", ""))
                    for item in media]
            return sent if name == "sendMediaGroup" else sent[0]
        if name in ("editMessageText", "editMessageReplyMarkup"):
            if "inline_message_id" in params:
                return True  # an inline message: Telegram answers True
            key = (int(params["chat_id"]), int(params["message_id"]))
            old = self.messages.get(key, {})
            content = {"text": params.get("text", old.get("text", ""))}
            if params.get("reply_markup"):
                content["reply_markup"] = params["reply_markup"]
            return self._message(*key, **content)
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook…


@dataclass
class Turn:
    """What the bot did in answer to one update."""

    update: dict[str, Any]
    calls: list[Call]

    @property
    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    @property
    def sent(self) -> list[Call]:
        return [c for c in self.calls if c.method == "sendMessage"]

    @property
    def texts(self) -> list[str]:
        """Texts the person sees appear or change (sent or edited), in order."""
        return [c.text for c in self.calls
                if c.method in ("sendMessage", "editMessageText", "sendDocument") and c.text]

    @property
    def text(self) -> str:
        return "\n---\n".join(self.texts)

    def call(self, method: str) -> Call:
        found = [c for c in self.calls if c.method == method]
        assert found, f"no {method} in {self.methods}"
        return found[-1]

    @property
    def notice(self) -> str | None:
        """The text of answerCallbackQuery (the little notice on the phone)."""
        found = [c for c in self.calls if c.method == "answerCallbackQuery"]
        return found[-1].params.get("text") if found else None


class FakeTelegram:
    """The real application over `FakeRequest`, on a database file."""

    def __init__(self, db_path: Path, admin_ids: set[int] | frozenset[int] = frozenset(),
                 first_update_id: int = 1) -> None:
        self.db_path = db_path
        self.settings = Settings(token=TOKEN, db_path=db_path, admin_ids=frozenset(admin_ids))
        self.request = FakeRequest()
        self.db = storage.open_db(db_path)
        self.app = build_application(self.settings, self.db, request=self.request,
                                     rate_limiter=False)
        self._update_ids = itertools.count(first_update_id)  # Telegram's keep growing
        self._message_ids = itertools.count(1)

    async def start(self) -> FakeTelegram:
        await self.app.initialize()
        return self

    async def stop(self) -> None:
        await self.app.shutdown()
        self.db.close()

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    async def process(self, update: dict[str, Any]) -> Turn:
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return Turn(update, self.request.calls[before:])

    def chat(self, user_id: int, first_name: str = "Alice", chat_id: int | None = None,
             chat_type: str = "private") -> Chat:
        return Chat(self, user_id, first_name, chat_id or user_id, chat_type)


class Chat:
    """One person writing to the bot, in a private chat unless told otherwise."""

    def __init__(self, tg: FakeTelegram, user_id: int, first_name: str, chat_id: int,
                 chat_type: str) -> None:
        self.tg = tg
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name,
                     "language_code": "fr"}
        self.chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            self.chat["first_name"] = first_name
        else:
            self.chat["title"] = "Réseau des tiers-lieux"
        self.id = chat_id

    # --- sending ---
    def _message(self, **content: Any) -> dict[str, Any]:
        return {"message_id": self.tg.next_message_id(), "date": DATE, "chat": self.chat,
                "from": self.user, **content}

    async def update(self, **payload: Any) -> Turn:
        return await self.tg.process({"update_id": self.tg.next_update_id(), **payload})

    async def send(self, text: str) -> Turn:
        """Text, or a command when it starts with "/"."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(command)}]
        return await self.update(message=self._message(**content))

    async def send_media(self, kind: str) -> Turn:
        media: dict[str, Any] = {
            "photo": {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90,
                                 "height": 90}]},
            "sticker": {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular",
                                    "width": 512, "height": 512, "is_animated": False,
                                    "is_video": False}},
            "voice": {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
            "video": {"video": {"file_id": "w", "file_unique_id": "w", "width": 9,
                                "height": 9, "duration": 3}},
            "document": {"document": {"file_id": "d", "file_unique_id": "d",
                                      "file_name": "bilan.pdf"}},
            "location": {"location": {"latitude": 48.85, "longitude": 2.35}},
        }[kind]
        return await self.update(message=self._message(**media))

    async def edit(self, message_id: int, text: str) -> Turn:
        message = self._message(text=text)
        message["message_id"] = message_id
        message["edit_date"] = DATE + 60
        return await self.update(edited_message=message)

    # --- what the bot shows ---
    def bot_messages(self) -> list[dict[str, Any]]:
        """The bot's messages in this chat as they are now (after edits), oldest first."""
        return [m for (chat_id, _), m in sorted(self.tg.request.messages.items())
                if chat_id == self.id]

    def message(self, message_id: int) -> dict[str, Any]:
        return self.tg.request.messages[(self.id, message_id)]

    def last_keyboard(self) -> dict[str, Any]:
        """The newest bot message that has buttons."""
        for message in reversed(self.bot_messages()):
            if message.get("reply_markup", {}).get("inline_keyboard"):
                return message
        raise AssertionError("no message with buttons")

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @classmethod
    def labels(cls, message: dict[str, Any]) -> list[str]:
        return [b["text"] for b in cls.buttons(message)]

    def find_button(self, label: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A button by exact label, else label prefix, else callback data."""
        message = message or self.last_keyboard()
        buttons = self.buttons(message)
        for match in (lambda b: b["text"] == label, lambda b: b["text"].startswith(label),
                      lambda b: b.get("callback_data") == label):
            found = [b for b in buttons if match(b)]
            if found:
                return found[0]
        raise AssertionError(f"no button {label!r} in {[b['text'] for b in buttons]}")

    # --- pressing ---
    async def tap(self, label: str, message: dict[str, Any] | None = None) -> Turn:
        """Press a button of `message` (default: the newest message with buttons)."""
        message = message or self.last_keyboard()
        button = self.find_button(label, message)
        return await self.press(button["callback_data"], message)

    async def press(self, data: str, message: dict[str, Any] | None = None) -> Turn:
        """Send a callback query with any data, from `message` (default: the newest)."""
        message = message or self.last_keyboard()
        query = {"id": str(self.tg.next_update_id() * 7), "from": self.user,
                 "chat_instance": f"ci{self.id}", "data": data, "message": message}
        return await self.update(callback_query=query)


# --- Scenarios ------------------------------------------------------------------------------

ADMIN_ID = 1
_LINK = re.compile(r"https://t\.me/fichebot_test_bot\?start=([A-Za-z0-9_-]+)")


async def invitation_token(tg: FakeTelegram, place: str = "La Tréso") -> str:
    """A new invitation link for a place (created if needed), as the administrator."""
    admin = tg.chat(ADMIN_ID, "Admin")
    exists = storage.find_place(tg.db, place) is not None
    turn = await admin.send(f"/lieu_lien {place}" if exists else f"/lieu_ajouter {place}")
    match = _LINK.search(turn.text)
    assert match, turn.text
    return match[1]


async def manager(tg: FakeTelegram, user_id: int = 1001, first_name: str = "Alice",
                  place: str = "La Tréso") -> Chat:
    """A person who opened an invitation link of the place: the interview has begun."""
    chat = tg.chat(user_id, first_name)
    turn = await chat.send(f"/start {await invitation_token(tg, place)}")
    assert "Bonjour" in turn.text, turn.text
    return chat


def current_key(chat: Chat) -> str:
    """The question key of the newest message with buttons."""
    for button in Chat.buttons(chat.last_keyboard()):
        parts = button["callback_data"].partition("@")[0].split(":")  # no fiche tag
        if len(parts) >= 2 and "." in parts[1]:
            return parts[1]
    raise AssertionError("the newest keyboard is not a question's")


async def skip_to(chat: Chat, key: str, limit: int = 60) -> None:
    """Press "Passer" (or "Suivant", its label on an answered question) until `key` is
    the current question."""
    for _ in range(limit):
        if current_key(chat) == key:
            return
        labels = chat.labels(chat.last_keyboard())
        await chat.tap("Suivant" if "Suivant" in labels else "Passer")
    raise AssertionError(f"never reached {key}")


def seed_response(db, place_name: str, year: int, answers: dict, *, submit: bool = True):
    """A response of an earlier year (or another place), stored straight in the database."""
    place = storage.find_place(db, place_name) or storage.add_place(db, place_name)
    response = storage.get_or_create_response(db, place.id, year, "2025.1")
    with storage.interview_step(db, response.id, ADMIN_ID) as step:
        step.save(answers, None)
    if submit:
        storage.mark_submitted(db, response.id, ADMIN_ID)
    return response


@dataclass
class LimitedApp:
    """The real application with its rate limiter on, over a `FakeRequest`."""

    app: Any
    request: FakeRequest
    db: Any
    waits: list[float]  # what asyncio.sleep was asked to wait, in order


@contextlib.asynccontextmanager
async def limited_app(path: Path, monkeypatch: Any) -> AsyncIterator[LimitedApp]:
    """`build_application` as `fichebot run` builds it (AIORateLimiter on), initialised;
    asyncio.sleep records its waits instead of sleeping."""
    db = storage.open_db(path)
    request = FakeRequest()
    app = build_application(Settings(token=TOKEN, db_path=path), db, request=request)
    await app.initialize()
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def no_sleep(seconds: float, *args: Any, **kwargs: Any) -> None:
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    try:
        yield LimitedApp(app, request, db, waits)
    finally:
        await app.shutdown()
        db.close()
