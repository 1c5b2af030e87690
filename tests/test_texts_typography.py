"""Every French text of the Telegram channel follows the grid's French typography."""

import re

import pytest

from bot.telegram import texts

LETTER = r"[^\W\d_]"
CONSTANTS = {name: value for name, value in vars(texts).items()
             if name.isupper() and isinstance(value, str)}


def test_there_are_texts_to_check():
    assert len(CONSTANTS) > 100


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_french_typography(name):
    text = CONSTANTS[name]
    for mark in ":;!?":
        assert f" {mark}" not in text, f"{name}: plain space before {mark!r}"
    assert not re.search(f"{LETTER}'{LETTER}", text), f"{name}: ' instead of ’"
    assert "(s)" not in text, f"{name}: write the singular and the plural out"
    assert "« " not in text and " »" not in text, f"{name}: plain space inside « »"
    for mark in ";!?%":
        assert f"\u00a0{mark}" not in text, f"{name}: no-break space before {mark!r}"
