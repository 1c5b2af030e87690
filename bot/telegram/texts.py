"""Everything the Telegram bot says, in French, in one place so that it reads as one voice.

Messages are Telegram HTML: placeholders that carry user text (place names, answers)
must be filled with `html.escape`d values. The engine's own messages about the answers
(`questionnaire.messages`) are shown as they are.
"""

from __future__ import annotations

# --- Command line (fichebot run): one line on stderr --------------------------------------

TOKEN_MISSING = (
    "fichebot run : TELEGRAM_BOT_TOKEN n'est pas défini (ni dans l'environnement, ni dans "
    "un fichier .env du dossier courant). Créez un bot auprès de @BotFather et indiquez "
    "son jeton."
)
TOKEN_MALFORMED = (
    "fichebot run : TELEGRAM_BOT_TOKEN ne ressemble pas à un jeton de bot (attendu : "
    "des chiffres, « : » puis au moins 30 lettres, chiffres, - ou _, tel que le donne "
    "@BotFather)."
)
TOKEN_REJECTED = (
    "fichebot run : Telegram refuse ce jeton (TELEGRAM_BOT_TOKEN). Vérifiez-le auprès "
    "de @BotFather."
)
BASE_URL_MALFORMED = (
    "fichebot run : TELEGRAM_API_BASE_URL doit être une adresse http:// ou https:// "
    "(par exemple http://127.0.0.1:8081/bot), pas « {value} »."
)
ADMIN_IDS_MALFORMED = (
    "fichebot run : FICHEBOT_ADMIN_IDS doit être une liste d'identifiants Telegram "
    "(nombres) séparés par des virgules ; « {value} » n'en est pas un."
)
ENV_FILE_UNREADABLE = "fichebot run : impossible de lire {path} ({error})."
ENV_FILE_MALFORMED = "fichebot run : {path}, ligne {line} : attendu NOM=valeur."
DB_UNUSABLE = "fichebot run : base de données inutilisable : {error}"
API_UNREACHABLE = "fichebot run : impossible de joindre l'API Telegram ({error})."
STARTUP_FAILED = "fichebot run : le bot n'a pas pu démarrer ({error})."

# --- Bot commands (the menu shown by Telegram) --------------------------------------------

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Commencer ou reprendre le questionnaire"),
    ("reprendre", "Revoir la question en cours"),
    ("apercu", "Voir la fiche telle qu'elle est"),
    ("modifier", "Modifier une section"),
    ("envoyer", "Relire et envoyer la fiche"),
    ("aide", "Comment ça marche"),
)

# --- Welcome, invitations -----------------------------------------------------------------

WELCOME = (
    "Bonjour {name} ! Vous remplissez la fiche « effets sociaux et urbains » de "
    "<b>{place}</b> pour {year}.\n\n"
    "Une question par message : touchez les boutons, ou écrivez votre réponse quand on "
    "vous le demande. Chaque réponse est enregistrée aussitôt : arrêtez-vous quand vous "
    "voulez, /reprendre vous ramène à la question en cours."
)
WELCOME_BACK = "Bon retour ! Voici où vous en étiez pour <b>{place}</b> ({year})."
NO_PLACE = (
    "Bonjour ! Ce bot recueille la fiche « effets sociaux et urbains » des tiers-lieux.\n\n"
    "Pour la remplir pour votre lieu, il vous faut un lien d'invitation : demandez-le à "
    "la coordination de votre réseau, puis ouvrez-le ici."
)
INVITATION_UNKNOWN = (
    "Ce lien d'invitation n'est pas valable. Vérifiez qu'il est complet, ou demandez un "
    "nouveau lien à la coordination de votre réseau."
)
INVITATION_EXPIRED = (
    "Ce lien d'invitation a expiré. Demandez-en un nouveau à la coordination de votre "
    "réseau."
)
INVITATION_USED = (
    "Ce lien d'invitation a déjà servi : chaque lien ne vaut que pour une personne. "
    "Demandez le vôtre à la coordination de votre réseau."
)
INVITATION_REVOKED = (
    "Ce lien d'invitation a été annulé. Demandez-en un nouveau à la coordination de "
    "votre réseau."
)
ROLE_GRANTED = {
    "coordinateur": "C'est noté : vous êtes coordinateur·rice du réseau.",
    "destinataire": "C'est noté : vous recevrez les fiches envoyées.",
}

