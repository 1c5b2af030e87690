"""Median time of one interview engine step (target ≤ 100 µs).

Run: uv run python bench/bench_engine.py
Steps are taken from a realistic walk through the whole grid (toggles, validations,
typed answers, skips), replayed many times from their recorded states.
"""

from __future__ import annotations

import statistics
import time

from questionnaire import engine
from questionnaire.grid import default_grid

GRID = default_grid()


def scripted_walk() -> list[tuple[dict, engine.Position, engine.Action]]:
    """(answers, position, action) of every step of one full interview."""
    answers: dict = {}
    position = engine.start(GRID, answers)
    steps = []
    while position.mode != "review":
        question = GRID.question(position.key)
        if question.type == "multi":
            actions = [engine.Tap(question.key, o.id) for o in question.options[:2]]
            actions.append(engine.Validate(question.key))
        elif question.type == "single":
            actions = [engine.Tap(question.key, question.options[0].id)]
        elif question.type == "count":
            actions = [engine.Text("environ 15")]
        else:
            actions = [engine.Text("Un commentaire de quelques mots.")]
        for action in actions:
            steps.append((dict(answers), position, action))
            result = engine.step(GRID, answers, position, action)
            answers, position = result.answers, result.position
    return steps


def main() -> None:
    steps = scripted_walk()
    rounds = 200
    timings = []
    for _ in range(rounds):
        for answers, position, action in steps:
            start = time.perf_counter_ns()
            engine.step(GRID, answers, position, action)
            timings.append(time.perf_counter_ns() - start)
    timings.sort()
    median = statistics.median(timings) / 1000
    p99 = timings[int(len(timings) * 0.99)] / 1000
    print(f"{len(steps)} steps per interview, {len(timings)} steps timed")
    print(f"engine step   median {median:7.1f} µs   p99 {p99:7.1f} µs   (target ≤ 100 µs)")


if __name__ == "__main__":
    main()
