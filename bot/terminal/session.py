"""The terminal person's interview through the session every channel shares.

`interview.apply` decides everything (place, year, campaign open or closed, the offer
of an earlier year's answers, read-only once sent) and commits each step — answers and
position in one transaction — before the terminal prints anything: quitting at any
moment (/q, Ctrl-C, end of input) loses nothing, the next run resumes at the same
question, and a manager answering the same place from Telegram meanwhile is seen at
once. The terminal has no redelivery: no update id.
"""

from __future__ import annotations

from sqlite_utils import Database

import interview
from interview import Outcome, Prefill
from questionnaire.engine import Action
from questionnaire.grid import Grid

TERMINAL_PERSON = 0  # the terminal user, in the people table


class TerminalSession:
    def __init__(self, db: Database, grid: Grid, year: int | None) -> None:
        self.db = db
        self.grid = grid
        self.year = year  # --annee, or None: the session's year (campaign, calendar)

    def apply(self, action: Action, *, reopen: bool = False) -> Outcome:
        return interview.apply(self.db, self.grid, TERMINAL_PERSON, action, None,
                               reopen=reopen, year=self.year)

    def open(self) -> interview.Session | None:
        return interview.open_session(self.db, self.grid, TERMINAL_PERSON, year=self.year)

    def choose_prefill(self, outcome: Outcome, accept: bool) -> Prefill:
        """The answer to `outcome.offer`: start from it, or from a blank fiche."""
        assert outcome.session is not None and outcome.offer is not None
        done, _ = interview.choose_prefill(self.db, self.grid, outcome.session,
                                           outcome.offer.id if accept else None)
        return done
