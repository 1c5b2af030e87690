"""Running `fichebot` as a subprocess, as an operator would, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Put this directory first on PYTHONPATH and WeasyPrint fails to load as it does on a
# machine without Pango: banner on stdout, then OSError (see write_no_pango).
NO_PANGO_MODULE = '''
print("\\n-----\\n\\nWeasyPrint could not import some external libraries.\\n\\n-----\\n")
raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
              "object file: No such file or directory")
'''


def write_no_pango(directory: Path) -> Path:
    """A `weasyprint` module in `directory` that fails like WeasyPrint without Pango."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "weasyprint.py").write_text(NO_PANGO_MODULE, encoding="utf-8")
    return directory


def fichebot_env(extra: Mapping[str, str] | None = None,
                 path_first: Sequence[Path] = ()) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FICHEBOT_"))}
    env["PYTHONPATH"] = os.pathsep.join(
        [*map(str, path_first), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def run_fichebot(args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None,
                 path_first: Sequence[Path] = (), stdin: str | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`fichebot ARGS` in `cwd` (so no stray .env is read); its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=cwd,
        env=fichebot_env(env, path_first), input=stdin, capture_output=True, text=True,
        timeout=timeout, stdin=None if stdin is not None else subprocess.DEVNULL)
