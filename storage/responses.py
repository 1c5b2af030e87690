"""One response per place and year: its answers, each manager's position, submission.

Answers are stored one row per key (e.g. ``lien_social.publics`` or
``lien_social.publics.autre``), values JSON-encoded. Positions are opaque JSON
objects, one per (response, person); each manager of a place resumes where
*they* left off in the shared response.

Every function here except `interview_step` joins the caller's transaction
when one is open, so e.g. `mark_submitted` may be called inside a step.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any, Final

from sqlite_utils import Database

from campaign.states import ResponseStatus

from .codec import decode as _decode
from .codec import encode as _encode
from .db import immediate_transaction, now_iso, storable
from .errors import NotFound, StorageError
from .places import get_place
from .updates import claim_update

IN_PROGRESS: Final = ResponseStatus.IN_PROGRESS
SUBMITTED: Final = ResponseStatus.SUBMITTED
Status = ResponseStatus


@dataclass(frozen=True, slots=True)
class Response:
    """One place's response for one year. `updated_at`: when its answers or its status
    last changed (a manager moving from question to question does not count).
    `submissions`: how many times it was sent (a fiche reopened and sent again is a new
    submission, delivered anew)."""

    id: int
    place_id: int
    year: int
    grid_version: str
    status: Status
    started_at: str
    updated_at: str
    submitted_at: str | None
    submitted_by: int | None
    submissions: int = 0

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED


# the fields of Response, in order: a row is turned into a Response by position
COLUMNS = ", ".join(field.name for field in fields(Response))
def find_response(db: Database, place_id: int, year: int) -> Response | None:
    row = db.execute(f"SELECT {COLUMNS} FROM responses WHERE place_id = ? AND year = ?",
                     [place_id, year]).fetchone()
    return Response(*row) if row else None  # COLUMNS is in the order of the fields


def latest_submitted(db: Database, place_id: int, year: int | None = None) -> Response | None:
    """The place's sent response of `year`, or its latest sent one when `year` is None."""
    where = " AND year = ?" if year is not None else ""
    params = [place_id, year] if year is not None else [place_id]
    rows = db.execute(f"SELECT {COLUMNS} FROM responses WHERE place_id = ? AND "
                      f"status = 'submitted'{where} ORDER BY year DESC LIMIT 1",
                      params).fetchall()
    return Response(*rows[0]) if rows else None


