"""Logs name people by their number, never by Telegram id or name, and the number
goes with /oublier (issue 10: "invitation … redeemed by user 2010")."""

from __future__ import annotations

import logging

from bot.telegram import texts
from storage.person_numbers import person_number
from tests.telegram_fakes import FakeTelegram, manager


async def test_a_managers_life_in_the_logs_names_a_number_only(tmp_path, caplog):
    tg = FakeTelegram(tmp_path / "f.db", admin_ids={1})
    await tg.start()
    try:
        caplog.set_level(logging.INFO)  # what `fichebot run` logs
        alice = await manager(tg, 2010, "Alizée", "La Tréso")
        number = person_number(tg.db, 2010)
        assert f"redeemed by person {number}" in caplog.text
        await alice.send("/envoyer")
        await alice.tap("📨 Envoyer")
        await alice.tap("📨 Envoyer quand même")
        assert f"submitted by person {number}" in caplog.text
        tg.request.blocked.add(2010)
        await alice.send("/aide")  # a 403: marked unreachable, logged by number
        assert "2010" not in caplog.text and "Alizée" not in caplog.text
        tg.request.blocked.clear()
        await alice.send("/oublier")
        await alice.tap(texts.FORGET_YES)
        assert tg.db.execute("SELECT count(*) FROM person_numbers WHERE telegram_id = 2010"
                             ).fetchone()[0] == 0
        assert person_number(tg.db, 2010) is None
    finally:
        await tg.stop()
