"""A place's state in a campaign: the one definition, used by the status, the exports,
the reminders and the synthesis.

`place_state` decides it from four facts that `storage.campaigns.campaign_status` reads;
the order of the tests is the definition:

1. the place sent its fiche of the year → `SUBMITTED` (whatever else is true);
2. it has no manager → `NO_MANAGER` (nobody to ask);
3. every manager blocked the bot → `UNREACHABLE` (nobody can be asked);
4. at least one answer is stored → `IN_PROGRESS`;
5. otherwise → `NOT_STARTED`.

`LABELS` are the French words every channel and every export shows.
"""

from __future__ import annotations

from enum import StrEnum


class PlaceState(StrEnum):
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    UNREACHABLE = "unreachable"
    NO_MANAGER = "no_manager"


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
