"""The bot's settings: the environment, then a `.env` file in the working directory.

A variable set in the environment wins over the same one in `.env`. `load_settings`
returns a frozen `Settings` or raises `SettingsError` with one line to show as is (it
never contains the token).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot import paths
from bot.system_errors import os_error
from bot.telegram import texts

TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
ENV_FILE = ".env"


class SettingsError(ValueError):
    """A missing or malformed setting; the message is one line, in French."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    db_path: Path
    admin_ids: frozenset[int] = frozenset()
    api_base_url: str | None = None  # e.g. http://127.0.0.1:8081/bot (the token is appended)
    api_file_url: str | None = None  # derived from api_base_url

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines, `#` comments and `export ` prefixes are allowed.

    Values may be wrapped in single or double quotes. A missing file is an empty one.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(texts.ENV_FILE_UNREADABLE.format(path=path,
                                                             error=os_error(exc))) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(texts.ENV_FILE_UNREADABLE.format(
            path=path, error="le fichier n’est pas en UTF-8")) from exc
    values: dict[str, str] = {}
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise SettingsError(texts.ENV_FILE_MALFORMED.format(path=path, line=number))
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def file_url_for(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL.

    `http://host:8081/bot` → `http://host:8081/file/bot`, as on api.telegram.org and
    the local Bot API server.
    """
    stripped = base_url.rstrip("/")
    if stripped.endswith("/bot"):
        return stripped[: -len("bot")] + "file/bot"
    return stripped + "/file/bot"


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise SettingsError(texts.ADMIN_IDS_MALFORMED.format(value=part))
        ids.add(int(part))
    return frozenset(ids)


def read_values(environ: Mapping[str, str] | None = None,
                env_file: Path | None = None) -> dict[str, str]:
    """The settings as text: `environ` (default: os.environ) over `env_file` (./.env)."""
    environ = os.environ if environ is None else environ
    values = read_env_file(Path(ENV_FILE) if env_file is None else env_file)
    values.update({k: v for k, v in environ.items() if v != ""})
    return values


def db_path_from(values: Mapping[str, str]) -> Path:
    """FICHEBOT_DB, else fichebot.sqlite in FICHEBOT_DATA_DIR, else the default place."""
    if values.get("FICHEBOT_DB"):
        return Path(values["FICHEBOT_DB"]).expanduser()
    if values.get("FICHEBOT_DATA_DIR"):
        return Path(values["FICHEBOT_DATA_DIR"]).expanduser() / "fichebot.sqlite"
    return paths.db_path()


def load_db_path(environ: Mapping[str, str] | None = None,
                 env_file: Path | None = None) -> Path:
    """The database file as `fichebot run` finds it (environment, then .env), no token
    needed: for the commands that only open the database."""
    return db_path_from(read_values(environ, env_file))


def load_settings(environ: Mapping[str, str] | None = None,
                  env_file: Path | None = None) -> Settings:
    """Settings from `environ` (default: os.environ) over `env_file` (default: ./.env)."""
    values = read_values(environ, env_file)

    token = values.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise SettingsError(texts.TOKEN_MISSING)
    if not TOKEN_PATTERN.match(token):
        raise SettingsError(texts.TOKEN_MALFORMED)

    base_url = values.get("TELEGRAM_API_BASE_URL", "").strip() or None
    file_url = None
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(texts.BASE_URL_MALFORMED.format(value=base_url))
        file_url = file_url_for(base_url)

    return Settings(token=token, db_path=db_path_from(values),
                    admin_ids=_admin_ids(values.get("FICHEBOT_ADMIN_IDS", "")),
                    api_base_url=base_url, api_file_url=file_url)
