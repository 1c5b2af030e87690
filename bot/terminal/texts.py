"""Everything the terminal interview says, in one place, in French.

French typography as grid.md asks, written with escapes so that it shows in review:
\\u00a0 (no-break space) before ":" and between a number and its noun, \\u202f (narrow
no-break space) before ";", "?", "!" and inside « », ’ for the apostrophe. Numbers are
formatted by the caller with `questionnaire.typography` ("2 000").
"""

WELCOME = (
    "fichebot — les effets sociaux et urbains de votre tiers-lieu\n"
    "Vos réponses sont enregistrées au fur et à mesure dans {db}.\n"
    "Quittez à tout moment avec /q ou Ctrl-C, et relancez «\u202ffichebot demo\u202f» "
    "pour reprendre."
)
CANNOT_OPEN = "fichebot demo\u00a0: {reason}"
NO_PDF = "Fiche écrite en .md et .html seulement\u00a0: {reason}."
ASK_PLACE = "Nom du lieu, avec son article (par exemple «\u202fLa Tréso\u202f»)\u00a0: "
PLACE_EMPTY = "Merci d’indiquer le nom du lieu."
PLACE_TOO_LONG = (
    "Ce nom est trop long ({length}\u00a0caractères, {limit} au plus)\u00a0: abrégez-le."
)
OUT_UNWRITABLE = (
    "fichebot demo\u00a0: la fiche ne pourrait pas être écrite dans {folder} ({reason})\u00a0: "
    "choisissez un autre dossier avec --out."
)
RESUMING = "Lieu\u00a0: {place} — année {year}. On reprend là où vous en étiez."
OPENING_SENT = "Lieu\u00a0: {place} — année {year}."
RESUMING_REOPENED = (
    "Lieu\u00a0: {place} — année {year}. La fiche a été envoyée, puis rouverte pour "
    "modification\u00a0: elle n’est plus envoyée. On reprend là où vous en étiez\u202f; "
    "renvoyez-la quand vous aurez fini (continuez jusqu’à la relecture et tapez e)."
)
STARTING = (
    "Lieu\u00a0: {place} — année {year}. {sections}\u00a0sections, quelques minutes par "
    "section."
)
ALREADY_SENT = (
    "La fiche {year} pour {place} a déjà été envoyée. Tapez m pour la modifier, f pour "
    "écrire ses fichiers dans {folder}, q pour quitter."
)
ALREADY_SENT_CHOICE = (
    "Tapez m pour modifier la fiche envoyée, f pour écrire ses fichiers, q pour quitter."
)
PREFILL_OFFER = (
    "{place} a déjà répondu en {year}. Voulez-vous repartir de ces réponses\u202f? "
    "Chaque question montrera la réponse de {year}\u00a0: /p la garde, ou changez-la."
)
PREFILL_CHOICE = "Tapez o pour repartir de ces réponses, n pour une fiche vierge."
PREFILLED = "C’est fait\u00a0: les réponses de {year} sont reprises. Vérifiez-les une à une."
PREFILL_BLANK = "D’accord, on part d’une fiche vierge."
CLOSED = (
    "La campagne de cette année est close\u00a0: rien n’est plus enregistré. Merci pour "
    "vos réponses."
)
NOT_YET_OPEN = (
    "La campagne {year} n’est pas encore ouverte\u00a0: rien n’est enregistré pour le "
    "moment."
)
NO_PLACE = "Aucun lieu à renseigner pour le moment."
REOPENED = "La fiche est rouverte\u00a0: elle n’est plus envoyée tant que vous ne la renvoyez pas."
PROMPT = "> "

# --- A question ---------------------------------------------------------------------------
HEADING = "── {section} · section {index}/{count} · question {number}/{total} ──"
OPTION_MULTI = "  {number}. [{mark}] {label}"
OPTION_SINGLE = "  {number}. ({mark}) {label}"
MARK_ON = "x"
MARK_OFF = " "
EXTRAS = "Autres réponses\u00a0: {extras}"
EXTRA_ITEM = "x{number}. {text}"
CURRENT_ANSWER = "Réponse actuelle\u00a0: {value}"
HELP_MULTI = (
    "Tapez les numéros à cocher ou décocher (par exemple «\u202f1 3\u202f»), puis v pour "
    "valider."
)
HELP_EXTRA_REMOVE = (
    "Pour retirer une autre réponse\u00a0: x et son numéro (par exemple «\u202fx1\u202f»)."
)
HELP_SINGLE = "Tapez le numéro de votre réponse."
HELP_AMOUNT = (
    "Tapez le numéro d’une estimation, ou écrivez la vôtre ({limit}\u00a0caractères au plus)."
)
HELP_COUNT = "Écrivez un nombre (par exemple 15)."
HELP_COMMENT = "Écrivez votre réponse puis Entrée ({limit}\u00a0caractères au plus)."
HELP_OTHER = "Écrivez l’autre réponse à ajouter, puis Entrée."
# The commands of a screen, listed after the help: "Commandes : p passer · r retour".
COMMANDS = "Commandes\u00a0: {commands}"
COMMANDS_SLASHED = "Commandes, avec une barre oblique devant\u00a0: {commands}"
COMMAND_SEPARATOR = " · "
COMMAND = "{word}\u00a0{meaning}"
MEANINGS = {
    "validate": "valider",
    "other": "autre réponse",
    "skip": "passer",
    "next": "suivante (réponse gardée)",
    "keep": "garder la réponse",
    "erase": "effacer ma réponse",
    "back": "retour",
    "sections": "sections",
    "quit": "quitter",
    "cancel": "annuler",
    "submit": "envoyer la fiche",
    "edit": "modifier une section",
    "resume": "continuer le questionnaire",
    "yes": "oui, envoyer",
    "no": "non, revenir à la relecture",
}

