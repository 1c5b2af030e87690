"""A bot on a machine without Pango (issue 14): it starts, says once in its log and to the
admins that fiches go out without PDF and what to install; at "Envoyer" and with /fiche
the fiche goes out as messages and a standalone HTML page; no traceback anywhere. The PDF
library is made to fail to load as it does there (tests/cli_process.write_no_pango)."""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys

import pytest

from bot import pdf_worker
from bot.telegram import fiches, texts
from fiche import pdf_support
from fiche.pdf_support import MISSING_PDF
from storage.roles import DESTINATAIRE
from tests.cli_process import fichebot_env, write_no_pango
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, User
from tests.reminder_fakes import ADMIN_ID, RECIPIENT, Clock, join, paris, started
from tests.telegram_fakes import manager

ALICE = 1001
HEADING = "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO"


@pytest.fixture
def no_pango(monkeypatch, tmp_path):
    """WeasyPrint fails to load, here and in the PDF worker (a new one, started with
    this path)."""
    monkeypatch.syspath_prepend(str(write_no_pango(tmp_path / "no_pango")))
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    pdf_support.forget_verdict()
    pdf_worker.forget_support()
    yield
    pdf_support.forget_verdict()
    pdf_worker.forget_support()


@pytest.fixture
async def tg(tmp_path):
    fake = await started(tmp_path / "fichebot.db", Clock(paris(2026, 3, 2, 10, 0)))
    yield fake
    await fake.stop()


def documents(turn, chat_id: int) -> list:
    return [c for c in turn.calls if c.method == "sendDocument"
            and int(c.params["chat_id"]) == chat_id]


async def test_envoyer_sends_an_html_page_instead_of_the_pdf(no_pango, tg):
    await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await alice.tap("8. bénévoles")
    await alice.tap("✔️ Valider")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    turn = await alice.tap("📨 Envoyer quand même")  # eleven sections unanswered

    mine = [c.text for c in turn.sent if int(c.params["chat_id"]) == ALICE]
    assert any(HEADING in t for t in mine)
    assert mine[-1] == texts.SENT_WITHOUT_PDF.format(place="La Tréso", year=2026)
    assert texts.PDF_FAILED not in mine and texts.APOLOGY not in mine
    [upload] = documents(turn, ALICE)
    name, content = upload.files["document"]
    assert name == "fiche-la-treso-2026.html"
    page = content.decode()
    assert page.startswith("<!DOCTYPE html>") and HEADING in page and "<style>" in page
    assert "bénévoles" in page
    assert upload.params["caption"] == texts.HTML_CAPTION.format(place="La Tréso", year=2026)
    # the recipient gets the same page, by its file id (uploaded once)
    [forwarded] = documents(turn, RECIPIENT)
    assert not forwarded.files and forwarded.params["document"] == "doc"


async def test_fiche_command_sends_the_html_page(no_pango, tg):
    rita = await join(tg, RECIPIENT, "Rita", DESTINATAIRE)
    alice = await manager(tg, ALICE, "Alice", "La Tréso")
    await alice.send("/envoyer")
    await alice.tap("📨 Envoyer")
    await alice.tap("📨 Envoyer quand même")
    turn = await rita.send("/fiche La Tréso")
    assert turn.call("sendDocument").files["document"][0] == "fiche-la-treso-2026.html"
    assert texts.PDF_FAILED not in turn.texts


async def test_the_admins_are_told_once_at_start(no_pango, tg, caplog):
    with caplog.at_level(logging.INFO):
        assert await fiches.announce_without_pdf(tg.app.bot, {ADMIN_ID, 777})
    said = [c for c in tg.request.calls if c.method == "sendMessage"]
    assert sorted(int(c.params["chat_id"]) for c in said) == sorted([777, ADMIN_ID])
    expected = texts.NO_PDF_ADMIN.format(reason=MISSING_PDF)
    assert all(c.params["text"] == expected for c in said)
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in expected
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [texts.NO_PDF_LOG.format(
        reason=MISSING_PDF, error=pdf_support.pdf_support().error)]


async def test_with_pango_nobody_is_told(tg):
    pdf_support.forget_verdict()
    pdf_worker.forget_support()
    assert not await fiches.announce_without_pdf(tg.app.bot, {ADMIN_ID})
    assert [c for c in tg.request.calls if c.method == "sendMessage"] == []


ADMIN = User(4242, "Dominique", "dominique_admin")
STRANGER = User(5151, "Sam", "sam")


async def test_fichebot_run_without_pango_starts_and_says_so(tmp_path):
    shadow = write_no_pango(tmp_path / "no_pango")
    async with FakeBotApi() as server:
        server.know(ADMIN)
        env = fichebot_env({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                            "TELEGRAM_API_BASE_URL": server.url,
                            "FICHEBOT_DB": str(tmp_path / "fichebot.sqlite"),
                            "FICHEBOT_ADMIN_IDS": str(ADMIN.id)}, path_first=[shadow])
        log = tmp_path / "bot.log"
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                       env=env, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT)
        try:
            notice = await server.wait_for(ADMIN.id, timeout=30)
            assert notice.text == texts.NO_PDF_ADMIN.format(reason=MISSING_PDF)
            server.push_command(STRANGER, "start")  # and the bot answers as usual
            reply = await server.wait_for(STRANGER.id, timeout=30)
            assert reply.text.endswith(
                f"Votre identifiant Telegram\u00a0: {STRANGER.id} (à donner à l’administrateur)")
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 30)  # the server answers meanwhile
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output and "WeasyPrint could not import" not in output
    assert output.count("pas de PDF sur cette machine") == 1
    assert "les fiches partiront en messages et en HTML" in output
    assert DEFAULT_TOKEN not in output


START_AND_LOOK = """
import asyncio, sys
from tests.telegram_fakes import FakeTelegram
from bot import pdf_worker

async def main():
    tg = await FakeTelegram(sys.argv[1], admin_ids={1}).start()
    await tg.app.post_init(tg.app)  # the PDF check made at start
    print(sys.modules.get("weasyprint") is None, (await pdf_worker.support()).available)
    await tg.stop()

asyncio.run(main())
"""


def test_the_bot_checks_for_pdfs_without_loading_weasyprint_itself(tmp_path):
    """The worker makes the PDFs and answers the check: the bot's own process never
    loads WeasyPrint and Pango (26 MB, bench/bench_telegram.py)."""
    done = subprocess.run([sys.executable, "-c", START_AND_LOOK, str(tmp_path / "f.db")],
                          env=fichebot_env(), cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
