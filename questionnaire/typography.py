"""French typography for numbers and lists, where the engine and every channel make text.

grid.md, "French typography": a narrow no-break space (U+202F) as the thousands separator
and before ";", a no-break space (U+00A0) between a number and its noun, so that a line
never breaks inside "1 200 personnes". Lives in `questionnaire/` (the lowest layer) so the
chat, the export and the fiche all print numbers the same way.
"""

from __future__ import annotations

NBSP = "\u00a0"  # no-break space: before ":", between a number and its noun
NNBSP = "\u202f"  # narrow no-break space: thousands, before ";" "!" "?" "%", in « »

THOUSANDS_SEPARATOR = NNBSP
LIST_SEPARATOR = NNBSP + "; "  # items of an answer in words: "a ; b"


def format_number(n: int) -> str:
    """A whole number with French thousands grouping: 1200 → "1 200" (narrow nbsp)."""
    sign = "-" if n < 0 else ""
    digits = str(abs(n))
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + THOUSANDS_SEPARATOR.join(groups)


def count_of(n: int, singular: str, plural: str) -> str:
    """The number and its noun, joined by a no-break space: "1 200 personnes".

    In French 0 and 1 take the singular ("0 personne", "1 personne").
    """
    return f"{format_number(n)}{NBSP}{singular if abs(n) < 2 else plural}"
