"""Small French writing helpers for the fiche: lists, numbers, titles, dates, hashtags.

Pure functions, no I/O; every string they return is what a reader of the fiche sees,
with French typography (grid.md, "French typography"): a no-break space between a
number and its noun, a narrow no-break space between groups of thousands.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

# one definition of the spaces and of numbers for the chat, the export and the fiche
# (questionnaire.typography: format_number, count_of)
from questionnaire.typography import NBSP

APOSTROPHE = "\u2019"

TITLE_PREFIX = "EFFETS SOCIAUX ET URBAINS"

_VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœ")
# Words starting with an aspirated h (no elision: "du hangar", "de la halle"), and words
# starting with a mute h (elision: "d'hôtel", "d'habitat"), as a word's first letters.
# A name whose first word is in neither list gets no elision, and the coordinator can
# correct the title when the place is added (storage.set_place_title).
_ASPIRATED_H = (
    "hache", "haie", "haillon", "haine", "hall", "halle", "halte", "hamac", "hameau",
    "hamburger", "hanche", "handball", "handicap", "hangar", "hanneton", "hareng", "haricot",
    "harpe", "hasard", "hâte", "hausse", "haut", "havre", "hayon", "hennissement", "hérisson",
    "hernie", "héron", "héros", "hêtre", "hibou", "hiérarchie", "hip-hop", "hippie",
    "hockey", "hollande", "homard", "hongrie", "honte", "hoquet", "hors", "hotte", "houblon",
    "houle", "housse", "hublot", "huit", "hurle", "hutte", "hack", "hub", "home", "house",
    "hive", "hill", "hope", "happy", "hello",
)
_MUTE_H = (
    "habit", "habitant", "habitat", "habitation", "habitude", "haleine", "haltère",
    "harmonie", "hébergement", "hectare", "hélice", "hémicycle", "herbe", "herbier",
    "héritage", "hermitage", "héroïne", "hérouville", "heure", "heureu", "hier",
    "hippodrome", "hirondelle", "histoire", "historique", "hiver", "hommage", "homme",
    "honneur", "hôpita", "horaire", "horizon", "horloge", "horticult", "hospitalité",
    "hostellerie", "hôte", "hôtel", "huile", "huître", "humain", "humanité", "humeur",
    "humour", "hydro", "hygiène", "hymne", "hypothèse",
)

_ARTICLE = re.compile(r"^(les|le|la)\s+(.+)$", re.IGNORECASE | re.DOTALL)
_ELIDED_ARTICLE = re.compile(r"^l(['’])\s*(.+)$", re.IGNORECASE | re.DOTALL)
_DE_ARTICLE = re.compile(r"^(?:du|des|de|d['’]|au|aux)(?:\s|$)|^d['’]", re.IGNORECASE)
_KEYWORD_SEPARATORS = re.compile(r"[,;\n]")
# "et" that coordinates two nouns ("les résident·e·s et occupant·e·s"), not two
# complements ("de gestion et d'animation")
_NOUN_AND = re.compile(r"\bet (?!d['’]|de |du |des )")

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def join_fr(items: Iterable[str]) -> str:
    """Items in running text: "a", "a et b", "a, b et c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def join_groups(items: Sequence[str]) -> str:
    """Groups in running text, so that the reader can still count them when a group's own
    name holds "et": "a, b et c", but "a, les résident·e·s et occupant·e·s, ainsi que c"."""
    if len(items) > 1 and any(_NOUN_AND.search(item) for item in items):
        return ", ".join(items[:-1]) + ", ainsi que " + items[-1]
    return join_fr(items)


def starts_with_vowel_sound(word: str) -> bool:
    """Whether "de"/"que"/"le" elide before this word: a vowel, a mute h, a y before a
    consonant ("Yvetot"); not an aspirated h ("hangar"), nor a y before a vowel ("Yes")."""
    word = word.lower()
    if not word:
        return False
    first = word[0]
    if first == "h":
        if any(word.startswith(prefix) for prefix in _ASPIRATED_H):
            return False
        return any(word.startswith(prefix) for prefix in _MUTE_H)
    if first in "yÿ":
        return len(word) > 1 and word[1] not in _VOWELS
    return first in _VOWELS


def of_name(place_name: str) -> str:
    """"de" and the place's name, contracted, in capitals: "La Tréso" → "DE LA TRÉSO",
    "Le WIP" → "DU WIP", "Utopic" → "D'UTOPIC", "Le Hangar" → "DU HANGAR"."""
    name = " ".join(place_name.split())
    match = _ARTICLE.match(name)
    if match:
        article, rest = match.group(1).lower(), match.group(2)
        return {"le": "DU ", "les": "DES ", "la": "DE LA "}[article] + rest.upper()
    match = _ELIDED_ARTICLE.match(name)
    if match:
        return f"DE L{match.group(1)}{match.group(2).upper()}"
    if starts_with_vowel_sound(name):
        return f"D{APOSTROPHE}{name.upper()}"
    return f"DE {name.upper()}"


