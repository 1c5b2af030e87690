"""Every sentence of the synthesis that a person reads, in French, in one place."""

from __future__ import annotations

from fiche.french import format_number

NBSP = "\u00a0"


def no_fiche(year: int) -> str:
    return (f"Aucune fiche n’a encore été envoyée pour la campagne {year}{NBSP}: il n’y a "
            "pas encore de chiffres à présenter.")


def one_fiche(year: int, place: str) -> str:
    return (f"Une seule fiche a été envoyée pour la campagne {year} ({place}){NBSP}: les "
            "chiffres ci-dessous sont ceux de ce seul lieu, pas encore ceux d’un réseau.")


def all_excluded(year: int, count: int) -> str:
    if count == 1:
        return (f"La seule fiche envoyée pour la campagne {year} a été écartée de la "
                "synthèse par la coordination.")
    return (f"Les {format_number(count)}{NBSP}fiches envoyées pour la campagne {year} ont "
            "toutes été écartées de la synthèse par la coordination.")


def unmapped(fiches: int) -> str:
    if fiches == 1:
        return ("Une fiche répondue avec une version antérieure de la grille contient des "
                "réponses qui n’ont pas pu être rapportées à la grille actuelle\u202f; elles "
                "ne sont pas comptées (détail en fin de document).")
    return (f"{format_number(fiches)}{NBSP}fiches répondues avec une version antérieure de "
            "la grille contiennent des réponses qui n’ont pas pu être rapportées à la grille "
            "actuelle\u202f; elles ne sont pas comptées (détail en fin de document).")
