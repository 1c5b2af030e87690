"""What the places wrote: the most frequent keywords of each family, and a few comments
chosen to illustrate each section, each with its place's name."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from questionnaire.grid import Grid

TOP_KEYWORDS = 12
COMMENTS_PER_SECTION = 3
COMMENT_IDEAL_LENGTH = 250  # characters: long enough to say something, short to read
COMMENT_MAX_LENGTH = 600  # longer ones are cut at a word, with "…"

_SEPARATORS = re.compile(r"[,;\n]")
_EDGES = " \t#.!?:«»\"'’“”()[]-–—…·*"


@dataclass(frozen=True, slots=True)
class Counted:
    """A fiche as the text figures need it: whose it is, and its effective answers."""

    place_id: int
    place: str
    answers: dict[str, Any]


def keyword_key(text: str) -> str:
    """How keywords are compared: case, accents of composition, spaces and the
    punctuation around them do not matter ("#Lien social." = "lien  social")."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split()).strip(_EDGES)
    return cleaned.casefold()


def split_keywords(text: str) -> list[str]:
    """The keywords of one answer as typed (trimmed), split on commas, semicolons and
    line ends, each once."""
    seen: dict[str, str] = {}
    for part in _SEPARATORS.split(text):
        shown = " ".join(unicodedata.normalize("NFC", part).split()).strip(_EDGES)
        key = shown.casefold()
        if key and key not in seen:
            seen[key] = shown
    return list(seen.values())


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def top_keywords(texts: Sequence[str], limit: int = TOP_KEYWORDS) -> dict[str, Any]:
    """The keywords given by the most places (each place counts once per keyword),
    shown in their most frequent spelling."""
    places: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    answered = 0
    for text in texts:
        items = split_keywords(text)
        answered += bool(items)
        for item in items:
            key = item.casefold()
            places[key] += 1
            spellings[key][item] += 1
    ranked = sorted(places, key=lambda k: (-places[k], _sort_key(k), k))[:limit]
    return {
        "repondants": answered,
        "mots": [{"mot": _spelling(spellings[key]), "lieux": places[key]} for key in ranked],
    }


def _spelling(spellings: Counter[str]) -> str:
    """The most frequent spelling; among equals, the one with the fewest capitals."""
    return min(spellings, key=lambda s: (-spellings[s], sum(c.isupper() for c in s), s))


def keywords(grid: Grid, fiches: Sequence[Counted]) -> dict[str, Any]:
    """Per family with a summary, `top_keywords` of its keywords question."""
    result: dict[str, Any] = {}
    for family in grid.families:
        if family.summary is None:
            continue
        key = family.summary.keywords
        result[family.id] = top_keywords(
            [f.answers[key] for f in fiches if isinstance(f.answers.get(key), str)])
    return result


def shorten(text: str, limit: int = COMMENT_MAX_LENGTH) -> str:
    """The text, cut at the last space before `limit` with "…" when longer."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"


def comments(grid: Grid, fiches: Sequence[Counted],
             excluded: Collection[tuple[int, str]] = (),
             per_section: int = COMMENTS_PER_SECTION) -> dict[str, dict[str, Any]]:
    """Per section (summary excluded): how many places commented, and a few comments
    from different places and with different texts, those closest to
    COMMENT_IDEAL_LENGTH first, then by place name. `excluded`: (place_id, answer key)
    pairs a coordinator left out."""
    result: dict[str, dict[str, Any]] = {}
    names = {fiche.place_id: _sort_key(fiche.place) for fiche in fiches}
    for section in grid.sections:
        if section.summary:
            continue
        candidates = []
        for question in section.questions:
            if question.type != "comment":
                continue
            for fiche in fiches:
                text = fiche.answers.get(question.key)
                if not isinstance(text, str) or not text.strip():
                    continue
                if (fiche.place_id, question.key) in excluded:
                    continue
                candidates.append((abs(len(text) - COMMENT_IDEAL_LENGTH),
                                   names[fiche.place_id], fiche.place_id, question.key, fiche,
                                   text))
        candidates.sort(key=lambda c: c[:4])
        chosen: list[dict[str, Any]] = []
        places: set[int] = set()
        said: set[str] = set()  # a text pasted by several places is shown once
        for *_, key, fiche, text in candidates:
            same = keyword_key(text)
            if fiche.place_id in places or same in said:
                continue
            places.add(fiche.place_id)
            said.add(same)
            chosen.append({"lieu": fiche.place, "lieu_id": fiche.place_id, "cle": key,
                           "texte": shorten(text.strip())})
            if len(chosen) == per_section:
                break
        result[section.id] = {"lieux": len({c[2] for c in candidates}), "choisis": chosen}
    return result
