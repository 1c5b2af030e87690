"""Timing the fiche: loading the grid, building and rendering a full fiche.

    uv run python bench/bench_render.py [--quick]

Prints the median of many runs (time.perf_counter_ns) for each step, after one warm-up
run (first template compilation, font loading). Targets: Markdown and Telegram ≤ 2 ms
each, PDF ≤ 300 ms. The fiche is examples/la-treso.json, a fully answered one.

The PDF time depends on the system: WeasyPrint subsets fonts with HarfBuzz-Subset when
the library is installed (Debian: libharfbuzz-subset0), else with fontTools, about
three times slower; the first line says which one ran.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fiche.model import build_fiche  # noqa: E402
from fiche.render import render_html, render_markdown, render_pdf, render_telegram  # noqa: E402
from questionnaire.answer_file import validate_answers  # noqa: E402
from questionnaire.grid import DEFAULT_GRID_PATH, default_grid, load_grid  # noqa: E402


def median_ms(func: Callable[[], object], runs: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        func()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1e6


def main() -> None:
    quick = "--quick" in sys.argv
    runs, pdf_runs = (50, 5) if quick else (500, 30)
    raw = json.loads((ROOT / "examples" / "la-treso.json").read_text(encoding="utf-8"))
    grid = default_grid()
    answers = validate_answers(grid, raw["answers"])

    def fiche():
        return build_fiche(grid, answers, raw["place"], raw["year"])

    rows = [
        ("load_grid() uncached", median_ms(lambda: load_grid(DEFAULT_GRID_PATH), runs), None),
        ("build_fiche", median_ms(fiche, runs), None),
        ("build + Markdown", median_ms(lambda: render_markdown(fiche()), runs), 2.0),
        ("build + Telegram HTML", median_ms(lambda: render_telegram(fiche()), runs), 2.0),
        ("build + HTML page", median_ms(lambda: render_html(fiche()), runs), None),
        ("build + PDF", median_ms(lambda: render_pdf(fiche()), pdf_runs), 300.0),
    ]
    from weasyprint.text.ffi import harfbuzz_subset

    subsetter = "HarfBuzz-Subset" if harfbuzz_subset is not None else "fontTools (slow)"
    print(f"median of {runs} runs ({pdf_runs} for the PDF), after one warm-up run; "
          f"PDF fonts subset by {subsetter}")
    for name, ms, target in rows:
        verdict = "" if target is None else (
            f"  (target ≤ {target:g} ms: {'ok' if ms <= target else 'OVER'})")
        print(f"{name:<24} {ms:9.3f} ms{verdict}")


if __name__ == "__main__":
    main()
