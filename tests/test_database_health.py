"""A damaged database is refused at start, before anything writes to it (issue 10, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

import storage
from bot import cli
from storage.health import inspect_database
from tests.cli_process import run_fichebot

GOOD_TOKEN = "123456789:" + "A" * 35
PAGE = 4096


def make_db(path: Path, places: int = 30) -> Path:
    db = storage.open_db(path)
    for i in range(places):
        storage.add_place(db, f"Lieu {i}")
    db.conn.close()  # the last connection checkpoints: everything is in the main file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def damage_page_3(path: Path) -> bytes:
    with open(path, "r+b") as handle:
        handle.seek(2 * PAGE)
        handle.write(b"\xff" * PAGE)
    return path.read_bytes()


def test_a_sound_database_opens(tmp_path):
    path = make_db(tmp_path / "ok.sqlite")
    report = inspect_database(path)  # the bot stopped: nothing is created beside the file
    assert report.sound and report.places == 30 and report.schema_version > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.sqlite"]
    db = storage.open_db(path)  # the bot running: its -wal is read too
    storage.add_place(db, "La Tréso")
    assert inspect_database(path).places == 31
    db.conn.close()


def test_open_db_refuses_page_3_overwritten(tmp_path):
    path = make_db(tmp_path / "bad.sqlite")
    before = damage_page_3(path)
    with pytest.raises(storage.DatabaseDamaged) as caught:
        storage.open_db(path)
    assert "Page 3" in caught.value.problems[0]
    assert path.read_bytes() == before  # nothing was written to it
    assert inspect_database(path).problems


def test_fichebot_run_on_a_damaged_database_is_one_french_line(tmp_path):
    path = make_db(tmp_path / "bad.sqlite")
    before = damage_page_3(path)
    result = run_fichebot(["run"], tmp_path,
                          {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "FICHEBOT_DB": str(path)})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fichebot run\u00a0: la base de données ")
    assert "est endommagée (Page 3" in lines[0]
    assert "restaurez la dernière sauvegarde" in lines[0]
    assert "Traceback" not in result.stderr and GOOD_TOKEN not in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize("command", [
    ["export", "--campagne", "2026"],
    ["sauvegarde"],
    ["demo", "--lieu", "La Tréso"],
])
def test_other_commands_refuse_it_too(tmp_path, capsys, command):
    path = make_db(tmp_path / "bad.sqlite")
    before = damage_page_3(path)
    status = cli.main([*command, "--db", str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "est endommagée" in err
    assert err.startswith(f"fichebot {command[0]}\u00a0:")
    assert path.read_bytes() == before
    assert not (tmp_path / "sauvegardes").exists()


def test_not_a_database_is_not_called_damaged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not a database\n" * 400)
    with pytest.raises(storage.StorageError) as caught:
        storage.open_db(path)
    assert not isinstance(caught.value, storage.DatabaseDamaged)
    assert "not a database" in str(caught.value)
    report = inspect_database(path)
    assert not report.sound and report.error and "not a database" in report.error

