"""End to end: `fichebot run` as a subprocess, polling the fake Bot API server over HTTP.

A scripted manager opens the invitation an administrator created, answers the whole
grid by tapping buttons and typing (every question type, skips, "Autre…", "⬅️ Retour"
then "Garder", a count typed "environ 15", bad input, a comment with HTML in it). Halfway
the bot process is killed (SIGKILL), its last update is redelivered as Telegram would
after a crash, and a new process resumes: /reprendre shows the very question where the
manager was, /apercu shows the earlier answers. "Envoyer" then brings the fiche as HTML
messages and a PDF. Throughout, the server checks every HTML text like Telegram does.

Then a second process is killed while it delivers a sent fiche to 24 recipients; the
restarted one delivers the rest: everybody gets it, at most one twice (the delivery on
the wire at the kill).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import storage
from interview.session import answering_year
from storage.roles import DESTINATAIRE, grant_role
from tests.fake_bot_api import DEFAULT_TOKEN, Call, FakeBotApi, User

ADMIN = User(4242, "Dominique", "dominique_admin")
MANAGER = User(1001, "Marie", "marie_treso")
ROOT = Path(__file__).resolve().parent.parent
COMMENT_WITH_HTML = "Repas <b>partagés</b> & jardin <3 (voir *photos*)"
STEP_TIMEOUT = 15.0  # seconds for one reply (the PDF takes a few seconds)



def untagged(data: str) -> str:
    """A button's data without the fiche it was drawn for (`callbacks.fiche_tag`)."""
    return data.partition("@")[0]

class BotProcess:
    """`fichebot run` in a subprocess; its stderr goes to a file shown on failure."""

    def __init__(self, server: FakeBotApi, workdir: Path, db: Path):
        self.server = server
        self.workdir = workdir
        self.env = {
            **{k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "FICHEBOT_"))},
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": server.url,
            "FICHEBOT_DB": str(db),
            "FICHEBOT_ADMIN_IDS": str(ADMIN.id),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(  # the checkout, even if not installed
                [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        }
        self.runs: list[tuple[subprocess.Popen, Path]] = []

    async def start(self) -> None:
        log = self.workdir / f"bot-stderr-{len(self.runs) + 1}.txt"
        polls = self.server.polls
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], cwd=self.workdir, env=self.env,
            stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        self.runs.append((process, log))
        try:
            await self.server.wait_until(
                lambda: self.server.polls > polls or process.poll() is not None, 30)
        except TimeoutError:
            raise AssertionError("the bot did not start polling within 30 s") from None
        assert process.poll() is None, f"the bot exited with {process.returncode}"

    @property
    def process(self) -> subprocess.Popen:
        return self.runs[-1][0]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        for process, _ in self.runs:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)

    def output(self) -> str:
        return "\n".join(f"--- bot run {n} (exit {p.returncode}) ---\n"
                         + log.read_text(errors="replace")
                         for n, (p, log) in enumerate(self.runs, 1))


@pytest.fixture
def server():
    srv = FakeBotApi().start_in_thread()  # serves while the test waits on the process
    yield srv
    srv.stop_in_thread()


@pytest.fixture
def bot(server, tmp_path):
    process = BotProcess(server, tmp_path, tmp_path / "fichebot.sqlite")
    yield process
    process.stop()
    # pytest shows this only when the test failed
    print(process.output())
    print("--- the last Bot API calls ---", *server.sent[-60:], sep="\n")


