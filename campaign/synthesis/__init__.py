"""The network's annual picture: a campaign's synthesis (pure: data in, data out).

`synthesize` computes the JSON (build.py); `place_block` sets one place against it
(place.py); render.py writes it as JSON and Markdown (and one place's report for a chat),
document.py as HTML or PDF with its charts (matplotlib, never loaded by the bot itself).
"""

from .build import WHOLE_PLACE, YearInput, prepare, synthesize
from .place import K_MIN, place_block

__all__ = ["K_MIN", "WHOLE_PLACE", "YearInput", "place_block", "prepare", "synthesize"]
