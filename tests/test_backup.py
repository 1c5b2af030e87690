"""`fichebot sauvegarde`: a consistent copy while another process writes, its record for
the diagnostic, and the restore procedure of docs/deploiement.md (issue 10)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import storage
from bot import cli
from bot.diagnostic import check_database
from storage.backup import backup_database, last_backup
from tests.cli_process import fichebot_env, run_fichebot

# A writer as the bot is one: each transaction adds a place and opens its response, so a
# copy taken in the middle of a transaction would show a place without its response.
WRITER = """
import sys, time
import storage
db = storage.open_db(sys.argv[1])
i = 0
while True:
    with storage.immediate_transaction(db):
        db.execute("INSERT INTO places (name, name_key, created_at) VALUES (?, ?, ?)",
                   [f"Lieu {i}", f"lieu {i}", storage.now_iso()])
        place_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        db.execute("INSERT INTO responses (place_id, year, grid_version, started_at, "
                   "updated_at) VALUES (?, 2026, 'v1', ?, ?)",
                   [place_id, storage.now_iso(), storage.now_iso()])
    i += 1
    if len(sys.argv) > 2 and i == int(sys.argv[2]):
        print("ready", flush=True)
"""


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_of_an_open_database(tmp_path):
    db = storage.open_db(tmp_path / "fichebot.sqlite")
    storage.add_place(db, "La Tréso")
    assert last_backup(db) is None
    backup = backup_database(db, tmp_path / "copies" / "un.sqlite")
    assert backup.path == (tmp_path / "copies" / "un.sqlite").resolve()
    assert backup.size_bytes == backup.path.stat().st_size > 0
    assert last_backup(db) == backup
    copy = sqlite3.connect(backup.path)
    assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    assert copy.execute("SELECT name FROM places").fetchall() == [("La Tréso",)]
    copy.close()
    assert sorted(p.name for p in backup.path.parent.iterdir()) == ["un.sqlite"]


def test_backup_while_another_process_writes(tmp_path):
    path = tmp_path / "fichebot.sqlite"
    storage.open_db(path).conn.close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "300"],
                              env=fichebot_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        committed_before = count(path, "places")  # every one of these must be in the copy
        target = tmp_path / "copie.sqlite"
        result = run_fichebot(["sauvegarde", "-o", str(target), "--db", str(path)], tmp_path)
        assert result.returncode == 0, result.stderr
        time.sleep(0.2)
        assert writer.poll() is None  # it wrote all along
        committed_after = count(path, "places")
    finally:
        writer.kill()
        writer.wait()
    assert re.fullmatch(rf"Sauvegarde écrite\u00a0: {re.escape(str(target))} "
                        r"\(\d+(,\d)?\u00a0(ko|Mo|octets)\)\.\n", result.stdout)
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
    names = [row[0] for row in copy.execute("SELECT name FROM places ORDER BY id")]
    responses = copy.execute("SELECT count(*) FROM responses").fetchone()[0]
    copy.close()
    assert committed_before <= len(names) < committed_after
    assert names == [f"Lieu {i}" for i in range(len(names))]  # no gap: one moment
    assert responses == len(names)  # no half transaction


def test_default_name_is_dated_beside_the_database(tmp_path, capsys):
    path = tmp_path / "data" / "fichebot.sqlite"
    db = storage.open_db(path)
    storage.add_place(db, "La Tréso")
    db.conn.close()
    before = dt.datetime.now().replace(microsecond=0)
    assert cli.main(["sauvegarde", "--db", str(path)]) == 0
    written = list((tmp_path / "data" / "sauvegardes").iterdir())
    assert len(written) == 1
    stamp = re.fullmatch(r"fichebot-(\d{4}-\d\d-\d\d-\d{6})\.sqlite", written[0].name)
    assert stamp, written[0].name
    assert dt.datetime.strptime(stamp.group(1), "%Y-%m-%d-%H%M%S") >= before
    assert str(written[0]) in capsys.readouterr().out
    database, backups = check_database(path)
    assert database.ok and backups.ok
    assert str(written[0]) in backups.text


def test_missing_database_and_unwritable_target(tmp_path, capsys):
    assert cli.main(["sauvegarde", "--db", str(tmp_path / "absent.sqlite")]) == 2
    assert capsys.readouterr().err == (
        f"fichebot sauvegarde\u00a0: base de données introuvable\u00a0: "
        f"{tmp_path / 'absent.sqlite'}\n")
    assert not (tmp_path / "absent.sqlite").exists()
    path = tmp_path / "fichebot.sqlite"
    storage.open_db(path).conn.close()
    (tmp_path / "a_file").write_text("x")
    status = cli.main(["sauvegarde", "--db", str(path), "-o",
                       str(tmp_path / "a_file" / "copie.sqlite")])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("fichebot sauvegarde\u00a0: impossible d’écrire ")
    assert err.count("\n") == 1
    assert cli.main(["sauvegarde", "--db", str(path), "-o", str(path)]) == 2
    assert "ne peut pas remplacer la base" in capsys.readouterr().err


# The restore procedure of docs/deploiement.md, step by step: the bot is stopped (here:
# killed, so that its -wal still holds commits made after the backup), the backup is
# copied over the database, the -wal and -shm files are removed, the bot starts again.
AFTER_BACKUP = """
import os, signal, sys
import storage
db = storage.open_db(sys.argv[1])
db.execute("PRAGMA wal_autocheckpoint = 0")  # keep the late commits in the -wal
storage.add_place(db, "Ajouté après la sauvegarde")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_restore_round_trip(tmp_path):
    path = tmp_path / "fichebot.sqlite"
    db = storage.open_db(path)
    for name in ("La Tréso", "Le WIP"):
        storage.add_place(db, name)
    db.conn.close()
    backup = tmp_path / "copie.sqlite"
    assert run_fichebot(["sauvegarde", "-o", str(backup), "--db", str(path)],
                        tmp_path).returncode == 0
    killed = subprocess.run([sys.executable, "-c", AFTER_BACKUP, str(path)],
                            env=fichebot_env(), capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0  # the late commit lives there

    shutil.copyfile(backup, path)                      # cp copie.sqlite fichebot.sqlite
    for leftover in (wal, path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)               # rm -f fichebot.sqlite-wal -shm

    db = storage.open_db(path)                         # what fichebot run does first
    assert [p.name for p in storage.list_places(db)] == ["La Tréso", "Le WIP"]
    assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    db.conn.close()
    assert os.path.getsize(backup) > 0
