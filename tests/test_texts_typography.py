"""Every French text of each channel (Telegram, terminal, command line) follows the grid's
French typography."""

import re

import pytest

from bot import cli_texts
from bot.telegram import texts
from bot.terminal import texts as terminal_texts

LETTER = r"[^\W\d_]"
MODULES = {"telegram": texts, "terminal": terminal_texts, "cli": cli_texts}


def _strings(name: str, value: object):
    """A constant's strings: itself, or those in its dict (values) or tuple or list."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(f"{name}[{key!r}]", item)
    elif isinstance(value, tuple | list | frozenset):
        for index, item in enumerate(value):
            yield from _strings(f"{name}[{index}]", item)


CONSTANTS = {f"{channel}.{text_name}": text for channel, module in MODULES.items()
             for name, value in vars(module).items() if name.isupper()
             for text_name, text in _strings(name, value)}


@pytest.mark.parametrize("channel", sorted(MODULES))
def test_there_are_texts_to_check(channel):
    assert sum(1 for name in CONSTANTS if name.startswith(f"{channel}.")) > 20


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_french_typography(name):
    text = CONSTANTS[name]
    for mark in ":;!?":
        assert f" {mark}" not in text, f"{name}: plain space before {mark!r}"
    assert not re.search(f"{LETTER}'{LETTER}", text), f"{name}: ' instead of ’"
    assert not re.search(r"\((s|x|e|es)\)", text), (
        f"{name}: write the singular and the plural out")
    assert "« " not in text and " »" not in text, f"{name}: plain space inside « »"
    for mark in ";!?%":
        assert f"\u00a0{mark}" not in text, f"{name}: no-break space before {mark!r}"


@pytest.mark.parametrize(("place", "said"), [
    ("Le WIP", "la fiche 2026 du <b>WIP</b>"),
    ("Les Grands Voisins", "la fiche 2026 des <b>Grands Voisins</b>"),
    ("Utopic", "la fiche 2026 d’<b>Utopic</b>"),
    ("La Tréso", "la fiche 2026 de <b>La Tréso</b>"),
    ("L’Hermitage", "la fiche 2026 de <b>L’Hermitage</b>"),
    ("Hub {Créatif}", "la fiche 2026 de <b>Hub {Créatif}</b>"),  # braces are text
])
def test_de_before_a_place_is_contracted(place, said):
    text = texts.REMINDER_MESSAGE.format(year=2026, place=place, deadline="30/06/2026",
                                         progress="")
    assert said in text
    assert "de <b>Le " not in text and "de <b>Les " not in text


def test_every_text_with_de_place_contracts():
    assert all(isinstance(value, texts.PlaceText) for value in vars(texts).values()
               if isinstance(value, str) and "de <b>{place}" in value)


NUMBER_AND_NOUN = sorted(CONSTANTS)


@pytest.mark.parametrize("name", NUMBER_AND_NOUN)
def test_a_number_and_its_noun_hold_together(name):
    # "256 caractères" with a no-break space; "de 1 à 256", "443 du proxy" are no noun
    found = re.search(rf"\b\d+ (?!(?:à|et|ou|du|de|sur|pas|pour)\b){LETTER}", CONSTANTS[name])
    assert not found, f"{name}: a plain space in {found[0]!r}"
