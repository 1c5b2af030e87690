"""The operator's guide and the deploy/ examples say what the code does: the bot's answers
are quoted as the bot writes them, the packages named are the ones the code asks for, and
nothing of this machine (a path, a token) is in them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import cli_texts
from bot.telegram import texts
from fiche.pdf_support import DEBIAN_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploiement.md"
PUBLISHED = [ROOT / "README.md", GUIDE, *sorted((ROOT / "deploy").iterdir())]


def plain(text: str) -> str:
    """As a reader sees it: no HTML tags, any space as one space, any link as LIEN, ’ as '."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"https://t\.me/\S*", "LIEN", text).replace("\u2019", "'")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def guide() -> str:
    return plain(GUIDE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: p.name)
def test_no_machine_path_and_no_token(path):
    text = path.read_text(encoding="utf-8")
    for fragment in ("/work/", "/root/", "/tmp/", "pytest-of-"):
        assert fragment not in text, (path, fragment)
    assert not re.search(r"\d{6,}:[A-Za-z0-9_-]{30,}", text), path


def test_the_guide_quotes_the_bot():
    text = guide()
    quoted = [
        texts.ROLE_GRANTED["coordinateur"],
        texts.INVITE_ROLE_LINK["coordinateur"].format(days=14, link="https://t.me/"),
        texts.PLACE_ADDED.format(place="La Tréso", days=14, link="https://t.me/"),
        texts.INVITE_LINK.format(place="La Tréso", team="", days=14, link="https://t.me/"),
        texts.CAMPAIGN_CREATED.format(year=2026, deadline="30/06/2026", every=texts.every_days(7),
                                      before=texts.days_before(3)),
        texts.CAMPAIGN_LAUNCHED.format(year=2026, sent=1, problems=""),
        texts.LAUNCH_MESSAGE.format(year=2026, place="La Tréso", deadline="30/06/2026")
        .split(" Cela se fait ici")[0],
        texts.WELCOME.format(name="…", place="La Tréso", year=2026).split("\n")[0],
    ]
    for message in quoted:
        assert plain(message) in text, message


def test_the_guide_names_what_the_code_asks_for():
    text = guide()
    for package in [*DEBIAN_PACKAGES.split(), "fonts-noto-color-emoji", "fonts-dejavu-core"]:
        assert package in text
    for command in ("/start", "/inviter_coordinateur", "/lieu_ajouter", "/inviter",
                    "/campagne_creer", "/campagne_lancer"):
        assert f"`{command}" in GUIDE.read_text(encoding="utf-8")
    assert "FICHEBOT_ADMIN_IDS" in text and "journalctl -u fichebot" in text
    assert plain(cli_texts.TOKEN_OK.format(username="fiches_reseau_bot")) in text


def test_the_image_has_what_the_diagnostic_asks_for():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installed = set(re.findall(r"[a-z0-9.+-]+", dockerfile.split("apt-get install")[1]
                               .split("&&")[0]))
    assert set(DEBIAN_PACKAGES.split()) <= installed
    for fonts_line in (cli_texts.FONTS_NO_EMOJI, cli_texts.FONTS_NO_LETTERS):
        package = re.search(r"apt install ([a-z0-9-]+)", fonts_line).group(1)
        assert any(p.startswith(package) for p in installed), package
    assert "uv sync --locked --no-dev" in dockerfile
    data_dir = re.search(r"FICHEBOT_DATA_DIR=(\S+)", dockerfile).group(1)
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    assert f"fichebot-data:{data_dir}" in compose
