"""`fichebot demo`: open the database, choose the place, run the interview, exit.

The terminal user (person 0) becomes a manager of the place it names and answers for
it, through the same session as Telegram's managers (`interview`). Exit status: 0 when
the fiche is sent or the person quits (/q, end of input); 130 after Ctrl-C (the shell's
convention for SIGINT), with a French line; 1 when the database cannot be opened, when
the --out folder surely cannot hold the fiche (said before anything is asked), or when
the fiche is sent but its files could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlite_utils import Database

import storage
from bot.db_open import open_for_command
from bot.fiche_files import check_out_dir
from bot.paths import data_dir
from bot.system_errors import os_error
from bot.terminal import texts as T
from bot.terminal.console import Console, Quit
from bot.terminal.interview import TerminalInterview
from bot.terminal.screen import wrap
from bot.terminal.session import TERMINAL_PERSON, TerminalSession
from questionnaire.answers import strip_controls
from questionnaire.grid import Grid, default_grid
from questionnaire.typography import format_number
from storage.places import clean_name
from storage.responses import last_touched_place
from storage.roles import set_current_place

INTERRUPTED_STATUS = 130
FAILED_STATUS = 1
PLACE_NAME_MAX = 120  # as in Telegram (bot/telegram/features/places.py)


def say(console: Console, text: str = "") -> None:
    """A line of the demo's own, cut at the terminal's width as the interview's are."""
    for line in wrap([text], console.width()):
        console.say(line)


def choose_place(db: Database, console: Console, place_name: str | None) -> storage.Place:
    """The place named, else the last one answered, else asked; made the terminal
    user's current place."""
    storage.upsert_person(db, TERMINAL_PERSON, "Terminal")
    place = None
    if place_name is None and (last := last_touched_place(db)) is not None:
        place = storage.get_place(db, last)
    while place is None:
        name = strip_controls(place_name if place_name is not None
                              else console.read(T.ASK_PLACE))
        place_name = None
        if name.strip().casefold() in ("q", "/q"):  # quitting works here too
            raise Quit
        cleaned = clean_name(name)
        if not cleaned:
            say(console, T.PLACE_EMPTY)
            continue
        place = storage.find_place(db, name)
        if place is None and len(cleaned) > PLACE_NAME_MAX:  # a new place: its name bounded
            say(console, T.PLACE_TOO_LONG.format(length=format_number(len(cleaned)),
                                                 limit=PLACE_NAME_MAX))
            continue
        place = place or storage.add_place(db, name)
    storage.add_manager(db, place.id, TERMINAL_PERSON)
    set_current_place(db, TERMINAL_PERSON, place.id)
    return place


def open_session(db: Database, grid: Grid, console: Console, place_name: str | None,
                 year: int | None) -> TerminalSession:
    """The session of the chosen place; says whether it starts or resumes (a fiche
    sent is neither: the interview says it is sent)."""
    place = choose_place(db, console, place_name)
    session = TerminalSession(db, grid, year)
    answering = session.open()
    assert answering is not None  # the terminal user manages the place just chosen
    stored = answering.response.id != 0  # 0: a closed campaign's placeholder
    resuming = stored and bool(storage.load_answers(db, answering.response.id))
    response = answering.response
    template = (T.OPENING_SENT if stored and response.submitted
                else T.RESUMING_REOPENED if stored and reopened(response)
                else T.RESUMING if resuming else T.STARTING)
    say(console, template.format(place=place.name, year=answering.response.year,
                                 sections=len(grid.sections)))
    return session


def reopened(response: storage.Response) -> bool:
    """Whether the fiche was sent before and is now reopened: no longer sent."""
    return response.submissions > 0 and not response.submitted


def goodbye(session: TerminalSession | None) -> str:
    """What quitting says: answers kept; and if the fiche was reopened, that it is no
    longer sent and how to send it again (leaving does not send it back)."""
    answering = session.open() if session is not None else None
    if (answering is None or answering.response.id == 0
            or not reopened(answering.response)):
        return T.QUIT
    return T.QUIT_REOPENED.format(place=answering.place.name,
                                  year=answering.response.year)


def main(args: argparse.Namespace) -> int:
    """`fichebot demo`."""
    grid = default_grid()
    db_file = Path(args.db) if args.db else data_dir() / "demo.sqlite"
    out_dir = Path(args.out) if args.out else db_file.parent
    try:
        check_out_dir(out_dir)
    except OSError as exc:
        print(T.OUT_UNWRITABLE.format(folder=out_dir, reason=os_error(exc)), file=sys.stderr)
        return FAILED_STATUS
    db, status = open_for_command("demo", db_file, must_exist=False)
    if db is None:
        return status
    console = Console()
    say(console, T.WELCOME.format(db=db_file))
    session = None
    try:
        session = open_session(db, grid, console, args.lieu, args.annee)
        if not TerminalInterview(session, console, out_dir).run():
            return FAILED_STATUS
    except Quit:
        say(console)
        say(console, goodbye(session))
    except KeyboardInterrupt:
        say(console)
        say(console, f"{T.INTERRUPTED_MARK} {goodbye(session)}")
        return INTERRUPTED_STATUS
    return 0
