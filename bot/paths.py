"""Where fichebot keeps its files: one data directory, overridable by environment."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """`FICHEBOT_DATA_DIR`, else `$XDG_DATA_HOME/fichebot`, else `~/.local/share/fichebot`."""
    explicit = os.environ.get("FICHEBOT_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "fichebot"


def db_path() -> Path:
    """`FICHEBOT_DB`, else `fichebot.sqlite` in the data directory."""
    explicit = os.environ.get("FICHEBOT_DB")
    if explicit:
        return Path(explicit).expanduser()
    return data_dir() / "fichebot.sqlite"
