"""The interview session shared by every channel (Telegram, terminal); no channel I/O.

A channel turns what a person did into an action and hands it to `apply`; it turns the
`Outcome` into messages in its own words. The session decides everything else:

- which place and which year (`open_session`, `answering_year`): the open campaign's
  year; with no campaign ever opened, the calendar year in Paris (`current_year_for`);
  after a closing, nothing is stored until the next launch (`Result.CLOSED`);
- the offer to start from an earlier year's answers (`Result.OFFER`; the choice itself is
  `storage.prefill.decide_prefill`);
- read-only once the fiche is sent (`Result.READ_ONLY`), unless the action reopens it;
- typed text on a choice question ("2" taps option 2) and presses made for another state
  (`Problem.STALE`) or for another place's or year's fiche (`Problem.OTHER_FICHE`), via
  `Press` (the action, the mode and the fiche it was made for).

API:

    apply(db, grid, person_id, action | Press, update_id, *, reopen=False, now=None,
          year=None)
        -> Outcome(result: Result, step, before, response, reopened, offer, session,
                   problem: Problem | None, details)
    open_session(db, grid, person_id, now=None, year=None) -> Session | None
    choose_prefill(db, grid, session, source_id | None, response_id=None)
        -> (Prefill.COPIED | BLANK | GONE, source response | None)
    answering_year(db, now=None, year=None) -> AnsweringYear
    current_year_for(now=None) -> int
    Press(action, mode, fiche), FicheOf(place_id, year), RemoveExtra(key, index, digest),
    extra_digest(text), STALE

The person answers for their current place (`storage.roles.current_place_and_response`:
the place of the link they opened last; the terminal makes its user a manager of the
place it names). `update_id` is the channel's idempotency key (Telegram's update id;
None for a channel without redelivery): recorded in the step's transaction, a second
`apply` with it is `Result.DUPLICATE` and changes nothing.
"""

from interview.apply import Outcome, Problem, Result, apply
from interview.prefill import Prefill, choose_prefill
from interview.presses import STALE, FicheOf, Press, RemoveExtra, extra_digest
from interview.session import (
    AnsweringYear,
    Session,
    answering_year,
    current_year_for,
    open_session,
)

__all__ = [
    "STALE",
    "AnsweringYear",
    "FicheOf",
    "Outcome",
    "Prefill",
    "Press",
    "Problem",
    "RemoveExtra",
    "Result",
    "Session",
    "answering_year",
    "apply",
    "choose_prefill",
    "current_year_for",
    "extra_digest",
    "open_session",
]
