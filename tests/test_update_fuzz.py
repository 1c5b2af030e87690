"""10 000 random updates of every kind through the application (fake Bot API): none
raises, a redelivered update is never answered twice (tests/update_fuzz.py)."""

from __future__ import annotations

import logging
from collections import Counter

from telegram import Update

from tests.telegram_fakes import FakeTelegram, invitation_token, manager
from tests.update_fuzz import UpdateFuzzer

SEED = 20261203
COUNT = 10_000


async def test_ten_thousand_random_updates_raise_nothing(tmp_path, caplog):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    try:
        await manager(tg, 1001, "Alice", "La Tréso")
        await invitation_token(tg, "Le WIP")
        caplog.set_level(logging.WARNING)
        caplog.clear()
        fuzzer = UpdateFuzzer(SEED, people=(1, 1001, 1002, 2001))
        seen: set[int] = set()
        answered_twice: list[int] = []
        kinds: Counter[str] = Counter()
        for raw in fuzzer.updates(COUNT):
            kinds[next(k for k in raw if k != "update_id")] += 1
            before = len(tg.request.calls)
            await tg.app.process_update(Update.de_json(raw, tg.app.bot))
            if raw["update_id"] in seen and len(tg.request.calls) > before:
                answered_twice.append(raw["update_id"])
            seen.add(raw["update_id"])
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert [f"{r.name}: {r.getMessage()[:200]}" for r in errors[:10]] == [], len(errors)
        assert answered_twice == []
        assert len(kinds) >= 20  # every kind was tried
    finally:
        await tg.stop()


IGNORED_KINDS = ("edited_channel_post", "channel_post", "inline_query", "chosen_inline_result",
                 "poll", "poll_answer", "my_chat_member", "chat_member", "chat_join_request",
                 "message_reaction", "message_reaction_count", "shipping_query",
                 "pre_checkout_query", "chat_boost", "removed_chat_boost",
                 "business_connection", "business_message", "deleted_business_messages",
                 "purchased_paid_media")


def _one_of(kind: str) -> dict:
    fuzzer = UpdateFuzzer(1, people=(1001,))
    for _ in range(100_000):
        payload = fuzzer._payload()
        if kind in payload:
            return {"update_id": 1, **payload}
    raise AssertionError(kind)


async def test_each_kind_nobody_talks_to_the_bot_with_is_ignored_without_a_call(tmp_path,
                                                                                caplog):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    try:
        for n, kind in enumerate(IGNORED_KINDS):
            raw = {**_one_of(kind), "update_id": 100 + n}
            turn = await tg.process(raw)
            assert turn.calls == [], kind
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        await tg.stop()


async def test_a_press_on_an_inline_message_is_answered_once(tmp_path):
    from bot.telegram import texts

    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    try:
        raw = {"update_id": 5, "callback_query": {
            "id": "77", "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            "chat_instance": "x", "inline_message_id": "abc", "data": "snz:1"}}
        turn = await tg.process(raw)
        assert [(c.method, c.params) for c in turn.calls] == [
            ("answerCallbackQuery", {"callback_query_id": "77",
                                     "text": texts.PRIVATE_BUTTONS_ONLY})]
        assert (await tg.process(raw)).calls == []  # redelivered: not answered again
        huge = {"update_id": 6, "callback_query": {
            "id": "78", "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            "chat_instance": "x", "data": "snz:99999999999999999999",
            "message": {"message_id": 3, "date": 1, "text": "?",
                        "chat": {"id": 1001, "type": "private", "first_name": "A"}}}}
        turn = await tg.process(huge)  # from a stranger: refused, nothing written
        assert turn.calls[0].method == "answerCallbackQuery"
        assert tg.db.execute("SELECT count(*) FROM snoozes").fetchone()[0] == 0
        game = {"update_id": 7, "callback_query": {**huge["callback_query"], "id": "79"}}
        del game["callback_query"]["data"]
        game["callback_query"]["game_short_name"] = "jeu"
        turn = await tg.process(game)
        assert [c.params.get("text") for c in turn.calls] == [texts.UNKNOWN_BUTTON]
    finally:
        await tg.stop()
