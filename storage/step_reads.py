"""What an interview step reads first, in one statement: the campaign managers answer
for, and the person's current place with its response of that campaign's year.

`interview.open_session` needs both before every step, and the year of the response
depends on the campaign: two statements (`campaigns.latest_started_campaign`, then
`roles.current_place_and_response`) became one, read inside the step's transaction.
The rare cases keep their own reads: a person whose current place is not set or no
longer theirs (the first place they manage, as `roles.current_place_and_response`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from .campaign_model import _COLUMNS as CAMPAIGN_COLUMNS
from .campaign_model import LATEST_STARTED, Campaign, _campaign
from .places import _COLUMNS as PLACE_COLUMNS
from .places import Place, place_of
from .responses import COLUMNS as RESPONSE_COLUMNS
from .responses import Response
from .roles import current_place_and_response

_CAMPAIGN_NAMES = CAMPAIGN_COLUMNS.split(", ")
_PLACE_NAMES = PLACE_COLUMNS.split(", ")
_RESPONSE_COUNT = len(RESPONSE_COLUMNS.split(", "))

_SQL = f"""
    WITH latest AS ({LATEST_STARTED})
    SELECT {", ".join(f"latest.{name}" for name in _CAMPAIGN_NAMES)},
           {", ".join(f"p.{name}" for name in _PLACE_NAMES)},
           {", ".join(f"r.{name}" for name in RESPONSE_COLUMNS.split(", "))}
    FROM (SELECT 1)
    LEFT JOIN latest
    LEFT JOIN people pe ON pe.telegram_id = ?
    LEFT JOIN managers m ON m.person_id = pe.telegram_id AND m.place_id = pe.current_place_id
    LEFT JOIN places p ON p.id = m.place_id AND p.active = 1
    LEFT JOIN responses r ON r.place_id = p.id AND r.year = coalesce(latest.year, ?)
"""


@dataclass(frozen=True, slots=True)
class StepReads:
    """`campaign`: the open campaign, else the latest closed one, else None (none was
    ever launched; drafts do not count). `year`: that campaign's year, else
    `calendar_year`. `place` and `response`: as `roles.current_place_and_response` for
    that year (`place` None: the person manages no active place)."""

    campaign: Campaign | None
    year: int
    place: Place | None
    response: Response | None


def step_reads(db: Database, person_id: int, calendar_year: int) -> StepReads:
    row = db.execute(_SQL, [person_id, calendar_year]).fetchone()
    count = len(_CAMPAIGN_NAMES)
    campaign = (_campaign(dict(zip(_CAMPAIGN_NAMES, row[:count], strict=True)))
                if row[0] is not None else None)
    year = campaign.year if campaign is not None else calendar_year
    place_row = row[count:count + len(_PLACE_NAMES)]
    if place_row[0] is None:  # no current place, or no longer theirs: the slow path
        found = current_place_and_response(db, person_id, year)
        place, response = found if found is not None else (None, None)
        return StepReads(campaign, year, place, response)
    response_row = row[count + len(_PLACE_NAMES):]
    assert len(response_row) == _RESPONSE_COUNT
    return StepReads(campaign, year, place_of(place_row),
                     Response(*response_row) if response_row[0] is not None else None)
