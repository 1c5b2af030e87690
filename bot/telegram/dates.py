"""Dates as coordinators type them: JJ/MM/AAAA (or with dots or dashes)."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")  # 30/06/2026, 30.06.2026


def parse_date(text: str) -> date | None:
    """JJ/MM/AAAA (or with dots or dashes) → a date; None if it is not one."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match[4]), int(match[3]), int(match[1]))
    except ValueError:
        return None


def french_date(day: date) -> str:
    """30/06/2026."""
    return day.strftime("%d/%m/%Y")
