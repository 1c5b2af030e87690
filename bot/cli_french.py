"""argparse in French: its own words (usage, help, errors) as a reader of `fichebot` sees them.

argparse looks up each of its messages through gettext (`argparse._`, `argparse.ngettext`)
when it needs one; `FrenchArgumentParser` makes those look-ups answer in French, from the
table below, and writes the few messages that quote a value with « » itself. A message
missing from the table (a newer Python's) is still shown, in English, rather than lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from bot import cli_texts as T

NBSP = "\u00a0"
NNBSP = "\u202f"  # inside « »

# argparse's msgid → French (the same %-placeholders; %r becomes « %s »)
MESSAGES: dict[str, str] = {
    "usage: ": "utilisation\u00a0: ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "affiche cette aide et s’arrête",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s\u00a0: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s\u00a0: erreur\u00a0: %(message)s\n",
    "the following arguments are required: %s": "il manque\u00a0: %s",
    "one of the arguments %s is required": "il faut l’un de ces arguments\u00a0: %s",
    "unrecognized arguments: %s": "arguments inconnus\u00a0: %s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "une valeur au moins est attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë\u00a0: %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "impossible avec l’argument %s",
    "ignored explicit argument %r": "valeur «\u202f%s\u202f» ignorée",
    "unexpected option string: %s": "option inattendue\u00a0: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande inconnue\u00a0: «\u202f%(parser_name)s\u202f» "
        "(commandes\u00a0: %(choices)s)",
    "invalid %(type)s value: %(value)r":
        "valeur invalide\u00a0: «\u202f%(value)s\u202f» (%(type)s attendu)",
    "can't open '%(filename)s': %(error)s":
        "impossible d’ouvrir «\u202f%(filename)s\u202f»\u00a0: %(error)s",
    "cannot have multiple subparser arguments": "une seule commande à la fois",
    "subcommands": "commandes",
}

# the name of a `type=` in "valeur invalide : « x » (nombre entier attendu)"
TYPE_NAMES = {"int": "nombre entier", "float": "nombre"}


YEAR_MIN, YEAR_MAX = 2000, 2100


def year(text: str) -> int:
    """An argparse `type=` for a campaign year: a whole number from YEAR_MIN to YEAR_MAX
    (never converted past a few digits: int() refuses 5 000 of them)."""
    value = text.strip()
    if not re.fullmatch(r"[-+]?[0-9]+", value):
        raise argparse.ArgumentTypeError(MESSAGES["invalid %(type)s value: %(value)r"] % {
            "type": TYPE_NAMES["int"], "value": text})
    digits = value.lstrip("+-").lstrip("0")
    if value.startswith("-") or len(digits) > len(str(YEAR_MAX)) or not (
            YEAR_MIN <= int(digits or "0") <= YEAR_MAX):
        raise argparse.ArgumentTypeError(T.YEAR_OUT_OF_RANGE.format(
            value=text, low=YEAR_MIN, high=YEAR_MAX))
    return int(digits)


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


class FrenchHelpFormatter(argparse.HelpFormatter):
    """Help with French headings: "utilisation :" instead of "usage:", and "options :"
    with its no-break space (argparse writes the ":" of a heading itself)."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading}{NBSP}" if heading else heading)

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, MESSAGES["usage: "] if prefix is None
                          else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word is French (subcommands inherit the class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        argparse._ = _gettext  # type: ignore[attr-defined]
        argparse.ngettext = _ngettext  # type: ignore[attr-defined]
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        super().__init__(*args, **kwargs)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)  # type: ignore[misc]
        except argparse.ArgumentError as error:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES and error.message.endswith(f"({name} attendu)"):
                error.message = error.message.replace(f"({name} attendu)",
                                                      f"({TYPE_NAMES[name]} attendu)")
            raise

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            quoted = [f"«{NNBSP}{choice}{NNBSP}»" for choice in action.choices]
            choices = (", ".join(quoted[:-1]) + " ou " + quoted[-1] if len(quoted) > 1
                       else "".join(quoted))
            raise argparse.ArgumentError(
                action, f"choix invalide{NBSP}: «{NNBSP}{value}{NNBSP}» "
                        f"(choisir parmi{NBSP}: {choices})")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, MESSAGES["%(prog)s: error: %(message)s\n"]
                  % {"prog": self.prog, "message": message})
