"""The fixed sets of a campaign, as StrEnums: their values are what the database stores,
so a member compares equal to the stored text and formats as it.

A place's state in a campaign has one definition, `place_state`, used by the status, the
exports, the reminders and the synthesis; the order of its tests is the definition:

1. the place sent its fiche of the year → `SUBMITTED` (whatever else is true);
2. it has no manager → `NO_MANAGER` (nobody to ask);
3. every manager blocked the bot → `UNREACHABLE` (nobody can be asked);
4. at least one answer is stored → `IN_PROGRESS`;
5. otherwise → `NOT_STARTED`.

`LABELS` are the French words every channel and every export shows for it.
"""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class PlaceState(StrEnum):
    """Where a place stands in a campaign (`place_state`)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    UNREACHABLE = "unreachable"  # not sent, and every manager blocked the bot
    NO_MANAGER = "no_manager"  # not sent, and nobody to ask


class ReminderKind(StrEnum):
    """What a message of the reminder log was (`storage.reminders`)."""

    PERIODIC = "periodic"
    DEADLINE = "deadline"
    SNOOZE = "snooze"
    LAUNCH = "launch"
    CLOSING = "closing"
    MANUAL = "manual"
    DEADLINE_MOVED = "deadline_moved"  # the managers told that the deadline moved


class ReminderOutcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"
    ERROR = "error"


# the order in which /campagne_statut lists the states, the ones to act on first
STATE_ORDER: tuple[PlaceState, ...] = (
    PlaceState.NOT_STARTED, PlaceState.IN_PROGRESS, PlaceState.UNREACHABLE,
    PlaceState.NO_MANAGER, PlaceState.SUBMITTED,
)

LABELS: dict[PlaceState, str] = {
    PlaceState.SUBMITTED: "envoyée",
    PlaceState.IN_PROGRESS: "en cours",
    PlaceState.NOT_STARTED: "non commencé",
    PlaceState.UNREACHABLE: "injoignable",
    PlaceState.NO_MANAGER: "sans gestionnaire",
}


def place_state(*, submitted: bool, managers: int, unreachable_managers: int,
                has_answers: bool) -> PlaceState:
    """The state of one place; see the module docstring for the rule."""
    if submitted:
        return PlaceState.SUBMITTED
    if managers == 0:
        return PlaceState.NO_MANAGER
    if unreachable_managers >= managers:
        return PlaceState.UNREACHABLE
    if has_answers:
        return PlaceState.IN_PROGRESS
    return PlaceState.NOT_STARTED