class Manager:
    """Taps and types like a person on a phone, checking each reply as it comes."""

    def __init__(self, server: FakeBotApi, user: User):
        self.server = server
        self.user = user
        self.chat = user.id

    @staticmethod
    def datas(call: Call) -> list[str]:
        """The buttons' data without the fiche they were drawn for ("@<place>.<year>")."""
        return [untagged(b.get("callback_data", "")) for row in call.keyboard for b in row]

    def asks(self, key: str):
        """A predicate: the message is the question `key` (its "Passer" names the key)."""
        return lambda call: any(d.startswith("s:") and d[2:] == key for d in self.datas(call))

    async def question(self, key: str) -> Call:
        return await self.server.wait_for(self.chat, self.asks(key), STEP_TIMEOUT,
                                          methods=["sendMessage"])

    def option_data(self, key: str, option: str) -> tuple[int, str]:
        """The button of an option: its callback_data names the question key and option."""
        message_id, rows = self.server.keyboard(self.chat)
        for row in rows:
            for button in row:
                data = button.get("callback_data", "")
                parts = untagged(data).split(":")  # t:<key>:<option>[:<intent>]
                if key in data and (parts[-1] == option or parts[2:3] == [option]):
                    return message_id, data
        raise AssertionError(f"no button for {key} / {option}: {rows}")

    async def toggle(self, key: str, option: str) -> None:
        """Tap an option of a multi question: the same message is edited, ✅ on it."""
        message_id, data = self.option_data(key, option)
        self.server.push_callback(self.user, message_id, data)

        def checked(call: Call) -> bool:
            return call.message["message_id"] == message_id and any(
                b["callback_data"].startswith(f"t:{key}:{option}") and b["text"].startswith("✅")
                for row in call.keyboard for b in row)

        await self.server.wait_for(self.chat, checked, STEP_TIMEOUT,
                                   methods=["editMessageText"])

    def tap(self, key: str, option: str) -> None:
        message_id, data = self.option_data(key, option)
        self.server.push_callback(self.user, message_id, data)

    def press(self, label: str) -> None:
        self.server.press(self.user, label)

    def type(self, text: str) -> None:
        self.server.push_message(self.user, text)

    async def said(self, fragment: str) -> Call:
        return await self.server.wait_for(self.chat, lambda c: fragment in c.text, STEP_TIMEOUT)


async def answer_first_half(m: Manager) -> None:
    key = "lien_social.publics"
    call = await m.question(key)
    assert "LIEN SOCIAL · 1/12" in call.raw_text
    for option in ("voisins", "benevoles", "acteurs_quartier"):
        await m.toggle(key, option)
    m.press("Autre")
    await m.server.wait_for(m.chat, lambda c: f"c:{key}" in m.datas(c), STEP_TIMEOUT)
    m.type("les habitant·e·s du foyer voisin")
    await m.server.wait_for(m.chat, lambda c: m.asks(key)(c) and "foyer voisin" in c.text,
                            STEP_TIMEOUT)
    m.press("Valider")

    key = "lien_social.contextes"
    await m.question(key)
    m.type("dans la vie quotidienne")  # text where a tap is expected
    await m.said("touchez une réponse")
    await m.toggle(key, "vie_quotidienne")
    m.press("Valider")

    key = "lien_social.frequence"
    await m.question(key)
    labels = m.server.labels(m.chat)
    assert not any("Autre" in label for label in labels), labels  # other: false
    await m.toggle(key, "hebdomadaire")
    m.press("Valider")

    await m.question("lien_social.commentaire")
    m.type(COMMENT_WITH_HTML)

    await m.question("sante.effets")
    m.press("Passer")
    await m.question("sante.commentaire")
    m.press("Passer")

    await m.question("insertion.beneficiaires")
    m.type("beaucoup")
    await m.said("nombre entier")
    m.type("environ 15")

    await m.question("insertion.resultats")
    m.press("Retour")
    call = await m.question("insertion.beneficiaires")
    assert "15\u00a0personnes" in call.text
    m.press("Garder")
    await m.question("insertion.resultats")
    await m.toggle("insertion.resultats", "accompagnement")
    m.press("Valider")
    await m.question("insertion.commentaire")
    m.press("Passer")

    await m.question("capacite_agir.nombre_projets")
    m.press("une dizaine par an")  # an amount suggestion, as a button
    await m.question("capacite_agir.porteurs")
    m.tap("capacite_agir.porteurs", "benevoles")
    await m.question("capacite_agir.commentaire")
    m.press("Passer")

    key = "solidarite.echanges"
    await m.question(key)
    await m.toggle(key, "competences")
    await m.toggle(key, "espaces")
    m.press("Valider")
    await m.question("solidarite.entre")
    await m.toggle("solidarite.entre", "voisins")
    m.press("Valider")
    await m.question("solidarite.commentaire")
    m.type("Une grainothèque tenue par les voisin·e·s.")

    await m.question("reseau.nature")
    await m.toggle("reseau.nature", "projet")
    m.press("Valider")
    await m.question("reseau.entre")
    m.press("Passer")
    await m.question("reseau.commentaire")
    m.press("Passer")
    await m.question("inclusion.constats")


