"""Sending the fiche into a chat: its Telegram HTML messages, and the PDF as a document.

The PDF is rendered in a worker thread (`asyncio.to_thread`): WeasyPrint takes a second
or two and the bot keeps answering meanwhile. Only the fiche model travels to the
thread, never the database connection.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Mapping
from typing import Any

from telegram import Bot

from bot.fiche_files import fiche_basename
from bot.telegram import texts
from questionnaire.grid import Grid

log = logging.getLogger(__name__)


def fiche_messages(grid: Grid, answers: Mapping[str, Any], place: str,
                   year: int | None) -> list[str]:
    from fiche.model import build_fiche
    from fiche.render import render_telegram

    return render_telegram(build_fiche(grid, dict(answers), place, year))


def fiche_filename(place: str, year: int | None) -> str:
    """"La Tréso", 2026 → "fiche-la-treso-2026.pdf"."""
    return fiche_basename(place, year) + ".pdf"


def _render_pdf(grid: Grid, answers: Mapping[str, Any], place: str, year: int | None) -> bytes:
    from fiche.model import build_fiche
    from fiche.render import render_pdf

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


async def send_fiche_to_many(bot: Bot, chat_ids: list[int], grid: Grid,
                             answers: Mapping[str, Any], place: str, year: int | None,
                             intro: str | None = None) -> tuple[list[int], list[int]]:
    """The fiche to several chats: rendered once, the PDF uploaded once (then by file id).

    Returns (delivered, blocked) chat ids; a chat that blocked the bot (403) or fails is
    skipped without stopping the others.
    """
    from telegram.error import Forbidden, TelegramError

    messages = fiche_messages(grid, answers, place, year)
    try:
        pdf: bytes | None = await asyncio.to_thread(_render_pdf, grid, dict(answers), place,
                                                    year)
    except Exception:
        log.exception("rendering the PDF fiche of %r (%s) failed", place, year)
        pdf = None
    document: Any = pdf
    delivered: list[int] = []
    blocked: list[int] = []
    for chat_id in dict.fromkeys(chat_ids):
        try:
            if intro:
                await bot.send_message(chat_id, intro)
            for text in messages:
                await bot.send_message(chat_id, text)
            if document is not None:
                sent = await bot.send_document(
                    chat_id, document=document, filename=fiche_filename(place, year),
                    caption=texts.PDF_CAPTION.format(place=html.escape(place, quote=False),
                                                     year=year))
                if sent.document is not None:
                    document = sent.document.file_id  # the next chats reuse the upload
        except Forbidden:
            blocked.append(chat_id)
            continue
        except TelegramError as exc:
            log.warning("could not send the fiche of %r to %s: %s", place, chat_id, exc)
            continue
        delivered.append(chat_id)
    return delivered, blocked