ERASED = "Réponse effacée."
ERASED_WAS = "Réponse effacée (c’était «\u202f{value}\u202f»)."

# --- Review, sections, sending --------------------------------------------------------------
REVIEW_TITLE = "Voici la fiche telle qu’elle se présente\u00a0:"
REVIEW_COUNT = "Questions renseignées\u00a0: {answered} sur {asked}."
UNVISITED = "Certaines questions ne vous ont pas encore été posées."
CONFIRM_SEND = "Envoyer quand même\u202f?"
SECTIONS_TITLE = "Quelle section voulez-vous modifier\u202f?"
SECTION_LINE = "  {number}. {title} ({answered} sur {asked})"
HELP_SECTIONS = "Tapez le numéro de la section."
ANSWERS_NOUN = ("réponse", "réponses")
SENT = "Fiche envoyée. Merci\u202f! Elle est enregistrée ici\u00a0:"
SENT_PATH = "  {path}"
FILES_WRITTEN = "Fichiers de la fiche écrits ici\u00a0:"
SENT_NOT_WRITTEN = (
    "Fiche envoyée, mais ses fichiers n’ont pas pu être écrits dans {folder} ({reason})\u00a0: "
    "relancez la même commande avec --out et un autre dossier, puis tapez f pour les écrire."
)
FILES_NOT_WRITTEN = (
    "Les fichiers de la fiche n’ont pas pu être écrits dans {folder} ({reason})\u00a0: "
    "relancez la même commande avec --out et un autre dossier."
)

# --- Input refused ------------------------------------------------------------------------
UNKNOWN_INPUT = "Je n’ai pas compris «\u202f{text}\u202f». {help}"
UNKNOWN_COMMAND = "La commande «\u202f{text}\u202f» n’existe pas ici. {help}"
LOOKS_LIKE_COMMAND = (
    "«\u202f{text}\u202f» n’a pas été enregistré\u00a0: ici, une commande s’écrit avec "
    "une barre oblique, une réponse en quelques mots. {commands}"
)
NUMBER_OUT_OF_RANGE = (
    "Il n’y a pas de réponse numéro {number}\u00a0: choisissez entre 1 et {count}."
)
ONE_LINE_ONLY = (
    "Vous avez collé plusieurs lignes\u00a0: ici, la réponse tient sur une seule ligne. "
    "Rien n’a été enregistré. {help}"
)
EXTRA_OUT_OF_RANGE = "Il n’y a pas d’autre réponse numéro {number}."
STALE = "Cette commande concernait un autre écran\u00a0: voici où vous en êtes."
NO_LONGER_ASKED = (
    "Cette question ne se pose plus, d’après une réponse de votre équipe\u00a0: "
    "on passe à la suite."
)
OVERWROTE = (
    "Votre réponse remplace celle qu’une autre personne de l’équipe venait d’enregistrer "
    "(«\u202f{value}\u202f»)."
)
PROBLEMS = {  # the session's refusals (`interview.Problem`), by their value
    "stale": STALE,
    "other_fiche": STALE,
    "buttons_expected": "Tapez une des commandes proposées.",
    "tap_expected": "Tapez le numéro d’une réponse.",
    "number_out_of_range": NUMBER_OUT_OF_RANGE,
}
SECTION_OUT_OF_RANGE = (
    "Il n’y a pas de section numéro {number}\u00a0: choisissez entre 1 et {count}."
)

QUIT = "Vos réponses sont enregistrées. Relancez «\u202ffichebot demo\u202f» pour reprendre."
QUIT_REOPENED = (
    "La fiche {year} pour {place} n’est plus envoyée\u00a0: elle a été rouverte pour "
    "modification. Vos modifications sont enregistrées\u202f; pour la renvoyer, relancez "
    "«\u202ffichebot demo\u202f», continuez jusqu’à la relecture et tapez e."
)
INTERRUPTED_MARK = "Interrompu (Ctrl-C)."
INTERRUPTED = f"{INTERRUPTED_MARK} {QUIT}"
