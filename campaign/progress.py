"""The campaign's progress as facts to draw: what `progress_chart` puts on its picture,
and the French way it writes dates, numbers and shares. Pure and light: the bot's own
process builds these (`bot.telegram.status_view`) and never loads matplotlib, which
draws in the PDF worker process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc.")
NNBSP = "\u202f"  # before "%"


@dataclass(frozen=True)
class ChartData:
    year: int
    start: date  # the launch (Paris date)
    deadline: date
    today: date
    places: int  # active places
    sent_on: Sequence[date]  # the Paris date each fiche was sent
    closed: bool = False  # `today` is then the day it was closed


def number(n: int) -> str:
    """3500 → "3 500" (narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", NNBSP)


def french_day(day: date) -> str:
    """3 déc."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def percent(part: int, whole: int) -> str:
    """"42 %" (narrow no-break space), "0 %" without places."""
    return f"{round(100 * part / whole) if whole else 0}{NNBSP}%"