async def answer_second_half(m: Manager) -> None:
    key = "inclusion.constats"
    await m.toggle(key, "groupe")
    await m.toggle(key, "federees")
    m.press("Valider")
    await m.question("inclusion.commentaire")
    m.press("Passer")

    for key, option in (("egalite.equipe", "parite"), ("egalite.dirigeants", "plus_hommes"),
                        ("egalite.occupants", "parite"), ("egalite.publics", "plus_femmes")):
        await m.question(key)
        m.tap(key, option)
    await m.question("egalite.commentaire")
    m.press("Passer")

    await m.question("espaces.effet")
    m.tap("espaces.effet", "positif")
    await m.question("espaces.ameliorations")  # asked only after "des effets positifs"
    await m.toggle("espaces.ameliorations", "mixite")
    m.press("Valider")
    await m.question("espaces.commentaire")
    m.press("Passer")

    await m.question("services.gestion_urbaine")
    m.tap("services.gestion_urbaine", "amelioree")
    await m.question("services.besoins")
    await m.toggle("services.besoins", "locaux")
    m.press("Valider")
    await m.question("services.commentaire")
    m.press("Passer")

    await m.question("innovation.collaboration")
    m.tap("innovation.collaboration", "difficile")
    await m.question("innovation.commentaire")
    m.type("Une convention d'occupation temporaire signée avec la ville.")

    for key, answer in (("synthese.intensite_individuels", "4"),
                        ("synthese.mots_cles_individuels", "prise de confiance, entraide"),
                        ("synthese.intensite_collectifs", "3"),
                        ("synthese.mots_cles_collectifs", None),
                        ("synthese.intensite_territoire", "2"),
                        ("synthese.mots_cles_territoire", "jardin partagé, marché")):
        await m.question(key)
        if answer is None:
            m.press("Passer")
        elif "intensite" in key:
            m.tap(key, answer)
        else:
            m.type(answer)


