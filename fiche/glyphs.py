"""Do the system's fonts cover what managers type? Asked of Pango itself.

The PDF is laid out by Pango through fontconfig (WeasyPrint); a character that no
installed font has is drawn as a box. Pango counts those "unknown glyphs" in a layout:
`missing_glyphs(text)` lays `text` out the way the PDF would and returns the characters
that came out as boxes. Needs Pango (fiche.pdf_support says whether it is there).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

SAMPLE_ACCENTS = "éèêëàâäîïôöùûüçœæÉÈÊÀÂÎÔÙÛÇŒÆ’«»…"
SAMPLE_EMOJI = "😀👍🎉🌱❤️🤝✅"
FAMILY = "sans-serif"  # fontconfig falls back per character from any family

_CDEF = """
typedef void PangoFontMap; typedef void PangoContext; typedef void PangoLayout;
typedef void PangoFontDescription;
PangoFontMap * pango_ft2_font_map_new (void);
PangoContext * pango_font_map_create_context (PangoFontMap *fontmap);
PangoLayout * pango_layout_new (PangoContext *context);
void pango_layout_set_text (PangoLayout *layout, const char *text, int length);
PangoFontDescription * pango_font_description_from_string (const char *str);
void pango_layout_set_font_description (PangoLayout *layout, const PangoFontDescription *d);
void pango_font_description_free (PangoFontDescription *desc);
int pango_layout_get_unknown_glyphs_count (PangoLayout *layout);
void g_object_unref (void *object);
"""
_lock = threading.Lock()


@cache
def _libraries() -> tuple[Any, Any, Any, Any]:
    import cffi  # a dependency of WeasyPrint

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    return (ffi, _dlopen(ffi, "gobject-2.0"), _dlopen(ffi, "pango-1.0"),
            _dlopen(ffi, "pangoft2-1.0"))


def _dlopen(ffi: Any, name: str) -> Any:
    """The library under its Linux, macOS or plain name (OSError if none loads)."""
    error: OSError | None = None
    for candidate in (f"lib{name}.so.0", f"lib{name}.0.dylib", f"lib{name}.dylib", name):
        try:
            return ffi.dlopen(candidate)
        except OSError as exc:
            error = exc
    assert error is not None
    raise error


def unknown_glyphs(text: str) -> int:
    """How many glyphs of `text` Pango would draw as boxes. Raises OSError without Pango."""
    _ffi, gobject, pango, pangoft2 = _libraries()
    with _lock:
        fontmap = pangoft2.pango_ft2_font_map_new()
        context = pango.pango_font_map_create_context(fontmap)
        layout = pango.pango_layout_new(context)
        description = pango.pango_font_description_from_string(f"{FAMILY} 12".encode())
        try:
            pango.pango_layout_set_font_description(layout, description)
            encoded = text.encode()
            pango.pango_layout_set_text(layout, encoded, len(encoded))
            return int(pango.pango_layout_get_unknown_glyphs_count(layout))
        finally:
            pango.pango_font_description_free(description)
            gobject.g_object_unref(layout)
            gobject.g_object_unref(context)
            gobject.g_object_unref(fontmap)


def missing_glyphs(text: str) -> str:
    """The characters of `text` (letters, emoji) that no installed font draws."""
    if unknown_glyphs(text) == 0:
        return ""
    clusters = [c for c in dict.fromkeys(text) if not c.isspace() and c != "\ufe0f"]
    return "".join(c for c in clusters if unknown_glyphs(c) > 0)
