"""The test Bot API server answers like Telegram where fichebot's tests rely on it."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, User, parse_html

ALICE = User(1001, "Alice")


@pytest.fixture
async def server():
    async with FakeBotApi() as srv:
        yield srv


@pytest.fixture
async def bot(server):
    async with Bot(DEFAULT_TOKEN, base_url=server.url) as b:
        yield b


async def api(server: FakeBotApi, method: str, token: str = DEFAULT_TOKEN, **params):
    async with aiohttp.ClientSession() as session, session.post(
            f"{server.url}{token}/{method}", json=params) as response:
        return response.status, await response.json()


def test_html_parser_accepts_telegram_html():
    text, entities = parse_html(
        '<b>Gras</b> &lt;3 &amp; <a href="https://t.me/x?a=1&amp;b=2">lien</a> '
        "<blockquote expandable>cit</blockquote> &#233;t&#xE9; "
        '<span class="tg-spoiler">s</span><i><u>iu</u></i>')
    assert text == "Gras <3 & lien cit été siu"
    types = [e["type"] for e in entities]
    assert "bold" in types and "text_link" in types and "expandable_blockquote" in types
    assert {"type": "text_link", "offset": 10, "length": 4,
            "url": "https://t.me/x?a=1&b=2"} in entities


@pytest.mark.parametrize("bad", [
    "a < b", "<br>", "<b>open", "<b><i>x</b></i>", "x</b>", "R&D", "&nbsp;",
    '<span class="x">s</span>', "<a>x</a>", "<p>x</p>",
])
def test_html_parser_refuses_what_telegram_refuses(bad):
    with pytest.raises(ValueError):
        parse_html(bad)


async def test_wrong_token_is_401(server):
    status, body = await api(server, "getMe", token="42:nope")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with Bot("42:nope", base_url=server.url):
            pass


async def test_unknown_method_is_404(server):
    status, body = await api(server, "sendTelepathy", chat_id=1)
    assert (status, body["description"]) == (404, "Not Found")


async def test_get_me_and_commands(bot, server):
    assert bot.username == server.username
    await bot.set_my_commands([("aide", "Comment ça marche"), ("reprendre", "Reprendre")])
    assert [c.command for c in await bot.get_my_commands()] == ["aide", "reprendre"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Pas-Valide", "x")])


async def test_bad_html_is_400_and_recorded(bot, server):
    server.push_message(ALICE, "bonjour")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ALICE.id, "<b>oups", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
        await bot.send_message(ALICE.id, "1 < 2", parse_mode=ParseMode.HTML)
    message = await bot.send_message(ALICE.id, "<b>ok</b> 1 &lt; 2", parse_mode=ParseMode.HTML)
    assert message.text == "ok 1 < 2"
    assert message.entities[0].type == "bold"
    assert len(server.parse_errors()) == 2
    assert (await server.wait_for(ALICE.id)).text == "ok 1 < 2"


async def test_long_text_and_long_callback_data(bot, server):
    server.push_message(ALICE, "bonjour")
    await bot.send_message(ALICE.id, "é" * 4096)
    # 4096 after entity parsing: the tags do not count, the emoji counts twice (UTF-16)
    await bot.send_message(ALICE.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ALICE.id, "x" * 4095 + "😀")
    data = "lien_social.publics:" + "x" * 45  # 65 bytes
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Passer", callback_data=data)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ALICE.id, "Question", reply_markup=keyboard)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("é", callback_data="é" * 32)]])
    await bot.send_message(ALICE.id, "Question", reply_markup=keyboard)


async def test_unknown_and_blocked_chats(bot, server):
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "qui ?")
    server.push_message(ALICE, "bonjour")
    server.block(ALICE.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ALICE.id, "toujours là ?")


async def test_edits_like_telegram(bot, server):
    server.push_message(ALICE, "bonjour")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="q.a")]])
    message = await bot.send_message(ALICE.id, "<b>Q</b>", parse_mode=ParseMode.HTML,
                                     reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<b>Q</b>", ALICE.id, message.message_id,
                                    parse_mode=ParseMode.HTML, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(ALICE.id, message.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ALICE.id, 4242)
    # the same text without reply_markup removes the keyboard: that is a change
    await bot.edit_message_text("<b>Q</b>", ALICE.id, message.message_id,
                                parse_mode=ParseMode.HTML)
    assert "reply_markup" not in server.message(ALICE.id, message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.edit_message_text("<i>Q", ALICE.id, message.message_id,
                                    parse_mode=ParseMode.HTML)


async def test_rate_limit_answers_429_with_retry_after(server):
    server.rate_limit = 30
    server.push_message(ALICE, "bonjour")
    bodies = await asyncio.gather(*(api(server, "sendMessage", chat_id=ALICE.id, text=str(i))
                                    for i in range(40)))
    refused = [b for status, b in bodies if status == 429]
    assert len(refused) == 10
    assert refused[0]["parameters"] == {"retry_after": 1}
    assert server.too_many_requests == 10
    assert server.rate_stats()["peak_per_second"] == 30
    async with Bot(DEFAULT_TOKEN, base_url=server.url) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(ALICE.id, "encore")


async def test_long_polling_returns_a_pushed_update_and_honours_offset(bot, server):
    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert time.monotonic() - started >= 0.3

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    server.push_message(ALICE, "/start jeton")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates] == ["/start jeton"]
    first = updates[0].update_id

    # not confirmed yet: delivered again; confirmed by a higher offset: gone
    assert [u.update_id for u in await bot.get_updates()] == [first]
    server.push_message(ALICE, "deux")
    updates = await bot.get_updates(offset=first + 1)
    assert [u.message.text for u in updates] == ["deux"]
    assert await bot.get_updates(offset=updates[0].update_id + 1) == ()
    assert server.deliveries[first] == 2


async def test_allowed_updates_filters_kinds(bot, server):
    server.push_message(ALICE, "bonjour")
    message = await bot.send_message(
        ALICE.id, "Q", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Oui", callback_data="q.oui")]]))
    server.press(ALICE, "Oui")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert len(updates) == 1
    query = updates[0].callback_query
    assert query.data == "q.oui" and query.message.message_id == message.message_id
    assert query.from_user.id == ALICE.id
    assert await query.answer("Noté")
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("encore")


async def test_second_poller_gets_conflict(server):
    async with Bot(DEFAULT_TOKEN, base_url=server.url) as first, \
            Bot(DEFAULT_TOKEN, base_url=server.url) as second:
        old = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        new = asyncio.create_task(second.get_updates(timeout=0.2))
        with pytest.raises(Exception, match="Conflict"):
            await asyncio.wait_for(old, 2)
        assert await new == ()


async def test_press_and_buttons(bot, server):
    server.push_message(ALICE, "bonjour")
    await bot.send_message(ALICE.id, "Q", reply_markup=InlineKeyboardMarkup([
        [InlineKeyboardButton("Voisin·e·s du quartier", callback_data="q.voisins")],
        [InlineKeyboardButton("Passer", callback_data="q:skip")]]))
    assert server.labels(ALICE.id) == ["Voisin·e·s du quartier", "Passer"]
    assert server.button(ALICE.id, "voisin")[1] == "q.voisins"
    with pytest.raises(LookupError, match="no button"):
        server.button(ALICE.id, "Valider")
    with pytest.raises(LookupError, match="no button with callback_data"):
        server.push_callback(ALICE, 2, "q.inventé")


async def test_send_document_multipart(bot, server):
    server.push_message(ALICE, "bonjour")
    await bot.send_document(ALICE.id, b"%PDF-1.7 fake", filename="fiche.pdf",
                            caption="<b>La fiche</b>", parse_mode=ParseMode.HTML)
    call = await server.wait_for(ALICE.id, methods=["sendDocument"])
    name, content, _ = call.document
    assert (name, content) == ("fiche.pdf", b"%PDF-1.7 fake")
    assert call.text == "La fiche"
    assert call.message["document"]["file_size"] == len(content)


async def test_form_encoded_and_get_requests(server):
    server.push_message(ALICE, "bonjour")
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "x"}]]})
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.url}{DEFAULT_TOKEN}/sendMessage",
                                data={"chat_id": str(ALICE.id), "text": "Q",
                                      "reply_markup": markup}) as response:
            body = await response.json()
        assert body["ok"] and body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"]
        async with session.get(f"{server.url}{DEFAULT_TOKEN}/getMe") as response:
            assert (await response.json())["result"]["is_bot"]


def test_runs_in_a_thread_for_a_subprocess_bot():
    server = FakeBotApi().start_in_thread()
    try:
        async def main():
            async with Bot(DEFAULT_TOKEN, base_url=server.url) as bot:
                server.push_message(ALICE, "bonjour")
                (update,) = await bot.get_updates(timeout=2)
                await bot.send_message(ALICE.id, "Bonjour Alice")
                assert update.message.text == "bonjour"
            call = await server.wait_for(ALICE.id, lambda c: "Alice" in c.text, timeout=2)
            assert call.reply_to == (update.update_id, 1)

        asyncio.run(main())
    finally:
        server.stop_in_thread()


async def test_redeliver_hands_a_confirmed_update_again(bot, server):
    server.push_message(ALICE, "une fois")
    (update,) = await bot.get_updates()
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    assert server.offset == update.update_id + 1
    server.redeliver(update.update_id)
    (again,) = await bot.get_updates()  # a restarted bot polls without an offset
    assert again.update_id == update.update_id
    assert server.deliveries[update.update_id] == 2
    await bot.get_updates(offset=update.update_id + 1)
    await server.wait_confirmed(update.update_id, timeout=1)
