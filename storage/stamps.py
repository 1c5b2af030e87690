"""Times as storage keeps them, and the injectable clock of the storage functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from campaign.clock import PARIS


def resolve_now(now: datetime | None) -> datetime:
    """now itself (it must be aware), or the real clock when None."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, not {now!r}")
    return now


def stamp(moment: datetime) -> str:
    """A timestamp as stored: UTC ISO 8601 to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def paris_today(now: datetime | None = None) -> date:
    return resolve_now(now).astimezone(PARIS).date()