# --- Administration -----------------------------------------------------------------------

ADMIN_ONLY = "Cette commande est réservée aux administrateur·rice·s du bot."
PLACE_ADD_USAGE = (
    "Indiquez le nom du lieu, avec son article, après la commande. Par exemple :\n"
    "/lieu_ajouter La Ruche Paris"
)
PLACE_LINK_USAGE = (
    "Indiquez le nom du lieu après la commande. Par exemple :\n/lieu_lien La Ruche Paris"
)
PLACE_ADDED = (
    "Le lieu <b>{place}</b> est créé.\n\n"
    "Envoyez ce lien à la personne qui remplira sa fiche (il ne sert qu'une fois et "
    "reste valable {days} jours) :\n{link}"
)
PLACE_LINK = (
    "Nouveau lien d'invitation pour <b>{place}</b> (il ne sert qu'une fois et reste "
    "valable {days} jours) :\n{link}"
)
PLACE_DUPLICATE = (
    "Le lieu <b>{place}</b> existe déjà. Pour un nouveau lien d'invitation :\n"
    "/lieu_lien {place}"
)
PLACE_UNKNOWN = "Je ne trouve aucun lieu nommé « {place} »."
PLACE_NAME_TOO_LONG = "Ce nom est trop long ({length} caractères, {limit} au plus)."

# --- Help ---------------------------------------------------------------------------------

HELP = (
    "<b>Comment ça marche</b>\n\n"
    "Je pose les questions de la fiche « effets sociaux et urbains » une par une, "
    "section par section. Touchez les boutons sous chaque question (ou écrivez le numéro "
    "d'une réponse), ou écrivez votre réponse quand on vous le demande (un nombre, "
    "quelques mots). « Passer » laisse une "
    "question sans réponse ; « ⬅️ Retour » revient à la précédente.\n\n"
    "Chaque réponse est enregistrée aussitôt : vous pouvez vous arrêter et reprendre plus "
    "tard, même à plusieurs pour un même lieu.\n\n"
    "/reprendre — revoir la question en cours\n"
    "/apercu — voir la fiche telle qu'elle est\n"
    "/modifier — choisir une section à modifier\n"
    "/envoyer — relire la fiche et l'envoyer\n"
    "/aide — ce message"
)
HELP_ADMIN = (
    "\n\n<b>Administration</b>\n"
    "/lieu_ajouter Nom du lieu — créer un lieu et son lien d'invitation\n"
    "/lieu_lien Nom du lieu — un nouveau lien d'invitation pour un lieu existant"
)

# --- The interview ------------------------------------------------------------------------

HEADER = "<b>{section} · {index}/{count}</b>"
OPTION_LINE = "{mark}{number}. {label}"
CHECKED = "✅ "
EXTRA_LINE = "✅ Autre : {text}"
CURRENT_ANSWER = "Réponse actuelle : <i>{value}</i>"
CHOSEN = "→ {answer}"
CHOSEN_SKIPPED = "→ <i>question passée</i>"
EXTRA_IN_ANSWER = "autre : {text}"

BUTTON_VALIDATE = "✔️ Valider"
BUTTON_OTHER = "✏️ Autre…"
BUTTON_REMOVE_EXTRA = "🗑 Retirer « {text} »"
BUTTON_SKIP = "Passer"
BUTTON_BACK = "⬅️ Retour"
BUTTON_KEEP = "Garder « {value} »"
BUTTON_SEND = "📨 Envoyer"
BUTTON_EDIT_SECTION = "✏️ Modifier une section"
BUTTON_CONTINUE = "▶️ Continuer le questionnaire"
BUTTON_SECTION = "{number}. {title} ({answered}/{asked})"
BUTTON_MAX_CHARS = 32  # a button's label is cut after this, to stay readable on a phone

