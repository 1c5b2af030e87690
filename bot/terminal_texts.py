"""Everything the terminal interview says, in one place (French)."""

WELCOME = (
    "fichebot — les effets sociaux et urbains de votre tiers-lieu\n"
    "Vos réponses sont enregistrées au fur et à mesure dans {db}.\n"
    "Vous pouvez quitter à tout moment (q ou Ctrl-C) et relancer « fichebot demo » "
    "pour reprendre."
)
ASK_PLACE = "Nom du lieu, avec son article (par exemple « La Tréso ») : "
PLACE_EMPTY = "Merci d'indiquer le nom du lieu."
RESUMING = "Reprise de l'entretien de {place} ({year})."
STARTING = "Entretien de {place} ({year}) : 12 sections, quelques minutes par section."
ALREADY_SENT = (
    "La fiche de {place} ({year}) a déjà été envoyée. Vous pouvez la modifier (m) "
    "ou quitter (q)."
)

HELP_MULTI = (
    "Tapez un ou plusieurs numéros pour cocher ou décocher (par exemple « 1 3 »), "
    "v pour valider, a pour ajouter une autre réponse, p pour passer, "
    "r pour revenir, s pour les sections, q pour quitter."
)
HELP_SINGLE = "Tapez le numéro de votre réponse, p pour passer, r pour revenir, q pour quitter."
HELP_AMOUNT = (
    "Tapez le numéro d'une estimation ou écrivez la vôtre, p pour passer, r pour revenir, "
    "q pour quitter."
)
HELP_TEXT = "Écrivez votre réponse puis Entrée ; p pour passer, r pour revenir, q pour quitter."
HELP_KEEP = "g pour garder la réponse actuelle."
HELP_OTHER = "Écrivez l'autre réponse (r pour annuler)."
HELP_SECTIONS = "Tapez le numéro de la section à modifier, r pour revenir."
HELP_REVIEW = (
    "e pour envoyer la fiche, m pour modifier une section, r pour revenir, q pour quitter."
)
HELP_REVIEW_RESUME = "c pour continuer le questionnaire là où vous l'aviez laissé."

CURRENT_ANSWER = "Réponse actuelle : {value}"
EXTRAS = "Autres réponses : {extras}"
EXTRA_REMOVE = "(pour retirer une autre réponse : x suivi de son numéro, par exemple « x1 »)"
REVIEW_TITLE = "Voici la fiche telle qu'elle se présente :"
UNVISITED = "Certaines questions n'ont pas encore été posées."
SECTIONS_TITLE = "Quelle section voulez-vous modifier ?"
SECTION_LINE = "  {number}. {title} ({answered}/{asked} réponses)"
UNKNOWN_INPUT = "Je n'ai pas compris. {help}"
NUMBER_OUT_OF_RANGE = "Il n'y a pas de réponse numéro {number}."
SENT = "Fiche envoyée. Merci ! Elle est enregistrée ici :"
QUIT = "Vos réponses sont enregistrées. Relancez « fichebot demo » pour reprendre."
REOPENED = "La fiche est rouverte pour modification ; renvoyez-la quand vous aurez fini."
NO_PDF = "Fiche écrite en .md et .html seulement\u00a0: {reason}."
CONFIRM_SEND = "Envoyer quand même\u202f? o pour oui, n pour revenir à la relecture."
