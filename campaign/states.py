"""The fixed sets of a campaign, as StrEnums: their values are what the database stores,
so a member compares equal to the stored text and formats as it."""

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
    """Where a place stands in a campaign (`storage.campaigns.campaign_status`)."""

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


class ReminderOutcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"
    ERROR = "error"
