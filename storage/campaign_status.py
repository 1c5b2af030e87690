"""Where each place stands in a campaign, what each of its managers did, and the rows of
the campaign's exports.

A place's state is `campaign.states.place_state` (the one definition), decided from the
same facts (`_facts`) for /campagne_statut, the exports and the synthesis; the reminder
targets (`storage.campaigns.reminder_targets`) are the managers of the places it calls
`not_started` or `in_progress`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlite_utils import Database

from campaign.schedule import Sent
from campaign.states import PlaceState, place_state
from campaign.upcoming import Upcoming, last_reminder, next_reminder
from questionnaire.engine import completion
from questionnaire.grid import Grid, default_grid
from questionnaire.progress import SectionProgress, section_progress
from questionnaire.versions import grid_for_version

from .campaign_model import Campaign, _moment
from .codec import decode
from .db import select
from .places import Place, _place
from .reminders import sent_log as reminder_log
from .reminders import snoozes as person_snoozes
from .stamps import resolve_now

NO_PROGRESS: Final = SectionProgress(0, 0)
SUBMITTED: Final = PlaceState.SUBMITTED
PLACE_STATES: Final = tuple(PlaceState)


# --- Who has answered -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ManagerStatus:
    """What one manager of a place did, for /campagne_statut."""

    person_id: int
    name: str
    joined_at: datetime | None  # when they opened the place's link (became its manager)
    last_answer_at: datetime | None  # their latest answer to this year's response
    unreachable_at: datetime | None  # when they blocked the bot (None: reachable)
    last_reminder: Sent | None  # the latest reminder logged for them (periodic, manual…)
    next_reminder: Upcoming | None  # the next one the schedule will send (None: none)

    @property
    def unreachable(self) -> bool:
        return self.unreachable_at is not None


@dataclass(frozen=True, slots=True)
class PlaceStatus:
    place: Place
    state: PlaceState
    answered: int  # questions answered, of those asked (0 / 0 without a response)
    asked: int
    submitted_at: datetime | None
    managers: int
    unreachable_managers: int
    sections: SectionProgress = NO_PROGRESS  # "7 sections sur 12"
    people: tuple[ManagerStatus, ...] = ()
    last_answer_at: datetime | None = None
    grid_version: str | None = None  # of its response (None: no response)


@dataclass(frozen=True)
class CampaignStatus:
    campaign: Campaign
    places: list[PlaceStatus]  # every active place, sorted by name

    @property
    def counts(self) -> dict[PlaceState, int]:
        """How many places are in each state (every state present, maybe 0)."""
        counter = Counter(p.state for p in self.places)
        return {state: counter.get(state, 0) for state in PLACE_STATES}

    def in_state(self, state: str) -> list[PlaceStatus]:
        return [p for p in self.places if p.state == state]

    @property
    def share_submitted(self) -> float:
        """The share of active places that sent, from 0 to 1 (0 without places)."""
        return len(self.in_state(SUBMITTED)) / len(self.places) if self.places else 0.0


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


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the state of each place (active or removed) is decided from."""

    responses: dict[int, Mapping[str, Any]]  # place id → its response row of the year
    answered: set[int]  # the responses with at least one stored answer
    answers: dict[int, dict[str, Any]]  # response id → stored answers (if read)
    managers: dict[int, list[Mapping[str, Any]]]  # place id → its managers' rows

    def state(self, place_id: int) -> PlaceState:
        response = self.responses.get(place_id)
        people = self.managers.get(place_id, [])
        return place_state(
            submitted=response is not None and response["status"] == "submitted",
            managers=len(people),
            unreachable_managers=sum(1 for m in people if m["unreachable_at"]),
            has_answers=response is not None and response["id"] in self.answered)


def _facts(db: Database, year: int, *, answers: bool = True) -> _Facts:
    """`answers=False`: which responses have answers, not what they are (the states
    need no more; decoding every answer of a network takes a quarter of a second)."""
    responses = {row["place_id"]: row for row in select(db,
        "SELECT id, place_id, status, submitted_at, grid_version FROM responses"
        " WHERE year = ?", [year])}
    managers: dict[int, list[Mapping[str, Any]]] = {}
    for row in select(db,
            "SELECT m.place_id, m.person_id, m.created_at, pe.display_name,"
            " pe.unreachable_at FROM managers m JOIN people pe ON pe.telegram_id = m.person_id"
            " ORDER BY m.created_at, m.rowid"):
        managers.setdefault(row["place_id"], []).append(row)
    if answers:
        stored = _answers_by_response(db, year)
        return _Facts(responses, set(stored), stored, managers)
    answered = {response_id for (response_id,) in db.execute(
        "SELECT DISTINCT a.response_id FROM answers a JOIN responses r ON r.id = a.response_id"
        " WHERE r.year = ?", [year])}
    return _Facts(responses, answered, {}, managers)


def state_counts(db: Database, campaign: Campaign) -> dict[PlaceState, int]:
    """How many active places are in each state (every state present, maybe 0): the
    `counts` of `campaign_status`, without reading what each place answered."""
    facts = _facts(db, campaign.year, answers=False)
    counter = Counter(facts.state(place_id) for (place_id,) in db.execute(
        "SELECT id FROM places WHERE active = 1"))
    return {state: counter.get(state, 0) for state in PLACE_STATES}


