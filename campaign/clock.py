"""The campaign's clock: Europe/Paris, and the current time there.

Everything that asks "what time is it" for a campaign rule (which year is answered,
quiet hours, deadlines, snoozes) takes the time as a parameter; `now` is the default
when nobody injected another clock (the Telegram channel reads a test's fake clock from
its application, `bot.telegram.context.now_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

Clock = Callable[[], datetime]


def now() -> datetime:
    """The real time, in Paris."""
    return datetime.now(PARIS)
