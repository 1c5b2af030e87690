import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils

import storage
from storage import (
    DatabaseBusy,
    DuplicatePlace,
    InvalidName,
    NotFound,
    SchemaTooNew,
    StorageError,
    add_manager,
    add_place,
    claim_update,
    find_place,
    find_response,
    get_or_create_response,
    get_person,
    get_place,
    get_response,
    interview_step,
    is_update_processed,
    latest_version,
    list_places,
    load_answers,
    load_position,
    managers_of_place,
    mark_submitted,
    migrate,
    open_db,
    places_of_manager,
    prune_processed_updates,
    remove_place,
    reopen_response,
    schema_version,
    set_place_title,
    upsert_person,
)
from storage import migrations as migrations_module
from storage import responses as responses_module

TABLES = {
    "places",
    "people",
    "managers",
    "responses",
    "answers",
    "positions",
    "processed_updates",
}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "fichebot.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def response(db):
    place = add_place(db, "La Tréso")
    return get_or_create_response(db, place.id, 2025, "2025.1")


def append_migration(monkeypatch, migration) -> None:
    monkeypatch.setattr(
        migrations_module, "MIGRATIONS", [*migrations_module.MIGRATIONS, migration]
    )


def rows(db, sql: str, params=()) -> list[tuple]:
    return db.execute(sql, params).fetchall()


# --- opening and migrations ---------------------------------------------------


def test_fresh_database_is_migrated_and_parent_directory_created(db_path):
    assert not db_path.parent.exists()
    db = open_db(db_path)
    assert db_path.exists()
    assert schema_version(db) == latest_version() >= 1
    assert set(db.table_names()) >= TABLES
    assert db["responses"].pks == ["id"]
    assert db["answers"].pks == ["response_id", "key"]
    assert db["positions"].pks == ["response_id", "person_id"]
    assert db["managers"].pks == ["place_id", "person_id"]
    db.close()


def test_migrate_is_idempotent(db_path):
    db = open_db(db_path)
    add_place(db, "La Tréso")
    schema = rows(db, "SELECT name, sql FROM sqlite_master ORDER BY name")
    assert migrate(db) == latest_version()
    assert migrate(db) == latest_version()
    db.close()
    db = open_db(db_path)
    assert schema_version(db) == latest_version()
    assert rows(db, "SELECT name, sql FROM sqlite_master ORDER BY name") == schema
    assert [p.name for p in list_places(db)] == ["La Tréso"]
    db.close()


def test_memory_database():
    db = open_db(":memory:")
    assert set(db.table_names()) >= TABLES
    assert rows(db, "PRAGMA foreign_keys") == [(1,)]
    db.close()


def test_pragmas_on_file_database(db):
    assert db.journal_mode == "wal"
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "PRAGMA foreign_keys") == [(1,)]
    assert rows(db, "PRAGMA busy_timeout") == [(5000,)]
    assert rows(db, "PRAGMA synchronous") == [(1,)]  # NORMAL


def test_newer_schema_is_refused(db_path):
    open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 3}")
    conn.close()
    with pytest.raises(SchemaTooNew) as excinfo:
        open_db(db_path)
    assert isinstance(excinfo.value, StorageError)
    assert str(excinfo.value) == (
        f"database schema version {latest_version() + 3} is newer than this fichebot "
        f"({latest_version()})"
    )