def of_place(place_name: str) -> tuple[str, str]:
    """"de" before a place's name in a sentence, as (the word, the name as shown): "Le
    WIP" → ("du ", "WIP"), "Les Grands Voisins" → ("des ", "Grands Voisins"), "Utopic" →
    ("d’", "Utopic"), "La Tréso" → ("de ", "La Tréso"), "L’Hermitage" → ("de ",
    "L’Hermitage"). The name keeps its capitals: only "le" and "les" contract."""
    name = " ".join(place_name.split())
    match = _ARTICLE.match(name)
    if match and match.group(1).lower() in ("le", "les"):
        return ("du " if match.group(1).lower() == "le" else "des "), match.group(2)
    if not match and not _ELIDED_ARTICLE.match(name) and starts_with_vowel_sound(name):
        return f"d{APOSTROPHE}", name
    return "de ", name


def without_article(place_name: str) -> str:
    """The name without its article: "Le Hangar" → "Hangar", "L'Hermitage" → "Hermitage"."""
    name = " ".join(place_name.split())
    for pattern in (_ARTICLE, _ELIDED_ARTICLE):
        match = pattern.match(name)
        if match:
            return match.group(2)
    return name


def title_forms(place_name: str) -> list[str]:
    """The forms a coordinator may choose for the title, the rule's first: "de" with or
    without elision, with "le", "la" or "les" ("Hub Créatif" → "DE HUB CRÉATIF", "D'HUB
    CRÉATIF", "DU HUB CRÉATIF", …)."""
    name = " ".join(place_name.split())
    if not name:
        return []
    bare = without_article(name)
    noun = bare.upper()
    candidates = [of_name(name), f"DE {noun}", f"DU {noun}", f"DE LA {noun}", f"DES {noun}"]
    if bare[:1].lower() in _VOWELS or bare[:1].lower() == "h":
        candidates[2:2] = [f"D{APOSTROPHE}{noun}", f"DE L{APOSTROPHE}{noun}"]
    forms: list[str] = []
    for form in candidates:
        if form.replace("'", APOSTROPHE) not in (f.replace("'", APOSTROPHE) for f in forms):
            forms.append(form)
    return forms


def title_of(place_name: str, of: str | None = None) -> str:
    """The fiche's title: "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO".

    `of` is the form a coordinator stored for the place ("DU HANGAR", see
    `clean_title_form`); without it the form is `of_name`'s. The apostrophe of an
    article typed with the name ("L'Hermitage") is kept as typed.
    """
    if of:
        return f"{TITLE_PREFIX} {of}"
    name = " ".join(place_name.split())
    return f"{TITLE_PREFIX} {of_name(name)}" if name else TITLE_PREFIX


def clean_title_form(text: str) -> str:
    """What a coordinator typed to correct a title, as stored: the part after "EFFETS
    SOCIAUX ET URBAINS" (typed or not), blanks collapsed, in capitals."""
    form = " ".join(text.split())
    if form.upper().startswith(TITLE_PREFIX):
        form = form[len(TITLE_PREFIX):].strip()
    return form.upper()


def de(text: str) -> str:
    """"de" before a phrase typed by a manager, as the grid's own options have it:
    "outillage partagé" → "d'outillage partagé", "matériel" → "de matériel"; an article is
    contracted ("le matériel" → "du matériel") and a phrase that already starts with "de",
    "du", "des" or "d'" is left as typed."""
    if _DE_ARTICLE.match(text):
        return text
    match = _ARTICLE.match(text)
    if match:
        article, rest = match.group(1), match.group(2)
        of = {"le": "du", "les": "des", "la": "de la"}[article.lower()]
        return f"{of} {rest}"
    if _ELIDED_ARTICLE.match(text):
        return f"de {text}"
    if starts_with_vowel_sound(text):
        return f"d{APOSTROPHE}{text}"
    return f"de {text}"


def elide_que(text: str, following: str) -> str:
    """"que" before a vowel sound is "qu'": text ending in " que" followed by "on…"."""
    if text.endswith(" que") and starts_with_vowel_sound(following.lstrip()):
        return text[:-1] + APOSTROPHE
    return text


def date_fr(day: dt.date) -> str:
    """"1er décembre 2026", "3 décembre 2026" (no-break spaces inside)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number}{NBSP}{MONTHS[day.month - 1]}{NBSP}{day.year}"


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
