"""Every French sentence the engine says, in one place so that channels share one voice.

Channels (Telegram, terminal) keep their own wording of buttons and commands in their
own `texts` module; what is said here is about the answers themselves. French
typography as grid.md asks: U+00A0 before ":" and between a number and its noun, U+202F
inside « » and as the thousands separator, ’ for the apostrophe.
"""

COUNT_NOT_WHOLE = "Merci d’indiquer un nombre entier, par exemple 15."
COUNT_NEGATIVE = "Merci d’indiquer un nombre positif ou nul, par exemple 15."
COUNT_TOO_LARGE = "Ce nombre est trop grand : merci d’indiquer un nombre entre 0 et 1 000 000."
TEXT_EMPTY = "Votre réponse est vide. Écrivez quelques mots, ou passez la question."
TEXT_TOO_LONG = (
    "Votre texte fait {length} caractères, c’est plus que les {limit} caractères permis. "
    "Merci de le raccourcir (rien n’a été enregistré)."
)
TAP_EXPECTED = "Pour cette question, merci de choisir parmi les réponses proposées."
UNKNOWN_OPTION = "Cette réponse n’existe pas pour cette question."
STALE = "Ce bouton concerne une question précédente : voici la question en cours."
NOT_NOW = "Cette action n’est pas possible à cette étape : voici où vous en êtes."
FIRST_QUESTION = "Vous êtes déjà à la première question."
UNKNOWN_SECTION = "Cette section n’existe pas."
OTHER_DUPLICATE = "« {text} » figure déjà dans les réponses."
NOTHING_TO_KEEP = "Il n’y a pas encore de réponse à garder pour cette question."

PROGRESS = "{section} · section {index}/{count}"
HINT_MULTI = "Plusieurs réponses possibles : touchez-les pour les cocher, puis « Valider »."
HINT_SINGLE = "Une seule réponse."
HINT_COUNT = "Écrivez un nombre (par exemple 15)."
HINT_AMOUNT = "Choisissez une estimation ou écrivez-la (80 caractères au plus)."
HINT_COMMENT = "Écrivez votre réponse ({limit} caractères au plus), ou passez."
HINT_OTHER = "Écrivez l’autre réponse à ajouter."


def unanswered_sections(count: int, total: int) -> str:
    """The review's warning when sections have no answer at all ("" when none)."""
    if count <= 0:
        return ""
    if count >= total:
        return (f"Aucune des {total}\u00a0sections n’a de réponse\u00a0: la fiche sera vide "
                "(«\u202fNon renseigné\u202f» partout).")
    if count == 1:
        return (f"1\u00a0section sur {total} n’a aucune réponse\u00a0: elle sera imprimée "
                "«\u202fNon renseigné\u202f».")
    return (f"{count}\u00a0sections sur {total} n’ont aucune réponse\u00a0: elles seront "
            "imprimées «\u202fNon renseigné\u202f».")
