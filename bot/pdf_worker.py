"""PDF fiches rendered in a process of their own, so that the bot keeps answering.

WeasyPrint does most of its work in Python. In a worker thread it holds the GIL, and
the event loop that answers every manager only gets it back between slices: with 10
fiches a second rendered in threads, a manager's p99 reply time went from 36 ms to
106 ms (bench/bench_flood.py). In a separate process the rendering takes no time from
the bot's thread. One worker process (started on first use, with "spawn": no copy of
the bot's threads or sockets) renders the fiches one after the other; the fiche model
travels to it, never the database connection.

A worker that dies (killed, out of memory) fails the renders in flight with
`BrokenProcessPool`; the next render starts a new one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from fiche.model import Fiche
from fiche.render import render_pdf as _render_pdf

WORKERS = 1  # the machine has two cores: one for the bot, one for the PDFs

_executor: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ProcessPoolExecutor(max_workers=WORKERS,
                                        mp_context=multiprocessing.get_context("spawn"))
    return _executor


async def render_pdf(fiche: Fiche) -> bytes:
    """The fiche's PDF, rendered in the worker process."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_pool(), _render_pdf, fiche)
    except BrokenProcessPool:
        shutdown()  # the next render gets a new worker
        raise


def shutdown() -> None:
    """Stop the worker (at the bot's exit; a new one starts if a PDF is asked again)."""
    global _executor
    if _executor is not None:
        executor, _executor = _executor, None
        executor.shutdown(wait=False, cancel_futures=True)
