"""Annual campaigns: create, launch, close, their reminder schedule, status and responses.

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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlite_utils import Database

from campaign.clock import PARIS
from campaign.schedule import Target
from campaign.states import CampaignStatus, PlaceState, ResponseStatus
from questionnaire.engine import completion
from questionnaire.grid import Grid, default_grid

from .codec import decode
from .db import select
from .errors import NotFound, StorageError
from .places import Place, _place

DRAFT: Final = CampaignStatus.DRAFT
OPEN: Final = CampaignStatus.OPEN
CLOSED: Final = CampaignStatus.CLOSED

# a place's state in a campaign, for /campagne_statut
NOT_STARTED: Final = PlaceState.NOT_STARTED
IN_PROGRESS: Final = PlaceState.IN_PROGRESS
SUBMITTED: Final = PlaceState.SUBMITTED
UNREACHABLE: Final = PlaceState.UNREACHABLE
NO_MANAGER: Final = PlaceState.NO_MANAGER
PLACE_STATES: Final = tuple(PlaceState)

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

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


_COLUMNS = (
    "id, year, opened_at, deadline, grid_version, status, created_by, created_at,"
    " launched_at, closed_at, remind_every_days, remind_before_days"
)


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
    )


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
    found = _select(db, "WHERE id = ?", [campaign_id])
    if not found:
        raise NotFound(f"no campaign with id {campaign_id}")
    return found[0]


def find_campaign(db: Database, year: int) -> Campaign | None:
    found = _select(db, "WHERE year = ?", [year])
    return found[0] if found else None


def list_campaigns(db: Database) -> list[Campaign]:
    """Every campaign, the most recent year first."""
    return _select(db, "ORDER BY year DESC", [])


def latest_started_campaign(db: Database) -> Campaign | None:
    """The open campaign, else the closed one of the latest year; None if none was
    ever launched (drafts do not count). Read before every interview step."""
    # one statement, two indexed lookups (ORDER BY status would sort in a temp b-tree)
    found = _select(db, f"""WHERE id IN (
        SELECT id FROM (SELECT id FROM campaigns WHERE status = '{OPEN}' LIMIT 1)
        UNION ALL
        SELECT id FROM (SELECT id FROM campaigns WHERE status = '{CLOSED}'
                        ORDER BY year DESC LIMIT 1)
        LIMIT 1)""", [])
    return found[0] if found else None


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
    """Close an open campaign: no more answers, no more reminders. Raises `WrongStatus`."""
    now = resolve_now(now)
    cursor = db.execute(
        "UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
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
    one more deadline reminder (its slot names the deadline).
    """
    today = paris_today(now)
    if deadline < today:
        raise DeadlinePassed(deadline, today)
    return _update_unless_closed(db, campaign_id, "deadline = ?", [deadline.isoformat()])


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


# --- Who has answered -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlaceStatus:
    place: Place
    state: str  # one of PLACE_STATES
    answered: int  # questions answered, of those asked (0 / 0 without a response)
    asked: int
    submitted_at: datetime | None
    managers: int
    unreachable_managers: int


@dataclass(frozen=True)
class CampaignStatus:
    campaign: Campaign
    places: list[PlaceStatus]  # every active place, sorted by name

    @property
    def counts(self) -> dict[str, int]:
        """How many places are in each state (every state present, maybe 0)."""
        counter = Counter(p.state for p in self.places)
        return {state: counter.get(state, 0) for state in PLACE_STATES}

    def in_state(self, state: str) -> list[PlaceStatus]:
        return [p for p in self.places if p.state == state]


def _answers_by_response(db: Database, year: int) -> dict[int, dict[str, Any]]:
    answers: dict[int, dict[str, Any]] = {}
    rows = db.execute(
        "SELECT a.response_id, a.key, a.value FROM answers a"
        " JOIN responses r ON r.id = a.response_id WHERE r.year = ?",
        [year],
    )
    for response_id, key, value in rows:
        answers.setdefault(response_id, {})[key] = decode(value)
    return answers


def campaign_status(db: Database, campaign: Campaign, grid: Grid | None = None
                    ) -> CampaignStatus:
    """Where each active place stands in the campaign.

    submitted (sent) > no_manager > unreachable (every manager blocked the bot) >
    in_progress (at least one answer stored; progress = answered / asked of the
    campaign's questions, `questionnaire.engine.completion`) > not_started.
    """
    grid = grid or default_grid()
    places = [_place(row) for row in select(db,
        "SELECT id, name, active, created_at, removed_at FROM places WHERE active = 1"
        " ORDER BY name_key, id")]
    managers: Counter[int] = Counter()
    unreachable: Counter[int] = Counter()
    for place_id, is_unreachable in db.execute(
            "SELECT m.place_id, pe.unreachable_at IS NOT NULL FROM managers m"
            " JOIN people pe ON pe.telegram_id = m.person_id"):
        managers[place_id] += 1
        unreachable[place_id] += bool(is_unreachable)
    responses = {row["place_id"]: row for row in select(db,
        "SELECT id, place_id, status, submitted_at FROM responses WHERE year = ?",
        [campaign.year])}
    answers = _answers_by_response(db, campaign.year)
    statuses: list[PlaceStatus] = []
    for place in places:
        response = responses.get(place.id)
        stored = answers.get(response["id"], {}) if response else {}
        answered, asked = completion(grid, stored) if stored else (0, 0)
        count, blocked = managers[place.id], unreachable[place.id]
        if response is not None and response["status"] == ResponseStatus.SUBMITTED:
            state = SUBMITTED
        elif count == 0:
            state = NO_MANAGER
        elif blocked == count:
            state = UNREACHABLE
        elif stored:
            state = IN_PROGRESS
        else:
            state = NOT_STARTED
        statuses.append(PlaceStatus(place, state, answered, asked,
                                    _moment(response["submitted_at"]) if response else None,
                                    count, blocked))
    return CampaignStatus(campaign, statuses)


def reminder_targets(db: Database, campaign: Campaign) -> list[Target]:
    """Each reachable manager of each active place that has not sent, sorted by place name.

    The targets of `campaign.schedule.due_reminders`, and of the launch messages.
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
        ORDER BY p.name_key, p.id, m.created_at, m.rowid
        """,
        [campaign.year],
    )
    return [Target(place_id, person_id) for place_id, person_id in rows]


# --- Responses, for exports -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CampaignResponse:
    """A response of the campaign's year with its stored answers (`campaign.export`)."""

    response_id: int
    place_id: int
    place: str
    year: int
    status: str  # 'submitted' | 'in_progress'
    grid_version: str
    submitted_at: datetime | None
    answers: dict[str, Any]


def campaign_responses(db: Database, campaign: Campaign, *, submitted_only: bool = False
                       ) -> list[CampaignResponse]:
    """Every response of the campaign's year (removed places included), sorted by place."""
    where = "WHERE r.year = ?" + (" AND r.status = 'submitted'" if submitted_only else "")
    answers = _answers_by_response(db, campaign.year)
    return [
        CampaignResponse(
            response_id=row["id"],
            place_id=row["place_id"],
            place=row["name"],
            year=row["year"],
            status=row["status"],
            grid_version=row["grid_version"],
            submitted_at=_moment(row["submitted_at"]),
            answers=answers.get(row["id"], {}),
        )
        for row in select(db,
            "SELECT r.id, r.place_id, p.name, r.year, r.status, r.grid_version,"
            f" r.submitted_at FROM responses r JOIN places p ON p.id = r.place_id {where}"
            " ORDER BY p.name_key, p.id",
            [campaign.year],
        )
    ]


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
