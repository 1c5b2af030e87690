"""Every sentence of the synthesis that a person reads, in French, in one place."""

from __future__ import annotations

from questionnaire.typography import NBSP, NNBSP, format_number


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


COLON = f"{NBSP}: "
TITLE = "Synthèse de la campagne {year}"
SUBTITLE = "Effets sociaux et urbains des tiers-lieux du réseau"
PARTICIPATION = "Participation"
INTENSITIES = "Intensité des effets"
INTENSITIES_NOTE = "Part des lieux ayant indiqué chaque niveau, de + à +++++."
KEYWORDS = "Mots-clés les plus cités"
COMMENTS = "Ce qu’en disent les lieux"
OTHER_LABEL = "Autre (réponse saisie)"
MULTI_NOTE = f"Part des lieux ayant répondu{NNBSP}; plusieurs réponses possibles."
SINGLE_NOTE = "Part des lieux ayant répondu."
EVOLUTION = "Évolution depuis {year}"
NO_PREVIOUS = (f"Pas de campagne précédente{NBSP}: l’évolution d’une année sur l’autre "
               "viendra avec la prochaine campagne.")
UNMAPPED_TITLE = "Réponses non comptées"
UNMAPPED_INTRO = ("Ces réponses ont été données avec une version antérieure de la grille et ne "
                  "correspondent plus à aucune question de la grille actuelle.")
CHANGE_HEADER = "Écart"
EVOLUTION_PLAIN = "Évolution"
def evolution_note(common: int) -> str:
    return (f"Part des {places(common)} ayant envoyé leur fiche les deux années, par niveau, "
            "en pourcentage." if common > 1 else
            "Niveau indiqué par le seul lieu ayant envoyé sa fiche les deux années, en "
            "pourcentage.")
CHART = f"Graphique{NBSP}: "


def places(n: int) -> str:
    """"1 lieu", "12 lieux", "3 500 lieux" (no-break space before the noun)."""
    return f"{format_number(n)}{NBSP}{'lieu' if n < 2 else 'lieux'}"


def answered(n: int) -> str:
    if n == 0:
        return "Aucun lieu n’a répondu à cette question."
    if n == 1:
        return "1\u00a0lieu a répondu à cette question."
    return f"{places(n)} ont répondu à cette question."


def commented(n: int) -> str:
    if n == 1:
        return "1\u00a0lieu a écrit un commentaire dans cette partie."
    return f"{places(n)} ont écrit un commentaire dans cette partie."


def keywords_given(n: int) -> str:
    return ("1\u00a0lieu a donné des mots-clés." if n == 1
            else f"{places(n)} ont donné des mots-clés.")


def family_respondents(title: str, n: int) -> str:
    return f"{title} ({places(n)})"


def evolution_intro(before: int, after: int, common: int) -> str:
    if common == 0:
        return (f"Aucun lieu n’a envoyé sa fiche à la fois en {before} et en {after}{NBSP}: "
                "il n’y a pas d’évolution à calculer.")
    if common == 1:
        return (f"Calculée sur le seul lieu qui a envoyé sa fiche en {before} et en "
                f"{after}.")
    return (f"Calculée sur les {places(common)} qui ont envoyé leur fiche en {before} et "
            f"en {after}, pour que les écarts ne viennent pas d’un changement de "
            "participants.")


def fiches(n: int) -> str:
    return f"{format_number(n)}{NBSP}{'fiche envoyée' if n < 2 else 'fiches envoyées'}"


def participation_change(before: int, after: int, sent_before: int, sent_after: int) -> str:
    return (f"Participation{NBSP}: {fiches(sent_before)} en {before}, {fiches(sent_after)} "
            f"en {after}.")


def excluded(names: list[str], comments: int) -> str | None:
    parts = []
    if names:
        parts.append(("la fiche de " if len(names) == 1 else "les fiches de ")
                     + ", ".join(names))
    if comments:
        parts.append("1\u00a0commentaire" if comments == 1
                     else f"{format_number(comments)}{NBSP}commentaires")
    if not parts:
        return None
    return "La coordination a écarté de cette synthèse " + " et ".join(parts) + "."


def unmapped_line(key: str, n: int) -> str:
    return f"{key}{NBSP}: {format_number(n)}{NBSP}{'fiche' if n < 2 else 'fiches'}"


# --- « Votre lieu face au réseau » ----------------------------------------------------

PLACE_TITLE = "Votre lieu face au réseau — campagne {year}"
TYPED_ANSWER = "une réponse saisie"


def place_not_sent(place: str, year: int) -> str:
    return (f"{place} n’a pas envoyé de fiche pour la campagne {year}{NBSP}: il n’y a rien "
            "à comparer.")


def place_intro(place: str, fiches: int, k: int) -> str:
    return (f"Les réponses de {place}, comparées à celles des {places(fiches)} qui ont "
            f"envoyé leur fiche. Un chiffre n’est donné que si au moins {k}{NBSP}lieux ont "
            "répondu à la question, pour qu’aucun lieu ne puisse être reconnu.")


def place_hidden(n: int, k: int) -> str:
    questions = "1\u00a0question" if n == 1 else f"{format_number(n)}{NBSP}questions"
    return (f"Pas de comparaison pour {questions}{NBSP}: moins de {k}{NBSP}lieux y ont "
            "répondu.")


def share_of_places(share: str) -> str:
    return f"{share} des lieux"


def same_level(level: str, same: str, below: str, above: str) -> str:
    return (f"vous avez indiqué {level}{NNBSP}; {same} des lieux aussi, {below} moins, "
            f"{above} plus.")


def count_position(position: str) -> str:
    return {"sous_q1": "parmi le quart des lieux aux chiffres les plus bas",
            "sous_mediane": "sous la médiane du réseau",
            "mediane": "à la médiane du réseau",
            "au_dessus_mediane": "au-dessus de la médiane du réseau",
            "au_dessus_q3": "parmi le quart des lieux aux chiffres les plus hauts"}[position]


def count_line(value: str, median: str, q1: str, q3: str, position: str) -> str:
    return (f"{value}{NNBSP}; médiane du réseau{NBSP}: {median}, la moitié des lieux entre "
            f"{q1} et {q3}{NBSP}: vous êtes {count_position(position)}.")


def typed(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}» (réponse saisie)"
