"""Sending a fiche into chats: its Telegram HTML messages, and the PDF as a document (or,
on a machine without Pango, the standalone HTML page: fiche.pdf_support decides).

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
from fiche.pdf_support import MISSING_PDF, pdf_support
from fiche.render import render_html, render_pdf, render_telegram
from questionnaire.grid import Grid
from storage.campaigns import submitted_count
from storage.roles import COORDINATEUR, DESTINATAIRE, people_with_role

log = logging.getLogger(__name__)


def fiche_messages(grid: Grid, answers: Mapping[str, Any], place: str,
                   year: int | None) -> list[str]:
    return render_telegram(build_fiche(grid, dict(answers), place, year))


def _render_pdf(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None) -> bytes:
    return render_pdf(build_fiche(grid, dict(answers), place, year))


def _render_html(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None) -> bytes:
    return render_html(build_fiche(grid, dict(answers), place, year)).encode()


@dataclass(frozen=True)
class FicheDocument:
    """The fiche as a file to send: the PDF, or the standalone HTML page where this machine
    cannot make PDFs (fiche.pdf_support)."""

    content: bytes
    filename: str
    is_pdf: bool

    def caption(self, place: str, year: int | None) -> str:
        return (texts.PDF_CAPTION if self.is_pdf else texts.HTML_CAPTION).format(
            place=html.escape(place, quote=False), year=year)


def render_document(grid: Grid, answers: Mapping[str, Any], place: str,
                    year: int | None) -> FicheDocument:
    """Runs in a worker thread: the PDF where Pango is there, else the HTML page."""
    base = fiche_basename(place, year)
    if pdf_support().available:
        return FicheDocument(_render_pdf(grid, answers, place, year), base + ".pdf", True)
    return FicheDocument(_render_html(grid, answers, place, year), base + ".html", False)


async def send_fiche_messages(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                              place: str, year: int | None) -> None:
    for text in fiche_messages(grid, answers, place, year):
        await bot.send_message(chat_id, text)


async def send_fiche_document(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                              place: str, year: int | None) -> bool:
    """Send the PDF (or the HTML page); False (and a short apology) if it failed to render."""
    try:
        document = await asyncio.to_thread(render_document, grid, dict(answers), place, year)
    except Exception:
        log.exception("rendering the PDF fiche of %r (%s) failed", place, year)
        await bot.send_message(chat_id, texts.PDF_FAILED)
        return False
    await bot.send_document(chat_id, document=document.content, filename=document.filename,
                            caption=document.caption(place, year))
    return True


async def send_fiche(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                     place: str, year: int | None) -> None:
    """The fiche as messages, then as a PDF (or HTML) document."""
    await send_fiche_messages(bot, chat_id, grid, answers, place, year)
    await send_fiche_document(bot, chat_id, grid, answers, place, year)


class RenderedFiche:
    """A fiche rendered once for every chat it goes to: its HTML messages at once, its
    document (PDF, or HTML page without Pango) in a worker thread (started now, awaited
    when first needed), and after the first upload the Telegram file id, so that the
    next chats do not upload it again."""

    def __init__(self, grid: Grid, answers: Mapping[str, Any], place: str,
                 year: int | None) -> None:
        self.place = place
        self.year = year
        self.messages = fiche_messages(grid, answers, place, year)
        self._document = asyncio.ensure_future(
            asyncio.to_thread(render_document, grid, dict(answers), place, year))
        self._failed = False
        self.file_id: str | None = None

    async def document(self) -> FicheDocument | None:
        """The document, or None (logged once) if it could not be rendered."""
        try:
            return await self._document
        except Exception:
            if not self._failed:
                self._failed = True
                log.exception("rendering the PDF fiche of %r (%s) failed", self.place,
                              self.year)
            return None

    async def sent_without_pdf(self) -> bool:
        """Whether it goes out as an HTML page because this machine makes no PDF."""
        document = await self.document()
        return document is not None and not document.is_pdf


async def send_rendered(bot: Bot, chat_id: int, fiche: RenderedFiche,
                        intro: str | None = None, *, apologise: bool = True) -> None:
    """The fiche into one chat: its messages, then its document (by file id once uploaded).

    Raises the `TelegramError` of a call that failed (a `RetryAfter` is waited out).
    Without a document, `apologise` says so in the chat.
    """
    if intro:
        await patiently(lambda: bot.send_message(chat_id, intro))
    for text in fiche.messages:
        await patiently(lambda text=text: bot.send_message(chat_id, text))
    document = await fiche.document()
    if document is None:
        if apologise:
            await patiently(lambda: bot.send_message(chat_id, texts.PDF_FAILED))
        return
    content: Any = fiche.file_id or document.content
    sent = await patiently(lambda: bot.send_document(
        chat_id, document=content, filename=document.filename,
        caption=document.caption(fiche.place, fiche.year)))
    if fiche.file_id is None and sent.document is not None:
        fiche.file_id = sent.document.file_id


async def announce_without_pdf(bot: Bot, admin_ids: Iterable[int]) -> bool:
    """At start, where this machine cannot make PDFs: say it once in the log and to each
    admin, with the package to install. Returns whether it had to."""
    support = await asyncio.to_thread(pdf_support)  # the first import takes a second
    if support.available:
        return False
    log.warning(texts.NO_PDF_LOG.format(reason=MISSING_PDF, error=support.error))
    for admin in sorted(admin_ids):
        try:
            await patiently(lambda admin=admin: bot.send_message(
                admin, texts.NO_PDF_ADMIN.format(reason=html.escape(MISSING_PDF))))
        except TelegramError as exc:  # an admin who never wrote to the bot
            log.info("the no-PDF notice to admin %s failed: %s", admin, exc)
    return True


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
