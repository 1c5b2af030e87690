"""Sending a fiche into chats: its Telegram HTML messages, and the PDF as a document (or,
on a machine without Pango, the standalone HTML page: fiche.pdf_support decides).

Used by the interview (the review, the submit and its sharing) and by /fiche. Just
past 400 lines: a delivery's claim, parts, release and resumption are read together.

The PDF is rendered in a worker process (`bot.pdf_worker`): WeasyPrint takes a tenth
of a second or more and the bot keeps answering meanwhile. Only the fiche model travels
to the worker, never the database connection.

When a place sends its fiche (`RenderedFiche`, `share_fiche`), it is rendered once and
the PDF uploaded once: the next chats get it by its Telegram file id. Each of these
deliveries is in the outbox (`storage.outbox`): claimed when its first request leaves
for Telegram, its outcome recorded when the last was answered. A delivery cut by a
network error (the request surely did not leave) or a 429 never waited out is released:
owed again. `resume_deliveries` sends the fiche to whoever has no claim — never reached,
released, or on the wire at a crash — from the first part not known to have arrived
(`storage.outbox.parts_sent`): the only possible duplicate is the one message that was
on the wire when the process died. The bot runs it soon after start
(`resume_owed`), and `RETRY_AFTER` after a sharing that left someone owed, again and
again while someone is (`retry_if_owed`): the database says who is owed, the job only
says when to look.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database
from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

import storage
from bot import pdf_worker
from bot.fiche_files import fiche_basename
from bot.telegram import texts
from bot.telegram.context import now_of, services
from bot.telegram.sending import (
    BroadcastReport,
    Fate,
    Message,
    fate_of,
    mark_if_blocked,
    method_of,
    patiently,
    send_many,
)
from bot.telegram.who import who
from bot.telegram.wire import AlreadyClaimed, leaving
from fiche.model import Fiche, build_fiche, sent_on_of
from fiche.pdf_support import MISSING_PDF
from fiche.render import render_html, render_telegram
from questionnaire.grid import Grid
from questionnaire.versions import grid_for_version
from storage.campaigns import submitted_count
from storage.outbox import (
    Outcome,
    claim_delivery,
    delivery_outcomes,
    fiche_recipients,
    owed_deliveries,
    owed_for,
    parts_sent,
    record_delivery,
    record_parts,
    release_delivery,
)
from storage.receiving import notice_recipients

log = logging.getLogger(__name__)

RESUME_WINDOW = timedelta(days=2)  # a fiche sent longer ago is not delivered again
RETRY_AFTER = timedelta(minutes=5)  # a delivery a network error released, tried again
RETRY_JOB = "retry-deliveries"


def _fiche(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None,
           title_form: str | None, sent_at: str | None) -> Fiche:
    """The fiche with the title the coordinator stored for the place (`title_form`,
    None: the rule's) and the day it was sent (`sent_at`, ISO; None: not sent)."""
    return build_fiche(grid, dict(answers), place, year, title_form=title_form,
                       sent_on=sent_on_of(sent_at))


def fiche_messages(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None,
                   *, title_form: str | None = None, sent_at: str | None = None) -> list[str]:
    return render_telegram(_fiche(grid, answers, place, year, title_form, sent_at))


async def _render_pdf(fiche: Fiche) -> bytes:
    return await pdf_worker.render_pdf(fiche)


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


async def render_document(fiche: Fiche) -> FicheDocument:
    """The PDF (in the worker process) where Pango is there, else the standalone HTML
    page (fiche.pdf_support)."""
    base = fiche_basename(fiche.place, fiche.year)
    if (await pdf_worker.support()).available:
        return FicheDocument(await _render_pdf(fiche), base + ".pdf", True)
    return FicheDocument(render_html(fiche).encode(), base + ".html", False)


async def send_fiche_messages(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                              place: str, year: int | None, *, title_form: str | None = None,
                              sent_at: str | None = None) -> None:
    for text in fiche_messages(grid, answers, place, year, title_form=title_form,
                               sent_at=sent_at):
        await bot.send_message(chat_id, text)


async def send_fiche_document(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                              place: str, year: int | None, *, title_form: str | None = None,
                              sent_at: str | None = None) -> bool:
    """Send the PDF (or the HTML page); False (and a short apology) if it failed to render."""
    fiche = _fiche(grid, answers, place, year, title_form, sent_at)
    try:
        document = await render_document(fiche)
    except Exception:
        log.exception("rendering the PDF fiche of %r (%s) failed", place, year)
        await bot.send_message(chat_id, texts.PDF_FAILED)
        return False
    await bot.send_document(chat_id, document=document.content, filename=document.filename,
                            caption=document.caption(place, year))
    return True


async def send_fiche(bot: Bot, chat_id: int, grid: Grid, answers: Mapping[str, Any],
                     place: str, year: int | None, *, title_form: str | None = None,
                     sent_at: str | None = None) -> None:
    """The fiche as messages, then as a PDF (or HTML) document."""
    await send_fiche_messages(bot, chat_id, grid, answers, place, year,
                              title_form=title_form, sent_at=sent_at)
    await send_fiche_document(bot, chat_id, grid, answers, place, year,
                              title_form=title_form, sent_at=sent_at)


class RenderedFiche:
    """A fiche rendered once for every chat it goes to: its HTML messages at once, its
    document (PDF, or HTML page without Pango) from the worker process (asked for now,
    awaited when first needed), and after the first upload the Telegram file id, so that the
    next chats do not upload it again."""

    def __init__(self, grid: Grid, answers: Mapping[str, Any], place: str,
                 year: int | None, *, title_form: str | None = None,
                 sent_at: str | None = None, submission: int | None = None) -> None:
        self.place = place
        self.year = year
        self.submission = submission  # which sending of the response it is (None: the last)
        fiche = _fiche(grid, answers, place, year, title_form, sent_at)
        self.messages = render_telegram(fiche)
        self._document = asyncio.ensure_future(render_document(fiche))
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

    @property
    def corrected(self) -> bool:
        """Sent again after /modifier: it replaces the one sent before."""
        return (self.submission or 0) > 1

    async def sent_without_pdf(self) -> bool:
        """Whether it goes out as an HTML page because this machine makes no PDF."""
        document = await self.document()
        return document is not None and not document.is_pdf


async def send_rendered(bot: Bot, chat_id: int, fiche: RenderedFiche,
                        intro: str | None = None, *, apologise: bool = True, done: int = 0,
                        progress: Callable[[int], None] | None = None) -> None:
    """The fiche into one chat: its messages, then its document (by file id once uploaded).

    Its parts are, in this order, `intro`, each message, then the document (or, without
    one, the apology if `apologise`). The first `done` parts are skipped (they arrived
    before: a resumed delivery), and `progress(n)` is told once Telegram acknowledged
    the n-th. Raises the `TelegramError` of a call that failed (a `RetryAfter` is
    waited out).
    """
    texts_ = ([intro] if intro else []) + list(fiche.messages)
    for number, text in enumerate(texts_, start=1):
        if number > done:
            await patiently(lambda text=text: bot.send_message(chat_id, text))
            if progress is not None:
                progress(number)
    if len(texts_) + 1 <= done:
        return
    document = await fiche.document()  # rendering while the messages went
    if document is None:
        if apologise:
            await patiently(lambda: bot.send_message(chat_id, texts.PDF_FAILED))
    else:
        content: Any = fiche.file_id or document.content
        sent = await patiently(lambda: bot.send_document(
            chat_id, document=content, filename=document.filename,
            caption=document.caption(fiche.place, fiche.year)))
        if fiche.file_id is None and sent.document is not None:
            fiche.file_id = sent.document.file_id
    if progress is not None and (document is not None or apologise):
        progress(len(texts_) + 1)


async def announce_without_pdf(bot: Bot, admin_ids: Iterable[int]) -> bool:
    """At start, where this machine cannot make PDFs: say it once in the log and to each
    admin, with the package to install. Returns whether it had to."""
    support = await pdf_worker.support()  # the worker imports WeasyPrint, not the bot
    if support.available:
        return False
    log.warning(texts.NO_PDF_LOG.format(reason=MISSING_PDF, error=support.error))
    for admin in sorted(admin_ids):
        try:
            await patiently(lambda admin=admin: bot.send_message(
                admin, texts.NO_PDF_ADMIN.format(reason=html.escape(MISSING_PDF))))
        except TelegramError as exc:  # an admin who never wrote to the bot
            log.info("the no-PDF notice to an administrator failed: %s", exc)
    return True


async def deliver(bot: Bot, db: Database, fiche: RenderedFiche, response_id: int,
                  chats: list[int]) -> BroadcastReport:
    """The fiche of `response_id` to each chat, through the outbox: a chat already
    claimed is skipped. Never raises a `TelegramError`: a 403 marks the person
    unreachable, another error is logged (and recorded: it may have gone out)."""
    report = BroadcastReport()
    intro = (texts.FICHE_RECEIVED_AGAIN if fiche.corrected else texts.FICHE_RECEIVED).format(
        place=html.escape(fiche.place, quote=False), year=fiche.year)
    for chat_id in chats:  # one after the other: the first upload gives the file id
        try:
            sent = await deliver_one(bot, db, fiche, response_id, chat_id, intro,
                                     apologise=False)
        except TelegramError as exc:
            if mark_if_blocked(db, chat_id, exc):
                report.unreachable += 1
                continue
            report.failed += 1
            log.warning("%s to %s failed (fiche of response %s): %s", method_of(exc),
                        who(db, chat_id), response_id, exc)
        else:
            if sent:
                report.sent += 1
            else:
                report.skipped += 1
    return report


async def deliver_one(bot: Bot, db: Database, fiche: RenderedFiche, response_id: int,
                      chat_id: int, intro: str | None = None, *, apologise: bool = True
                      ) -> bool:
    """The fiche of `response_id` to one chat, through the outbox: claimed when its first
    request leaves, its outcome recorded. False if it was claimed already (sent before,
    or by someone else); raises the `TelegramError` of a call that failed (recorded)."""
    which = fiche.submission
    if chat_id in delivery_outcomes(db, response_id, submission=which):
        return False

    def claim() -> bool:
        return claim_delivery(db, response_id, chat_id, submission=which)

    def progress(number: int) -> None:
        record_parts(db, response_id, chat_id, number, submission=which)

    try:
        with leaving(claim) as pending:
            await send_rendered(bot, chat_id, fiche, intro, apologise=apologise,
                                done=parts_sent(db, response_id, chat_id, submission=which),
                                progress=progress)
    except AlreadyClaimed:
        return False
    except TelegramError as exc:
        if pending.done:
            fate = fate_of(exc)
            if fate in (Fate.NOT_SENT, Fate.WAIT):  # owed again: `resume_deliveries`
                release_delivery(db, response_id, chat_id, submission=which)
            else:
                record_delivery(db, response_id, chat_id,
                                Outcome.UNREACHABLE if fate is Fate.UNREACHABLE
                                else Outcome.ERROR, submission=which)
        raise
    if not pending.done and not claim():
        return False  # every part had arrived before a crash; another sender closed it
    record_delivery(db, response_id, chat_id, Outcome.SENT, submission=which)
    return True


async def share_fiche(bot: Bot, db: Database, fiche: RenderedFiche, response_id: int,
                      submitter: int | None, admin_ids: Iterable[int] = ()
                      ) -> BroadcastReport:
    """A place sent its fiche: its other managers and every recipient get it (with a line
    saying what it is), the coordinators a one-line notice with the campaign's count;
    administrators who asked for them (`/recevoir oui`) both (`storage.receiving`).

    Never raises: someone who blocked the bot (403) is marked unreachable, another error
    is logged, and the others still get it. Returns the count of people reached.
    """
    report = BroadcastReport()
    try:
        report.add(await deliver(bot, db, fiche, response_id,
                                 [c for c in fiche_recipients(db, response_id, admin_ids)
                                  if c != submitter]))
        if fiche.year is not None:
            submitted, total = submitted_count(db, fiche.year)
            notice = (texts.COORDINATOR_NOTICE_AGAIN if fiche.corrected
                      else texts.COORDINATOR_NOTICE).format(
                place=html.escape(fiche.place, quote=False), year=fiche.year,
                answered=texts.answered_of(submitted, total))
            report.add(await send_many(bot, [
                Message(c, notice) for c in notice_recipients(db, admin_ids)
                if c != submitter], db=db))
    except Exception:  # the fiche is sent: never let its sharing fail the submit
        log.exception("sharing the fiche of response %s failed", response_id)
    return report


async def resume_deliveries(bot: Bot, db: Database, grid: Grid, since: datetime,
                            admin_ids: Iterable[int] = ()) -> BroadcastReport:
    """The fiches sent since `since` go to whoever they are owed to and has no claim of
    them (`storage.outbox.owed_deliveries`): after a restart (once
    `storage.outbox.recover_unknown` has run), and a while after a network error
    released some. A sharing still going on is no trouble: each delivery is claimed
    when its request leaves, so a person gets it from one sender only."""
    report = BroadcastReport()
    for response_id, chats in owed_deliveries(db, since, admin_ids).items():
        response = storage.get_response(db, response_id)
        place = storage.get_place(db, response.place_id)
        fiche = RenderedFiche(grid_for_version(response.grid_version, grid),
                              storage.load_answers(db, response_id), place.name, response.year,
                              title_form=place.title_form, sent_at=response.submitted_at,
                              submission=response.submissions)
        log.info("fiche of response %s: %s delivery(ies) a restart cut short, sending them",
                 response_id, len(chats))
        report.add(await deliver(bot, db, fiche, response_id, chats))
    return report


async def resume_owed(application: Application[Any, Any, Any, Any, Any, Any]
                      ) -> BroadcastReport:
    """`resume_deliveries` for the fiches sent in the last `RESUME_WINDOW`; tried again
    `RETRY_AFTER` later while anyone is still owed one (a network still down)."""
    s = services(application)
    since = now_of(application) - RESUME_WINDOW
    report = await resume_deliveries(application.bot, s.db, s.grid, since,
                                     s.settings.admin_ids)
    if report.sent or report.failed or report.unreachable:
        log.info("fiche deliveries resumed: %s sent, %s unreachable, %s failed",
                 report.sent, report.unreachable, report.failed)
    if owed_deliveries(s.db, since, s.settings.admin_ids):
        _retry_later(application)
    return report


def retry_if_owed(application: Application[Any, Any, Any, Any, Any, Any],
                  response_id: int) -> bool:
    """After a fiche's sharing: if someone is still owed it (a network error released
    their delivery), `resume_owed` runs in `RETRY_AFTER`. True if it was scheduled."""
    s = services(application)
    owed = owed_for(s.db, response_id, s.settings.admin_ids)
    if not owed:
        return False
    log.info("fiche of response %s: still owed to %s person(s), tried again in %s",
             response_id, len(owed), RETRY_AFTER)
    return _retry_later(application)


def _retry_later(application: Application[Any, Any, Any, Any, Any, Any]) -> bool:
    queue = application.job_queue
    if queue is None:
        return False
    if not queue.get_jobs_by_name(RETRY_JOB):  # one is enough: it looks at every fiche
        queue.run_once(resume_job, when=RETRY_AFTER, name=RETRY_JOB)
    return True


async def resume_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """`resume_owed` as a job: soon after start (`app.post_init`), and after a sharing
    that left someone owed."""
    await resume_owed(context.application)