TAP_EXPECTED = (
    "Pour cette question, touchez une réponse sous la question (ou écrivez son numéro)."
)
NUMBER_OUT_OF_RANGE = "Il n'y a pas de réponse n° {number} : choisissez entre 1 et {count}."
BUTTONS_EXPECTED = "Pour continuer, touchez un des boutons ci-dessous."
STALE = "Ce bouton n'est plus d'actualité : voici où vous en êtes."

REVIEW = (
    "<b>Relecture</b>\n"
    "Ci-dessus, votre fiche telle qu'elle est (questions renseignées : {answered} sur "
    "{asked}). Si elle vous convient, envoyez-la ; sinon, modifiez une section."
)
REVIEW_UNVISITED = (
    "Certaines questions ne vous ont pas encore été posées : « Continuer le "
    "questionnaire » pour y répondre."
)
SECTIONS = "<b>Quelle section voulez-vous modifier ?</b>"
SECTION_LINE = "{number}. {title} — {answered}/{asked}"
SECTION_CHOSEN = "✏️ Section choisie : {title}"
SENDING = "📨 Envoi de la fiche…"

PREVIEW_FOOTER = (
    "Ci-dessus, la fiche telle qu'elle est pour l'instant. Pour continuer : /reprendre."
)

# --- Sending ------------------------------------------------------------------------------

SENT = (
    "Merci ! La fiche de <b>{place}</b> pour {year} est envoyée : vous la trouverez "
    "ci-dessus, en messages et en PDF.\n\n"
    "Pour y revenir plus tard : /modifier (la fiche sera rouverte, puis à renvoyer)."
)
PDF_CAPTION = "La fiche de {place} pour {year}."
PDF_FAILED = (
    "Je n'ai pas réussi à produire le PDF, désolé ; la fiche ci-dessus reste valable."
)
ALREADY_SENT = (
    "La fiche de <b>{place}</b> pour {year} a déjà été envoyée. Pour la modifier : "
    "/modifier (elle sera rouverte, puis à renvoyer)."
)
ALREADY_SENT_SHORT = "Cette fiche a déjà été envoyée : /modifier pour la rouvrir."
REOPENED = (
    "Votre fiche est rouverte : modifiez ce que vous voulez, puis renvoyez-la depuis la "
    "relecture (/envoyer)."
)

# --- Bad input ----------------------------------------------------------------------------

NOT_TEXT = (
    "Je ne lis que le texte : répondez en touchant un bouton, ou en écrivant votre "
    "réponse dans un message (pas de photo, de vocal ni de fichier)."
)
EDITED = (
    "Je ne tiens pas compte des messages modifiés. Envoyez plutôt votre réponse dans un "
    "nouveau message ; pour corriger une réponse déjà donnée, revenez-y avec "
    "« ⬅️ Retour » ou /modifier."
)
GROUP = "Je ne réponds qu'en conversation privée : écrivez-moi directement, @{bot}."
UNKNOWN_COMMAND = "Je ne connais pas cette commande. Tapez /aide pour la liste."
APOLOGY = (
    "Désolé, quelque chose s'est mal passé de mon côté. Vos réponses déjà acceptées sont "
    "bien enregistrées : tapez /reprendre pour continuer."
)

# --- Roles --------------------------------------------------------------------------------

ROLE_LABELS = {
    "admin": "administrateur·rice·s",
    "coordinateur": "coordinateur·rice·s du réseau",
    "gestionnaire": "gestionnaires d'un lieu",
    "destinataire": "destinataires des fiches",
}
ROLE_NEEDED = (
    "Cette commande est réservée aux {roles}. Si vous pensez y avoir droit, demandez un "
    "lien d'invitation à la personne qui coordonne votre réseau."
)


def role_needed(roles: frozenset[str]) -> str:
    """The refusal for a command: names the roles that may run it, and nothing else."""
    labels = [ROLE_LABELS[r] for r in ("coordinateur", "gestionnaire", "destinataire")
              if r in roles] or [ROLE_LABELS["admin"]]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " et aux " + labels[-1]
    return ROLE_NEEDED.format(roles=joined)
