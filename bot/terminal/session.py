"""One step of the terminal person's interview through storage and the engine.

Every step runs in one write transaction (`storage.interview_step`): the answers and
the position are read fresh and written together, so quitting at any moment (/q,
Ctrl-C, end of input) loses nothing and the next run resumes at the same question; a
manager answering the same place from Telegram at the same time is seen at once.
"""

from __future__ import annotations

from sqlite_utils import Database

import storage
from questionnaire import engine
from questionnaire.engine import Action, Position, Step
from questionnaire.grid import Grid

TERMINAL_PERSON = 0  # the terminal user, in the people table


class TerminalSession:
    def __init__(self, db: Database, grid: Grid, place: storage.Place,
                 response: storage.Response) -> None:
        self.db = db
        self.grid = grid
        self.place = place
        self.response = response

    def apply(self, action: Action) -> Step:
        """One engine step, committed before returning; refused input stores nothing."""
        with storage.interview_step(self.db, self.response.id, TERMINAL_PERSON) as s:
            position = Position.from_dict(self.grid, s.position)
            result = engine.step(self.grid, s.answers, position, action)
            if not result.error:
                if result.submit:
                    s.response = storage.mark_submitted(self.db, s.response.id,
                                                        TERMINAL_PERSON)
                s.save(result.changes, result.position.to_dict())
            self.response = s.response
        return result

    def reopen(self) -> None:
        """Put a sent fiche back in progress, on the section menu."""
        self.response = storage.reopen_response(self.db, self.response.id)
        self.apply(engine.OpenSections())