def last_touched_place(db: Database) -> int | None:
    """The active place whose response changed last (the terminal resumes it)."""
    row = db.execute("SELECT place_id FROM responses JOIN places ON places.id = "
                     "responses.place_id WHERE places.active = 1 "
                     "ORDER BY responses.updated_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def get_response(db: Database, response_id: int) -> Response:
    """Raises `NotFound`."""
    row = (db.execute(f"SELECT {COLUMNS} FROM responses WHERE id = ?",
                      [response_id]).fetchone() if storable(response_id) else None)
    if row is None:
        raise NotFound(f"no response with id {response_id}")
    return Response(*row)


def get_or_create_response(db: Database, place_id: int, year: int, grid_version: str) -> Response:
    """The place's response for that year, created in progress if missing.

    An existing response is returned as is, even if its grid_version differs
    from the one given: the caller decides what to do about that.
    Raises `NotFound` if the place does not exist.
    """
    get_place(db, place_id)
    now = now_iso()
    db.execute(
        """
        INSERT INTO responses (place_id, year, grid_version, status, started_at, updated_at)
        VALUES (?, ?, ?, 'in_progress', ?, ?)
        ON CONFLICT (place_id, year) DO NOTHING
        """,
        [place_id, year, grid_version, now, now],
    )
    response = find_response(db, place_id, year)
    assert response is not None
    return response


def load_answers(db: Database, response_id: int) -> dict[str, Any]:
    """All answers of a response, JSON-decoded, keyed by answer key."""
    rows = db.execute(
        "SELECT key, value FROM answers WHERE response_id = ? ORDER BY key", [response_id]
    ).fetchall()
    return {key: _decode(value) for key, value in rows}


def load_position(db: Database, response_id: int, person_id: int) -> dict | None:
    rows = db.execute(
        "SELECT position FROM positions WHERE response_id = ? AND person_id = ?",
        [response_id, person_id],
    ).fetchall()
    return _decode(rows[0][0]) if rows else None


def mark_submitted(db: Database, response_id: int, by: int | None) -> Response:
    """Mark the response as sent. Already submitted: returned unchanged."""
    get_response(db, response_id)
    now = now_iso()
    db.execute(
        """
        UPDATE responses
        SET status = 'submitted', submitted_at = ?, submitted_by = ?, updated_at = ?,
            submissions = submissions + 1
        WHERE id = ? AND status = 'in_progress'
        """,
        [now, by, now, response_id],
    )
    return get_response(db, response_id)


def reopen_response(db: Database, response_id: int) -> Response:
    """Put a submitted response back in progress (to edit it after sending).

    submitted_at and submitted_by are cleared; the next `mark_submitted` sets
    them again. Already in progress: returned unchanged.
    """
    get_response(db, response_id)
    db.execute(
        """
        UPDATE responses
        SET status = 'in_progress', submitted_at = NULL, submitted_by = NULL, updated_at = ?
        WHERE id = ? AND status = 'submitted'
        """,
        [now_iso(), response_id],
    )
    return get_response(db, response_id)


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()
"""Default of `InterviewStep.save`'s position: leave the stored position alone."""


def written_by_another_since(db: Database, response_id: int, key: str, person_id: int
                             ) -> bool:
    """Whether the stored answer to `key` was written by someone else since `person_id`
    reached their current position (what they saw may not show it): a typed answer of
    theirs would replace a teammate's newer one. Same-second writes count as newer."""
    row = db.execute(
        "SELECT 1 FROM answers a JOIN positions p"
        " ON p.response_id = a.response_id AND p.person_id = ?"
        " WHERE a.response_id = ? AND a.key = ? AND a.updated_by IS NOT ?"
        " AND a.updated_at >= p.updated_at", [person_id, response_id, key, person_id]
    ).fetchone()
    return row is not None


class InterviewStep:
    """What `interview_step` yields: fresh state, and `save` to change it.

    `response` follows `save` (its updated_at); a caller that changes the response
    inside the step (`mark_submitted`, `reopen_response`) assigns what they return.
    """

    def __init__(
        self,
        db: Database,
        response: Response,
        person_id: int,
        update_id: int | None,
        duplicate: bool,
    ) -> None:
        self.db = db
        self.response = response
        self.person_id = person_id
        self.update_id = update_id
        self.duplicate = duplicate
        self.answers: dict[str, Any] = load_answers(db, response.id)
        self.position: dict | None = load_position(db, response.id, person_id)
        self.saved = False
        self._open = True

    def save(
        self,
        changes: Mapping[str, Any | None],
        position: dict | _Keep | None = KEEP,
    ) -> None:
        """Apply answer changes (a None value deletes that key) and store the position.

        position=None deletes this person's position; leaving it out keeps it.
        Only answers whose value actually changes are rewritten, so
        updated_by keeps naming who last changed each one, and the response's
        updated_at moves only when an answer changed; likewise the position is
        rewritten (with its own updated_at) only when it changes.
        `self.answers` and `self.position` are updated to match. May be called
        several times.
        """
        if not self._open:
            raise StorageError("interview step is over: save() must be called inside the block")
        if self.duplicate:
            raise StorageError(
                f"update {self.update_id} was already processed: nothing may be saved"
            )
        if not isinstance(position, dict | _Keep | None):
            raise TypeError(f"position must be a dict or None, not {type(position).__name__}")
        # Encode everything first so a bad value fails before anything is written.
        encoded: dict[str, str | None] = {}
        for key, value in changes.items():
            if not isinstance(key, str) or not key:
                raise ValueError(f"answer keys must be non-empty strings, not {key!r}")
            encoded[key] = None if value is None else _encode(value)
        encoded_position = None if isinstance(position, _Keep | None) else _encode(position)

        db, response_id, now = self.db, self.response.id, now_iso()
        answers_changed = False
        for key, text in encoded.items():
            if text is None:
                deleted = db.execute(
                    "DELETE FROM answers WHERE response_id = ? AND key = ?", [response_id, key]
                ).rowcount
                self.answers.pop(key, None)
                answers_changed = answers_changed or deleted > 0
                continue
            value = _decode(text)
            if key in self.answers and self.answers[key] == value:
                continue
            db.execute(
                """
                INSERT INTO answers (response_id, key, value, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (response_id, key) DO UPDATE SET
                    value = excluded.value,
                    updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by
                """,
                [response_id, key, text, now, self.person_id],
            )
            self.answers[key] = value
            answers_changed = True
        if encoded_position is not None and position != self.position:  # toggling is no move
            db.execute(
                """
                INSERT INTO positions (response_id, person_id, position, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (response_id, person_id) DO UPDATE SET
                    position = excluded.position,
                    updated_at = excluded.updated_at
                """,
                [response_id, self.person_id, encoded_position, now],
            )
            self.position = _decode(encoded_position)
        elif position is None:
            db.execute(
                "DELETE FROM positions WHERE response_id = ? AND person_id = ?",
                [response_id, self.person_id],
            )
            self.position = None
        if answers_changed:  # a move alone (the position) is not a change of the response
            db.execute("UPDATE responses SET updated_at = ? WHERE id = ?", [now, response_id])
            self.response = replace(self.response, updated_at=now)
        self.saved = True


@contextmanager
def interview_step(
    db: Database, response_id: int, person_id: int, update_id: int | None = None
) -> Iterator[InterviewStep]:
    """Apply one interview step atomically::

        with interview_step(db, response.id, user_id, update.update_id) as step:
            if step.duplicate:
                return  # redelivered update: already applied, do nothing
            ...compute from step.answers / step.position...
            step.save({"lien_social.publics": ["jeunes"]}, new_position)
        reply()  # only after the block: the step is committed by then

    The block runs in one ``BEGIN IMMEDIATE`` transaction: concurrent steps on
    the same database (e.g. two managers of one place) are serialised, and
    `step.answers` read inside the block cannot go stale before `save`.
    update_id is recorded in that same transaction, so a redelivered update is
    applied exactly once even across a crash.

    - The block raises: everything is rolled back, update_id included.
    - The block ends without calling `save` (e.g. input refused): the
      update_id record is still committed — the update was handled.
    - Do not ``await`` inside the block: it holds the database write lock,
      and another step on the same connection would be refused.

    Raises `NotFound` if the response does not exist, `DatabaseBusy` if the
    write lock cannot be obtained within the busy timeout, `StorageError` if
    the connection already has a transaction open.
    """
    with immediate_transaction(db):
        duplicate = update_id is not None and not claim_update(db, update_id)
        with step_in_transaction(db, get_response(db, response_id), person_id,
                                 update_id=update_id, duplicate=duplicate) as step:
            yield step


@contextmanager
def step_in_transaction(
    db: Database, response: Response, person_id: int, *, update_id: int | None = None,
    duplicate: bool = False,
) -> Iterator[InterviewStep]:
    """`interview_step` inside a write transaction the caller has opened
    (`immediate_transaction`) and in which they read `response` and claimed the update.

    For a caller that reads more than the response before the step, in the same
    transaction (the bot reads who answers for which place and year): one lock, one
    snapshot. Raises `StorageError` if no transaction is open.
    """
    if not db.conn.in_transaction:
        raise StorageError("step_in_transaction() needs an open transaction "
                           "(immediate_transaction)")
    step = InterviewStep(db, response, person_id, update_id, duplicate)
    try:
        yield step
    finally:
        step._open = False
