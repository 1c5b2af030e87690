"""The outbox: which owed messages left for Telegram, and what became of them.

Two logs share one rule. `reminders` (see `storage.reminders`) logs the campaign's
messages — launch invitation, reminders, closing notice — and `deliveries` logs a sent
fiche going to one of its place's managers or recipients. A row is written (claimed)
only when the message's first request actually leaves for Telegram — the bot's
transport calls the claim after the rate limiter let the request through
(`bot.telegram.wire`) — and gets its outcome when Telegram answered. So, after a crash:

- no row: the message never left; it is still owed and goes out after the restart;
- a row without outcome: the request was on the wire when the process died, and nobody
  knows whether Telegram got it. `recover_unknown` (run at start, before anything is
  sent) forgets such claims of the messages that must arrive (launch, closing, fiche
  deliveries) so that they are sent again — the only duplicates possible; a reminder
  keeps its claim and counts as sent: a reminder may be dropped, never doubled.

What is owed is derived from the database, never queued in memory: the campaign's
targets for launch and closing (`bot.telegram.broadcast.owed_announcements`), and for a
fiche its place's managers and the recipients who held that role when it was sent
(`owed_deliveries`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlite_utils import Database

from .campaigns import Campaign, reminder_targets, resolve_now, stamp
from .errors import NotFound
from .receiving import receive_choices


class Outcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"  # 403: the person blocked the bot
    ERROR = "error"  # refused (400), or a timeout: it may have gone out; not retried


MUST_ARRIVE_KINDS = ("launch", "closing")  # reminder-log kinds re-sent when unknown


@dataclass(frozen=True)
class Recovered:
    """Claims a crash left without outcome, forgotten so that they are sent again."""

    announcements: int
    deliveries: int


def recover_unknown(db: Database) -> Recovered:
    """At start, before the bot sends anything: forget the claims without outcome of the
    messages that must arrive (they were on the wire when the previous process died).
    Reminders keep theirs (counted as sent). Never call it while this process sends."""
    marks = ", ".join("?" for _ in MUST_ARRIVE_KINDS)
    announcements = db.execute(
        f"DELETE FROM reminders WHERE outcome IS NULL AND kind IN ({marks})",
        list(MUST_ARRIVE_KINDS)).rowcount
    deliveries = db.execute("DELETE FROM deliveries WHERE outcome IS NULL").rowcount
    return Recovered(announcements, deliveries)


# --- Fiche deliveries ----------------------------------------------------------------------

# A fiche reopened (/modifier) and sent again is a new submission (`responses.submissions`):
# its deliveries are logged apart, so the corrected fiche is owed to everyone anew. Each
# function of one delivery takes the `submission` the sender's fiche was made for (None:
# the response's current one).
_SUBMISSION = "coalesce(?, (SELECT submissions FROM responses WHERE id = ?))"


def claim_delivery(db: Database, response_id: int, person_id: int, *,
                   submission: int | None = None, now: datetime | None = None) -> bool:
    """The fiche of `response_id` leaves for `person_id`: True, or False if it was
    already claimed (sent, or being sent, by someone else), or if this submission is no
    longer the one to deliver (the fiche was reopened, or sent again, meanwhile)."""
    cursor = db.execute(
        "INSERT INTO deliveries (response_id, submission, person_id, claimed_at)"
        " SELECT id, submissions, ?, ? FROM responses"
        " WHERE id = ? AND status = 'submitted' AND submissions = coalesce(?, submissions)"
        " ON CONFLICT (response_id, submission, person_id) DO NOTHING",
        [person_id, stamp(resolve_now(now)), response_id, submission])
    return cursor.rowcount == 1


def record_delivery(db: Database, response_id: int, person_id: int, outcome: Outcome, *,
                    submission: int | None = None, now: datetime | None = None) -> None:
    """What became of a claimed delivery. Raises `NotFound` if it was not claimed."""
    outcome = Outcome(outcome)
    cursor = db.execute(
        "UPDATE deliveries SET outcome = ?, done_at = ? WHERE response_id = ?"
        f" AND submission = {_SUBMISSION} AND person_id = ?",
        [outcome.value, stamp(resolve_now(now)), response_id, submission, response_id,
         person_id])
    if cursor.rowcount != 1:
        raise NotFound(f"no delivery of response {response_id} to person {person_id}")
    db.execute(f"DELETE FROM delivery_parts WHERE response_id = ? AND submission = {_SUBMISSION}"
               " AND person_id = ?", [response_id, submission, response_id, person_id])


def parts_sent(db: Database, response_id: int, person_id: int, *,
               submission: int | None = None) -> int:
    """How many parts of the fiche's delivery to `person_id` Telegram acknowledged (its
    intro, messages and document, in that order): a resumed delivery starts after them."""
    row = db.execute(f"SELECT parts_sent FROM delivery_parts WHERE response_id = ?"
                     f" AND submission = {_SUBMISSION} AND person_id = ?",
                     [response_id, submission, response_id, person_id]).fetchone()
    return row[0] if row else 0


def record_parts(db: Database, response_id: int, person_id: int, count: int, *,
                 submission: int | None = None) -> None:
    """`count` parts of the delivery are known to have arrived. Survives the release of the
    claim and `recover_unknown`: only the part that was on the wire may come twice."""
    db.execute(
        "INSERT INTO delivery_parts (response_id, submission, person_id, parts_sent)"
        f" VALUES (?, {_SUBMISSION}, ?, ?) ON CONFLICT (response_id, submission, person_id)"
        " DO UPDATE SET parts_sent = excluded.parts_sent",
        [response_id, submission, response_id, person_id, count])


def release_delivery(db: Database, response_id: int, person_id: int, *,
                     submission: int | None = None) -> bool:
    """Forget a claim whose message surely did not go out (a network error before any
    byte left, a 429 never waited out): owed again."""
    cursor = db.execute(
        f"DELETE FROM deliveries WHERE response_id = ? AND submission = {_SUBMISSION}"
        " AND person_id = ? AND outcome IS NULL",
        [response_id, submission, response_id, person_id])
    return cursor.rowcount == 1


def fiche_recipients(db: Database, response_id: int, admin_ids: Iterable[int] = ()
                     ) -> list[int]:
    """Who gets the fiche of a sent response: its place's managers (the one who sent it
    included: they get it as the answer to "Envoyer"), then the recipients
    (`destinataire`) who held that role when it was sent and did not say `/recevoir non`,
    then the administrators who said `/recevoir oui` before it was sent
    (`storage.receiving`); each once, and only if reachable. Empty if the response was
    not sent."""
    rows = db.execute(
        """
        WITH r AS (SELECT id, place_id, submitted_at, submitted_by FROM responses
                   WHERE id = ? AND status = 'submitted')
        SELECT person_id, min(rank) AS rank, min(since) AS since FROM (
            SELECT m.person_id, 0 AS rank, m.created_at AS since FROM r
            JOIN managers m ON m.place_id = r.place_id AND m.created_at <= r.submitted_at
            UNION ALL
            SELECT ro.person_id, 1, ro.created_at FROM r
            JOIN roles ro ON ro.role = 'destinataire' AND ro.created_at <= r.submitted_at
        ) AS x
        JOIN people pe ON pe.telegram_id = x.person_id AND pe.unreachable_at IS NULL
        WHERE x.person_id > 0
        GROUP BY person_id ORDER BY rank, since, person_id
        """, [response_id]).fetchall()
    choices = receive_choices(db)
    chosen = [person_id for person_id, rank, _since in rows
              if rank == 0 or choices.get(person_id, True)]
    admins = [a for a in sorted(set(admin_ids)) if choices.get(a, False) and a not in chosen]
    if not admins:
        return chosen
    sent = db.execute("SELECT submitted_at FROM responses WHERE id = ? AND status ="
                      " 'submitted'", [response_id]).fetchone()
    if sent is None:
        return chosen
    # An administrator's "oui" counts for the fiches sent after it, not for those a
    # restart or a retry still owes to others: no burst of two days of fiches.
    left_out = {person_id for (person_id,) in db.execute(
        "SELECT telegram_id FROM people WHERE unreachable_at IS NOT NULL"
        " UNION SELECT person_id FROM receive_preferences WHERE updated_at > ?", [sent[0]])}
    return chosen + [a for a in admins if a not in left_out]


def owed_deliveries(db: Database, since: datetime, admin_ids: Iterable[int] = ()
                    ) -> dict[int, list[int]]:
    """response id → the people its fiche is owed to and who have no claim of it, for the
    responses sent since `since` (a crash cut their sharing short). After
    `recover_unknown`, that includes the deliveries that were on the wire."""
    owed: dict[int, list[int]] = {}
    for (response_id,) in db.execute(
            "SELECT id FROM responses WHERE status = 'submitted' AND submitted_at >= ?"
            " ORDER BY submitted_at, id", [stamp(since)]).fetchall():
        people = owed_for(db, response_id, admin_ids)
        if people:
            owed[response_id] = people
    return owed


def owed_for(db: Database, response_id: int, admin_ids: Iterable[int] = ()) -> list[int]:
    """The people the fiche of `response_id` (as last sent) is owed to and who have no
    claim of it."""
    claimed = {person_id for (person_id,) in db.execute(
        "SELECT d.person_id FROM deliveries d JOIN responses r ON r.id = d.response_id"
        " AND d.submission = r.submissions WHERE d.response_id = ?", [response_id])}
    return [p for p in fiche_recipients(db, response_id, admin_ids) if p not in claimed]


def delivery_outcomes(db: Database, response_id: int, *, submission: int | None = None
                      ) -> dict[int, Outcome | None]:
    """person id → outcome (None: claimed, no outcome yet) of the deliveries of a fiche's
    submission (None: as last sent)."""
    return {person_id: Outcome(outcome) if outcome else None
            for person_id, outcome in db.execute(
                "SELECT person_id, outcome FROM deliveries WHERE response_id = ?"
                f" AND submission = {_SUBMISSION}", [response_id, submission, response_id])}


# --- The launch, for /campagne_statut -------------------------------------------------------

def launch_not_received(db: Database, campaign: Campaign) -> list[tuple[int, int]]:
    """(place id, person id) of the campaign's targets (reachable managers of active places
    that have not sent) whose launch invitation is not known to have arrived: not sent
    yet, on the wire, or refused. Empty for a campaign never launched. Those who became
    managers after the launch are owed no invitation (they came with a link)."""
    if campaign.launched_at is None:
        return []
    received = {(place_id, person_id) for place_id, person_id in db.execute(
        "SELECT place_id, person_id FROM reminders"
        " WHERE campaign_id = ? AND kind = 'launch' AND outcome = 'sent'", [campaign.id])}
    return [(t.place_id, t.person_id)
            for t in reminder_targets(db, campaign, managers_by=campaign.launched_at)
            if (t.place_id, t.person_id) not in received]
