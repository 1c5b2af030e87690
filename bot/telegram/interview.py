"""The interview of one person, over the engine and storage; no Telegram I/O here.

`apply` runs one engine step in one write transaction: who is answering for which place
and year (the session), the answers and the position are read, and the answer, the
person's position and the Telegram update id are written and committed together, before
the handler replies. Everything is read fresh from the database in that transaction, so
a restart, a redelivered update, a campaign closed by a coordinator or another manager
of the same place answering at the same time loses nothing and changes nothing it
should not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

import storage
from bot.telegram import texts
from bot.telegram.callbacks import Press, RemoveExtra, extra_digest
from questionnaire import engine
from questionnaire.engine import Action, Position, Step
from questionnaire.grid import Grid
from storage.campaigns import Campaign, current_campaign, latest_started_campaign
from storage.db import immediate_transaction
from storage.prefill import prefill_source
from storage.roles import current_place_and_response
from storage.updates import claim_update

PARIS = ZoneInfo("Europe/Paris")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")


def current_year_for(place: storage.Place | None) -> int:
    """The calendar year in Europe/Paris: the year answered for when there is no campaign.

    Which year a response is for is decided by `answering_year` (campaigns first).
    """
    return datetime.now(PARIS).year


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


def answering_year(db: Database) -> AnsweringYear:
    latest = latest_started_campaign(db)
    if latest is not None and latest.is_open:
        return AnsweringYear(latest.year, latest, False)
    if latest is not None:
        return AnsweringYear(latest.year, latest, True, current_campaign(db))
    return AnsweringYear(current_year_for(None), None, False)


@dataclass(frozen=True)
class Session:
    """Who is answering, for which place and which response."""

    person_id: int
    place: storage.Place
    response: storage.Response
    campaign: Campaign | None = None
    closed: bool = False  # the campaign is closed: nothing is stored
    upcoming: Campaign | None = None  # closed, and the next campaign is still a draft


def open_session(db: Database, grid: Grid, person_id: int) -> Session | None:
    """The person's current place and its response of the year; None if they manage none.

    `apply` reads it itself, in the step's transaction; handlers that only show
    something (/apercu) read it here.
    """
    now = answering_year(db)
    found = current_place_and_response(db, person_id, now.year)
    if found is None:
        return None
    place, response = found
    version = now.campaign.grid_version if now.campaign else grid.version
    if response is None and now.closed:
        # nothing is created for a closed campaign: a placeholder that is never stored
        response = storage.Response(0, place.id, now.year, version, storage.IN_PROGRESS,
                                    "", "", None, None)
    elif response is None:
        response = storage.get_or_create_response(db, place.id, now.year, version)
    return Session(person_id, place, response, now.campaign, now.closed, now.upcoming)


@dataclass(frozen=True)
class Outcome:
    """What one step did. `step` is None when nothing was applied: a duplicate update, a
    person with no place (`session` None), a closed campaign, an offer."""

    step: Step | None
    before: Position | None = None  # the person's position before the step
    response: storage.Response | None = None  # as it is after the step
    duplicate: bool = False
    read_only: bool = False  # the response is submitted: nothing was applied
    reopened: bool = False
    closed: bool = False  # the campaign is closed: nothing was applied
    offer: storage.Response | None = None  # offer to start from it: nothing was applied
    session: Session | None = None  # None: a duplicate, or the person manages no place

    @property
    def answers(self) -> dict[str, Any]:
        assert self.step is not None
        return self.step.answers


def _translate_text(grid: Grid, answers: dict[str, Any], position: Position,
                    text: str) -> Action | str:
    """Typed text → an engine action, or an error to show.

    On a tap question (multi, single), typing an option's number ("2") is a tap on it;
    other text is refused with a pointer to the buttons. Everything else goes to the
    engine as typed text (amount suggestions are not numbered: "2" is an amount).
    """
    if position.mode in ("review", "sections"):
        return texts.BUTTONS_EXPECTED
    if position.mode != "question":
        return engine.Text(text)
    question = grid.question(position.key or "")
    if question is None or question.type not in ("multi", "single"):
        return engine.Text(text)
    match = _NUMBER.match(text)
    if not match:
        return texts.TAP_EXPECTED
    number = int(match[1])
    if not 1 <= number <= len(question.options):
        return texts.NUMBER_OUT_OF_RANGE.format(number=number, count=len(question.options))
    return engine.Tap(question.key, question.options[number - 1].id)


def _resolve_extra(grid: Grid, answers: dict[str, Any], press: RemoveExtra) -> Action | None:
    question = grid.question(press.key)
    if question is None:
        return None
    extras = list(answers.get(question.other_key) or [])
    if press.index >= len(extras) or extra_digest(extras[press.index]) != press.digest:
        return None
    return engine.RemoveOther(press.key, extras[press.index])


def apply(db: Database, grid: Grid, person_id: int, action: Action | Press,
          update_id: int | None, *, reopen: bool = False) -> Outcome:
    """One step of the person's interview, committed before returning.

    The session (place, year, response, campaign) is read in the step's own transaction:
    a campaign closed or a place changed a moment before is seen. `action` is an engine
    action (commands, typed text) or a decoded button `Press`, checked against the
    current position: a press made for another state is stale. `reopen` puts a
    submitted response back in progress first (/modifier). While the response is
    submitted, nothing else is applied (`read_only`). While the response has no answer
    and the manager has not chosen, nothing is applied either: the outcome is the earlier
    response to `offer` as a starting point (`storage.prefill`). The update is recorded
    as handled in every case, a person with no place included.
    """
    with immediate_transaction(db):
        if update_id is not None and not claim_update(db, update_id):
            return Outcome(None, duplicate=True)
        session = open_session(db, grid, person_id)
        if session is None:  # no place: the handler explains how to get an invitation
            return Outcome(None)
        if session.closed:
            return Outcome(None, closed=True, session=session)
        with storage.step_in_transaction(db, session.response, person_id,
                                         update_id=update_id) as s:
            return _step(db, grid, session, s, action, reopen)


def _step(db: Database, grid: Grid, session: Session, s: storage.InterviewStep,
          action: Action | Press, reopen: bool) -> Outcome:
    answers = dict(s.answers)
    before = Position.from_dict(grid, s.position)
    if not answers:  # checked on the step's own reads: free once anything is answered
        source = prefill_source(db, s.response)
        if source is not None:
            return Outcome(None, before, s.response, offer=source, session=session)
    position = before or engine.start(grid, answers)
    reopened = False
    if s.response.submitted:
        if not reopen:
            shown = engine.step(grid, answers, position, engine.Show())
            return Outcome(shown, before, s.response, read_only=True, session=session)
        s.response = storage.reopen_response(db, s.response.id)
        reopened = True

    error: str | None = None
    stale = False
    resolved: Action | None
    if isinstance(action, Press):
        resolved = None
        if action.action is not None and action.mode in (None, position.mode):
            if isinstance(action.action, RemoveExtra):
                resolved = _resolve_extra(grid, answers, action.action)
            else:
                resolved = action.action
        stale = resolved is None
    elif isinstance(action, engine.Text):
        translated = _translate_text(grid, answers, position, action.text)
        resolved, error = (None, translated) if isinstance(translated, str) else (
            translated, None)
    else:
        resolved = action

    if resolved is None:
        result = engine.step(grid, answers, position, engine.Show())
        result = Step(result.answers, result.position, result.prompt, {},
                      texts.STALE if stale else error, stale)
    else:
        result = engine.step(grid, answers, position, resolved)
        if result.stale:
            result = Step(result.answers, result.position, result.prompt, {},
                          texts.STALE, True)
        elif result.error is None or before is None:  # a first position is kept
            if result.submit:
                s.response = storage.mark_submitted(db, s.response.id, s.person_id)
            s.save(result.changes, result.position.to_dict())
    return Outcome(result, before, s.response, reopened=reopened, session=session)