def _last_answers(db: Database, year: int) -> dict[tuple[int, int | None], datetime]:
    """(place id, person id) → their latest answer of the year; (place id, None) → the
    place's latest answer, whoever gave it."""
    latest: dict[tuple[int, int | None], datetime] = {}
    for place_id, person_id, at in db.execute(
            "SELECT r.place_id, a.updated_by, max(a.updated_at) FROM answers a"
            " JOIN responses r ON r.id = a.response_id WHERE r.year = ?"
            " GROUP BY r.place_id, a.updated_by", [year]):
        moment = datetime.fromisoformat(at)
        latest[(place_id, person_id)] = moment
        if (place_id, None) not in latest or moment > latest[(place_id, None)]:
            latest[(place_id, None)] = moment
    return latest


def campaign_status(db: Database, campaign: Campaign, grid: Grid | None = None, *,
                    now: datetime | None = None) -> CampaignStatus:
    """Where each active place stands in the campaign, and what each of its managers did.

    The state is `campaign.states.place_state` (the one definition). Progress is
    counted with the grid each response was answered with (`grid` when it is that
    version): questions (`questionnaire.engine.completion`) and sections
    (`questionnaire.progress.section_progress`). The next reminder of each manager is
    `campaign.upcoming.next_reminder` at `now` (the real clock by default).
    """
    now = resolve_now(now)
    grid = grid or default_grid()
    places = [_place(row) for row in select(db,
        "SELECT id, name, active, created_at, removed_at FROM places WHERE active = 1"
        " ORDER BY name_key, id")]
    facts = _facts(db, campaign.year)
    last_answers = _last_answers(db, campaign.year)
    log: dict[tuple[int, int], list[Sent]] = {}
    for entry in reminder_log(db, campaign.id):  # by target: each is read for one target
        log.setdefault((entry.place_id, entry.person_id), []).append(entry)
    snoozed = person_snoozes(db, campaign.id)
    statuses: list[PlaceStatus] = []
    for place in places:
        response = facts.responses.get(place.id)
        stored = facts.answers.get(response["id"], {}) if response else {}
        used = grid_for_version(response["grid_version"], grid) if response else grid
        answered, asked = completion(used, stored) if stored else (0, 0)
        state = facts.state(place.id)
        rows = facts.managers.get(place.id, [])
        people = tuple(
            ManagerStatus(
                person_id=row["person_id"],
                name=row["display_name"],
                joined_at=_moment(row["created_at"]),
                last_answer_at=last_answers.get((place.id, row["person_id"])),
                unreachable_at=_moment(row["unreachable_at"]),
                last_reminder=last_reminder(log.get((place.id, row["person_id"]), []),
                                            (place.id, row["person_id"])),
                next_reminder=None if state == SUBMITTED or row["unreachable_at"] else
                next_reminder(campaign, (place.id, row["person_id"]),
                              log.get((place.id, row["person_id"]), []), snoozed, now),
            )
            for row in rows)
        statuses.append(PlaceStatus(
            place, state, answered, asked,
            _moment(response["submitted_at"]) if response else None,
            len(rows), sum(1 for p in people if p.unreachable),
            section_progress(used, stored) if stored else NO_PROGRESS,
            people, last_answers.get((place.id, None)),
            response["grid_version"] if response else None))
    return CampaignStatus(campaign, statuses)


# --- Responses, for exports -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CampaignResponse:
    """A place's row in the campaign's exports (`campaign.export`): its response of the
    year with its stored answers, or no response at all (`response_id` None, no answers)."""

    response_id: int | None
    place_id: int
    place: str
    year: int
    status: str  # the response's: 'submitted' | 'in_progress' | '' without a response
    grid_version: str  # the response's, else the campaign's
    submitted_at: datetime | None
    answers: dict[str, Any]
    state: PlaceState = PlaceState.NOT_STARTED  # `campaign.states`, as /campagne_statut


def campaign_responses(db: Database, campaign: Campaign, *, submitted_only: bool = False
                       ) -> list[CampaignResponse]:
    """A row for every active place, and for every removed place that has a response of
    the campaign's year, sorted by place name; only the sent ones with `submitted_only`."""
    facts = _facts(db, campaign.year)
    rows: list[CampaignResponse] = []
    for place in select(db, "SELECT id, name, active FROM places ORDER BY name_key, id"):
        response = facts.responses.get(place["id"])
        if response is None and not place["active"]:
            continue
        state = facts.state(place["id"])
        if submitted_only and state != SUBMITTED:
            continue
        rows.append(CampaignResponse(
            response_id=response["id"] if response else None,
            place_id=place["id"],
            place=place["name"],
            year=campaign.year,
            status=response["status"] if response else "",
            grid_version=response["grid_version"] if response else campaign.grid_version,
            submitted_at=_moment(response["submitted_at"]) if response else None,
            answers=facts.answers.get(response["id"], {}) if response else {},
            state=state,
        ))
    return rows
