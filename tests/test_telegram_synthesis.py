"""The synthesis in Telegram, as people would use it: /synthese (the PDF and the key
charts), /mon_bilan (k ≥ 5), the blocks sent at the closing, and the exclusions."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

import storage
from bot.telegram import broadcast, place_reports, texts
from storage.campaigns import create_campaign, find_campaign, launch_campaign
from storage.invitations import create_invitation
from storage.roles import COORDINATEUR, DESTINATAIRE
from storage.synthesis import exclusions
from tests.cli_process import fichebot_env
from tests.synthesis_data import GRID, generate_answers
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, manager

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # a Monday
COORD, READER = 500, 600
SAME = {"synthese.intensite_individuels": "3", "lien_social.publics": ["benevoles"],
        "lien_social.commentaire": "Un repas partagé chaque jeudi avec les voisin·e·s.",
        "insertion.beneficiaires": 12}


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    fake.now = NOW
    fake.app.bot_data[broadcast.CLOCK] = lambda: fake.now
    yield fake
    await fake.stop()


async def join(tg, user_id: int, role: str):
    chat = tg.chat(user_id, role)
    await chat.send(f"/start {create_invitation(tg.db, role, None, ADMIN_ID)}")
    return chat


async def network(tg, sent: int, *, answers: dict | None = None, extra: int = 1):
    """`sent + extra` places with a manager each (1001, 1002…), a launched 2026 campaign,
    the first `sent` places' fiches sent; returns the managers' chats."""
    chats = [await manager(tg, 1001 + n, f"Gestion {n + 1}", f"Lieu {n + 1:02d}")
             for n in range(sent + extra)]
    campaign = create_campaign(tg.db, 2026, date(2026, 6, 30), GRID.version, ADMIN_ID, now=NOW)
    launch_campaign(tg.db, campaign.id, now=NOW)
    rng = random.Random(7)
    for n in range(sent):
        place = storage.find_place(tg.db, f"Lieu {n + 1:02d}")
        response = storage.get_or_create_response(tg.db, place.id, 2026, GRID.version)
        with storage.interview_step(tg.db, response.id, 1001 + n) as step:
            step.save(dict(answers) if answers else generate_answers(GRID, rng))
        storage.mark_submitted(tg.db, response.id, 1001 + n)
    return chats


async def test_synthese_sends_the_pdf_and_the_key_charts(tg):
    coordinator = await join(tg, COORD, COORDINATEUR)
    assert (await coordinator.send("/synthese")).texts == [texts.SYNTHESIS_NO_CAMPAIGN]
    await network(tg, 6)
    turn = await coordinator.send("/synthese")
    assert turn.texts[0] == texts.SYNTHESIS_WORKING.format(year=2026)
    document = turn.call("sendDocument")
    name, pdf = document.files["document"]
    assert name == "fichebot-synthese-2026.pdf" and pdf.startswith(b"%PDF")
    assert document.params["caption"] == ("Synthèse de la campagne 2026\u00a0: 6\u00a0fiches "
                                          "envoyées sur 7\u00a0lieux (86\u202f%).")
    photo = turn.call("sendPhoto")  # no previous campaign: the intensities only
    assert photo.files["photo"][1].startswith(b"\x89PNG")
    assert turn.texts[-1] == texts.SYNTHESIS_OPEN.format(year=2026)
    assert (await coordinator.send("/synthese 2031")).texts == [
        texts.SYNTHESIS_UNKNOWN.format(year=2031, years="2026")]
    assert (await coordinator.send("/synthese deux")).texts == [texts.SYNTHESIS_USAGE]

    reader = await join(tg, READER, DESTINATAIRE)
    assert (await reader.send("/synthese 2026")).call("sendDocument")


async def test_an_empty_campaign_gets_a_sentence_not_a_document(tg):
    coordinator = await join(tg, COORD, COORDINATEUR)
    await network(tg, 0, extra=2)
    turn = await coordinator.send("/synthese")
    assert "sendDocument" not in turn.methods
    assert ("Aucune fiche n’a encore été envoyée pour la campagne 2026\u00a0: il n’y a pas "
            "encore de chiffres à présenter.") in turn.texts
    assert ("Synthèse de la campagne 2026\u00a0: 0\u00a0fiches envoyées sur 2\u00a0lieux "
            "(0\u202f%).") in turn.texts


async def test_mon_bilan_hides_figures_under_5_places(tg):
    chats = await network(tg, 4, answers=SAME)
    turn = await chats[0].send("/mon_bilan")
    text = turn.text
    assert "<b>Votre lieu face au réseau — campagne 2026</b>" in text
    assert "Les réponses de Lieu 01, comparées à celles des 4\u00a0lieux" in text
    assert "Pas de comparaison pour 3\u00a0questions\u00a0: moins de 5\u00a0lieux" in text
    assert "%" not in text
    assert texts.SYNTHESIS_OPEN.format(year=2026) in turn.texts
    # the fifth place, which has not sent: nothing to compare
    assert ("Lieu 05 n’a pas envoyé de fiche pour la campagne 2026\u00a0: il n’y a rien à "
            "comparer.") in (await chats[4].send("/mon_bilan")).texts
    assert (await tg.chat(9001, "Zoé").send("/mon_bilan")).texts == [texts.NO_PLACE]


async def test_closing_sends_each_place_that_sent_its_block(tg):
    chats = await network(tg, 5, answers=SAME)
    coordinator = await join(tg, COORD, COORDINATEUR)
    await coordinator.send("/campagne_cloturer")
    await coordinator.tap("Oui, clôturer")
    await asyncio.gather(*tg.app.bot_data.get(place_reports.TASKS, ()))
    assert find_campaign(tg.db, 2026).status == "closed"
    for number, chat in enumerate(chats[:5], 1):
        said = [m.get("text", "") for m in chat.bot_messages()]
        thanks = texts.CLOSING_REPORT.format(year=2026, place=f"Lieu {number:02d}")
        assert thanks in said
        block = said[said.index(thanks) + 1]
        assert "Vous avez indiqué +++\u202f; 100\u202f% des lieux aussi" in block
        assert "12\u00a0personnes\u202f; médiane du réseau\u00a0: 12" in block
    late = [m.get("text", "") for m in chats[5].bot_messages()]
    assert not any("face au réseau" in t for t in late)
    assert any("est maintenant close" in t for t in late)


async def test_exclusions_from_the_chat(tg):
    await network(tg, 5, answers=SAME)
    coordinator = await join(tg, COORD, COORDINATEUR)
    place = storage.find_place(tg.db, "Lieu 02")
    turn = await coordinator.send("/synthese_exclure lieu 02")
    assert turn.texts == [texts.PLACE_EXCLUDED.format(place="Lieu 02", name="Lieu 02",
                                                      year=2026)]
    assert (await coordinator.send("/synthese_exclure Lieu 02")).texts == [
        texts.PLACE_ALREADY_EXCLUDED.format(place="Lieu 02", year=2026)]
    turn = await coordinator.send("/synthese_exclure Lieu 03 lien_social")
    assert turn.texts == [texts.COMMENT_EXCLUDED.format(place="Lieu 03", year=2026,
                                                        section="Lien social")]
    assert [(e.place_id, e.key) for e in exclusions(tg.db, 2026)] == [
        (place.id, ""), (storage.find_place(tg.db, "Lieu 03").id, "lien_social.commentaire")]
    turn = await coordinator.send("/synthese")
    assert "5\u00a0fiches envoyées" in turn.call("sendDocument").params["caption"]
    assert (await coordinator.send("/synthese_exclure Nulle part")).texts == [
        texts.PLACE_UNKNOWN.format(place="Nulle part")]
    assert (await coordinator.send("/synthese_exclure")).texts == [
        texts.EXCLUSION_USAGE.format(command="synthese_exclure")]
    assert (await coordinator.send("/synthese_reintegrer Lieu 02")).texts == [
        texts.PLACE_INCLUDED.format(place="Lieu 02", year=2026)]
    assert (await coordinator.send("/synthese_reintegrer Lieu 03 lien_social")).texts == [
        texts.COMMENT_INCLUDED.format(place="Lieu 03", year=2026, section="Lien social")]
    assert exclusions(tg.db, 2026) == []


IN_ITS_OWN_PROCESS = """
import asyncio, sys
from tests import test_telegram_synthesis as t
from tests.telegram_fakes import ADMIN_ID, FakeTelegram

async def main():
    tg = await FakeTelegram(sys.argv[1], admin_ids={ADMIN_ID}).start()
    tg.now = t.NOW
    tg.app.bot_data[t.broadcast.CLOCK] = lambda: tg.now
    coordinator = await t.join(tg, t.COORD, t.COORDINATEUR)
    await t.network(tg, 6)
    turn = await coordinator.send("/synthese")
    status = await coordinator.send("/campagne_statut")
    print(turn.call("sendDocument").files["document"][1][:4].decode(),
          status.call("sendPhoto").files["photo"][1][1:4].decode(),
          "weasyprint" in sys.modules, "matplotlib" in sys.modules)
    await tg.stop()

asyncio.run(main())
"""


def test_synthese_is_written_out_by_the_worker_process(tmp_path):
    """The synthesis's PDF takes seconds for a whole network: the worker process makes
    it, and the progress chart of /campagne_statut, so the bot's own process (which
    answers every manager) never loads WeasyPrint nor matplotlib (35 MB)."""
    done = subprocess.run([sys.executable, "-c", IN_ITS_OWN_PROCESS, str(tmp_path / "f.db")],
                          env=fichebot_env(), cwd=tmp_path, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["%PDF", "PNG", "False", "False"]
