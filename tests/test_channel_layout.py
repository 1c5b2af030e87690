"""Issue 9: the channel layer's promises — typed button data, the one session, the one
403 reading, the command table — checked from outside as a person (or a forger) would."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

import interview
import storage
from bot.telegram import callbacks, texts
from bot.telegram.commands import BUTTONS, COMMANDS, MENUS, Claim
from bot.telegram.context import CLOCK
from bot.telegram.sending import Fate, fate_of
from campaign.clock import PARIS
from interview import Problem, Result
from questionnaire import engine
from questionnaire.grid import default_grid
from storage.reminders import is_unreachable
from tests.telegram_fakes import ADMIN_ID, FakeTelegram, manager

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def tg(tmp_path):
    fake = await FakeTelegram(tmp_path / "fichebot.db", admin_ids={ADMIN_ID}).start()
    yield fake
    await fake.stop()


# --- Button data ----------------------------------------------------------------------------

def test_every_button_format_round_trips():
    assert callbacks.decode_prefill(callbacks.prefill(12, 7)) == callbacks.PrefillChoice(12, 7)
    assert callbacks.decode_prefill(callbacks.prefill(12, None)) == callbacks.PrefillChoice(
        12, None)
    assert callbacks.decode_go(callbacks.go(3)) == callbacks.Go(3)
    assert callbacks.decode_snooze(callbacks.snooze(4)) == callbacks.Snooze(4)
    assert callbacks.decode_remove_place(callbacks.remove_place(5, True)) == (
        callbacks.RemovePlace(5, True))
    assert callbacks.decode_forget(callbacks.forget(False)) == callbacks.Forget(False)
    assert callbacks.decode_close_campaign(callbacks.close_campaign(6, False)) == (
        callbacks.CloseCampaign(6, False))


def test_every_button_goes_to_the_row_of_its_kind():
    built = {
        callbacks.Route.PREFILL: callbacks.prefill(12, 7),
        callbacks.Route.GO: callbacks.go(3),
        callbacks.Route.SNOOZE: callbacks.snooze(4),
        callbacks.Route.REMOVE_PLACE: callbacks.remove_place(5, True),
        callbacks.Route.FORGET: callbacks.forget(False),
        callbacks.Route.CLOSE_CAMPAIGN: callbacks.close_campaign(6, False),
        callbacks.Route.TITLE_FORM: callbacks.title_form(7, None),
        callbacks.Route.STATUS_PAGE: callbacks.status_page(8, 2),
        callbacks.Route.REMIND: callbacks.remind(9, True),
        callbacks.Route.PLACE_FICHE: callbacks.place_choice("fiche", 10, 2025),
        callbacks.Route.PLACE_LINK: callbacks.place_choice("lieu_lien", 11),
        callbacks.Route.PLACE_INVITE: callbacks.place_choice("inviter", 12, 1),
        callbacks.Route.PLACE_REMOVE: callbacks.place_choice("lieu_retirer", 13),
        callbacks.Route.PLACE_TITLE: callbacks.place_choice("lieu_titre", 14),
    }
    assert set(built) == set(callbacks.Route)  # every kind has a builder
    assert {kind: callbacks.route(data) for kind, data in built.items()} == {
        kind: kind for kind in built}
    assert {button.route for button in BUTTONS} == set(callbacks.Route)  # and a handler


@pytest.mark.parametrize("data", [
    callbacks.tap("activites.types", "atelier", True), callbacks.skip("lieu.surface"),
    callbacks.SUBMIT, callbacks.REVIEW, callbacks.jump("lieu"), "pl:z:1:0", "pl:", "snz",
    "zz:1", "", None])
def test_the_interview_takes_every_other_press(data):
    assert callbacks.route(data) is None


@pytest.mark.parametrize("data", [
    "snz:99999999999999999999", "snz:9223372036854775808", "snz:0", "snz:-1", "snz:",
    "snz:1:2", "snz:１", "go:abc", "go:99999999999999999999", "rm:1:x", "rm:1", "fg:",
    "fg:yes", "cc:1", "cc:99999999999999999999:y", "pf:1", "pf:x:0", None, ""])
def test_unreadable_or_out_of_range_data_decodes_as_nothing(data):
    decoders = (callbacks.decode_prefill, callbacks.decode_go, callbacks.decode_snooze,
                callbacks.decode_remove_place, callbacks.decode_forget,
                callbacks.decode_close_campaign)
    assert all(decode(data) is None for decode in decoders)
    assert callbacks.decode(data) == callbacks.STALE


async def test_a_huge_snooze_id_is_answered_not_raised(tg, caplog):
    alice = await manager(tg)
    turn = await alice.press("snz:99999999999999999999")
    assert turn.notice == texts.SNOOZE_CLOSED
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text
    assert storage.reminders.snoozes(tg.db, 1) == {}


async def test_a_huge_place_id_under_commencer_is_answered(tg):
    alice = await manager(tg)
    turn = await alice.press("go:99999999999999999999")
    assert turn.texts == [texts.GO_UNKNOWN_PLACE]


# --- The one session ----------------------------------------------------------------------

def test_the_session_package_imports_no_telegram():
    code = ("import sys, interview; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'bot')); "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_apply_answers_in_codes(tmp_path):
    db = storage.open_db(tmp_path / "f.db")
    grid = default_grid()
    assert interview.apply(db, grid, 1001, engine.Show(), 1).result is Result.NO_PLACE
    assert interview.apply(db, grid, 1001, engine.Show(), 1).result is Result.DUPLICATE
    place = storage.add_place(db, "La Tréso")
    storage.upsert_person(db, 1001, "Alice", None)
    storage.add_manager(db, place.id, 1001)
    first = interview.apply(db, grid, 1001, engine.Show(), 2)
    assert first.result is Result.STEPPED and first.problem is None
    count = len(grid.question(first.step.position.key).options)
    typed = interview.apply(db, grid, 1001, engine.Text("99"), 3)
    assert (typed.problem, typed.details) == (Problem.NUMBER_OUT_OF_RANGE,
                                              {"number": 99, "count": count})
    assert interview.apply(db, grid, 1001, engine.Text("des voisins"), 4).problem is (
        Problem.TAP_EXPECTED)
    stale = interview.apply(db, grid, 1001, callbacks.decode("j:lien_social"), 5)
    assert stale.problem is Problem.STALE and stale.step.stale
    assert storage.load_answers(db, first.response.id) == {}
    db.close()


async def test_the_calendar_year_follows_the_bots_clock(tg):
    tg.app.bot_data[CLOCK] = lambda: datetime(2031, 5, 4, 10, 0, tzinfo=PARIS)
    await manager(tg)
    place = storage.find_place(tg.db, "La Tréso")
    assert storage.find_response(tg.db, place.id, 2031) is not None
    assert interview.current_year_for(datetime(2031, 12, 31, 23, 30, tzinfo=PARIS)) == 2031


# --- The one reading of a refused call ------------------------------------------------------

def test_what_a_failed_call_means():
    assert fate_of(Forbidden("Forbidden: bot was blocked by the user")) is Fate.UNREACHABLE
    assert fate_of(RetryAfter(3)) is Fate.WAIT
    assert fate_of(NetworkError("connection reset")) is Fate.NOT_SENT
    assert fate_of(TimedOut()) is Fate.MAYBE_SENT
    assert fate_of(BadRequest("Bad Request: chat not found")) is Fate.MAYBE_SENT


async def test_a_403_met_by_any_handler_marks_the_person_unreachable(tg):
    alice = await manager(tg)
    tg.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    turn = await alice.send("/aide")
    assert texts.APOLOGY not in turn.texts  # nobody to apologise to
    assert is_unreachable(tg.db, 1001)
    await alice.send("/aide")  # writing again: reachable again
    assert not is_unreachable(tg.db, 1001)


# --- The command table ----------------------------------------------------------------------

def test_the_table_gives_each_command_one_row_a_menu_text_and_a_claim_policy():
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert all(isinstance(c.claim, Claim) for c in COMMANDS)
    assert [c.name for c in COMMANDS if c.menu is None] == ["help"]
    assert MENUS.commands_for(set()) == ["start", "aide", "mes_donnees", "oublier"]


def test_features_never_import_each_other():
    features = ROOT / "bot" / "telegram" / "features"
    names = {f.stem for f in features.glob("*.py")} - {"__init__"}
    for path in features.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = {node.module.rsplit(".", 1)[-1]} | {a.name for a in node.names}
                if node.module.startswith("bot.telegram.features"):
                    assert not (imported & names) - {path.stem}, (path.name, node.module)


def test_a_channel_may_name_the_year(tmp_path):
    """The terminal's --annee: the session answers for that year, with no Telegram."""
    db = storage.open_db(tmp_path / "f.db")
    place = storage.add_place(db, "La Tréso")
    storage.upsert_person(db, 7, "Terminal", None)
    storage.add_manager(db, place.id, 7)
    outcome = interview.apply(db, default_grid(), 7, engine.Show(), None, year=2019)
    assert outcome.result is Result.STEPPED and outcome.response.year == 2019
    assert storage.find_response(db, place.id, 2019) is not None
    db.close()
