"""The synthesis as a document: its charts (matplotlib), the HTML page with them as
embedded SVG, the PDF (that page printed by WeasyPrint), and the key charts as PNG for a
chat. Run in the PDF worker process (`bot.pdf_worker`) or on the command line, never in
the bot's own process: matplotlib and NumPy weigh 35 MB.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from questionnaire.grid import Grid

from . import texts
from .charts import Chart, bar_chart, level_chart
from .render import FORMATS, environment, render_json, render_markdown
from .view import SynthesisView, build_view


def intensity_chart(view: SynthesisView, titled: bool = False) -> Chart:
    """The three families' intensities in one chart. `titled`: with the title drawn in
    the image, for an image seen on its own (a chat)."""
    return level_chart(view.intensities, texts.INTENSITIES if titled else None,
                       texts.INTENSITIES_NOTE if titled else None)


def evolution_charts(view: SynthesisView, titled: bool = False) -> list[Chart]:
    """One chart per family: its intensities the previous year and this year."""
    if view.evolution is None or not view.evolution.panels:
        return []
    return [level_chart([(name, after)], view.evolution.title if titled else None,
                        texts.evolution_note(view.evolution.common),
                        series=view.evolution.years, before=[before])
            for name, before, after in view.evolution.panels]


def charts(view: SynthesisView) -> dict[str, Chart]:
    """Every chart of the document, by name: a question's key, "intensites", and
    "evolution.<n>" (one per family)."""
    if view.empty:
        return {}
    drawn = {"intensites": intensity_chart(view)}
    for family in view.families:
        for section in family.sections:
            for question in section.questions:
                if question.bars:
                    drawn[question.key] = bar_chart(question.bars)
    for index, chart in enumerate(evolution_charts(view)):
        drawn[f"evolution.{index}"] = chart
    return drawn


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(view: SynthesisView, drawn: Mapping[str, Chart] | None = None) -> str:
    drawn = charts(view) if drawn is None else drawn
    uris = {name: _data_uri(chart.svg) for name, chart in drawn.items()}
    return environment().get_template("synthese.html").render(view=view, charts=uris)


def render_pdf(view: SynthesisView, drawn: Mapping[str, Chart] | None = None) -> bytes:
    """The HTML printed on A4; only the embedded data: URIs are read, nothing else."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for
    from weasyprint.urls import URLFetcher

    return HTML(string=render_html(view, drawn),
                url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def render(grid: Grid, synthesis: Mapping[str, Any], fmt: str) -> str | bytes:
    """The synthesis in one of FORMATS (bytes for "pdf")."""
    if fmt == "json":
        return render_json(synthesis)
    view = build_view(grid, synthesis)
    if fmt == "md":
        return render_markdown(view)
    if fmt == "html":
        return render_html(view)
    if fmt == "pdf":
        return render_pdf(view)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def key_charts(grid: Grid, synthesis: Mapping[str, Any]) -> list[bytes]:
    """The PNG images a chat gets with the PDF, titled: the intensities, then the
    evolution of each family when there is one. None for an empty synthesis."""
    view = build_view(grid, synthesis)
    if view.empty:
        return []
    return [chart.png for chart in [intensity_chart(view, titled=True),
                                    *evolution_charts(view, titled=True)]]


def document_and_charts(grid: Grid, synthesis: Mapping[str, Any]
                        ) -> tuple[bytes | None, list[bytes]]:
    """The PDF and the key charts as PNG, for a chat; no PDF and no chart for a
    synthesis that counts no fiche."""
    if not synthesis["participation"]["fiches_comptees"]:
        return None, []
    pdf = render(grid, synthesis, "pdf")
    assert isinstance(pdf, bytes)
    return pdf, key_charts(grid, synthesis)
