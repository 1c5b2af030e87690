"""The PDF worker: what the bot names for it to draw exists, and at the bot's exit it
finishes or is stopped, nothing of it left for the interpreter's own exit (no traceback
as the bot's last log line)."""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import pkgutil
import subprocess
import sys
import time

import bot
from bot import pdf_worker


def _named_jobs() -> dict[str, pdf_worker.Named]:
    """Every `Named` job a module of the bot defines."""
    found = {}
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, pdf_worker.Named):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_named_job_is_a_function_the_worker_can_import():
    jobs = _named_jobs()
    assert {"bot.telegram.features.steering.PROGRESS_PNG",
            "bot.telegram.features.synthesis.DOCUMENT_AND_CHARTS"} <= set(jobs)
    for where, job in jobs.items():
        function = getattr(importlib.import_module(job.module), job.function, None)
        assert callable(function), f"{where}: {job.module}.{job.function} is not a function"


async def test_a_named_job_runs_in_the_worker():
    assert await pdf_worker.run(pdf_worker.Named("operator", "add"), 2, 3) == 5
    await pdf_worker.stop()


async def test_stop_waits_for_the_job_in_hand_then_leaves_no_process():
    await pdf_worker.run(abs, 1)  # the worker is up
    job = asyncio.ensure_future(pdf_worker.run(time.sleep, 0.5))
    await asyncio.sleep(0.2)  # it has taken the job
    await pdf_worker.stop()
    assert job.done() and job.exception() is None  # the job was let finish
    assert multiprocessing.active_children() == []


async def test_stop_terminates_a_worker_that_does_not_finish_in_time():
    await pdf_worker.run(abs, 1)  # the worker is up
    job = asyncio.ensure_future(pdf_worker.run(time.sleep, 60))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await pdf_worker.stop(grace_s=0.5)
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []
    assert job.done()
    await asyncio.gather(job, return_exceptions=True)
    assert await pdf_worker.run(abs, -2) == 2  # and a new worker starts when asked


STOP_THEN_EXIT = """
import asyncio
from bot import pdf_worker

async def main():
    for _ in range(3):
        assert await pdf_worker.run(abs, -1) == 1
        await pdf_worker.stop()

asyncio.run(main())
print("ok")
"""


def test_an_interpreter_that_stopped_its_worker_exits_without_a_traceback():
    done = subprocess.run([sys.executable, "-c", STOP_THEN_EXIT], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert "Traceback" not in done.stderr
