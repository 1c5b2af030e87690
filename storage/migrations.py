"""Schema migrations, versioned with ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``; the
database's ``user_version`` is the number of migrations applied.

This module grows past 400 lines on purpose: a committed migration is never edited
or moved, and one file in order is the history of the schema.

To add a migration:

1. write ``def _m0002_campaigns(db: Database) -> None`` below the last one,
   issuing its DDL/DML through ``db.execute(...)``;
2. append it to ``MIGRATIONS``.

That is all: `migrate` runs it at the next start. Rules:

- never edit, remove or reorder a migration that has been committed —
  databases in the field already ran it; fix mistakes with a new one;
- do not commit, roll back or change ``user_version`` yourself: the runner
  executes each migration in its own ``BEGIN IMMEDIATE`` transaction and sets
  ``user_version`` in that same transaction, so a failing migration leaves
  no trace;
- migrations run with ``foreign_keys=OFF`` (a ``PRAGMA foreign_keys`` inside
  a transaction would be ignored anyway), so a table can be rebuilt the way
  https://www.sqlite.org/lang_altertable.html#otheralter describes
  (create ``new_x``, copy, drop ``x``, rename). ``PRAGMA foreign_key_check``
  runs before the commit and any violation aborts the migration;
- avoid sqlite-utils' ``table.transform()`` here: it toggles
  ``PRAGMA foreign_keys`` itself.
"""

from collections.abc import Callable

from sqlite_utils import Database

from .db import immediate_transaction
from .errors import SchemaTooNew, StorageError
from .places import search_key


