"""The deploy/ examples work as written: the systemd units pass `systemd-analyze verify`;
nginx's and Caddy's configs really carry a webhook request and its secret header over
HTTPS to the bot's port (and the real bot answers behind nginx). Each tool is a Debian
package that .ci/run installs; a developer without it gets a skip."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from tests.cli_process import fichebot_env, run_fichebot
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, User

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_FICHEBOT = "/opt/fichebot/.venv/bin/fichebot"


def need(tool: str) -> str:
    path = shutil.which(tool) or next(
        (p for p in (f"/usr/sbin/{tool}", f"/usr/bin/{tool}") if os.access(p, os.X_OK)), None)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_systemd_units_verify(tmp_path):
    tool = need("systemd-analyze")
    fake = tmp_path / "fichebot"  # the unit's ExecStart must exist to be verified
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    names = ["fichebot.service", "fichebot-sauvegarde.service", "fichebot-sauvegarde.timer"]
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(VENV_FICHEBOT, str(fake)), encoding="utf-8")
    result = subprocess.run([tool, "verify", *(str(tmp_path / n) for n in names)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    service = (DEPLOY / "fichebot.service").read_text(encoding="utf-8")
    assert f"ExecStart={VENV_FICHEBOT} run\n" in service
    assert "Restart=on-failure" in service and "WorkingDirectory=/opt/fichebot" in service


class _Bot(http.server.BaseHTTPRequestHandler):
    """Stands for `fichebot run --webhook-url …`: records what reaches it."""

    received: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:  # http.server calls it by this name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def nginx_in_front(tmp_path: Path, backend_port: int) -> Iterator[str]:
    """deploy/nginx-fichebot.conf, run by a real nginx with a self-signed certificate on a
    free port, passing to `backend_port`; yields its https:// base address."""
    nginx = need("nginx")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=bot.example.org", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True,
                   timeout=60)
    https_port = free_port()
    site = (DEPLOY / "nginx-fichebot.conf").read_text(encoding="utf-8")
    site = (site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
            .replace("listen [::]:443 ssl;", "")
            .replace("/etc/letsencrypt/live/bot.example.org/fullchain.pem",
                     str(tmp_path / "cert.pem"))
            .replace("/etc/letsencrypt/live/bot.example.org/privkey.pem",
                     str(tmp_path / "key.pem"))
            .replace("127.0.0.1:8443", f"127.0.0.1:{backend_port}"))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n  access_log off;\n"
        f"  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    config = ["-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([nginx, "-t", *config], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([nginx, *config], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", https_port)) == 0:
                    break
            assert time.monotonic() < deadline and server.poll() is None, "nginx did not start"
            time.sleep(0.02)
        yield f"https://127.0.0.1:{https_port}"
    finally:
        server.terminate()
        server.wait(10)


def test_nginx_passes_the_webhook_and_its_secret_over_https(tmp_path):
    bot = http.server.HTTPServer(("127.0.0.1", 0), type("Bot", (_Bot,), {"received": []}))
    threading.Thread(target=bot.serve_forever, daemon=True).start()
    try:
        with nginx_in_front(tmp_path, bot.server_address[1]) as url, \
                httpx.Client(verify=False, headers={"Host": "bot.example.org"}) as client:
            answer = client.post(url + "/fichebot", content=b'{"update_id": 1}',
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret",
                                          "Content-Type": "application/json"})
            other = client.post(url + "/autre", content=b"{}")
    finally:
        bot.shutdown()
        bot.server_close()
    assert answer.status_code == 200
    assert other.status_code == 404
    [(method, path, headers, body)] = bot.RequestHandlerClass.received
    assert (method, path, body) == ("POST", "/fichebot", b'{"update_id": 1}')
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
    assert headers["Host"] == "bot.example.org"
    assert headers["X-Forwarded-Proto"] == "https"


def caddy_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_caddyfile_is_valid(tmp_path):
    caddy = need("caddy")
    result = subprocess.run([caddy, "validate", "--adapter", "caddyfile", "--config",
                             str(DEPLOY / "Caddyfile")], capture_output=True, text=True,
                            env=caddy_env(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_caddy_passes_the_webhook_and_its_secret_over_https(tmp_path):
    """deploy/Caddyfile run by a real Caddy; the public name becomes 127.0.0.1 on free
    ports with Caddy's own local certificate (`tls internal`) instead of Let's Encrypt."""
    caddy = need("caddy")
    bot = http.server.HTTPServer(("127.0.0.1", 0), type("Bot", (_Bot,), {"received": []}))
    threading.Thread(target=bot.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    site = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    site = (site.replace("bot.example.org {",
                         f"{{\n\tadmin off\n\tskip_install_trust\n\thttp_port {http_port}\n"
                         f"\thttps_port {https_port}\n}}\n\n"
                         f"https://127.0.0.1:{https_port} {{\n\ttls internal", 1)
            .replace("127.0.0.1:8443", f"127.0.0.1:{bot.server_address[1]}"))
    (tmp_path / "Caddyfile").write_text(site, encoding="utf-8")
    server = subprocess.Popen([caddy, "run", "--adapter", "caddyfile", "--config",
                               str(tmp_path / "Caddyfile")], env=caddy_env(tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"https://127.0.0.1:{https_port}"
    try:
        with httpx.Client(verify=False) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    answer = client.post(url + "/fichebot", content=b'{"update_id": 2}',
                                         headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret",
                                                  "Content-Type": "application/json"})
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and server.poll() is None, \
                        "caddy did not start"
                    time.sleep(0.1)
            other = client.post(url + "/autre", content=b"{}")
    finally:
        server.terminate()
        server.wait(10)
        bot.shutdown()
        bot.server_close()
    assert answer.status_code == 200
    assert other.status_code == 404
    [(method, path, headers, body)] = bot.RequestHandlerClass.received
    assert (method, path, body) == ("POST", "/fichebot", b'{"update_id": 2}')
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
    assert headers["X-Forwarded-Proto"] == "https"


STRANGER = User(5151, "Sam", "sam")
WEBHOOK_URL = "https://bot.example.org/fichebot"


async def test_the_bot_in_webhook_mode_behind_nginx(tmp_path):
    """deploy/ as the guide has it: `fichebot run --webhook-url … --listen 127.0.0.1
    --port … --secret-token …` behind nginx. Telegram's request with the secret is
    answered, one without is refused (403), and the diagnostic sees the bot on its port."""
    need("nginx")
    bot_port = free_port()
    options = ["--webhook-url", WEBHOOK_URL, "--listen", "127.0.0.1", "--port", str(bot_port),
               "--secret-token", "s3cret"]
    async with FakeBotApi() as server:
        settings = {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": server.url,
                    "FICHEBOT_DB": str(tmp_path / "fichebot.sqlite")}
        log = tmp_path / "bot.log"
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", *options],
                                       cwd=tmp_path, env=fichebot_env(settings),
                                       stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT)
        try:
            await server.wait_until(
                lambda: server.webhook is not None or process.poll() is not None, 30)
            assert server.webhook == {"url": WEBHOOK_URL, "secret_token": "s3cret"}, \
                log.read_text()
            await _wait_for_port(bot_port, process)
            update = server.push_command(STRANGER, "start")
            with nginx_in_front(tmp_path, bot_port) as url:
                async with httpx.AsyncClient(verify=False,
                                             headers={"Host": "bot.example.org"}) as client:
                    forged = await client.post(url + "/fichebot", json=update)
                    sent = await client.post(
                        url + "/fichebot", json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
                reply = await server.wait_for(STRANGER.id, timeout=30)
                diagnostic = await asyncio.to_thread(
                    run_fichebot, ["diagnostic", *options], tmp_path, settings)
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 30)
    assert forged.status_code == 403
    assert sent.status_code == 200
    assert reply.text.endswith(f"{STRANGER.id} (à donner à l’administrateur)")
    [line] = [x for x in diagnostic.stdout.splitlines() if "Webhook" in x]
    assert line.startswith("✅ Webhook\u00a0:") and "le bot écoute déjà" in line, line
    assert "Traceback" not in log.read_text(encoding="utf-8")


async def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert process.poll() is None and time.monotonic() < deadline, "the bot did not listen"
        await asyncio.sleep(0.05)
