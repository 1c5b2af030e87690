"""The charts of the synthesis, drawn with matplotlib: SVG for HTML and PDF, PNG for
Telegram, from the same figure.

Made to be read on a phone: large type, labels written in full above their bar (wrapped,
never cut), the number on every bar, few colours. Only `matplotlib.figure.Figure` is
used (no pyplot): no GUI backend, no global state, safe in a worker thread.
"""

from __future__ import annotations

import functools
import io
import textwrap
import threading
from collections.abc import Callable, Sequence
from typing import ParamSpec

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from fiche.french import capitalize_first
from questionnaire.typography import format_number

from .bars import Bar, percent

P = ParamSpec("P")

ACCENT = "#b4532a"  # the fiche's colour
TRACK = "#f3e9e0"
OTHER = "#7a7a7a"
BEFORE = "#c9b8aa"
INK = "#1f1f1f"
MUTED = "#5a5a5a"

WIDTH = 6.4  # inches: 1 088 px at PNG_DPI, what a phone shows across its screen
PNG_DPI = 170
LABEL_SIZE = 13.5
VALUE_SIZE = 13.5
TITLE_SIZE = 15.5
WRAP = 52  # characters of a label line at LABEL_SIZE across WIDTH
LINE = 0.25  # inches per line of label
BAR = 0.30
GAP = 0.20
MARGIN = 0.18
BAR_SPAN = 0.78  # of the width: 100 % reaches here, leaving room for the number
INSIDE_FROM = 0.7  # a share from which the number is written inside its bar
PANEL = 2.1  # inches: one family's panel of the level charts

# matplotlib's font cache and text layout are shared by the process: two syntheses drawn
# at once (two coordinators, two worker threads) take turns
_DRAWING = threading.Lock()

rcParams["svg.hashsalt"] = "fichebot"  # the same SVG for the same chart
rcParams["svg.fonttype"] = "none"  # text as text: a PDF draws it far faster than glyph paths
rcParams["font.family"] = "DejaVu Sans"