def _m0001_initial(db: Database) -> None:
    # Places: the name is kept as typed (with its article, e.g. "La Tréso").
    # name_key is the normalised, Unicode case-folded name (see places.name_key);
    # SQLite's own lower() only folds ASCII, so uniqueness is enforced on
    # name_key, among active places only: a removed place's name can be reused.
    statements = [
        """
        CREATE TABLE places (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            removed_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX places_active_name_key ON places (name_key) WHERE active = 1",
        """
        CREATE TABLE people (
            telegram_id INTEGER PRIMARY KEY,
            display_name TEXT NOT NULL,
            username TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE managers (
            place_id INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people (telegram_id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (place_id, person_id)
        )
        """,
        "CREATE INDEX managers_person_id ON managers (person_id)",
        """
        CREATE TABLE responses (
            id INTEGER PRIMARY KEY,
            place_id INTEGER NOT NULL REFERENCES places (id),
            year INTEGER NOT NULL,
            grid_version TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'in_progress'
                CHECK (status IN ('in_progress', 'submitted')),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submitted_at TEXT,
            submitted_by INTEGER,
            UNIQUE (place_id, year)
        )
        """,
        """
        CREATE TABLE answers (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by INTEGER,
            PRIMARY KEY (response_id, key)
        )
        """,
        # person_id is deliberately not a foreign key: the terminal user (0)
        # need not exist in people.
        """
        CREATE TABLE positions (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL,
            position TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (response_id, person_id)
        )
        """,
        """
        CREATE TABLE processed_updates (
            update_id INTEGER PRIMARY KEY,
            processed_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX processed_updates_processed_at ON processed_updates (processed_at)",
    ]
    for sql in statements:
        db.execute(sql)


def _m0002_invitations_and_roles(db: Database) -> None:
    # Invitations are links (t.me/<bot>?start=<token>) that give a role when opened.
    # Only the token's SHA-256 (hex) is kept: a copy of the database cannot be used
    # to redeem anyone's link. place_id names the place of a 'gestionnaire' link.
    # expires_at is set by storage.invitations (created_at + ttl, 14 days by default):
    # a column default cannot refer to created_at.
    statements = [
        """
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL
                CHECK (role IN ('gestionnaire', 'coordinateur', 'destinataire')),
            place_id INTEGER REFERENCES places (id),
            created_by INTEGER,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            reusable INTEGER NOT NULL DEFAULT 0 CHECK (reusable IN (0, 1)),
            uses INTEGER NOT NULL DEFAULT 0,
            revoked_at TEXT,
            CHECK (role != 'gestionnaire' OR place_id IS NOT NULL)
        )
        """,
        "CREATE INDEX invitations_place_id ON invitations (place_id)",
        # Roles that are not tied to a place; managers stay in `managers`.
        """
        CREATE TABLE roles (
            person_id INTEGER NOT NULL REFERENCES people (telegram_id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('coordinateur', 'destinataire')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (person_id, role)
        )
        """,
        # The place a manager is answering for (a manager of several places switches
        # by opening another place's link).
        "ALTER TABLE people ADD COLUMN current_place_id INTEGER REFERENCES places (id)",
    ]
    for sql in statements:
        db.execute(sql)


def _m0003_campaigns_and_reminders(db: Database) -> None:
    # A campaign per year (responses are UNIQUE (place_id, year): a campaign's responses
    # are those of its year). Dates are ISO 'YYYY-MM-DD' (deadline included: answers are
    # expected until the end of that day, Paris time); timestamps are UTC ISO 8601.
    # opened_at is the Paris date of the launch (NULL while draft). At most one campaign
    # is open at a time (partial unique index). remind_* = 0 turns that reminder off.
    # reminders is the log of what was sent or tried: (campaign, place, person, kind,
    # slot) is unique, so a slot is claimed once (INSERT ... DO NOTHING) before sending
    # and a restart never sends it twice. outcome stays NULL between the claim and the
    # send. person_id, as in positions, is not a foreign key.
    # people.unreachable_at: the person blocked the bot (Telegram 403); no more messages.
    statements = [
        """
        CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL UNIQUE,
            opened_at TEXT,
            deadline TEXT NOT NULL,
            grid_version TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            created_by INTEGER,
            created_at TEXT NOT NULL,
            launched_at TEXT,
            closed_at TEXT,
            remind_every_days INTEGER NOT NULL DEFAULT 7
                CHECK (remind_every_days BETWEEN 0 AND 365),
            remind_before_days INTEGER NOT NULL DEFAULT 3
                CHECK (remind_before_days BETWEEN 0 AND 365)
        )
        """,
        "CREATE UNIQUE INDEX campaigns_one_open ON campaigns (status) WHERE status = 'open'",
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            place_id INTEGER NOT NULL REFERENCES places (id),
            person_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (
                kind IN ('periodic', 'deadline', 'snooze', 'launch', 'closing', 'manual')),
            slot TEXT NOT NULL,
            due_at TEXT,
            sent_at TEXT,
            outcome TEXT CHECK (outcome IN ('sent', 'unreachable', 'error')),
            created_at TEXT NOT NULL,
            UNIQUE (campaign_id, place_id, person_id, kind, slot)
        )
        """,
        "CREATE INDEX reminders_person_id ON reminders (person_id)",
        """
        CREATE TABLE snoozes (
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL,
            until TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, person_id)
        )
        """,
        "ALTER TABLE people ADD COLUMN unreachable_at TEXT",
    ]
    for sql in statements:
        db.execute(sql)


def _m0004_prefill(db: Database) -> None:
    # Starting a year from the previous year's answers is offered once per response:
    # prefill_from is the response copied from, prefill_decided_at when the manager chose
    # (either way). NULL decided_at: not offered yet, or not answered yet.
    db.execute("ALTER TABLE responses ADD COLUMN prefill_from INTEGER REFERENCES responses (id)")
    db.execute("ALTER TABLE responses ADD COLUMN prefill_decided_at TEXT")


def _m0005_lighter_writes(db: Database) -> None:
    # Every interview step writes one answer, one position and one processed update.
    # answers and positions become WITHOUT ROWID tables, stored in their primary key's
    # b-tree, so each write touches one b-tree instead of the table and its key index;
    # the index on processed_updates.processed_at goes, since only the daily prune
    # reads that column (a scan of a week of update ids). A step's commit went from 37
    # to 22 µs (bench/README.md).
    db.execute(
        """
        CREATE TABLE new_answers (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by INTEGER,
            PRIMARY KEY (response_id, key)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE TABLE new_positions (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL,
            position TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (response_id, person_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("INSERT INTO new_answers SELECT response_id, key, value, updated_at, updated_by"
               " FROM answers")
    db.execute("INSERT INTO new_positions SELECT response_id, person_id, position, updated_at"
               " FROM positions")
    db.execute("DROP TABLE answers")
    db.execute("DROP TABLE positions")
    db.execute("ALTER TABLE new_answers RENAME TO answers")
    db.execute("ALTER TABLE new_positions RENAME TO positions")
    db.execute("DROP INDEX processed_updates_processed_at")


def _m0006_place_title(db: Database) -> None:
    # The fiche's title for a place, where the coordinator corrected the rule's form
    # ("DE HUB" → "DU HUB"); NULL: the rule's form.
    db.execute("ALTER TABLE places ADD COLUMN title_form TEXT")


def _m0007_steering(db: Database) -> None:
    # Coordinators steer the campaign (issue 12):
    # - reminders gains the kind 'deadline_moved' (the managers told once that the
    #   deadline of an open campaign moved; slot 'deadline_moved:<new date>'): the CHECK
    #   constraint can only change by rebuilding the table;
    # - campaigns.manual_reminder_at: a /relancer asked outside the allowed hours, sent
    #   by the reminder job at that moment (UTC ISO 8601; NULL: none pending), and
    #   manual_reminder_by, the coordinator to tell when it went out;
    # - receive_preferences: whether a person receives the sent fiches and the
    #   coordinators' notices, when they chose (`/recevoir oui|non`); without a row, the
    #   role decides (recipients and coordinators yes, administrators no). person_id is
    #   not a foreign key: an administrator need not be in people; /oublier deletes it.
    db.execute(
        """
        CREATE TABLE new_reminders (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            place_id INTEGER NOT NULL REFERENCES places (id),
            person_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('periodic', 'deadline', 'snooze', 'launch',
                                               'closing', 'manual', 'deadline_moved')),
            slot TEXT NOT NULL,
            due_at TEXT,
            sent_at TEXT,
            outcome TEXT CHECK (outcome IN ('sent', 'unreachable', 'error')),
            created_at TEXT NOT NULL,
            UNIQUE (campaign_id, place_id, person_id, kind, slot)
        )
        """
    )
    db.execute("INSERT INTO new_reminders SELECT id, campaign_id, place_id, person_id, kind,"
               " slot, due_at, sent_at, outcome, created_at FROM reminders")
    db.execute("DROP TABLE reminders")
    db.execute("ALTER TABLE new_reminders RENAME TO reminders")
    db.execute("CREATE INDEX reminders_person_id ON reminders (person_id)")
    db.execute("ALTER TABLE campaigns ADD COLUMN manual_reminder_at TEXT")
    db.execute("ALTER TABLE campaigns ADD COLUMN manual_reminder_by INTEGER")
    db.execute(
        """
        CREATE TABLE receive_preferences (
            person_id INTEGER PRIMARY KEY,
            receive INTEGER NOT NULL CHECK (receive IN (0, 1)),
            updated_at TEXT NOT NULL
        )
        """
    )


def _m0008_outbox(db: Database) -> None:
    # deliveries: the outbox of sent fiches (storage.outbox). A row is written when the
    # fiche's first request leaves for Telegram and gets its outcome when Telegram
    # answered; a row without outcome after a crash was on the wire. person_id, as in
    # reminders, is not a foreign key (a person who said /oublier loses their rows).
    # person_numbers: the number logs name a person by (never their Telegram id or
    # name); erased with the person (ON DELETE CASCADE), never reused (AUTOINCREMENT).
    db.execute(
        """
        CREATE TABLE deliveries (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL,
            claimed_at TEXT NOT NULL,
            outcome TEXT CHECK (outcome IN ('sent', 'unreachable', 'error')),
            done_at TEXT,
            PRIMARY KEY (response_id, person_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX deliveries_person_id ON deliveries (person_id)")
    db.execute(
        """
        CREATE TABLE person_numbers (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            telegram_id INTEGER NOT NULL UNIQUE
                REFERENCES people (telegram_id) ON DELETE CASCADE
        )
        """
    )
    db.execute("INSERT INTO person_numbers (telegram_id)"
               " SELECT telegram_id FROM people ORDER BY created_at, telegram_id")


def _m0009_synthesis_exclusions(db: Database) -> None:
    # What a coordinator leaves out of a year's synthesis: a whole place (key = ''), or
    # one of its comments (key = the comment's answer key, e.g. 'lien_social.commentaire').
    # The empty string rather than NULL, so that UNIQUE holds for whole places too.
    db.execute(
        """
        CREATE TABLE synthesis_exclusions (
            year INTEGER NOT NULL,
            place_id INTEGER NOT NULL REFERENCES places (id),
            key TEXT NOT NULL DEFAULT '',
            created_by INTEGER,
            created_at TEXT NOT NULL,
            PRIMARY KEY (year, place_id, key)
        )
        """
    )


def _m0010_backups(db: Database) -> None:
    # `fichebot sauvegarde` records each backup it wrote, so that `fichebot diagnostic`
    # can say when the last one was taken. path is the backup file as written.
    db.execute(
        """
        CREATE TABLE backups (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            finished_at TEXT NOT NULL
        )
        """
    )


def _m0011_submissions(db: Database) -> None:
    # responses.submissions: how many times the fiche was sent. A fiche reopened with
    # /modifier and sent again is a new submission, owed anew to everyone: its deliveries
    # are logged under its number (before, the first sending's log said it had arrived,
    # and the corrected fiche went to nobody, not even the manager who sent it).
    db.execute("ALTER TABLE responses ADD COLUMN submissions INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE responses SET submissions = 1 WHERE submitted_at IS NOT NULL"
               " OR id IN (SELECT response_id FROM deliveries)")
    db.execute(
        """
        CREATE TABLE deliveries_new (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            submission INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            claimed_at TEXT NOT NULL,
            outcome TEXT CHECK (outcome IN ('sent', 'unreachable', 'error')),
            done_at TEXT,
            PRIMARY KEY (response_id, submission, person_id)
        ) WITHOUT ROWID
        """
    )
    # the rows of people who said /oublier stay behind (it did not erase this log)
    db.execute("INSERT INTO deliveries_new SELECT response_id, 1, person_id, claimed_at,"
               " outcome, done_at FROM deliveries"
               " WHERE person_id IN (SELECT telegram_id FROM people)")
    db.execute("DROP TABLE deliveries")
    db.execute("ALTER TABLE deliveries_new RENAME TO deliveries")
    db.execute("CREATE INDEX deliveries_person_id ON deliveries (person_id)")
    # How many parts of a delivery (intro, messages, document) Telegram acknowledged, so
    # that a delivery resumed after a network error or a crash starts at the first part
    # not known to have arrived instead of repeating them all. Kept apart from
    # `deliveries`, whose row is forgotten when the delivery is owed again.
    db.execute(
        """
        CREATE TABLE delivery_parts (
            response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
            submission INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            parts_sent INTEGER NOT NULL CHECK (parts_sent >= 0),
            PRIMARY KEY (response_id, submission, person_id)
        ) WITHOUT ROWID
        """
    )


def _m0012_place_search_key(db: Database) -> None:
    # places.search_key: the name without accents, case or punctuation
    # (`places.search_key`), so that adding « La Treso » beside « La Tréso » is refused by
    # an indexed look-up, not by recomputing every name's key at each addition. The key
    # is today's `search_key`: a change to it needs a migration that recomputes them.
    db.execute("ALTER TABLE places ADD COLUMN search_key TEXT NOT NULL DEFAULT ''")
    db.conn.executemany("UPDATE places SET search_key = ? WHERE id = ?",
                        [(search_key(name), place_id) for place_id, name
                         in db.execute("SELECT id, name FROM places").fetchall()])
    db.execute("CREATE INDEX places_search_key ON places (search_key)")


MIGRATIONS: list[Callable[[Database], None]] = [
    _m0001_initial,
    _m0002_invitations_and_roles,
    _m0003_campaigns_and_reminders,
    _m0004_prefill,
    _m0005_lighter_writes,
    _m0006_place_title,
    _m0007_steering,
    _m0008_outbox,
    _m0009_synthesis_exclusions,
    _m0010_backups,
    _m0011_submissions,
    _m0012_place_search_key,
]


def latest_version() -> int:
    """The schema version this code brings a database to."""
    return len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The schema version of the database (0 for a brand new one)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> int:
    """Apply the missing migrations, in order; return the resulting schema version.

    Safe to call when up to date and when another process migrates at the same
    time (the version is re-read under the write lock before each step).
    """
    target = latest_version()
    current = schema_version(db)
    if current > target:
        raise SchemaTooNew(current, target)
    if current == target:
        return current
    if db.conn.in_transaction:
        raise StorageError("migrate() cannot run inside an open transaction")
    foreign_keys_were_on = bool(db.execute("PRAGMA foreign_keys").fetchone()[0])
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        while True:
            with immediate_transaction(db):
                version = schema_version(db)
                if version > target:
                    raise SchemaTooNew(version, target)
                if version == target:
                    break
                MIGRATIONS[version](db)
                violations = db.execute("PRAGMA foreign_key_check").fetchall()
                if violations:
                    raise StorageError(
                        f"migration {version + 1} leaves foreign key violations: "
                        f"{violations[:5]!r}"
                    )
                db.execute(f"PRAGMA user_version = {version + 1:d}")
    finally:
        if foreign_keys_were_on:
            db.execute("PRAGMA foreign_keys = ON")
    return schema_version(db)
