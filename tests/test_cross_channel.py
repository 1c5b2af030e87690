"""One scripted interview through both channels, Telegram (the in-process fake Bot API)
and the terminal (a scripted console): the stored answers must be the same.

The script is written once, as what a person does (tick these options, type this, go
back, move on, erase, send); each channel's driver turns it into that channel's input —
button presses or typed lines. Both channels run the same engine and the same session
rules, so any difference in what they store is a bug of a channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import storage
from bot.telegram import callbacks
from bot.terminal.app import open_session
from bot.terminal.commands import parse
from bot.terminal.console import Quit
from bot.terminal.interview import TerminalInterview
from bot.terminal.screen import question_lines
from interview import current_year_for
from questionnaire import engine
from questionnaire.grid import default_grid
from tests.telegram_fakes import ADMIN_ID, Chat, FakeTelegram, current_key, manager
from tests.test_terminal import Script

GRID = default_grid()
YEAR = current_year_for()


@dataclass(frozen=True)
class Do:
    """One thing the person does at question `key`."""

    verb: str  # tick, validate, choose, type, other, suggest, skip, back, erase
    key: str
    arg: object = None


def option_number(key: str, option_id: str) -> int:
    question = GRID.question(key)
    assert question is not None
    return [o.id for o in question.options].index(option_id) + 1


SCRIPT = [
    Do("tick", "lien_social.publics", ["voisins", "benevoles", "grand_public"]),
    Do("tick", "lien_social.publics", ["grand_public"]),  # unticked again
    Do("other", "lien_social.publics", "les enfants\x07 du centre\x1b[D"),
    Do("validate", "lien_social.publics"),
    Do("tick", "lien_social.contextes", ["evenements"]),
    Do("validate", "lien_social.contextes"),
    Do("skip", "lien_social.frequence"),
    Do("type", "lien_social.commentaire", "Des repas partagés *chaque* mois <b>ouverts</b>."),
    Do("tick", "sante.effets", ["confiance"]),
    Do("validate", "sante.effets"),
    Do("type", "sante.commentaire", "À effacer."),
    # back over four questions, then forward again: nothing is lost …
    Do("back", "insertion.beneficiaires"),
    Do("back", "sante.commentaire"),
    Do("back", "sante.effets"),
    Do("back", "lien_social.commentaire"),
    Do("skip", "lien_social.frequence"),
    Do("skip", "lien_social.commentaire"),
    Do("skip", "sante.effets"),
    # … but what is erased on purpose
    Do("erase", "sante.commentaire"),
    Do("skip", "sante.commentaire"),
    Do("type", "insertion.beneficiaires", "1 200"),
    Do("tick", "insertion.resultats", ["autonomie"]),
    Do("validate", "insertion.resultats"),
    Do("skip", "insertion.commentaire"),
    Do("suggest", "capacite_agir.nombre_projets", 2),
    Do("choose", "capacite_agir.porteurs", "frequentants"),
]

EXPECTED = {
    "lien_social.publics": ["voisins", "benevoles"],
    "lien_social.publics.autre": ["les enfants du centre"],
    "lien_social.contextes": ["evenements"],
    "lien_social.commentaire": "Des repas partagés *chaque* mois <b>ouverts</b>.",
    "sante.effets": ["confiance"],
    "insertion.beneficiaires": 1200,
    "insertion.resultats": ["autonomie"],
    "capacite_agir.nombre_projets": GRID.question("capacite_agir.nombre_projets").suggestions[2],
    "capacite_agir.porteurs": "frequentants",
}


# --- The terminal -------------------------------------------------------------------------

def terminal_lines(script: list[Do]) -> list[str]:
    lines: list[str] = []
    for do in script:
        if do.verb == "tick":
            lines.append(" ".join(str(option_number(do.key, o)) for o in do.arg))  # type: ignore[attr-defined]
        elif do.verb == "choose":
            lines.append(str(option_number(do.key, str(do.arg))))
        elif do.verb == "suggest":
            lines.append(str(int(do.arg) + 1))  # type: ignore[call-overload]
        elif do.verb == "other":
            lines += ["a", str(do.arg)]
        elif do.verb == "type":
            lines.append(str(do.arg))
        else:  # "/" works on every screen
            lines.append({"validate": "/v", "skip": "/p", "back": "/r",
                          "erase": "/e"}[do.verb])
    return lines


def run_terminal(path: Path, script: list[Do], finish: list[str]) -> dict:
    db = storage.open_db(path)
    console = Script([*terminal_lines(script), *finish])
    try:
        session = open_session(db, GRID, console, "La Tréso", YEAR)
        TerminalInterview(session, console, path.parent / "out").run()
    except Quit:
        pass
    place = storage.find_place(db, "La Tréso")
    response = storage.find_response(db, place.id, YEAR)
    return {"answers": storage.load_answers(db, response.id), "sent": response.submitted}


# --- Telegram -----------------------------------------------------------------------------

async def telegram_do(chat: Chat, do: Do) -> None:
    assert current_key(chat) == do.key, (current_key(chat), do)
    if do.verb == "tick":
        for option in do.arg:  # type: ignore[attr-defined]
            await chat.press(callbacks.tap(do.key, option))
    elif do.verb == "choose" or do.verb == "suggest":
        await chat.press(callbacks.tap(do.key, str(do.arg)))
    elif do.verb == "other":
        await chat.press(callbacks.ask_other(do.key))
        await chat.send(str(do.arg))
    elif do.verb == "type":
        await chat.send(str(do.arg))
    elif do.verb == "erase":  # its data names the answer shown: the button on screen
        [data] = [b["callback_data"] for b in Chat.buttons(chat.last_keyboard())
                  if b["callback_data"].startswith(f"e:{do.key}:")]
        await chat.press(data)
    else:
        build = {"validate": callbacks.validate, "skip": callbacks.skip,
                 "back": callbacks.back}[do.verb]
        await chat.press(build(do.key))


async def run_telegram(path: Path, script: list[Do], send: bool) -> dict:
    tg = await FakeTelegram(path, admin_ids={ADMIN_ID}).start()
    try:
        alice = await manager(tg)
        for do in script:
            await telegram_do(alice, do)
        if send:
            await alice.send("/envoyer")
            await alice.tap("📨 Envoyer")
            await alice.tap("📨 Envoyer quand même")
        place = storage.find_place(tg.db, "La Tréso")
        response = storage.find_response(tg.db, place.id, YEAR)
        return {"answers": storage.load_answers(tg.db, response.id), "sent": response.submitted}
    finally:
        await tg.stop()


# --- The same interview, both ways --------------------------------------------------------

async def test_the_same_interview_stores_the_same_answers_in_both_channels(tmp_path):
    telegram = await run_telegram(tmp_path / "telegram.db", SCRIPT, send=False)
    terminal = run_terminal(tmp_path / "terminal.sqlite", SCRIPT, finish=[])
    assert telegram == terminal == {"answers": EXPECTED, "sent": False}


async def test_sending_the_same_fiche_from_both_channels(tmp_path):
    telegram = await run_telegram(tmp_path / "telegram.db", SCRIPT, send=True)
    # on to the review ("/p" there is refused, harmlessly), then "e" and the confirmation
    terminal = run_terminal(tmp_path / "terminal.sqlite", SCRIPT, [*["/p"] * 40, "e", "o"])
    assert telegram == terminal == {"answers": EXPECTED, "sent": True}


async def test_two_managers_one_per_channel_tick_the_same_option_at_once(tmp_path):
    """Alice in Telegram and someone at the terminal both see "voisins" unticked on the
    same place's question; Alice taps it first. The terminal's "3" meant "tick": the
    option stays ticked (one tick, not none), and the terminal shows it ticked."""
    tg = await FakeTelegram(tmp_path / "shared.db", admin_ids={ADMIN_ID}).start()
    try:
        alice = await manager(tg)
        console = Script([])
        session = open_session(tg.db, GRID, console, "La Tréso", None)
        seen = session.apply(engine.Show()).step.prompt  # "voisins" unticked
        await alice.press(callbacks.tap("lien_social.publics", "voisins"))
        outcomes = [session.apply(action) for action in parse("3", seen).actions]
        place = storage.find_place(tg.db, "La Tréso")
        response = storage.find_response(tg.db, place.id, YEAR)
        assert storage.load_answers(tg.db, response.id) == {"lien_social.publics": ["voisins"]}
        step = outcomes[-1].step
        assert step.redraw and [o.selected for o in step.prompt.options][2]
        assert "  3. [x] voisin·e·s du quartier" in question_lines(step.prompt)
    finally:
        await tg.stop()
