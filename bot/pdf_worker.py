"""PDFs and charts made in a process of their own, so that the bot keeps answering.

WeasyPrint does most of its work in Python. In a worker thread it holds the GIL, and
the event loop that answers every manager only gets it back between slices: with 10
fiches a second rendered in threads, a manager's p99 reply time went from 36 ms to
106 ms (bench/bench_flood.py). In a separate process the rendering takes no time from
the bot's thread. One worker process (started on first use, with "spawn": no copy of
the bot's threads or sockets) renders the fiches one after the other; the fiche model
travels to it, never the database connection. The same worker answers the PDF check
(`support`), and computes and writes out what else takes seconds for a whole network
(`run`): the campaign's synthesis, its PDF and charts, the progress chart, the exports.
What draws is called by name (`Named`), so that the bot's process never loads matplotlib.

A worker that dies (killed, out of memory) fails the renders in flight with
`BrokenProcessPool`; the next render starts a new one. A bot that dies (SIGKILL, out of
memory) cannot shut its worker down, and the worker would wait for work forever (it
holds its own end of the queue's pipe, so it never reads an end of file): it watches
its parent and exits once it is gone.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from fiche.model import Fiche
from fiche.pdf_support import PdfSupport, pdf_support
from fiche.render import render_pdf as _render_pdf

T = TypeVar("T")

WORKERS = 1  # the machine has two cores: one for the bot, one for the PDFs
PARENT_CHECK_S = 1.0  # how often the worker looks whether the bot is still there
STOP_GRACE_S = 10.0  # at exit, how long the worker may take to finish what it is doing

@dataclass(frozen=True)
class Named:
    """A function of a module the worker imports and the bot's process never does
    (matplotlib and NumPy, 35 MB): `run(Named("campaign.progress_chart", "progress_png"),
    data)`. It travels to the worker as its two names."""

    module: str
    function: str

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.function)(*args)


_executor: ProcessPoolExecutor | None = None
_support: PdfSupport | None = None


def _pool() -> ProcessPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ProcessPoolExecutor(max_workers=WORKERS,
                                        mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with, initargs=(os.getpid(),))
    return _executor


def _exit_with(parent: int) -> None:
    """In the worker, first thing: exit once the process that started it is gone (its
    orphan is given another parent)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="fichebot-parent-watch", daemon=True).start()


async def support() -> PdfSupport:
    """Whether this machine can make PDFs, asked of the worker: the probe imports
    WeasyPrint and loads Pango, 26 MB the bot's own process has no use for (its peak
    was 149 MB in bench/bench_telegram.py with the probe made there, 122 MB without).
    Kept once known: a fact of the machine, until `forget_support`."""
    global _support
    if _support is None:
        loop = asyncio.get_running_loop()
        try:
            _support = await loop.run_in_executor(_pool(), pdf_support)
        except BrokenProcessPool:
            shutdown()
            raise
    return _support


def forget_support() -> None:
    """Ask again next time, with a new worker (tests that make the library fail)."""
    global _support
    _support = None
    shutdown()


async def render_pdf(fiche: Fiche) -> bytes:
    """The fiche's PDF, rendered in the worker process."""
    return await run(_render_pdf, fiche)


async def run(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the worker process: a function of a module (the worker
    imports it by name) or a `Named` one, arguments and result that pickle (no database
    connection)."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_pool(), function, *args)
    except BrokenProcessPool:
        shutdown()  # the next call gets a new worker
        raise


def shutdown() -> None:
    """Stop the worker (at the bot's exit; a new one starts if a PDF is asked again)."""
    global _executor
    if _executor is not None:
        executor, _executor = _executor, None
        executor.shutdown(wait=False, cancel_futures=True)


async def stop(grace_s: float = STOP_GRACE_S) -> None:
    """At the bot's exit: the worker finishes what it is doing (for `grace_s` at most,
    then it is terminated) and the pool's thread is joined before the interpreter exits.

    Left running, the pool raced CPython 3.11's own exit hook, which writes to the
    pool's wake-up pipe without its lock: if the pool's thread had just closed that
    pipe, the bot's last line in the log was a traceback (OSError: Bad file descriptor).
    """
    global _executor
    if _executor is None:
        return
    executor, _executor = _executor, None
    joined = asyncio.ensure_future(
        asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True))
    try:
        await asyncio.wait_for(asyncio.shield(joined), grace_s)
    except TimeoutError:
        for child in multiprocessing.active_children():
            child.terminate()  # the pool sees its worker gone and its thread ends
        await joined
