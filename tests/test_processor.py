"""Per-chat lanes (bot/telegram/processor.py): chats answered concurrently, one chat in
order, a flooding group answered once and never holding a private chat back."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from telegram import Update

from bot.telegram import texts
from bot.telegram.processor import PerChatProcessor, lane_of
from tests.telegram_fakes import FakeRequest, FakeTelegram

GROUP_DELAY = 0.2  # each reply into a group waits this long (Telegram's group limit)


class SlowGroups(FakeRequest):
    async def do_request(self, url: str, method: str, request_data=None, *args: Any,
                         **kwargs: Any):
        params = request_data.parameters if request_data is not None else {}
        if int(params.get("chat_id", 0) or 0) < 0:
            await asyncio.sleep(GROUP_DELAY)
        return await super().do_request(url, method, request_data, *args, **kwargs)


@pytest.fixture
async def tg(tmp_path):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    tg.request = SlowGroups()
    from bot.telegram.app import build_application
    tg.app = build_application(tg.settings, tg.db, request=tg.request, rate_limiter=False)
    await tg.start()
    yield tg
    await tg.stop()


def _command(tg: FakeTelegram, chat, text: str) -> Update:
    message = chat._message(text=text, entities=[{"type": "bot_command", "offset": 0,
                                                   "length": len(text.split()[0])}])
    return Update.de_json({"update_id": tg.next_update_id(), "message": message}, tg.app.bot)


async def _feed(processor: PerChatProcessor, tg: FakeTelegram, update: Update,
                done: dict[int, float]) -> None:
    await processor.process_update(update, tg.app.process_update(update))
    done[update.update_id] = time.monotonic()


def _sent_to(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [c.text for c in tg.request.calls
            if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id]


async def test_a_private_chat_is_answered_while_a_group_floods(tg):
    processor = PerChatProcessor(group_quiet=0)  # no quieting: the lanes alone
    group = tg.chat(2001, "Gaspard", chat_id=-100, chat_type="supergroup")
    alice = tg.chat(1001, "Alice")
    done: dict[int, float] = {}
    start = time.monotonic()
    floods = [_command(tg, group, "/aide") for _ in range(10)]
    flood = [asyncio.create_task(_feed(processor, tg, u, done)) for u in floods]
    await asyncio.sleep(0.05)
    private = _command(tg, alice, "/aide")
    await _feed(processor, tg, private, done)
    waited = done[private.update_id] - start
    assert waited < GROUP_DELAY, f"the private chat waited {waited:.2f} s for the group"
    assert len(_sent_to(tg, alice.id)) == 1
    assert len(_sent_to(tg, group.id)) <= 1  # the group is still at its first reply
    await asyncio.gather(*flood)
    assert len(_sent_to(tg, group.id)) == 10  # and in order, one after the other
    assert max(done[u.update_id] for u in floods) - start >= 10 * GROUP_DELAY * 0.9


async def test_a_group_is_answered_once_then_left_alone(tg):
    now = [0.0]
    processor = PerChatProcessor(group_quiet=600, clock=lambda: now[0])
    group = tg.chat(2001, "Gaspard", chat_id=-100, chat_type="supergroup")
    done: dict[int, float] = {}
    await asyncio.gather(*(_feed(processor, tg, _command(tg, group, "/start"), done)
                           for _ in range(45)))
    replies = _sent_to(tg, group.id)
    assert replies == [texts.GROUP.format(bot="fichebot_test_bot")]
    assert "conversation privée" in replies[0]
    assert processor.dropped == 44
    now[0] = 601.0  # a while later: answered again, once
    await _feed(processor, tg, _command(tg, group, "/aide"), done)
    assert len(_sent_to(tg, group.id)) == 2


async def test_one_chat_is_handled_in_order(tg):
    processor = PerChatProcessor()
    order: list[str] = []

    async def work(name: str, delay: float) -> None:
        order.append(f"{name} starts")
        await asyncio.sleep(delay)
        order.append(f"{name} ends")

    alice = tg.chat(1001, "Alice")
    bob = tg.chat(1002, "Bob")
    first, second = _command(tg, alice, "/aide"), _command(tg, alice, "/aide")
    other = _command(tg, bob, "/aide")
    await asyncio.gather(processor.process_update(first, work("a1", 0.1)),
                         processor.process_update(second, work("a2", 0)),
                         processor.process_update(other, work("b", 0)))
    assert order.index("a1 ends") < order.index("a2 starts")
    assert order.index("b ends") < order.index("a1 ends")  # Bob did not wait for Alice


def test_an_inline_message_press_takes_the_persons_lane(tg):
    update = Update.de_json({"update_id": 5, "callback_query": {
        "id": "9", "from": {"id": 1001, "is_bot": False, "first_name": "A"},
        "chat_instance": "x", "inline_message_id": "abc", "data": "snz:1"}}, tg.app.bot)
    assert lane_of(update) == 1001
    assert lane_of(Update.de_json({"update_id": 6, "poll": {
        "id": "1", "question": "?", "options": [], "total_voter_count": 0, "is_closed": False,
        "is_anonymous": True, "type": "regular", "allows_multiple_answers": False,
        "allows_revoting": False, "members_only": False}},
        tg.app.bot)) is None
