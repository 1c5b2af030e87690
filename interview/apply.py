"""One committed step of a person's interview: `apply(db, grid, person, action)`.

The session (place, year, response, campaign) is read, the engine step run, and the
answer, the person's position and the channel's update id written, all in one
``BEGIN IMMEDIATE`` transaction, before the channel replies. Everything is read fresh
from the database in that transaction, so a restart, a redelivered update, a campaign
closed by a coordinator or another manager of the same place answering at the same time
loses nothing and changes nothing it should not.

The result is an `Outcome`: a `Result` code saying what happened, and for a refused
input a `Problem` code; the channel turns codes into its own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

import storage
from interview.presses import FicheOf, Press, RemoveExtra, extra_digest
from interview.session import Session, open_session
from questionnaire import engine
from questionnaire.engine import Action, Position, Step
from questionnaire.grid import Grid
from storage.db import immediate_transaction
from storage.prefill import prefill_source
from storage.updates import claim_update

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")


class Result(StrEnum):
    """What one `apply` did."""

    DUPLICATE = "duplicate"  # the update was already handled: say nothing
    NO_PLACE = "no_place"  # the person manages no place: tell them how to get a link
    CLOSED = "closed"  # the campaign is closed: nothing applied
    OFFER = "offer"  # no answer yet: offer an earlier year's answers, nothing applied
    READ_ONLY = "read_only"  # the response is sent: nothing applied, `step` shows it
    STEPPED = "stepped"  # the engine ran (`step`; maybe refused: `problem`/`step.error`)


class Problem(StrEnum):
    """Why an input was refused by the session (the engine's own refusals are in
    `step.error`)."""

    STALE = "stale"  # a press made for another state, or unreadable
    OTHER_FICHE = "other_fiche"  # a press drawn for another place's or year's fiche
    BUTTONS_EXPECTED = "buttons_expected"  # text typed on the review or the section menu
    TAP_EXPECTED = "tap_expected"  # text on a choice question that is not an option number
    NUMBER_OUT_OF_RANGE = "number_out_of_range"  # `number` is not 1…`count`


@dataclass(frozen=True)
class Outcome:
    """What one step did. `step` is None unless `result` is STEPPED or READ_ONLY."""

    result: Result
    step: Step | None = None
    before: Position | None = None  # the person's position before the step
    response: storage.Response | None = None  # as it is after the step
    reopened: bool = False
    offer: storage.Response | None = None  # OFFER: the earlier response to start from
    session: Session | None = None  # None: DUPLICATE, NO_PLACE
    problem: Problem | None = None
    details: dict[str, int] = field(default_factory=dict)  # NUMBER_OUT_OF_RANGE's figures
    # a typed answer or a single choice replaced this value, written by another manager
    # after this person reached the question (two managers of one place): the channel
    # says so
    overwritten: Any = None

    @property
    def duplicate(self) -> bool:
        return self.result is Result.DUPLICATE

    @property
    def closed(self) -> bool:
        return self.result is Result.CLOSED

    @property
    def read_only(self) -> bool:
        return self.result is Result.READ_ONLY

    @property
    def refused(self) -> bool:
        """The input was refused (by the session or the engine): nothing changed."""
        return self.problem is not None or (self.step is not None and bool(self.step.error))

    @property
    def answers(self) -> dict[str, Any]:
        assert self.step is not None
        return self.step.answers


def _translate_text(grid: Grid, position: Position,
                    text: str) -> Action | tuple[Problem, dict[str, int]]:
    """Typed text → an engine action, or the problem to show.

    On a tap question (multi, single), typing an option's number ("2") chooses it; on a
    multi it ticks and never unticks (`on=True`): what a typed number means does not
    depend on a state the person may not have seen, so two managers typing "2" at once
    give one tick (unticking is a tap on the ✅ button). Other text is refused with a
    pointer to the buttons. Everything else goes to the
    engine as typed text (amount suggestions are not numbered: "2" is an amount).
    """
    if position.mode in ("review", "sections"):
        return Problem.BUTTONS_EXPECTED, {}
    if position.mode != "question":
        return engine.Text(text)
    question = grid.question(position.key or "")
    if question is None or question.type not in ("multi", "single"):
        return engine.Text(text)
    match = _NUMBER.match(text)
    if not match:
        return Problem.TAP_EXPECTED, {}
    number = int(match[1])
    if not 1 <= number <= len(question.options):
        return Problem.NUMBER_OUT_OF_RANGE, {"number": number, "count": len(question.options)}
    return engine.Tap(question.key, question.options[number - 1].id,
                      on=True if question.type == "multi" else None)


def _resolve_extra(grid: Grid, answers: dict[str, Any], press: RemoveExtra) -> Action | None:
    question = grid.question(press.key)
    if question is None:
        return None
    extras = list(answers.get(question.other_key) or [])
    if press.index >= len(extras) or extra_digest(extras[press.index]) != press.digest:
        return None
    return engine.RemoveOther(press.key, extras[press.index])


def _replaces(grid: Grid, action: Action) -> bool:
    """Whether the action puts a whole new answer in place of the stored one: typed text,
    or a tap on a single choice or an amount's suggestion (a multi's tap adds or removes
    one option, as the person meant: `Tap.on`)."""
    if isinstance(action, engine.Text):
        return True
    if isinstance(action, engine.Tap):
        question = grid.question(action.key)
        return question is not None and question.type != "multi"
    return False


def apply(db: Database, grid: Grid, person_id: int, action: Action | Press,
          update_id: int | None, *, reopen: bool = False,
          now: datetime | None = None, year: int | None = None) -> Outcome:
    """One step of the person's interview, committed before returning.

    `action` is an engine action (commands, typed text) or a decoded button `Press`,
    checked against the current position: a press made for another state is stale.
    `reopen` puts a submitted response back in progress first (/modifier). While the
    response is submitted, nothing else is applied (READ_ONLY). While the response has
    no answer and the manager has not chosen, nothing is applied either: OFFER, with the
    earlier response as a starting point (`storage.prefill`). `update_id` (None: the
    caller recorded it) is recorded as handled in every case, a person with no place
    included. `now` decides the calendar year when no campaign was ever opened; `year`
    names the year for a channel that chooses it (the terminal's `--annee`).
    """
    with immediate_transaction(db):
        if update_id is not None and not claim_update(db, update_id):
            return Outcome(Result.DUPLICATE)
        session = open_session(db, grid, person_id, now, year)
        if session is None:
            return Outcome(Result.NO_PLACE)
        if session.closed:
            return Outcome(Result.CLOSED, session=session)
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
            return Outcome(Result.OFFER, None, before, s.response, offer=source,
                           session=session)
    position = before or engine.start(grid, answers)
    reopened = False
    if s.response.submitted:
        if not reopen:
            shown = engine.step(grid, answers, position, engine.Show())
            return Outcome(Result.READ_ONLY, shown, before, s.response, session=session)
        s.response = storage.reopen_response(db, s.response.id)
        reopened = True

    problem: Problem | None = None
    details: dict[str, int] = {}
    resolved: Action | None
    if isinstance(action, Press):
        resolved = None
        if action.fiche not in (None, FicheOf(session.place.id, s.response.year)):
            problem = Problem.OTHER_FICHE
        elif action.action is not None and action.mode in (None, position.mode):
            if isinstance(action.action, RemoveExtra):
                resolved = _resolve_extra(grid, answers, action.action)
            else:
                resolved = action.action
        if resolved is None and problem is None:
            problem = Problem.STALE
    elif isinstance(action, engine.Text):
        translated = _translate_text(grid, position, action.text)
        if isinstance(translated, tuple):
            resolved, (problem, details) = None, translated
        else:
            resolved = translated
    else:
        resolved = action

    overwritten = None
    if resolved is None:
        shown = engine.step(grid, answers, position, engine.Show())
        result = Step(shown.answers, shown.position, shown.prompt, {}, None,
                      problem in (Problem.STALE, Problem.OTHER_FICHE))
    else:
        result = engine.step(grid, answers, position, resolved)
        if result.stale:
            problem = Problem.STALE
            result = Step(result.answers, result.position, result.prompt, {}, None, True)
        elif result.error is None or before is None:  # a first position is kept
            key = position.key
            if (_replaces(grid, resolved) and key in result.changes and key in answers
                    and answers[key] != result.changes[key]
                    and storage.responses.written_by_another_since(db, s.response.id, key,
                                                                   s.person_id)):
                overwritten = answers[key]
            if result.submit:
                s.response = storage.mark_submitted(db, s.response.id, s.person_id)
            s.save(result.changes, result.position.to_dict())
    return Outcome(Result.STEPPED, result, before, s.response, reopened=reopened,
                   session=session, problem=problem, details=details,
                   overwritten=overwritten)
