"""Invitation links: a random token that gives a role (and a place) to whoever opens it.

The link is ``https://t.me/<bot>?start=<token>``. Only the token's SHA-256 is stored;
the token itself is returned once by `create_invitation` and never kept nor logged
(log `token_prefix(token)` at most).

Redeeming a 'gestionnaire' link makes the person a manager of its place and makes that
place their current one, in one transaction. A person who already manages the place
may open its link again, even used up or expired, to switch back to that place: that
changes nothing else and does not count as a use. A revoked link is always refused.
"""

import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from .db import immediate_transaction, now_iso, select, storable
from .errors import NotFound, StorageError
from .people import add_manager, get_person
from .places import get_place
from .roles import GESTIONNAIRE, ROLES, grant_role, set_current_place

DEFAULT_TTL_DAYS = 14
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 URL-safe characters
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram's start parameter allows


class InvitationError(StorageError):
    """An invitation that cannot be redeemed; the subclass says why."""


class UnknownInvitation(InvitationError):
    """No such token (mistyped, truncated, or the place was removed)."""


class ExpiredInvitation(InvitationError):
    pass


class UsedInvitation(InvitationError):
    """A single-use invitation that was already redeemed."""


class RevokedInvitation(InvitationError):
    pass


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    role: str
    place_id: int | None
    created_by: int | None
    created_at: str
    expires_at: str
    reusable: bool
    uses: int
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, now: datetime | None = None) -> bool:
        return datetime.fromisoformat(self.expires_at) <= (now or datetime.now(UTC))


_COLUMNS = (
    "id, role, place_id, created_by, created_at, expires_at, reusable, uses, revoked_at"
)


def _invitation(row: dict[str, Any]) -> Invitation:
    return Invitation(
        id=row["id"],
        role=row["role"],
        place_id=row["place_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        reusable=bool(row["reusable"]),
        uses=row["uses"],
        revoked_at=row["revoked_at"],
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_prefix(token: str) -> str:
    """What may be logged of a token: its first 4 characters."""
    return token[:4] + "…"


@contextmanager
def _transaction(db: Database) -> Iterator[None]:
    """Join the caller's transaction if one is open, else run in our own."""
    if db.conn.in_transaction:
        yield
    else:
        with immediate_transaction(db):
            yield


def create_invitation(
    db: Database,
    role: str,
    place_id: int | None,
    created_by: int | None,
    reusable: bool = False,
    ttl_days: int = DEFAULT_TTL_DAYS,
) -> str:
    """Create an invitation and return its token (≤ 64 URL-safe characters).

    A 'gestionnaire' invitation needs a place (raises `NotFound` if it does not exist);
    ValueError for an unknown role or a non-positive ttl.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
    if role == GESTIONNAIRE and place_id is None:
        raise ValueError("a 'gestionnaire' invitation needs a place")
    if ttl_days <= 0:
        raise ValueError("ttl_days must be positive")
    if place_id is not None:
        get_place(db, place_id)
    created = datetime.now(UTC).replace(microsecond=0)
    expires = created + timedelta(days=ttl_days)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.execute(
        """
        INSERT INTO invitations
            (token_hash, role, place_id, created_by, created_at, expires_at, reusable)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        [hash_token(token), role, place_id, created_by, created.isoformat(),
         expires.isoformat(), int(reusable)],
    )
    return token


def _find(db: Database, token: str) -> Invitation | None:
    if not _TOKEN.match(token or ""):
        return None
    rows = select(db, f"SELECT {_COLUMNS} FROM invitations WHERE token_hash = ?",
                  [hash_token(token)])
    return _invitation(rows[0]) if rows else None


def find_invitation(db: Database, token: str) -> Invitation | None:
    """The invitation of a token, whatever its state."""
    return _find(db, token)


def get_invitation(db: Database, invitation_id: int) -> Invitation:
    """Raises `NotFound`."""
    rows = (select(db, f"SELECT {_COLUMNS} FROM invitations WHERE id = ?", [invitation_id])
            if storable(invitation_id) else [])
    if not rows:
        raise NotFound(f"no invitation with id {invitation_id}")
    return _invitation(rows[0])


def redeem_invitation(
    db: Database, token: str, person_id: int, now: datetime | None = None
) -> Invitation:
    """Give the invitation's role to the person (who must exist: `upsert_person` first).

    Returns the invitation as it is after redeeming. Raises `UnknownInvitation`,
    `ExpiredInvitation`, `UsedInvitation` or `RevokedInvitation` (nothing changes then),
    `NotFound` if the person does not exist. Joins the caller's transaction if one is
    open (e.g. to record a Telegram update in the same commit), else runs in its own.
    """
    now = now or datetime.now(UTC)
    with _transaction(db):
        if get_person(db, person_id) is None:
            raise NotFound(f"no person with telegram id {person_id}")
        invitation = _find(db, token)
        if invitation is None:
            raise UnknownInvitation("unknown invitation")
        if invitation.revoked:
            raise RevokedInvitation(f"invitation {invitation.id} was revoked")
        place = None
        if invitation.place_id is not None:
            place = get_place(db, invitation.place_id)
            if not place.active:
                raise UnknownInvitation(f"the place of invitation {invitation.id} was removed")
        if invitation.role == GESTIONNAIRE:
            assert place is not None
            already = db.execute(
                "SELECT 1 FROM managers WHERE place_id = ? AND person_id = ?",
                [place.id, person_id],
            ).fetchall()
            if already:  # switching back to a place they manage
                set_current_place(db, person_id, place.id)
                return invitation
        if invitation.expired(now):
            raise ExpiredInvitation(f"invitation {invitation.id} expired")
        cursor = db.execute(
            "UPDATE invitations SET uses = uses + 1 WHERE id = ? AND (reusable = 1 OR uses = 0)",
            [invitation.id],
        )
        if cursor.rowcount != 1:
            raise UsedInvitation(f"invitation {invitation.id} was already used")
        if invitation.role == GESTIONNAIRE:
            assert place is not None
            add_manager(db, place.id, person_id)
            set_current_place(db, person_id, place.id)
        else:
            grant_role(db, person_id, invitation.role)
        return get_invitation(db, invitation.id)


def revoke_invitation(db: Database, invitation_id: int) -> Invitation:
    """Revoke an invitation (idempotent). Raises `NotFound`."""
    get_invitation(db, invitation_id)
    db.execute(
        "UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        [now_iso(), invitation_id],
    )
    return get_invitation(db, invitation_id)


def list_invitations(
    db: Database, place_id: int | None = None, include_inactive: bool = False,
    now: datetime | None = None,
) -> list[Invitation]:
    """Invitations, newest first; only those of a place if given.

    Without include_inactive, revoked, expired and used-up ones are left out.
    """
    where, params = ("WHERE place_id = ?", [place_id]) if place_id is not None else ("", [])
    invitations = [
        _invitation(row)
        for row in select(db,
            f"SELECT {_COLUMNS} FROM invitations {where} ORDER BY created_at DESC, id DESC",
            params,
        )
    ]
    if include_inactive:
        return invitations
    return [
        i for i in invitations
        if not i.revoked and not i.expired(now) and (i.reusable or i.uses == 0)
    ]
