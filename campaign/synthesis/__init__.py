"""The network's annual picture: a campaign's synthesis (pure: data in, data out).

`synthesize` computes the JSON (build.py); `place_block` sets one place against it
(place.py); `render` writes it as Markdown, HTML or PDF with its charts (render.py).
"""

from .build import WHOLE_PLACE, YearInput, prepare, synthesize
from .place import K_MIN, place_block

__all__ = ["K_MIN", "WHOLE_PLACE", "YearInput", "place_block", "prepare", "synthesize"]