class Chart:
    """A drawn figure, written out as SVG or PNG when asked (each format costs a pass)."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure

    @property
    def svg(self) -> bytes:
        buffer = io.BytesIO()
        with _DRAWING:
            self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    @property
    def png(self) -> bytes:
        buffer = io.BytesIO()
        with _DRAWING:
            self.figure.savefig(buffer, format="png", dpi=PNG_DPI,
                                metadata={"Software": None})
        return buffer.getvalue()


def _lines(text: str, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _value(bar: Bar) -> str:
    return f"{percent(bar.share)} ({format_number(bar.count)})"


def _title_block(title: str | None, subtitle: str | None) -> list[tuple[str, float, str]]:
    """(text, size, weight) lines of the heading of a chart."""
    lines: list[tuple[str, float, str]] = []
    if title:
        lines += [(line, TITLE_SIZE, "bold") for line in _lines(title, 46)]
    if subtitle:
        lines += [(line, LABEL_SIZE - 1, "normal") for line in _lines(subtitle, 56)]
    return lines


def _drawing(draw: Callable[P, Chart]) -> Callable[P, Chart]:
    """Build a figure holding `_DRAWING`."""

    @functools.wraps(draw)
    def locked(*args: P.args, **kwargs: P.kwargs) -> Chart:
        with _DRAWING:
            return draw(*args, **kwargs)

    return locked


@_drawing
def bar_chart(bars: Sequence[Bar], title: str | None = None,
              subtitle: str | None = None) -> Chart:
    """Horizontal bars, one per answer, in the order given (most frequent first): the
    label above its bar, the share and the count at its end."""
    heading = _title_block(title, subtitle)
    heading_height = sum(size / 72 * 1.35 for _, size, _ in heading)
    blocks = [_lines(capitalize_first(bar.label)) for bar in bars]
    height = (2 * MARGIN + heading_height + (GAP if heading else 0)
              + sum(len(lines) * LINE + BAR + GAP for lines in blocks))
    figure = Figure(figsize=(WIDTH, height))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(height, 0)  # inches from the top
    axes.axis("off")
    y = MARGIN
    for text, size, weight in heading:
        y += size / 72 * 1.35
        axes.text(MARGIN, y - 0.05, text, fontsize=size, fontweight=weight,
                  color=INK if weight == "bold" else MUTED, va="baseline")
    if heading:
        y += GAP
    span = (WIDTH - 2 * MARGIN) * BAR_SPAN
    for bar, lines in zip(bars, blocks, strict=True):
        for line in lines:
            y += LINE
            axes.text(MARGIN, y - 0.06, line, fontsize=LABEL_SIZE, color=INK, va="baseline")
        colour = OTHER if bar.other else ACCENT
        axes.add_patch(Rectangle((MARGIN, y + 0.03), span, BAR - 0.03, color=TRACK, lw=0))
        length = span * max(0.0, min(bar.share, 1.0))
        axes.add_patch(Rectangle((MARGIN, y + 0.03), length, BAR - 0.03, color=colour, lw=0))
        inside = bar.share > INSIDE_FROM  # a long bar gets its number inside, in white
        axes.text(MARGIN + length + (-0.08 if inside else 0.08), y + 0.03 + (BAR - 0.03) / 2,
                  _value(bar), fontsize=VALUE_SIZE, fontweight="bold",
                  color="white" if inside else INK, ha="right" if inside else "left",
                  va="center_baseline")
        y += BAR + GAP
    return Chart(figure)


@_drawing
def level_chart(panels: Sequence[tuple[str, Sequence[Bar]]], title: str | None = None,
                subtitle: str | None = None,
                series: tuple[str, str] | None = None,
                before: Sequence[Sequence[Bar]] | None = None) -> Chart:
    """Vertical bars per level (+ to +++++), one panel per family, the share above each
    bar. With `before`, each level has two bars (`series` names them: the previous year
    in a light colour, this year in the accent)."""
    heading = _title_block(title, subtitle)
    heading_height = sum(size / 72 * 1.35 for _, size, _ in heading)
    panel_height = PANEL
    top_share = max([b.share for _, bars in panels for b in bars]
                    + [b.share for bars in before or () for b in bars] + [0.05])
    legend_height = 0.45 if before is not None else 0.0
    height = (2 * MARGIN + heading_height + legend_height
              + len(panels) * (panel_height + GAP))
    figure = Figure(figsize=(WIDTH, height))
    top = MARGIN + heading_height
    if heading:
        cursor = MARGIN
        for text, size, weight in heading:
            cursor += size / 72 * 1.35
            figure.text(MARGIN / WIDTH, 1 - (cursor - 0.05) / height, text, fontsize=size,
                        fontweight=weight, color=INK if weight == "bold" else MUTED,
                        va="baseline")
    if before is not None and series is not None:
        for index, (name, colour) in enumerate(zip(series, (BEFORE, ACCENT), strict=True)):
            x = MARGIN + index * 1.6
            y = top + 0.3
            figure.patches.append(Rectangle(
                (x / WIDTH, 1 - y / height), 0.22 / WIDTH, 0.2 / height, color=colour,
                transform=figure.transFigure, figure=figure))
            figure.text((x + 0.3) / WIDTH, 1 - y / height, name, fontsize=LABEL_SIZE,
                        color=INK, va="bottom")
        top += legend_height
    for index, (name, bars) in enumerate(panels):
        panel_top = top + index * (panel_height + GAP)
        axes = figure.add_axes((MARGIN / WIDTH,
                                1 - (panel_top + panel_height) / height,
                                (WIDTH - 2 * MARGIN) / WIDTH,
                                (panel_height - 0.45) / height))
        _levels(axes, name, bars, before[index] if before is not None else None, top_share)
    return Chart(figure)


def _levels(axes, name: str, bars: Sequence[Bar],  # type: ignore[no-untyped-def]
            before: Sequence[Bar] | None, top_share: float) -> None:
    """One panel: a bar per level; with `before`, two per level and the numbers without
    their % sign (the subtitle says they are percentages), so that they do not touch."""
    positions = range(len(bars))
    width = 0.38 if before is not None else 0.62
    shift = width / 2 if before is not None else 0.0
    series = [(bars, ACCENT, shift)]
    if before is not None:
        series.insert(0, (before, BEFORE, -shift))
    for values, colour, offset in series:
        for x, bar in zip(positions, values, strict=True):
            axes.bar(x + offset, bar.share, width=width, color=colour, lw=0)
            shown = percent(bar.share)
            if before is not None:
                shown = shown.removesuffix("\u202f%")
            axes.text(x + offset, bar.share + top_share * 0.03, shown, ha="center",
                      va="bottom", fontsize=VALUE_SIZE - (1 if before else 0),
                      fontweight="bold", color=INK)
    axes.set_ylim(0, top_share * 1.3)
    axes.set_xlim(-0.6, len(bars) - 0.4)
    axes.set_xticks(list(positions), [bar.label for bar in bars], fontsize=LABEL_SIZE + 1,
                    fontweight="bold", color=INK)
    axes.tick_params(axis="x", length=0, pad=6)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(MUTED)
    axes.set_title(name, loc="left", fontsize=LABEL_SIZE + 0.5, fontweight="bold", color=INK,
                   pad=4)
