"""Who answers, for which place and which year, and whether answers are taken.

Read fresh from the database each time (`apply` reads it inside its step's
transaction): a campaign closed or a place changed a moment before is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

import storage
from campaign import clock
from campaign.clock import PARIS
from questionnaire.grid import Grid
from storage.campaigns import (
    CLOSED,
    Campaign,
    current_campaign,
    find_campaign,
    latest_started_campaign,
)
from storage.roles import current_place_and_response
from storage.step_reads import step_reads


def current_year_for(now: datetime | None = None) -> int:
    """The calendar year in Europe/Paris at `now` (default: the real clock): the year
    answered for when no campaign was ever opened (`answering_year` decides)."""
    return (now or clock.now()).astimezone(PARIS).year


@dataclass(frozen=True)
class AnsweringYear:
    """The year managers answer for now, and whether answers are still taken.

    - A campaign is open: its year (its grid version for new responses).
    - None was ever opened (no campaign, or only drafts): the calendar year in Paris, so
      that a bot run without campaigns still works as before campaigns existed.
    - None is open but one was closed: answering is closed (the latest closed campaign's
      year is named), even while the next campaign is a draft (`upcoming`): nothing is
      stored until a coordinator launches it.
    """

    year: int
    campaign: Campaign | None
    closed: bool
    upcoming: Campaign | None = None  # when closed: a draft waiting to be launched


def answering_year(db: Database, now: datetime | None = None,
                   year: int | None = None) -> AnsweringYear:
    """See `AnsweringYear`. `year`: a channel that names the year itself (the terminal's
    `--annee`) answers for it, closed only if that year's campaign is closed."""
    if year is not None:
        named = find_campaign(db, year)
        return AnsweringYear(year, named, named is not None and named.status == CLOSED)
    return _answering(db, latest_started_campaign(db), current_year_for(now))


def _answering(db: Database, latest: Campaign | None, calendar_year: int) -> AnsweringYear:
    """`AnsweringYear` from the latest started campaign (`latest_started_campaign`)."""
    if latest is not None and latest.is_open:
        return AnsweringYear(latest.year, latest, False)
    if latest is not None:
        return AnsweringYear(latest.year, latest, True, current_campaign(db))
    return AnsweringYear(calendar_year, None, False)


@dataclass(frozen=True)
class Session:
    """Who is answering, for which place and which response."""

    person_id: int
    place: storage.Place
    response: storage.Response
    campaign: Campaign | None = None
    closed: bool = False  # the campaign is closed: nothing is stored
    upcoming: Campaign | None = None  # closed, and the next campaign is still a draft


def open_session(db: Database, grid: Grid, person_id: int,
                 now: datetime | None = None, year: int | None = None) -> Session | None:
    """The person's current place and its response of the year; None if they manage none.

    `apply` reads it itself, in the step's transaction; a channel that only shows
    something (the preview) reads it here. The response of the year is created when
    missing, except for a closed campaign (then a placeholder that is never stored).
    """
    if year is not None:
        answering = answering_year(db, now, year)
        found = current_place_and_response(db, person_id, answering.year)
        if found is None:
            return None
        place, response = found
    else:  # the campaign, the place and its response in one read (before every step)
        reads = step_reads(db, person_id, current_year_for(now))
        if reads.place is None:
            return None
        answering = _answering(db, reads.campaign, reads.year)
        place, response = reads.place, reads.response
    version = answering.campaign.grid_version if answering.campaign else grid.version
    if response is None and answering.closed:
        response = storage.Response(0, place.id, answering.year, version,
                                    storage.IN_PROGRESS, "", "", None, None)
    elif response is None:
        response = storage.get_or_create_response(db, place.id, answering.year, version)
    return Session(person_id, place, response, answering.campaign, answering.closed,
                   answering.upcoming)
