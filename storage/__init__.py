"""SQLite storage for fichebot, through sqlite-utils.

The database is the only source of truth for where every interview stands;
anything kept in memory is a cache. Start with `open_db`.
"""

from .connect import open_db
from .db import immediate_transaction, now_iso
from .errors import (
    DatabaseBusy,
    DuplicatePlace,
    InvalidName,
    NotFound,
    SchemaTooNew,
    StorageError,
)
from .health import DatabaseDamaged
from .migrations import MIGRATIONS, latest_version, migrate, schema_version
from .people import (
    Person,
    add_manager,
    get_person,
    managers_of_place,
    places_of_manager,
    remove_manager,
    upsert_person,
)
from .places import (
    Place,
    add_place,
    find_place,
    get_place,
    list_places,
    remove_place,
    set_place_title,
)
from .responses import (
    IN_PROGRESS,
    KEEP,
    SUBMITTED,
    InterviewStep,
    Response,
    find_response,
    get_or_create_response,
    get_response,
    interview_step,
    load_answers,
    load_position,
    mark_submitted,
    reopen_response,
    step_in_transaction,
)
from .updates import claim_update, is_update_processed, prune_processed_updates

__all__ = [
    "IN_PROGRESS",
    "KEEP",
    "MIGRATIONS",
    "SUBMITTED",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DuplicatePlace",
    "InterviewStep",
    "InvalidName",
    "NotFound",
    "Person",
    "Place",
    "Response",
    "SchemaTooNew",
    "StorageError",
    "add_manager",
    "add_place",
    "claim_update",
    "find_place",
    "find_response",
    "get_or_create_response",
    "get_person",
    "get_place",
    "get_response",
    "immediate_transaction",
    "interview_step",
    "is_update_processed",
    "latest_version",
    "list_places",
    "load_answers",
    "load_position",
    "managers_of_place",
    "mark_submitted",
    "migrate",
    "now_iso",
    "open_db",
    "places_of_manager",
    "prune_processed_updates",
    "remove_manager",
    "remove_place",
    "reopen_response",
    "schema_version",
    "set_place_title",
    "step_in_transaction",
    "upsert_person",
]
