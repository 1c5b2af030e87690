"""Which texts a spreadsheet would run as formulas, and the reversible escape of the CSV.

See `campaign.export` for why: an export cell "=HYPERLINK(…)" must not run when the CSV is
double-clicked, and the intensity labels "+", "++"… must stay what they are.
"""

from __future__ import annotations

import re

_PLAIN_NUMBER = re.compile(r"^\d+([.,]\d+)?$")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet opening the CSV would read this text as a formula (see the
    module docstring): "=1+1", "+ de 30", "-2 personnes", "@chef", but not "+++", "-12"."""
    body = text.lstrip(" \t\r\n")
    if not body:
        return False
    first, rest = body[0], body[1:]
    if first == "=":
        return True
    if first == "@":
        return bool(rest)
    if first not in "+-":
        return False
    after_signs = body.lstrip("+-")
    if not after_signs:  # "+", "++", "---": signs only, never evaluated
        return False
    return not (first == "-" and rest == after_signs and bool(_PLAIN_NUMBER.match(rest)))


def _needs_escape(text: str) -> bool:
    return is_formula(text) or (text.startswith("'") and _needs_escape(text[1:]))


def neutralise(text: str) -> str:
    """A text a spreadsheet will not run as a formula: an apostrophe before a formula
    (and before an apostrophe that precedes one, so that `unneutralise` is exact)."""
    return "'" + text if _needs_escape(text) else text


def unneutralise(cell: str) -> str:
    """The text `neutralise` was given: `unneutralise(neutralise(t)) == t` for every t."""
    return cell[1:] if cell.startswith("'") and _needs_escape(cell[1:]) else cell
