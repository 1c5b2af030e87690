"""The campaign's progress as a picture: fiches sent per day and in total, against the
deadline and the number of places. Sent with /campagne_statut, to look at on a phone.

Pure: the facts in (`campaign.progress.ChartData`), PNG bytes out; matplotlib's Agg
backend, nothing on screen, nothing on disk. Everything written on it is French: dates as "3 déc.",
"42 %" with the narrow no-break space, large type (it is read on a phone, at about
a third of its size). Drawn in the PDF worker process (`bot.pdf_worker.Named`): the
bot's own never imports this module.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, safe in a worker thread

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .progress import ChartData, french_day, number, percent

__all__ = ["ChartData", "french_day", "number", "percent", "progress_png"]

SENT_COLOR = "#2a7f62"
DAY_COLOR = "#9fd3c0"
DEADLINE_COLOR = "#c0392b"
TOTAL_COLOR = "#555555"


def _title(data: ChartData) -> str:
    sent = len(data.sent_on)
    fiches = "fiche envoyée" if sent < 2 else "fiches envoyées"
    return (f"Campagne {data.year}\u00a0: {number(sent)} {fiches} sur {number(data.places)} "
            f"({percent(sent, data.places)})")


def progress_png(data: ChartData) -> bytes:
    """The chart as PNG bytes (1 200 × 750 pixels)."""
    end = max(data.deadline, data.today, data.start)
    days = [data.start + timedelta(days=n) for n in range((end - data.start).days + 1)]
    per_day = Counter(d for d in data.sent_on if d >= data.start)
    early = sum(1 for d in data.sent_on if d < data.start)  # before the launch: day one
    shown = [d for d in days if d <= data.today]
    counts = [per_day[d] + (early if d == data.start else 0) for d in shown]
    total, cumulative = 0, []
    for count in counts:
        total += count
        cumulative.append(total)

    fig, ax = plt.subplots(figsize=(8, 5), dpi=150)
    try:
        ax.bar(shown, counts, width=0.8, color=DAY_COLOR, label="envoyées ce jour-là")
        # the total after each day: a step at the start of the day's bar
        half = timedelta(hours=12)
        edges = [d - half for d in shown] + [shown[-1] + half] if shown else []
        ax.step(edges, [0, *cumulative] if shown else [], where="post", color=SENT_COLOR,
                linewidth=3, label="envoyées en tout")
        ax.axhline(data.places, color=TOTAL_COLOR, linestyle="--", linewidth=1.5)
        ax.annotate(f"{number(data.places)}\u00a0lieux" if data.places > 1
                    else f"{data.places}\u00a0lieu", (end, data.places), xytext=(-8, 5),
                    textcoords="offset points", ha="right", fontsize=13, color=TOTAL_COLOR)
        if data.start <= data.today < end:
            ax.axvline(data.today, color=TOTAL_COLOR, linestyle=":", linewidth=1.5)
            ax.annotate("clôture" if data.closed else "aujourd’hui",
                        (data.today, max(data.places, 1) * 0.55),
                        xytext=(4, 0), textcoords="offset points", fontsize=12,
                        color=TOTAL_COLOR, rotation=90, va="center")
        ax.axvline(data.deadline, color=DEADLINE_COLOR, linewidth=2)
        ax.annotate(f"échéance\n{french_day(data.deadline)}", (data.deadline, 0),
                    xytext=(-6, 8), textcoords="offset points", ha="right", fontsize=13,
                    color=DEADLINE_COLOR)
        ax.set_xlim(days[0] - timedelta(days=1), end + timedelta(days=1))
        ax.set_ylim(0, max(data.places, 1) * 1.4)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(int(value))))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _pos: french_day(matplotlib.dates.num2date(value).date())))
        ax.tick_params(labelsize=13)
        ax.set_ylabel("fiches", fontsize=14)
        ax.set_title(_title(data), fontsize=17, pad=12)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", fontsize=12, frameon=False, ncols=2)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()