def test_unopenable_paths_raise_storage_error_naming_the_path(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a directory")
    under_a_file = a_file / "sub" / "fichebot.db"
    with pytest.raises(StorageError, match=str(under_a_file)):
        open_db(under_a_file)

    a_directory = tmp_path / "a_directory"
    a_directory.mkdir()
    with pytest.raises(StorageError, match=str(a_directory)):
        open_db(a_directory)

    not_sqlite = tmp_path / "notes.db"
    content = b"This is a text file, not a SQLite database.\n" * 50
    not_sqlite.write_bytes(content)
    with pytest.raises(StorageError, match=str(not_sqlite)):
        open_db(not_sqlite)
    assert not_sqlite.read_bytes() == content


def test_appended_migration_runs_once(db_path, monkeypatch):
    open_db(db_path).close()
    calls = []

    def _m9999_test(db):
        calls.append(1)
        db.execute("CREATE TABLE appended_test (id INTEGER PRIMARY KEY, name TEXT)")

    before = latest_version()
    append_migration(monkeypatch, _m9999_test)
    db = open_db(db_path)
    assert schema_version(db) == before + 1
    assert "appended_test" in db.table_names()
    db.close()
    open_db(db_path).close()
    assert calls == [1]


def test_migration_5_keeps_answers_and_positions(db_path, monkeypatch):
    """A version-4 database keeps every answer and position when its tables are rebuilt."""
    monkeypatch.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:4])
    # the responses of version 4 had no `submissions` (migration 11): read without it
    monkeypatch.setattr(responses_module, "COLUMNS",
                        responses_module.COLUMNS.replace(", submissions", ""))
    db = open_db(db_path)
    assert schema_version(db) == 4
    # add_place and get_or_create_response read the places columns of the latest schema
    place_id = db.execute(
        "INSERT INTO places (name, name_key, active, created_at)"
        " VALUES ('La Tréso', 'la tréso', 1, '2025-01-01T00:00:00+00:00')").lastrowid
    db.execute("INSERT INTO responses (place_id, year, grid_version, status, started_at,"
               " updated_at) VALUES (?, 2025, '2025.1', 'in_progress', ?, ?)",
               [place_id, "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"])
    response = find_response(db, place_id, 2025)
    with interview_step(db, response.id, 42, update_id=7) as step:
        step.save({"lien_social.publics": ["jeunes"], "lien_social.nombre": 120},
                  {"mode": "question", "key": "lien_social.nombre"})
    db.close()
    monkeypatch.undo()

    db = open_db(db_path)
    assert schema_version(db) == latest_version() >= 5
    assert load_answers(db, response.id) == {"lien_social.publics": ["jeunes"],
                                             "lien_social.nombre": 120}
    assert load_position(db, response.id, 42) == {"mode": "question",
                                                  "key": "lien_social.nombre"}
    assert rows(db, "SELECT updated_by FROM answers") == [(42,), (42,)]
    tables = dict(rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert tables["answers"].rstrip().endswith("WITHOUT ROWID")
    assert tables["positions"].rstrip().endswith("WITHOUT ROWID")
    assert not is_update_processed(db, 8) and is_update_processed(db, 7)
    db.execute("DELETE FROM responses WHERE id = ?", [response.id])  # still cascades
    assert rows(db, "SELECT count(*) FROM answers") == [(0,)]
    assert rows(db, "SELECT count(*) FROM positions") == [(0,)]
    db.close()


def test_failing_migration_leaves_no_trace(db_path, monkeypatch):
    open_db(db_path).close()

    def _m9999_broken(db):
        db.execute("CREATE TABLE broken_test (id INTEGER PRIMARY KEY)")
        raise RuntimeError("boom")

    before = latest_version()
    append_migration(monkeypatch, _m9999_broken)
    with pytest.raises(RuntimeError, match="boom"):
        open_db(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone() == (before,)
    assert conn.execute(
        "SELECT name FROM sqlite_master WHERE name = 'broken_test'").fetchall() == []
    conn.close()


def test_migration_leaving_foreign_key_violations_is_refused(db_path, monkeypatch):
    open_db(db_path).close()

    before = latest_version()

    def _m9999_dangling(db):
        db.execute(
            "INSERT INTO managers (place_id, person_id, created_at) VALUES (99, 99, 'now')"
        )

    append_migration(monkeypatch, _m9999_dangling)
    with pytest.raises(StorageError, match="foreign key"):
        open_db(db_path)
    monkeypatch.undo()
    db = open_db(db_path)
    assert schema_version(db) == before
    assert rows(db, "SELECT count(*) FROM managers") == [(0,)]
    assert rows(db, "PRAGMA foreign_keys") == [(1,)]
    db.close()


# --- places -------------------------------------------------------------------


def test_add_and_find_places(db):
    treso = add_place(db, "  La   Tréso \n")
    assert treso.name == "La Tréso"
    assert treso.active is True
    assert treso.created_at.endswith("+00:00")
    assert rows(db, "SELECT id, name, active, removed_at FROM places") == [
        (treso.id, "La Tréso", 1, None)
    ]
    assert get_place(db, treso.id) == treso
    assert find_place(db, "la tréso") == treso
    assert find_place(db, "LA TRÉSO") == treso
    assert find_place(db, "La Tréso ") == treso
    assert find_place(db, "La Treso") is None
    with pytest.raises(NotFound):
        get_place(db, treso.id + 100)


def test_place_names_must_be_unique_and_not_empty(db):
    treso = add_place(db, "La Tréso")
    with pytest.raises(DuplicatePlace) as excinfo:
        add_place(db, "LA TRÉSO")
    assert excinfo.value.existing_id == treso.id
    with pytest.raises(InvalidName):
        add_place(db, "   ")
    assert rows(db, "SELECT name FROM places") == [("La Tréso",)]


def test_list_and_remove_places(db):
    zebre = add_place(db, "Le Zèbre")
    ateliers = add_place(db, "les Ateliers")
    treso = add_place(db, "La Tréso")
    assert [p.name for p in list_places(db)] == ["La Tréso", "Le Zèbre", "les Ateliers"]

    removed = remove_place(db, zebre.id)
    assert removed.active is False
    assert removed.removed_at is not None
    assert list_places(db) == [treso, ateliers]
    every = list_places(db, include_removed=True)
    assert [p.id for p in every] == [treso.id, zebre.id, ateliers.id]
    assert find_place(db, "Le Zèbre") is None
    assert rows(db, "SELECT active FROM places WHERE id = ?", [zebre.id]) == [(0,)]

    # A removed place's name can be used again.
    again = add_place(db, "le zèbre")
    assert again.id != zebre.id
    assert find_place(db, "Le Zèbre") == again


# --- people and managers --------------------------------------------------------


def test_upsert_person(db):
    alice = upsert_person(db, 111, "Alice", "alice")
    assert get_person(db, 111) == alice
    assert get_person(db, 222) is None
    renamed = upsert_person(db, 111, "Alice B.")
    assert renamed.created_at == alice.created_at
    assert rows(db, "SELECT telegram_id, display_name, username FROM people") == [
        (111, "Alice B.", None)
    ]
    terminal = upsert_person(db, 0, "terminal")
    assert terminal.telegram_id == 0


def test_managers(db):
    treso = add_place(db, "La Tréso")
    zebre = add_place(db, "Le Zèbre")
    alice = upsert_person(db, 111, "Alice")
    bob = upsert_person(db, 222, "Bob")
    add_manager(db, treso.id, alice.telegram_id)
    add_manager(db, treso.id, alice.telegram_id)
    add_manager(db, treso.id, bob.telegram_id)
    add_manager(db, zebre.id, alice.telegram_id)
    assert rows(db, "SELECT place_id, person_id FROM managers ORDER BY place_id, person_id") == [
        (treso.id, 111),
        (treso.id, 222),
        (zebre.id, 111),
    ]
    assert managers_of_place(db, treso.id) == [alice, bob]
    assert places_of_manager(db, alice.telegram_id) == [treso, zebre]
    assert places_of_manager(db, bob.telegram_id) == [treso]
    assert places_of_manager(db, 999) == []

    remove_place(db, zebre.id)
    assert places_of_manager(db, alice.telegram_id) == [treso]

    with pytest.raises(NotFound):
        add_manager(db, treso.id, 999)
    with pytest.raises(NotFound):
        add_manager(db, 999, alice.telegram_id)
    assert storage.remove_manager(db, treso.id, bob.telegram_id) is True
    assert storage.remove_manager(db, treso.id, bob.telegram_id) is False
    assert managers_of_place(db, treso.id) == [alice]


# --- responses ------------------------------------------------------------------


def test_get_or_create_response_is_idempotent(db):
    place = add_place(db, "La Tréso")
    assert find_response(db, place.id, 2025) is None
    first = get_or_create_response(db, place.id, 2025, "2025.1")
    assert first.status == "in_progress"
    assert first.submitted is False
    assert (first.year, first.grid_version, first.submitted_at) == (2025, "2025.1", None)
    again = get_or_create_response(db, place.id, 2025, "2026.0")
    assert again == first  # the existing response wins, grid_version included
    assert find_response(db, place.id, 2025) == first
    assert get_response(db, first.id) == first
    other_year = get_or_create_response(db, place.id, 2026, "2026.0")
    assert other_year.id != first.id
    assert rows(db, "SELECT place_id, year, grid_version FROM responses ORDER BY year") == [
        (place.id, 2025, "2025.1"),
        (place.id, 2026, "2026.0"),
    ]
    with pytest.raises(NotFound):
        get_or_create_response(db, place.id + 100, 2025, "2025.1")
    with pytest.raises(NotFound):
        get_response(db, 12345)


def test_mark_submitted_and_reopen(db, response):
    submitted = mark_submitted(db, response.id, by=111)
    assert submitted.status == "submitted"
    assert submitted.submitted is True
    assert submitted.submitted_by == 111
    assert submitted.submitted_at is not None
    assert rows(db, "SELECT status, submitted_by FROM responses") == [("submitted", 111)]
    assert mark_submitted(db, response.id, by=222) == submitted  # already sent: unchanged

    reopened = reopen_response(db, response.id)
    assert reopened.status == "in_progress"
    assert (reopened.submitted_at, reopened.submitted_by) == (None, None)
    assert rows(db, "SELECT status, submitted_at, submitted_by FROM responses") == [
        ("in_progress", None, None)
    ]
    assert mark_submitted(db, response.id, by=None).submitted_by is None


# --- interview_step ---------------------------------------------------------------


def test_step_saves_answers_and_position_and_they_survive_reopening(db_path):
    db = open_db(db_path)
    place = add_place(db, "La Tréso")
    response = get_or_create_response(db, place.id, 2025, "2025.1")
    with interview_step(db, response.id, 111, update_id=1) as step:
        assert step.answers == {}
        assert step.position is None
        assert step.duplicate is False
        assert step.response == response
        step.save(
            {
                "lien_social.publics": ["jeunes", "seniors"],
                "lien_social.publics.autre": "voisins",
                "economie.emplois": 3,
            },
            {"section": "lien_social", "question": 2},
        )
        assert step.answers["economie.emplois"] == 3
    assert db.conn.in_transaction is False
    db.close()

    db = open_db(db_path)  # the bot restarted: resume from the database alone
    assert load_answers(db, response.id) == {
        "lien_social.publics": ["jeunes", "seniors"],
        "lien_social.publics.autre": "voisins",
        "economie.emplois": 3,
    }
    assert load_position(db, response.id, 111) == {"section": "lien_social", "question": 2}
    assert load_position(db, response.id, 222) is None
    assert rows(
        db, "SELECT key, value, updated_by FROM answers WHERE key = 'lien_social.publics'"
    ) == [("lien_social.publics", '["jeunes","seniors"]', 111)]
    assert get_response(db, response.id).updated_at >= response.updated_at
    assert rows(db, "SELECT update_id FROM processed_updates") == [(1,)]
    db.execute("UPDATE responses SET updated_at = '2000-01-01T00:00:00+00:00'")
    with interview_step(db, response.id, 111) as step:  # a move: the answers are the same
        step.save({"economie.emplois": 3}, {"section": "lien_social", "question": 3})
    assert get_response(db, response.id).updated_at == "2000-01-01T00:00:00+00:00"
    assert load_position(db, response.id, 111) == {"section": "lien_social", "question": 3}
    db.execute("UPDATE positions SET updated_at = '2000-01-01T00:00:00+00:00'")
    with interview_step(db, response.id, 111) as step:  # an answer, the same position
        step.save({"economie.emplois": 4}, {"section": "lien_social", "question": 3})
    assert rows(db, "SELECT updated_at FROM positions WHERE person_id = 111") == [
        ("2000-01-01T00:00:00+00:00",)]
    assert load_answers(db, response.id)["economie.emplois"] == 4
    with interview_step(db, response.id, 111) as step:
        step.save({"economie.emplois": None})
    assert get_response(db, response.id).updated_at > "2000-01-01T00:00:00+00:00"
    with interview_step(db, response.id, 111) as step:
        assert step.answers["lien_social.publics"] == ["jeunes", "seniors"]
        assert step.position == {"section": "lien_social", "question": 3}
    db.close()


def test_each_manager_has_their_own_position(db, response):
    with interview_step(db, response.id, 111) as step:
        step.save({"a": 1}, {"at": "a"})
    with interview_step(db, response.id, 222) as step:
        assert step.answers == {"a": 1}  # shared answers
        assert step.position is None  # own position
        step.save({"b": 2}, {"at": "b"})
    assert load_position(db, response.id, 111) == {"at": "a"}
    assert load_position(db, response.id, 222) == {"at": "b"}
    assert rows(db, "SELECT key, updated_by FROM answers ORDER BY key") == [("a", 111), ("b", 222)]


def test_none_deletes_answers_and_position(db, response):
    with interview_step(db, response.id, 111) as step:
        step.save({"q1": ["x"], "q1.autre": "texte", "q2": 1}, {"at": "q2"})
    with interview_step(db, response.id, 111) as step:
        step.save({"q1": ["y"], "q1.autre": None, "missing": None})
        assert step.answers == {"q1": ["y"], "q2": 1}
        assert step.position == {"at": "q2"}  # position left out: kept
    assert load_answers(db, response.id) == {"q1": ["y"], "q2": 1}
    assert load_position(db, response.id, 111) == {"at": "q2"}
    with interview_step(db, response.id, 111) as step:
        step.save({}, None)
    assert load_position(db, response.id, 111) is None
    assert rows(db, "SELECT count(*) FROM positions") == [(0,)]


def test_unchanged_answers_keep_their_author(db, response):
    with interview_step(db, response.id, 111) as step:
        step.save({"q": ["a"]})
    with interview_step(db, response.id, 222) as step:
        step.save({"q": ["a"], "r": 1})
    assert rows(db, "SELECT key, updated_by FROM answers ORDER BY key") == [("q", 111), ("r", 222)]


def test_duplicate_update_is_flagged_and_not_applied_twice(db, response):
    def apply(update_id: int) -> bool:
        with interview_step(db, response.id, 111, update_id=update_id) as step:
            if step.duplicate:
                return False
            step.save({"count": step.answers.get("count", 0) + 1})
            return True

    assert apply(42) is True
    assert apply(42) is False
    assert load_answers(db, response.id) == {"count": 1}
    assert rows(db, "SELECT update_id FROM processed_updates") == [(42,)]

    with interview_step(db, response.id, 111, update_id=42) as step:
        assert step.duplicate is True
        with pytest.raises(StorageError, match="already processed"):
            step.save({"count": 100})
    assert load_answers(db, response.id) == {"count": 1}


def test_exception_in_step_rolls_back_answers_and_update_id(db, response):
    with interview_step(db, response.id, 111, update_id=7) as step:
        step.save({"q": "before"}, {"at": 1})

    with pytest.raises(RuntimeError, match="crash"), interview_step(
        db, response.id, 111, update_id=8
    ) as step:
        step.save({"q": "after", "new": 1}, {"at": 2})
        mark_submitted(db, response.id, by=111)  # joins the step's transaction
        raise RuntimeError("crash")

    assert db.conn.in_transaction is False
    assert load_answers(db, response.id) == {"q": "before"}
    assert load_position(db, response.id, 111) == {"at": 1}
    assert get_response(db, response.id).status == "in_progress"
    assert rows(db, "SELECT update_id FROM processed_updates") == [(7,)]

    # The redelivered update is then applied normally.
    with interview_step(db, response.id, 111, update_id=8) as step:
        assert step.duplicate is False
        step.save({"q": "after"})
    assert load_answers(db, response.id) == {"q": "after"}


def test_step_without_save_still_records_the_update(db, response):
    with interview_step(db, response.id, 111, update_id=9) as step:
        assert step.saved is False  # e.g. the input was refused
    assert rows(db, "SELECT update_id FROM processed_updates") == [(9,)]
    assert load_answers(db, response.id) == {}
    with interview_step(db, response.id, 111, update_id=9) as step:
        assert step.duplicate is True


def test_step_on_unknown_response_records_nothing(db):
    with pytest.raises(NotFound), interview_step(db, 404, 111, update_id=5):
        pass
    assert rows(db, "SELECT count(*) FROM processed_updates") == [(0,)]
    assert db.conn.in_transaction is False


def test_bad_values_are_refused_before_anything_is_written(db, response):
    with interview_step(db, response.id, 111) as step:
        with pytest.raises(TypeError):
            step.save({"ok": 1, "bad": object()})
        with pytest.raises(TypeError):
            step.save({"ok": 1}, ["not", "a", "dict"])
        with pytest.raises(ValueError):
            step.save({"": 1})
    assert load_answers(db, response.id) == {}


def test_save_after_the_block_is_refused(db, response):
    with interview_step(db, response.id, 111) as step:
        pass
    with pytest.raises(StorageError):
        step.save({"q": 1})
    assert load_answers(db, response.id) == {}


def test_step_issues_begin_immediate_and_holds_the_write_lock(db_path, db, response):
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    other = open_db(db_path)
    other.execute("PRAGMA busy_timeout = 50")
    try:
        with interview_step(db, response.id, 111, update_id=3) as step:
            assert db.conn.in_transaction
            # Even before save(), no other connection can write.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO processed_updates VALUES (99, 'x')")
            step.save({"q": 1})
    finally:
        db.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"
    assert load_answers(other, response.id) == {"q": 1}
    other.close()


def test_step_refuses_to_run_inside_an_open_transaction(db_path, response):
    # A connection with Python's default (legacy) transaction handling opens
    # an implicit transaction on DML; the step must notice rather than nest.
    db = sqlite_utils.Database(sqlite3.connect(db_path))
    db.conn.execute("INSERT INTO processed_updates VALUES (1, 'x')")
    assert db.conn.in_transaction
    with pytest.raises(StorageError, match="already open"), interview_step(
        db, response.id, 111, update_id=2
    ) as step:
        step.save({"q": 1})
    db.conn.rollback()
    assert load_answers(db, response.id) == {}
    assert rows(db, "SELECT count(*) FROM processed_updates") == [(0,)]
    db.close()


def test_step_works_on_a_legacy_mode_connection(db_path, response):
    db = sqlite_utils.Database(sqlite3.connect(db_path))
    assert db.conn.isolation_level == ""
    with interview_step(db, response.id, 111, update_id=1) as step:
        step.save({"q": [1]}, {"at": 1})
    assert db.conn.in_transaction is False
    db.close()
    fresh = open_db(db_path)
    assert load_answers(fresh, response.id) == {"q": [1]}
    assert rows(fresh, "SELECT update_id FROM processed_updates") == [(1,)]
    fresh.close()


def test_concurrent_step_waits_and_sees_the_first_ones_answers(db_path, db, response):
    a = db
    b = open_db(db_path)
    b.execute("PRAGMA busy_timeout = 100")
    with interview_step(a, response.id, 111) as step:
        step.save({"publics": [*step.answers.get("publics", []), "jeunes"]})
        with pytest.raises(DatabaseBusy), interview_step(b, response.id, 222):
            pass
        assert b.conn.in_transaction is False
    with interview_step(b, response.id, 222) as step:
        assert step.answers == {"publics": ["jeunes"]}
        step.save({"publics": [*step.answers["publics"], "seniors"]})
    assert load_answers(a, response.id) == {"publics": ["jeunes", "seniors"]}
    b.close()


@pytest.mark.parametrize("with_update_ids", [True, False])
def test_two_managers_answering_at_once_lose_nothing(db_path, response, with_update_ids):
    """Two threads, two connections: each adds an option to the same list.

    Without update ids the step writes nothing before save(), so only
    BEGIN IMMEDIATE keeps the second step from reading a stale list.
    """
    a_inside = threading.Event()
    b_trying = threading.Event()
    seen: dict[str, list] = {}
    errors: list[BaseException] = []
    order: list[str] = []

    def manager(person_id: int, option: str, first: bool) -> None:
        try:
            db = open_db(db_path)
            try:
                if not first:
                    a_inside.wait(5)
                    b_trying.set()
                update_id = person_id if with_update_ids else None
                with interview_step(db, response.id, person_id, update_id) as step:
                    order.append(f"{option} in")
                    seen[option] = list(step.answers.get("publics", []))
                    if first:
                        a_inside.set()
                        b_trying.wait(5)
                        time.sleep(0.3)  # b is now blocked on BEGIN IMMEDIATE
                    step.save({"publics": [*step.answers.get("publics", []), option]})
                    order.append(f"{option} out")
            finally:
                db.close()
        except BaseException as e:
            errors.append(e)

    threads = [
        threading.Thread(target=manager, args=(111, "jeunes", True)),
        threading.Thread(target=manager, args=(222, "seniors", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    assert order == ["jeunes in", "jeunes out", "seniors in", "seniors out"]
    assert seen == {"jeunes": [], "seniors": ["jeunes"]}
    db = open_db(db_path)
    assert load_answers(db, response.id) == {"publics": ["jeunes", "seniors"]}
    expected_ids = [(111,), (222,)] if with_update_ids else []
    assert rows(db, "SELECT update_id FROM processed_updates ORDER BY 1") == expected_ids
    db.close()


# --- processed updates --------------------------------------------------------------


def test_claim_update(db):
    assert claim_update(db, 1) is True
    assert claim_update(db, 1) is False
    assert storage.is_update_processed(db, 1) is True
    assert storage.is_update_processed(db, 2) is False


def test_incoming_tells_processed_and_unreachable(db):
    from storage.reminders import mark_unreachable
    from storage.updates import incoming

    upsert_person(db, 7, "Alice", None)
    assert incoming(db, 1, 7) == (False, False)
    claim_update(db, 1)
    mark_unreachable(db, 7)
    assert incoming(db, 1, 7) == (True, True)
    assert incoming(db, 2, 8) == (False, False)  # a stranger
    assert incoming(db, 2, None) == (False, False)  # an update with no sender


def test_prune_processed_updates(db):
    db.execute(
        "INSERT INTO processed_updates VALUES (1, '2020-01-01T00:00:00+00:00'), (2, ?)",
        [storage.now_iso()],
    )
    assert prune_processed_updates(db, keep_days=7) == 1
    assert rows(db, "SELECT update_id FROM processed_updates") == [(2,)]
    assert prune_processed_updates(db) == 0


def test_decoded_values_are_fresh_objects_each_time():
    """Short JSON texts are decoded once (storage.responses._decode), yet what a caller
    gets is its own: changing it changes nothing for the next reader."""
    from storage.responses import _decode

    first = _decode('["benevoles","jeunes"]')
    first.append("voisins")
    assert _decode('["benevoles","jeunes"]') == ["benevoles", "jeunes"]
    position = _decode('{"mode":"question","key":"a.b","furthest":3}')
    position["furthest"] = 9
    assert _decode('{"mode":"question","key":"a.b","furthest":3}')["furthest"] == 3
    nested = _decode('[["a"],{"b":1}]')
    nested[0].append("z")
    assert _decode('[["a"],{"b":1}]') == [["a"], {"b": 1}]
    assert _decode("12") == 12 and _decode("null") is None
    long_text = '"' + "x" * 500 + '"'
    assert _decode(long_text) == "x" * 500


def test_migration_6_a_place_keeps_its_name_and_gets_a_title_form(db_path, monkeypatch):
    monkeypatch.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:5])
    db = open_db(db_path)
    place_id = db.execute(
        "INSERT INTO places (name, name_key, active, created_at)"
        " VALUES ('Hub Créatif', 'hub créatif', 1, '2025-01-01T00:00:00+00:00')").lastrowid
    db.close()
    monkeypatch.undo()

    db = open_db(db_path)
    assert schema_version(db) == latest_version() >= 6
    place = get_place(db, place_id)
    assert (place.name, place.title_form) == ("Hub Créatif", None)
    assert set_place_title(db, place_id, "  DU   HUB CRÉATIF ").title_form == "DU HUB CRÉATIF"
    assert get_place(db, place_id).title_form == "DU HUB CRÉATIF"
    assert set_place_title(db, place_id, None).title_form is None
    with pytest.raises(InvalidName):
        set_place_title(db, place_id, "   ")
    with pytest.raises(NotFound):
        set_place_title(db, place_id + 1, "DU HUB")
    db.close()


def test_migration_11_numbers_the_submissions_and_keeps_known_peoples_deliveries(
        db_path, monkeypatch):
    monkeypatch.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:10])
    monkeypatch.setattr(responses_module, "COLUMNS",
                        responses_module.COLUMNS.replace(", submissions", ""))
    db = open_db(db_path)
    place, other = (get_place(db, db.execute(
        "INSERT INTO places (name, name_key, active, created_at) VALUES (?, ?, 1, ?)",
        [name, name.casefold(), "2026-01-01T00:00:00+00:00"]).lastrowid)
        for name in ("La Tréso", "Le WIP"))
    upsert_person(db, 1001, "Alice")
    sent = get_or_create_response(db, place.id, 2026, "1")
    db.execute("UPDATE responses SET status = 'submitted', submitted_at = updated_at"
               " WHERE id = ?", [sent.id])  # as version 10 sent it
    draft = get_or_create_response(db, other.id, 2026, "1")
    for person in (1001, 4242):  # 4242 said /oublier before this version erased deliveries
        db.execute("INSERT INTO deliveries (response_id, person_id, claimed_at, outcome)"
                   " VALUES (?, ?, '2026-03-02T09:00:00+00:00', 'sent')", [sent.id, person])
    db.close()
    monkeypatch.undo()

    db = open_db(db_path)
    assert schema_version(db) == latest_version() >= 11
    assert get_response(db, sent.id).submissions == 1
    assert get_response(db, draft.id).submissions == 0
    assert rows(db, "SELECT response_id, submission, person_id, outcome FROM deliveries") == [
        (sent.id, 1, 1001, "sent")]
    assert rows(db, "SELECT count(*) FROM delivery_parts") == [(0,)]
    reopen_response(db, sent.id)  # corrected, sent again: a second submission
    assert mark_submitted(db, sent.id, 1001).submissions == 2
    db.close()


def test_a_place_that_differs_only_by_accents_or_case_is_a_duplicate(db_path):
    db = open_db(db_path)
    treso = add_place(db, "La Tréso")
    for twin in ("La Treso", "la tréso", "LA TRÉSO !", "La  Tréso"):
        with pytest.raises(DuplicatePlace) as caught:
            add_place(db, twin)
        assert (caught.value.name, caught.value.existing_id) == ("La Tréso", treso.id)
    assert add_place(db, "La Tréso Sud").name == "La Tréso Sud"
    db.close()


def test_migration_12_gives_every_place_its_search_key(db_path, monkeypatch):
    monkeypatch.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:11])
    db = open_db(db_path)
    db.execute("INSERT INTO places (name, name_key, active, created_at)"
               " VALUES ('La Tréso', 'la tréso', 1, '2025-01-01T00:00:00+00:00')")
    db.close()
    monkeypatch.undo()

    db = open_db(db_path)
    assert schema_version(db) == latest_version() >= 12
    assert rows(db, "SELECT search_key FROM places") == [("la treso",)]
    with pytest.raises(DuplicatePlace):
        add_place(db, "LA TRESO")
    db.close()
