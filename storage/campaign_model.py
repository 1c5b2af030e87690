"""A campaign as storage reads it: the `Campaign` record and how a row becomes one.

Its own module so that `storage.campaigns` (the life cycle) and `storage.campaign_status`
(where each place stands) both read it without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from campaign.states import CampaignStatus


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    year: int
    opened_at: date | None  # the Paris date of the launch
    deadline: date
    grid_version: str
    status: str
    created_by: int | None
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None
    remind_every_days: int
    remind_before_days: int
    manual_reminder_at: datetime | None = None  # a /relancer waiting for the allowed hours
    manual_reminder_by: int | None = None  # the coordinator who asked for it

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.CLOSED


_COLUMNS = (
    "id, year, opened_at, deadline, grid_version, status, created_by, created_at,"
    " launched_at, closed_at, remind_every_days, remind_before_days, manual_reminder_at,"
    " manual_reminder_by"
)


# The open campaign, else the closed one of the latest year; no row if none was ever
# launched (drafts do not count). Two indexed lookups: ORDER BY status would sort in a
# temporary b-tree, "id IN (…)" would build a temporary index of the ids. Read by
# `campaigns.latest_started_campaign` and, as a common table, by `step_reads`.
LATEST_STARTED = f"""
    SELECT * FROM (SELECT {_COLUMNS} FROM campaigns WHERE status = '{CampaignStatus.OPEN}'
                   LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT {_COLUMNS} FROM campaigns WHERE status = '{CampaignStatus.CLOSED}'
                   ORDER BY year DESC LIMIT 1)
    LIMIT 1"""


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _campaign(row: Mapping[str, Any]) -> Campaign:
    created_at = _moment(row["created_at"])
    assert created_at is not None
    return Campaign(
        id=row["id"],
        year=row["year"],
        opened_at=date.fromisoformat(row["opened_at"]) if row["opened_at"] else None,
        deadline=date.fromisoformat(row["deadline"]),
        grid_version=row["grid_version"],
        status=row["status"],
        created_by=row["created_by"],
        created_at=created_at,
        launched_at=_moment(row["launched_at"]),
        closed_at=_moment(row["closed_at"]),
        remind_every_days=row["remind_every_days"],
        remind_before_days=row["remind_before_days"],
        manual_reminder_at=_moment(row["manual_reminder_at"]),
        manual_reminder_by=row["manual_reminder_by"],
    )