async def test_a_manager_answers_everything_through_a_crash_and_gets_the_fiche(
        server: FakeBotApi, bot: BotProcess):
    started = time.monotonic()
    await bot.start()
    commands = [c.params["commands"] for c in server.calls("setMyCommands")]
    assert commands and {"reprendre", "apercu", "envoyer"} <= {c["command"]
                                                               for c in commands[-1]}

    # the administrator creates the place and gets its invitation link
    server.push_command(ADMIN, "lieu_ajouter", "La Tréso")
    call = await server.wait_for(ADMIN.id, lambda c: "t.me/" in c.text, STEP_TIMEOUT)
    match = re.search(rf"https://t\.me/{server.username}\?start=([A-Za-z0-9_-]{{1,64}})",
                      call.text)
    assert match, call.text

    # someone without a place is told how to get one; then the manager opens the link
    server.push_command(MANAGER, "reprendre")
    await server.wait_for(MANAGER.id, lambda c: "invitation" in c.text, STEP_TIMEOUT)
    server.push_command(MANAGER, "start", match[1])
    manager = Manager(server, MANAGER)
    await manager.said("La Tréso")
    await answer_first_half(manager)

    # SIGKILL, then Telegram redelivers the last update (as if it was never confirmed)
    last_update = max(server.updates)
    await server.wait_confirmed(last_update)  # the bot is idle, waiting for more
    bot.kill()
    killed_at = len(server.sent)
    server.redeliver(last_update)
    await bot.start()
    await server.wait_confirmed(last_update)
    assert server.deliveries[last_update] == 2

    server.push_command(MANAGER, "reprendre")
    call = await manager.question("inclusion.constats")  # the very question
    assert "SENTIMENT D’INCLUSION" in call.raw_text
    server.push_command(MANAGER, "apercu")
    preview = await manager.said("Des interactions sociales ont été observées")
    assert "voisin·e·s du quartier" in preview.text
    assert "15\u00a0personnes" in preview.text
    assert "une grainothèque" in preview.text.lower()
    await manager.said("/reprendre")  # the preview's footer
    await answer_second_half(manager)

    # the review: the fiche as it stands, then "Envoyer"
    await server.wait_for(MANAGER.id, lambda c: "Envoyer" in str(c.keyboard), STEP_TIMEOUT)
    fiche_start = len(server.sent)
    manager.press("Envoyer")
    # a section was left unanswered: sending asks to confirm, on the same message
    await server.wait_for(MANAGER.id, lambda c: "quand même" in str(c.keyboard), STEP_TIMEOUT,
                          methods=["editMessageText"])
    manager.press("quand même")
    document = await server.wait_for(MANAGER.id, None, 60, methods=["sendDocument"])
    await manager.said("Merci")
    name, content, _ = document.document
    assert name.endswith(".pdf") and content.startswith(b"%PDF"), name

    sent_fiche = [c for c in server.sent[fiche_start:]
                  if c.ok and c.method == "sendMessage" and c.chat_id == MANAGER.id]
    fiche = "\n".join(c.text for c in sent_fiche)
    for expected in (
            "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO",
            "Des interactions sociales ont été observées entre différents publics",
            "les habitant·e·s du foyer voisin",
            COMMENT_WITH_HTML,  # shown as typed, not as HTML
            "15\u00a0personnes",
            "Une dizaine par an",
            "Une convention d'occupation temporaire signée avec la ville.",
    ):
        assert expected.lower() in fiche.lower(), f"{expected!r} not in the fiche:\n{fiche}"
    assert all(c.params.get("parse_mode") == "HTML" for c in sent_fiche)

    # Telegram never refused the bot's HTML, nothing was answered twice, no update lost
    assert server.parse_errors() == []
    assert server.answered_twice() == {}
    refused = server.calls(chat_id=MANAGER.id, ok=False)
    assert [c for c in refused if c.error_code != 429] == []
    for call in refused:  # a 429 is fine if the bot waited and sent it again
        assert any(c.ok and (c.method, c.params) == (call.method, call.params)
                   for c in server.sent if c.at > call.at), f"{call} was never retried"
    replies_to_redelivery = [c for c in server.sent[killed_at:]
                             if c.reply_to and c.reply_to[0] == last_update]
    assert replies_to_redelivery == []
    assert "Traceback" not in bot.output()
    elapsed = time.monotonic() - started
    print(f"end to end: {elapsed:.1f} s, {len(server.sent)} Bot API calls, "
          f"{len(server.updates)} updates, rate: {server.rate_stats()}")
    assert elapsed < 90


# --- A SIGKILL in the middle of a fiche's delivery ------------------------------------------

RECIPIENTS = [7000 + n for n in range(24)]
KILL_TIMEOUT = 60.0


def _prepare(db_path: Path, api: FakeBotApi) -> None:
    """La Tréso answered (its real fiche's answers), Marie its manager, 24 recipients."""
    answers = json.loads((ROOT / "examples" / "la-treso.json").read_text())["answers"]
    db = storage.open_db(db_path)
    place = storage.add_place(db, "La Tréso")
    storage.upsert_person(db, MANAGER.id, MANAGER.first_name)
    storage.add_manager(db, place.id, MANAGER.id)
    storage.roles.set_current_place(db, MANAGER.id, place.id)
    response = storage.get_or_create_response(db, place.id, answering_year(db).year, "1")
    with storage.interview_step(db, response.id, MANAGER.id) as step:
        step.save(answers, None)
    for person in RECIPIENTS:
        storage.upsert_person(db, person, f"Destinataire {person}")
        grant_role(db, person, DESTINATAIRE)
        api.know(person)
    db.close()
    api.know(MANAGER)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _documents(api: FakeBotApi) -> Counter[int]:
    return Counter(c.chat_id for c in api.sent
                   if c.method == "sendDocument" and c.ok and c.chat_id in RECIPIENTS)


