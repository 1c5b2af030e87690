"""Small statistics of the synthesis: shares, quartiles, means."""

from __future__ import annotations

from collections.abc import Sequence

SHARE_DIGITS = 4  # shares in the JSON: 0.4286


def share(part: int, whole: int) -> float | None:
    """part / whole rounded to SHARE_DIGITS; None when whole is 0."""
    return round(part / whole, SHARE_DIGITS) if whole else None


def quantile(values: Sequence[int | float], q: float) -> float:
    """The q-quantile of sorted values by linear interpolation between closest ranks
    (numpy's default; the 'inclusive' method of `statistics.quantiles`)."""
    if not values:
        raise ValueError("no values")
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def number(x: float) -> int | float:
    """An int when whole (12.0 → 12), else the float rounded to 2 digits."""
    return int(x) if float(x).is_integer() else round(x, 2)


def mean(values: Sequence[int | float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None
