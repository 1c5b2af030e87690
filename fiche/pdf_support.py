"""Can this machine print the fiche as PDF? The one place that decides it.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0 and libpangoft2-1.0-0).
Without it, importing WeasyPrint raises OSError ("cannot load library
'libpango-1.0-0'") after printing an English banner on stdout. `pdf_support` imports it
once, with that banner silenced, and keeps the verdict: channels ask it before offering
a PDF and fall back to the HTML fiche, saying `MISSING_PDF` in their own line.
"""

from __future__ import annotations

import contextlib
import io
import threading
from dataclasses import dataclass

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"

# Why there is no PDF and what to install, in French: each channel's line includes it.
MISSING_PDF = (
    "pas de PDF sur cette machine\u00a0: la bibliothèque Pango manque (Debian, Ubuntu\u00a0: "
    "apt install " + DEBIAN_PACKAGES + "\u202f; macOS\u00a0: brew install pango)"
)


@dataclass(frozen=True)
class PdfSupport:
    available: bool
    error: str = ""  # why not, as the system said it (English, for the log)


class PdfUnavailable(RuntimeError):
    """A PDF was asked for on a machine that cannot make one; str() is `MISSING_PDF`."""

    def __init__(self, support: PdfSupport) -> None:
        self.support = support
        super().__init__(MISSING_PDF)


_lock = threading.Lock()
_verdict: PdfSupport | None = None


def pdf_support() -> PdfSupport:
    """Whether WeasyPrint (and so Pango) loads here; decided on the first call."""
    global _verdict
    with _lock:
        if _verdict is None:
            _verdict = _probe()
        return _verdict


def require_pdf() -> None:
    """Raise `PdfUnavailable` unless a PDF can be made here."""
    support = pdf_support()
    if not support.available:
        raise PdfUnavailable(support)


def forget_verdict() -> None:
    """Probe again at the next call (tests that make the library fail to load)."""
    global _verdict
    with _lock:
        _verdict = None


def _probe() -> PdfSupport:
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):
            import weasyprint  # noqa: F401  (heavy: only when a PDF is first wanted)
    except (OSError, ImportError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return PdfSupport(False, first_line)
    return PdfSupport(True)
