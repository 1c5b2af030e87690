"""Small French writing helpers for the fiche: lists, numbers, titles, hashtags.

Pure functions, no I/O; every string they return is what a reader of the fiche sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# French groups thousands with a narrow no-break space: "1 200", never "1,200"; one
# definition for the chat, the export and the fiche.
from questionnaire.typography import format_number

TITLE_PREFIX = "EFFETS SOCIAUX ET URBAINS"

# Letters before which "de" is elided: vowels, accented or not, and y ("d'Yerres").
# Not h: whether an h is mute ("d'Hérouville") or aspirated ("de Hambourg") cannot be
# told from the spelling, so we never elide before h. A manager who wants the elision
# stores the name with its article ("L'Hermitage" → "DE L'HERMITAGE").
_ELIDING = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœ")

_ARTICLE = re.compile(r"^(les|le|la)\s+(.+)$", re.IGNORECASE | re.DOTALL)
_ELIDED_ARTICLE = re.compile(r"^l(['’])\s*(.+)$", re.IGNORECASE | re.DOTALL)
_KEYWORD_SEPARATORS = re.compile(r"[,;\n]")


def join_fr(items: Iterable[str]) -> str:
    """Items in running text: "a", "a et b", "a, b et c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def plural(n: int, singular: str, plural: str) -> str:
    """The number and its noun: "0 personne", "1 personne", "15 personnes".

    In French 0 and 1 take the singular.
    """
    return f"{format_number(n)} {singular if abs(n) < 2 else plural}"


def title_of(place_name: str) -> str:
    """The fiche's title, with the contraction of "de" and the place's article.

    "La Tréso" → "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO", "Le WIP" → "… DU WIP",
    "Les Grands Voisins" → "… DES GRANDS VOISINS", "L'Hermitage" → "… DE L'HERMITAGE",
    "Utopic" → "… D'UTOPIC". The apostrophe of an elided article is kept as typed.
    """
    name = " ".join(place_name.split())
    if not name:
        return TITLE_PREFIX
    match = _ARTICLE.match(name)
    if match:
        article, rest = match.group(1).lower(), match.group(2)
        of = {"le": "DU ", "les": "DES ", "la": "DE LA "}[article]
        return f"{TITLE_PREFIX} {of}{rest.upper()}"
    match = _ELIDED_ARTICLE.match(name)
    if match:
        return f"{TITLE_PREFIX} DE L{match.group(1)}{match.group(2).upper()}"
    if name[0].lower() in _ELIDING:
        return f"{TITLE_PREFIX} D'{name.upper()}"
    return f"{TITLE_PREFIX} DE {name.upper()}"


def capitalize_first(text: str) -> str:
    """Upper-case the first letter, leaving the rest as it is ("une vingtaine" → "Une …").

    Leading punctuation is skipped ("« une »" → "« Une »"); a text that starts with a
    digit is left alone ("5 par an").
    """
    for index, char in enumerate(text):
        if char.isalnum():
            if char.isalpha():
                return text[:index] + char.upper() + text[index + 1:]
            return text
    return text


def hashtags(keywords: str) -> str:
    """Keywords as the fiche's hashtag line.

    "prise de confiance, projet professionnel" → "#prise de confiance - projet
    professionnel". Split on commas, semicolons and line ends; blanks and a leading '#'
    on each keyword are dropped. No keyword → "".
    """
    items = []
    for part in _KEYWORD_SEPARATORS.split(keywords):
        item = " ".join(part.split()).lstrip("#").strip()
        if item:
            items.append(item)
    return "#" + " - ".join(items) if items else ""
