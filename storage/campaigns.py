"""Annual campaigns: create, launch, close, their reminder schedule and targets.

Where each place stands (its state, its managers, its row in the exports) is
`storage.campaign_status`; `campaign_status` and `campaign_responses` are importable
from here too (the `CampaignStatus` record itself only from there: here the name is the
campaign's status, `campaign.states.CampaignStatus`).

A campaign has a year, a deadline (a date, included: answers are expected until the end
of that day, Paris time), a grid version and a status: 'draft' → 'open' (launched) →
'closed'. At most one campaign is open at a time. Responses are unique per place and
year, so a campaign's responses are those of its year.

Dates are `date` objects here and ISO 'YYYY-MM-DD' in the database; timestamps are aware
`datetime` objects here and UTC ISO 8601 in the database. Functions that depend on the
clock take `now` (default: the real clock), so tests can use a fake one.

Errors are `CampaignError` (a `StorageError`) subclasses with English messages and the
values a caller needs to write its own French message.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any, Final

from sqlite_utils import Database

from campaign.schedule import Target
from campaign.states import CampaignStatus, PlaceState

from .campaign_model import _COLUMNS, LATEST_STARTED, Campaign, _campaign
from .campaign_status import CampaignResponse as CampaignResponse
from .campaign_status import ManagerStatus as ManagerStatus
from .campaign_status import PlaceStatus as PlaceStatus
from .campaign_status import campaign_responses as campaign_responses
from .campaign_status import campaign_status as campaign_status
from .campaign_status import state_counts as state_counts
from .db import select, storable
from .errors import NotFound, StorageError
from .stamps import paris_today, resolve_now, stamp

DRAFT: Final = CampaignStatus.DRAFT
OPEN: Final = CampaignStatus.OPEN
CLOSED: Final = CampaignStatus.CLOSED

# a place's state in a campaign: the one definition is `campaign.states`
NOT_STARTED: Final = PlaceState.NOT_STARTED
IN_PROGRESS: Final = PlaceState.IN_PROGRESS
SUBMITTED: Final = PlaceState.SUBMITTED
UNREACHABLE: Final = PlaceState.UNREACHABLE  # not sent, and every manager blocked the bot
NO_MANAGER: Final = PlaceState.NO_MANAGER  # not sent, and nobody to ask
PLACE_STATES: Final = (NOT_STARTED, IN_PROGRESS, SUBMITTED, UNREACHABLE, NO_MANAGER)

MAX_REMIND_DAYS: Final = 365


class CampaignError(StorageError):
    """A campaign operation that cannot be done."""


class DuplicateCampaign(CampaignError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"a campaign for {year} already exists")


class DeadlinePassed(CampaignError):
    def __init__(self, deadline: date, today: date) -> None:
        self.deadline = deadline
        self.today = today
        super().__init__(f"the deadline {deadline.isoformat()} is before today "
                         f"({today.isoformat()})")


class WrongStatus(CampaignError):
    """The campaign is not in the status the operation needs (e.g. launching an open one)."""

    def __init__(self, campaign: Campaign, expected: str) -> None:
        self.campaign = campaign
        self.expected = expected
        super().__init__(f"campaign {campaign.year} is {campaign.status}, not {expected}")


class AnotherCampaignOpen(CampaignError):
    def __init__(self, other: Campaign) -> None:
        self.other = other
        super().__init__(f"campaign {other.year} is still open; close it first")


def _select(db: Database, where: str, params: list[Any]) -> list[Campaign]:
    return [_campaign(row) for row in select(db, f"SELECT {_COLUMNS} FROM campaigns {where}",
                                                params)]


def create_campaign(db: Database, year: int, deadline: date, grid_version: str,
                    created_by: int | None, *, now: datetime | None = None) -> Campaign:
    """A new draft campaign. Raises `DuplicateCampaign`, `DeadlinePassed` (before today,
    Paris time; today itself is accepted)."""
    now = resolve_now(now)
    today = paris_today(now)
    if deadline < today:
        raise DeadlinePassed(deadline, today)
    try:
        cursor = db.execute(
            "INSERT INTO campaigns (year, deadline, grid_version, status, created_by, created_at)"
            " VALUES (?, ?, ?, 'draft', ?, ?)",
            [year, deadline.isoformat(), grid_version, created_by, stamp(now)],
        )
    except sqlite3.IntegrityError as e:
        raise DuplicateCampaign(year) from e
    return get_campaign(db, cursor.lastrowid)


def get_campaign(db: Database, campaign_id: int) -> Campaign:
    """Raises `NotFound`."""
    found = campaign_by_id(db, campaign_id)
    if found is None:
        raise NotFound(f"no campaign with id {campaign_id}")
    return found


def campaign_by_id(db: Database, campaign_id: int) -> Campaign | None:
    """The campaign with this id, or None (a button's data may name one long gone)."""
    found = _select(db, "WHERE id = ?", [campaign_id]) if storable(campaign_id) else []
    return found[0] if found else None


def find_campaign(db: Database, year: int) -> Campaign | None:
    found = _select(db, "WHERE year = ?", [year]) if storable(year) else []
    return found[0] if found else None


def list_campaigns(db: Database) -> list[Campaign]:
    """Every campaign, the most recent year first."""
    return _select(db, "ORDER BY year DESC", [])


def latest_started_campaign(db: Database) -> Campaign | None:
    """The open campaign, else the closed one of the latest year; None if none was
    ever launched (drafts do not count). Read before every interview step."""
    rows = select(db, LATEST_STARTED)
    return _campaign(rows[0]) if rows else None


def current_campaign(db: Database, *, include_closed: bool = False) -> Campaign | None:
    """The open campaign, else the latest draft (the most recently created).

    With include_closed, else the most recent closed one (for /export after closing).
    """
    found = _select(db, "WHERE status = 'open'", [])
    if not found:
        found = _select(db, "WHERE status = 'draft' ORDER BY created_at DESC, id DESC LIMIT 1",
                        [])
    if not found and include_closed:
        found = _select(db, "WHERE status = 'closed' ORDER BY year DESC LIMIT 1", [])
    return found[0] if found else None


def launch_campaign(db: Database, campaign_id: int, *, now: datetime | None = None
                    ) -> Campaign:
    """Open a draft campaign: launched_at = now, opened_at = today (Paris).

    Raises `WrongStatus` if it is not a draft, `AnotherCampaignOpen`, `DeadlinePassed`.
    Sending the launch messages is the caller's job (`reminder_targets`, then
    `storage.reminders.claim_reminder` with kind 'launch').
    """
    now = resolve_now(now)
    campaign = get_campaign(db, campaign_id)
    if campaign.status != DRAFT:
        raise WrongStatus(campaign, DRAFT)
    today = paris_today(now)
    if campaign.deadline < today:
        raise DeadlinePassed(campaign.deadline, today)
    try:
        cursor = db.execute(
            "UPDATE campaigns SET status = 'open', launched_at = ?, opened_at = ?"
            " WHERE id = ? AND status = 'draft'",
            [stamp(now), today.isoformat(), campaign_id],
        )
    except sqlite3.IntegrityError as e:  # campaigns_one_open
        other = current_campaign(db)
        assert other is not None and other.is_open
        raise AnotherCampaignOpen(other) from e
    if cursor.rowcount != 1:  # launched by someone else meanwhile
        raise WrongStatus(get_campaign(db, campaign_id), DRAFT)
    return get_campaign(db, campaign_id)


def close_campaign(db: Database, campaign_id: int, *, now: datetime | None = None
                   ) -> Campaign:
    """Close an open campaign: no more answers, no more reminders (a pending /relancer
    included). Raises `WrongStatus`."""
    now = resolve_now(now)
    cursor = db.execute(
        "UPDATE campaigns SET status = 'closed', closed_at = ?, manual_reminder_at = NULL"
        " WHERE id = ? AND status = 'open'",
        [stamp(now), campaign_id],
    )
    campaign = get_campaign(db, campaign_id)
    if cursor.rowcount != 1:
        raise WrongStatus(campaign, OPEN)
    return campaign


def set_deadline(db: Database, campaign_id: int, deadline: date, *,
                 now: datetime | None = None) -> Campaign:
    """Change the deadline of a draft or open campaign (e.g. extend it).

    Raises `DeadlinePassed`, `WrongStatus` for a closed campaign. A new deadline allows
    one more deadline reminder (its slot names the deadline), at its own moment. The
    managers of an open campaign are told once per change (log kind
    'deadline_moved', slot `campaign.upcoming.deadline_change_slot`).
    """
    today = paris_today(now)
    if deadline < today:
        raise DeadlinePassed(deadline, today)
    return _update_unless_closed(db, campaign_id, "deadline = ?", [deadline.isoformat()])


def schedule_manual_reminder(db: Database, campaign_id: int, at: datetime,
                             requested_by: int | None) -> Campaign:
    """A /relancer asked outside the allowed hours: the reminder job sends it at `at`
    (`take_manual_reminder`). A later request replaces it. Raises `WrongStatus` unless
    the campaign is open."""
    cursor = db.execute(
        "UPDATE campaigns SET manual_reminder_at = ?, manual_reminder_by = ?"
        " WHERE id = ? AND status = 'open'", [stamp(at), requested_by, campaign_id])
    campaign = get_campaign(db, campaign_id)
    if cursor.rowcount != 1:
        raise WrongStatus(campaign, OPEN)
    return campaign


def take_manual_reminder(db: Database, campaign: Campaign, now: datetime) -> bool:
    """Whether the job should send the campaign's pending /relancer now: True once
    (the row is cleared in the same statement), when its moment has come."""
    if campaign.manual_reminder_at is None or campaign.manual_reminder_at > now:
        return False
    cursor = db.execute(
        "UPDATE campaigns SET manual_reminder_at = NULL WHERE id = ? AND status = 'open'"
        " AND manual_reminder_at = ?", [campaign.id, stamp(campaign.manual_reminder_at)])
    return cursor.rowcount == 1


def set_reminder_schedule(db: Database, campaign_id: int, every_days: int,
                          before_days: int) -> Campaign:
    """`/campagne_rappels 7 3`: every 7 days, and 3 days before the deadline; 0 = off.

    Raises ValueError outside 0..365, `WrongStatus` for a closed campaign.
    """
    for name, value in (("every_days", every_days), ("before_days", before_days)):
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value <= MAX_REMIND_DAYS:
            raise ValueError(f"{name} must be a whole number from 0 to {MAX_REMIND_DAYS}")
    return _update_unless_closed(db, campaign_id,
                                 "remind_every_days = ?, remind_before_days = ?",
                                 [every_days, before_days])


def _update_unless_closed(db: Database, campaign_id: int, assignments: str,
                          params: list[Any]) -> Campaign:
    cursor = db.execute(
        f"UPDATE campaigns SET {assignments} WHERE id = ? AND status != 'closed'",
        [*params, campaign_id],
    )
    campaign = get_campaign(db, campaign_id)
    if cursor.rowcount != 1:
        raise WrongStatus(campaign, f"{DRAFT} or {OPEN}")
    return campaign


def reminder_targets(db: Database, campaign: Campaign, *,
                     managers_by: datetime | None = None) -> list[Target]:
    """Each reachable manager of each active place that has not sent, sorted by place name.

    The targets of `campaign.schedule.due_reminders`, and of the launch messages: the
    managers of the places `not_started` or `in_progress` (`campaign.states`), since a
    place whose managers all blocked the bot is `unreachable` and has none. With
    `managers_by`, only those who were managers by then (owed the launch or closing
    message sent at that moment; who came later came with a link).
    """
    rows = db.execute(
        """
        SELECT p.id, m.person_id
        FROM places p
        JOIN managers m ON m.place_id = p.id
        JOIN people pe ON pe.telegram_id = m.person_id
        LEFT JOIN responses r ON r.place_id = p.id AND r.year = ?
        WHERE p.active = 1 AND pe.unreachable_at IS NULL
            AND (r.status IS NULL OR r.status != 'submitted')
            AND (? IS NULL OR m.created_at <= ?)
        ORDER BY p.name_key, p.id, m.created_at, m.rowid
        """,
        [campaign.year, *[stamp(managers_by) if managers_by else None] * 2],
    )
    return [Target(place_id, person_id) for place_id, person_id in rows]


def submitted_count(db: Database, year: int) -> tuple[int, int]:
    """(places that sent their fiche of `year`, active places), for one-line notices."""
    (submitted,) = db.execute(
        "SELECT count(*) FROM responses r JOIN places p ON p.id = r.place_id"
        " WHERE r.year = ? AND r.status = 'submitted' AND p.active = 1", [year]).fetchone()
    (total,) = db.execute("SELECT count(*) FROM places WHERE active = 1").fetchone()
    return submitted, total


def response_counts(db: Database, year: int, *, active_only: bool = True) -> tuple[int, int]:
    """(responses of `year` sent, responses begun but not sent), for /campagnes.

    `active_only=False` counts removed places too (a past year as it was answered).
    """
    active = " AND p.active = 1" if active_only else ""
    row = db.execute(
        "SELECT coalesce(sum(r.status = 'submitted'), 0), coalesce(sum(r.status != 'submitted'"
        " AND EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id)), 0)"
        f" FROM responses r JOIN places p ON p.id = r.place_id WHERE r.year = ?{active}",
        [year]).fetchone()
    return row[0], row[1]
