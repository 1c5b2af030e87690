"""Sending a fiche into chats: its Telegram HTML messages, and the PDF as a document.

Used by the interview (the review, the submit and its sharing) and by /fiche.

The PDF is rendered in a worker thread (`asyncio.to_thread`): WeasyPrint takes a second
or two and the bot keeps answering meanwhile. Only the fiche model travels to the
thread, never the database connection.

When a place sends its fiche (`RenderedFiche`, `share_fiche`), it is rendered once and
the PDF uploaded once: the next chats get it by its Telegram file id.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database
from telegram import Bot
from telegram.error import TelegramError

import storage
from bot.fiche_files import fiche_basename
from bot.telegram import texts
from bot.telegram.sending import (
    BroadcastReport,
    Message,
    mark_if_blocked,
    method_of,
    patiently,
    send_many,
)
from fiche.model import build_fiche
from fiche.render import render_pdf, render_telegram
from questionnaire.grid import Grid
from storage.campaigns import submitted_count
from storage.roles import COORDINATEUR, DESTINATAIRE, people_with_role

log = logging.getLogger(__name__)


def fiche_messages(grid: Grid, answers: Mapping[str, Any], place: str,
                   year: int | None) -> list[str]:
    return render_telegram(build_fiche(grid, dict(answers), place, year))


def fiche_filename(place: str, year: int | None) -> str:
    """"La Tréso", 2026 → "fiche-la-treso-2026.pdf"."""
    return fiche_basename(place, year) + ".pdf"


def _render_pdf(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None) -> bytes:
    return render_pdf(build_fiche(grid, dict(answers), place, year))


async def send_fiche_messages(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                              place: str, year: int | None) -> None:
    for text in fiche_messages(grid, answers, place, year):
        await bot.send_message(chat_id, text)


async def send_fiche_pdf(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                         place: str, year: int | None) -> bool:
    """Send the PDF; False (and a short apology) if it could not be rendered."""
    try:
        pdf = await asyncio.to_thread(_render_pdf, grid, dict(answers), place, year)
    except Exception:
        log.exception("rendering the PDF fiche of %r (%s) failed", place, year)
        await bot.send_message(chat_id, texts.PDF_FAILED)
        return False
    await bot.send_document(
        chat_id, document=pdf, filename=fiche_filename(place, year),
        caption=texts.PDF_CAPTION.format(place=html.escape(place, quote=False), year=year))
    return True


async def send_fiche(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                     place: str, year: int | None) -> None:
    """The fiche as messages, then as a PDF document."""
    await send_fiche_messages(bot, chat_id, grid, answers, place, year)
    await send_fiche_pdf(bot, chat_id, grid, answers, place, year)


class RenderedFiche:
    """A fiche rendered once for every chat it goes to: its HTML messages at once, its PDF
    in a worker thread (started now, awaited when first needed), and after the first
    upload the Telegram file id, so that the next chats do not upload it again."""

    def __init__(self, grid: Grid, answers: Mapping[str, Any], place: str,
                 year: int | None) -> None:
        self.place = place
        self.year = year
        self.messages = fiche_messages(grid, answers, place, year)
        self._pdf = asyncio.ensure_future(
            asyncio.to_thread(_render_pdf, grid, dict(answers), place, year))
        self._pdf_failed = False
        self.file_id: str | None = None

    @property
    def filename(self) -> str:
        return fiche_filename(self.place, self.year)

    @property
    def caption(self) -> str:
        return texts.PDF_CAPTION.format(place=html.escape(self.place, quote=False),
                                        year=self.year)

    async def pdf(self) -> bytes | None:
        """The PDF, or None (logged once) if it could not be rendered."""
        try:
            return await self._pdf
        except Exception:
            if not self._pdf_failed:
                self._pdf_failed = True
                log.exception("rendering the PDF fiche of %r (%s) failed", self.place,
                              self.year)
            return None


async def send_rendered(bot: Bot, chat_id: int, fiche: RenderedFiche,
                        intro: str | None = None, *, apologise: bool = True) -> None:
    """The fiche into one chat: its messages, then the PDF (by file id once uploaded).

    Raises the `TelegramError` of a call that failed (a `RetryAfter` is waited out).
    Without a PDF, `apologise` says so in the chat.
    """
    if intro:
        await patiently(lambda: bot.send_message(chat_id, intro))
    for text in fiche.messages:
        await patiently(lambda text=text: bot.send_message(chat_id, text))
    pdf = await fiche.pdf()
    if pdf is None:
        if apologise:
            await patiently(lambda: bot.send_message(chat_id, texts.PDF_FAILED))
        return
    document: Any = fiche.file_id or pdf
    sent = await patiently(lambda: bot.send_document(
        chat_id, document=document, filename=fiche.filename, caption=fiche.caption))
    if fiche.file_id is None and sent.document is not None:
        fiche.file_id = sent.document.file_id


async def share_fiche(bot: Bot, db: Database, fiche: RenderedFiche, place_id: int,
                      submitter: int | None) -> BroadcastReport:
    """A place sent its fiche: its other managers and every recipient get it (with a line
    saying what it is), the coordinators a one-line notice with the campaign's count.

    Never raises: someone who blocked the bot (403) is marked unreachable, another error
    is logged, and the others still get it. Returns the count of people reached.
    """
    report = BroadcastReport()
    try:
        managers = [p.telegram_id for p in storage.managers_of_place(db, place_id)
                    if p.telegram_id > 0]
        chats = [c for c in dict.fromkeys([*managers, *people_with_role(db, DESTINATAIRE)])
                 if c != submitter]
        intro = texts.FICHE_RECEIVED.format(place=html.escape(fiche.place, quote=False),
                                            year=fiche.year)
        for chat_id in chats:  # one after the other: the first upload gives the file id
            try:
                await send_rendered(bot, chat_id, fiche, intro, apologise=False)
            except TelegramError as exc:
                if mark_if_blocked(db, chat_id, exc):
                    report.unreachable += 1
                    continue
                report.failed += 1
                log.warning("%s to %s failed (fiche of place %s): %s", method_of(exc),
                            chat_id, place_id, exc)
            else:
                report.sent += 1
        if fiche.year is not None:
            submitted, total = submitted_count(db, fiche.year)
            notice = texts.COORDINATOR_NOTICE.format(
                place=html.escape(fiche.place, quote=False), year=fiche.year,
                submitted=submitted, total=total)
            report.add(await send_many(bot, [
                Message(c, notice) for c in people_with_role(db, COORDINATEUR)
                if c != submitter], db=db))
    except Exception:  # the fiche is sent: never let its sharing fail the submit
        log.exception("sharing the fiche of place %s failed", place_id)
    return report