async def test_a_fiche_killed_mid_delivery_reaches_every_recipient(server, bot, tmp_path):
    _prepare(tmp_path / "fichebot.sqlite", server)
    await bot.start()
    server.push_command(MANAGER, "envoyer")

    def has(data: str):
        return lambda call: any(untagged(b.get("callback_data", "")) == data
                                for row in call.keyboard for b in row)

    await server.wait_for(MANAGER.id, has("send"), KILL_TIMEOUT)
    server.press(MANAGER, "📨 Envoyer")
    await server.wait_for(MANAGER.id, has("sendok"), KILL_TIMEOUT,
                          methods=["editMessageText", "sendMessage"])
    server.press(MANAGER, "📨 Envoyer quand même")
    await server.wait_until(lambda: len(_documents(server)) >= 8, KILL_TIMEOUT)
    workers = _children(bot.process.pid)  # the PDF worker
    assert workers, "the fiche's PDF was rendered in no worker process"
    bot.kill()
    before = len(_documents(server))
    assert before < len(RECIPIENTS), "the delivery finished before the kill"
    # nobody is left to shut the killed bot's worker down: it goes by itself
    await server.wait_until(lambda: not any(_alive(pid) for pid in workers), 15)

    await bot.start()
    await server.wait_until(lambda: len(_documents(server)) == len(RECIPIENTS), KILL_TIMEOUT)
    received = _documents(server)
    assert set(received) == set(RECIPIENTS)
    assert sum(1 for n in received.values() if n > 1) <= 1
    assert max(received.values()) <= 2
    # the restart resumed each delivery at its first part not known to have arrived:
    # of every message and document, only the one on the wire at the kill may come twice
    parts = Counter((c.chat_id, c.method, c.text) for c in server.sent
                    if c.ok and c.chat_id in RECIPIENTS
                    and c.method in ("sendMessage", "sendDocument"))
    assert sum(n - 1 for n in parts.values()) <= 1
    call: Call = next(c for c in server.sent if c.method == "sendDocument")
    assert call.document[0].endswith(".pdf")


# --- Webhook mode: unusable without its secret ----------------------------------------------

async def test_webhook_mode_draws_a_secret_and_refuses_whoever_lacks_it(server, tmp_path):
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    server.know(ADMIN)
    process = BotProcess(server, tmp_path, tmp_path / "fichebot.sqlite")
    log = tmp_path / "webhook-run.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--webhook-url", url, "--listen",
         "127.0.0.1", "--port", str(port)], cwd=tmp_path, env=process.env,
        stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        await server.wait_until(lambda: server.webhook is not None or proc.poll() is not None,
                                30)
        assert proc.poll() is None, log.read_text()
        secret = server.webhook["secret_token"]
        assert len(secret) >= 32 and secret not in log.read_text()

        def post(body: bytes, headers: dict[str, str]) -> int:
            request = urllib.request.Request(url, data=body, method="POST", headers={
                "Content-Type": "application/json", **headers})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        forged = json.dumps({"update_id": 1, "message": {
            "message_id": 1, "date": int(time.time()), "text": "/lieu_ajouter Le Faux",
            "chat": {"id": ADMIN.id, "type": "private", "first_name": ADMIN.first_name},
            "from": ADMIN.to_dict(),
            "entities": [{"type": "bot_command", "offset": 0, "length": 13}]}}).encode()
        header = "X-Telegram-Bot-Api-Secret-Token"
        assert post(forged, {}) == 403
        assert post(forged, {header: "guessed"}) == 403
        assert post(b"", {header: secret}) == 400
        assert post(b'{"update_id": 2, "mess', {header: secret}) == 400
        assert post(forged, {header: secret}) == 200  # Telegram's own request
        call = await server.wait_for(ADMIN.id, lambda c: "t.me/" in c.text, STEP_TIMEOUT)
        assert "Le Faux" in call.text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
    output = log.read_text()
    assert "Traceback" not in output
    assert output.count("webhook: refused a request") == 4
    db = storage.open_db(tmp_path / "fichebot.sqlite")
    assert [p.name for p in storage.list_places(db)] == ["Le Faux"]
    db.close()
