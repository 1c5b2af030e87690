"""Exceptions raised by the storage package.

Every exception is a `StorageError`, so callers that only want to report a
failure can catch that one class.
"""


class StorageError(Exception):
    """Base class for every error raised by `storage`."""


class NotFound(StorageError, LookupError):
    """The requested record does not exist."""


class DuplicatePlace(StorageError):
    """An active place already has this name (compared case-insensitively)."""

    def __init__(self, name: str, existing_id: int | None = None) -> None:
        self.name = name
        self.existing_id = existing_id
        suffix = f" (id {existing_id})" if existing_id is not None else ""
        super().__init__(f"an active place named {name!r} already exists{suffix}")


class InvalidName(StorageError, ValueError):
    """A name is empty or otherwise unusable."""


class SchemaTooNew(StorageError):
    """The database was migrated by a newer fichebot than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"database schema version {found} is newer than this fichebot ({known})"
        )


class DatabaseBusy(StorageError):
    """The write lock could not be obtained within the busy timeout."""
