"""Finding a place by any spelling: case, accents, punctuation, a part of the name.

`match_places` is pure; `lookup_place` runs it over the places of the database. A
coordinator who types `/fiche la treso`, `/fiche Tréso` or `/fiche TRESO` finds « La
Tréso »; when several places match (`/fiche voisins`), the caller offers them as
buttons; when none does, the closest names (difflib) are suggested.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from .places import Place, list_places, search_key

_ARTICLES = frozenset({"le", "la", "les", "l"})
CLOSEST = 3
CUTOFF = 0.6


def _without_article(key: str) -> str:
    words = key.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in _ARTICLES else key


@dataclass(frozen=True)
class PlaceMatch:
    """`places`: the matching places (one: that one; several: to choose from); without
    any, `closest`: the names that look most alike, to suggest."""

    query: str
    places: list[Place] = field(default_factory=list)
    closest: list[Place] = field(default_factory=list)

    @property
    def found(self) -> Place | None:
        return self.places[0] if len(self.places) == 1 else None


def match_places(query: str, places: Sequence[Place]) -> PlaceMatch:
    """The places `query` names: the same name (any spelling, with or without its
    article) first; else every place whose name contains the query's words (the
    start of each word: "gd voisins" does not, "grands vois" does); else none, with
    the closest names."""
    key = search_key(query)
    if not key:
        return PlaceMatch(query)
    keys = {place.id: search_key(place.name) for place in places}
    exact = [p for p in places if keys[p.id] == key]
    if not exact:
        bare = _without_article(key)
        exact = [p for p in places if _without_article(keys[p.id]) == bare]
    if exact:
        return PlaceMatch(query, exact)
    words = key.split()
    partial = [p for p in places if key in keys[p.id] or all(
        any(w.startswith(q) for w in keys[p.id].split()) for q in words)]
    if partial:
        return PlaceMatch(query, partial)
    by_key: dict[str, list[Place]] = {}
    for place in places:
        by_key.setdefault(_without_article(keys[place.id]), []).append(place)
    close = difflib.get_close_matches(_without_article(key), list(by_key), n=CLOSEST,
                                      cutoff=CUTOFF)
    return PlaceMatch(query, [], [p for k in close for p in by_key[k]][:CLOSEST])


def lookup_place(db: Database, query: str, *, include_removed: bool = False) -> PlaceMatch:
    """`match_places` over the active places; with `include_removed` (`/fiche`: a removed
    place keeps its past fiches), the removed ones too when no active one matches."""
    found = match_places(query, list_places(db))
    if found.places or not include_removed:
        return found
    removed = [p for p in list_places(db, include_removed=True) if not p.active]
    other = match_places(query, removed)
    return other if other.places else found
