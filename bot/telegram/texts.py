"""Everything the Telegram bot says, in French, in one place so that it reads as one voice.

Over 400 lines on purpose: the design rule is "everything a user reads in French, in one
place per channel", so that a proofreader reads one file and its typography (no-break
spaces, guillemets, apostrophes) is checked in one pass. Its sections follow the
features (`features/`).

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
YOUR_ID = "\n\nVotre identifiant Telegram\u00a0: {telegram_id} (à donner à l’administrateur)"
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
    "/envoyer — relire la fiche et l'envoyer"
)

# --- The interview ------------------------------------------------------------------------

HEADER = "<b>{section} · {index}/{count}</b>"
OPTION_LINE = "{mark}{number}. {label}"
CHECKED = "✅ "
EXTRA_LINE = "✅ Autre : {text}"
CURRENT_ANSWER = "Réponse actuelle : <i>{value}</i>"
CHOSEN = "→ {answer}"
CHOSEN_SKIPPED = "→ <i>question passée</i>"

BUTTON_VALIDATE = "✔️ Valider"
BUTTON_OTHER = "✏️ Autre…"
BUTTON_REMOVE_EXTRA = "🗑 Retirer « {text} »"
BUTTON_SKIP = "Passer"
BUTTON_NEXT = "Suivant"  # instead of "Passer" when the question is answered: it keeps it
BUTTON_ERASE = "🗑 Effacer ma réponse"
BUTTON_BACK = "⬅️ Retour"
BUTTON_KEEP = "Garder « {value} »"
BUTTON_SEND = "📨 Envoyer"
BUTTON_SEND_ANYWAY = "📨 Envoyer quand même"
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
REVIEW_CONFIRM = "<b>Envoyer quand même\u202f?</b>"
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
HTML_CAPTION = (
    "La fiche de {place} pour {year}, en page web\u00a0: ouvrez-la dans un navigateur, qui "
    "peut aussi l’imprimer."
)
SENT_WITHOUT_PDF = (
    "Merci\u202f! La fiche de <b>{place}</b> pour {year} est envoyée\u00a0: vous la trouverez "
    "ci-dessus, en messages et en page web.\n\n"
    "Pour y revenir plus tard\u00a0: /modifier (la fiche sera rouverte, puis à renvoyer)."
)
# Said once at start, where the machine cannot make PDFs (fiche.pdf_support): in the log
# (MISSING_PDF's reason and the system's own error) and to each admin.
NO_PDF_LOG = (
    "fichebot run\u00a0: {reason}\u202f; les fiches partiront en messages et en HTML ({error})."
)
NO_PDF_ADMIN = (
    "⚠️ Le bot tourne sans PDF\u00a0: {reason}. Les fiches partent en messages et en page "
    "web (HTML)\u202f; après l’installation, relancez le bot."
)
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

# --- Campaigns ----------------------------------------------------------------------------

CAMPAIGN_CLOSED_FOR_MANAGER = (
    "La campagne {year} est close{date_part}. Merci pour votre participation ! "
    "Vos réponses déjà enregistrées sont conservées ; rien de nouveau n'est enregistré. "
    "Si vous pensez qu'il faut la rouvrir, écrivez à la personne qui coordonne votre réseau."
)
CAMPAIGN_NOT_YET_OPEN = (
    "La campagne {year} n'est pas encore ouverte : vous recevrez un message dès son "
    "lancement. D'ici là, rien de nouveau n'est enregistré."
)
CAMPAIGN_STATES = {"draft": "en préparation", "open": "ouverte", "closed": "close"}
PLACE_STATES = {
    "not_started": "non commencé",
    "in_progress": "en cours",
    "submitted": "envoyée",
    "unreachable": "injoignable",
    "no_manager": "sans gestionnaire",
}
CAMPAIGN_CREATE_USAGE = (
    "Indiquez l'année et l'échéance, par exemple :\n<code>/campagne_creer 2026 30/06/2026</code>"
)
CAMPAIGN_BAD_YEAR = "L'année doit être un nombre entre 2000 et 2100, par exemple 2026."
CAMPAIGN_BAD_DATE = "L'échéance doit être une date JJ/MM/AAAA, par exemple 30/06/2026."
CAMPAIGN_DEADLINE_PASSED = "L'échéance du {deadline} est déjà passée : choisissez une date à venir."
CAMPAIGN_DUPLICATE = "Une campagne {year} existe déjà (voir /campagnes)."
CAMPAIGN_DEADLINE_CHANGED = (
    "La campagne {year} n'est pas encore lancée : son échéance est maintenant le "
    "{deadline}. Lancez-la avec /campagne_lancer."
)
CAMPAIGN_LAUNCH_DEADLINE_PASSED = (
    "L'échéance de la campagne {year} ({deadline}) est passée : donnez-en une nouvelle, par "
    "exemple <code>/campagne_creer {year} JJ/MM/AAAA</code>, puis /campagne_lancer."
)
CAMPAIGN_DEADLINE_FAR = (
    "L'échéance du {deadline} est loin de l'année {year} : vérifiez-la, par exemple "
    "<code>/campagne_creer {year} 30/06/{year}</code>."
)
CAMPAIGN_CREATED = (
    "Campagne {year} créée, échéance le {deadline}. Rappels : tous les {every} jours et "
    "{before} jours avant l'échéance (modifiable avec /campagne_rappels).\n"
    "Lancez-la avec /campagne_lancer : chaque gestionnaire de lieu recevra l'invitation à "
    "répondre."
)
CAMPAIGN_NONE = "Aucune campagne en cours. Créez-en une avec /campagne_creer."
CAMPAIGN_NO_DRAFT = "Aucune campagne à lancer : créez-en une avec /campagne_creer."
CAMPAIGN_ALREADY_OPEN = "La campagne {year} est déjà ouverte."
CAMPAIGN_OTHER_OPEN = "La campagne {year} est encore ouverte : clôturez-la d'abord."
CAMPAIGN_NOT_OPEN = "Aucune campagne ouverte en ce moment."
CAMPAIGN_LAUNCHED = (
    "Campagne {year} lancée. Invitations envoyées : {sent}{problems}.\n"
    "Suivez les réponses avec /campagne_statut."
)
BROADCAST_PROBLEMS = " ({unreachable} injoignable(s), {failed} échec(s))"
CAMPAIGN_REMINDED = "Relance envoyée à {sent} gestionnaire(s){problems}."
CAMPAIGN_CLOSE_CONFIRM = (
    "Clôturer la campagne {year} ? Plus aucune réponse ne sera enregistrée et les lieux "
    "qui n'ont pas envoyé leur fiche en seront informés."
)
CAMPAIGN_CLOSE_YES = "Oui, clôturer"
CAMPAIGN_CLOSE_NO = "Non"
CAMPAIGN_CLOSE_CANCELLED = "D'accord, la campagne reste ouverte."
CAMPAIGN_CLOSED = (
    "Campagne {year} close. {sent} gestionnaire(s) en retard prévenu(s){problems}."
)
CAMPAIGN_STATUS_HEAD = (
    "<b>Campagne {year}</b> ({state}), échéance le {deadline}\n"
    "{total} lieux : {submitted} envoyée(s), {in_progress} en cours, {not_started} non "
    "commencé(s), {unreachable} injoignable(s), {no_manager} sans gestionnaire."
)
CAMPAIGN_STATUS_GROUP = "\n<b>{title}</b>"
CAMPAIGN_STATUS_LINE = "• {place}{detail}"
REMINDERS_USAGE = (
    "Indiquez tous les combien de jours relancer, et combien de jours avant l'échéance, "
    "par exemple :\n<code>/campagne_rappels 7 3</code> (0 désactive un rappel)."
)
REMINDERS_SET = (
    "Rappels de la campagne {year} : {every_text} ; {before_text}. Ils partent du lundi "
    "au vendredi, entre 9 h et 19 h."
)
REMINDERS_EVERY = "tous les {days} jours"
REMINDERS_EVERY_OFF = "pas de rappel périodique"
REMINDERS_BEFORE = "{days} jours avant l'échéance"
REMINDERS_BEFORE_OFF = "pas de rappel avant l'échéance"
CAMPAIGNS_EMPTY = "Aucune campagne pour l'instant. Créez-en une avec /campagne_creer."
CAMPAIGNS_LINE = "• <b>{year}</b> — {state}, échéance le {deadline} — {counts}"
CAMPAIGNS_COUNTS = "{submitted}/{total} envoyée(s), {begun} en cours"
CAMPAIGNS_COUNTS_CLOSED = "{submitted} fiche(s) envoyée(s), {begun} commencée(s) sans envoi"
EXPORT_USAGE = "Par exemple : <code>/export</code> ou <code>/export 2025</code>."
EXPORT_UNKNOWN = "Aucune campagne {year}. Campagnes existantes : {years}."
EXPORT_EMPTY = "La campagne {year} n'a encore aucune réponse à exporter."
EXPORT_CAPTION = "Campagne {year} — {count} lieu(x), format {fmt}"
EXPORT_DONE = "Export de la campagne {year} : CSV, XLSX (pour Excel) et JSON ci-dessus."

# --- Reminders and delivery ---------------------------------------------------------------

LAUNCH_MESSAGE = (
    "Bonjour ! La campagne {year} des effets sociaux et urbains est ouverte. Merci de "
    "remplir la fiche de <b>{place}</b> avant le <b>{deadline}</b>. Cela se fait ici, "
    "question par question, en plusieurs fois si vous le souhaitez."
)
LAUNCH_BUTTON = "Commencer"
REMINDER_MESSAGE = (
    "Petit rappel : la fiche {year} de <b>{place}</b> est attendue avant le "
    "<b>{deadline}</b>. {progress}"
)
REMINDER_PROGRESS_NONE = "Elle n'est pas encore commencée."
REMINDER_PROGRESS = "Vous en êtes à {answered} réponse(s) sur {asked}."
REMINDER_RESUME_BUTTON = "Reprendre"
REMINDER_SNOOZE_BUTTON = "Me le rappeler dans 3 jours"
SNOOZED = "C'est noté : je vous le rappellerai à partir du {date}."
SNOOZE_CLOSED = "Cette campagne est close : plus de rappel."
CLOSING_MESSAGE = (
    "La campagne {year} est maintenant close et la fiche de <b>{place}</b> n'a pas été "
    "envoyée. Merci pour le temps consacré ; vos réponses sont conservées pour l'an prochain."
)
GO_UNKNOWN_PLACE = "Ce lieu n'est plus suivi par le bot, ou vous n'en êtes plus gestionnaire."
FICHE_RECEIVED = "Nouvelle fiche reçue : <b>{place}</b> ({year})."
COORDINATOR_NOTICE = (
    "{place} a envoyé sa fiche {year} — {submitted} lieu(x) sur {total} ont répondu."
)
FICHE_USAGE = "Indiquez le lieu, et l'année si besoin : <code>/fiche La Tréso 2025</code>."
FICHE_NONE = "Aucune fiche envoyée pour {place}{year_part}."

# --- Places, invitations, privacy ---------------------------------------------------------

PLACES_EMPTY = "Aucun lieu pour l'instant. Ajoutez-en un avec /lieu_ajouter Nom du lieu."
PLACES_HEAD = "<b>{count} lieu(x)</b>{campaign_part}"
PLACES_CAMPAIGN = " — campagne {year}"
PLACES_LINE = "• <b>{place}</b> — {managers}{state}"
PLACES_NO_MANAGER = "aucun·e gestionnaire"
INVITE_USAGE = (
    "Indiquez le lieu, par exemple :\n<code>/inviter La Tréso</code>\n"
    "Ajoutez « equipe » pour un lien que toute une équipe peut utiliser : "
    "<code>/inviter La Tréso equipe</code>"
)
INVITE_LINK = (
    "Lien d'invitation pour gérer <b>{place}</b>{team} (valable {days} jours) :\n{link}\n"
    "Transmettez-le à la personne concernée : en l'ouvrant, elle pourra remplir la fiche."
)
INVITE_TEAM = ", utilisable par plusieurs personnes"
INVITE_ROLE_LINK = {
    "coordinateur": (
        "Lien d'invitation pour un·e coordinateur·rice (valable {days} jours, une seule "
        "personne) :\n{link}"
    ),
    "destinataire": (
        "Lien d'invitation pour un·e destinataire des fiches (valable {days} jours, une "
        "seule personne) :\n{link}"
    ),
}
INVITATIONS_EMPTY = "Aucun lien d'invitation en cours."
INVITATIONS_LINE = "• n° {id} — {role}{place} — expire le {expires}{uses}"
INVITATIONS_USES = ", utilisé {uses} fois"
INVITATIONS_FOOTER = "Pour désactiver un lien : <code>/revoquer n°</code>"
ROLE_NAMES = {"gestionnaire": "gestionnaire", "coordinateur": "coordinateur·rice",
              "destinataire": "destinataire", "admin": "administrateur·rice"}
REVOKE_USAGE = "Indiquez le numéro du lien (voir /invitations), par exemple : /revoquer 12"
REVOKE_UNKNOWN = "Aucun lien n° {id}."
REVOKED_LINK = "Le lien n° {id} est désactivé : il ne peut plus servir."
REMOVE_USAGE = "Indiquez le lieu à retirer, par exemple : <code>/lieu_retirer La Tréso</code>"
REMOVE_CONFIRM = (
    "Retirer <b>{place}</b> ? Il ne recevra plus d'invitation ni de rappel ; ses fiches "
    "passées sont conservées."
)
REMOVE_YES = "Oui, retirer"
REMOVE_NO = "Non"
REMOVED = "<b>{place}</b> est retiré. Ses fiches passées restent disponibles."
REMOVE_CANCELLED = "D'accord, rien n'est changé."
PLACE_REMOVED_FOR_MANAGER = (
    "La coordination de votre réseau a retiré <b>{place}</b> du suivi : vous ne recevrez "
    "plus d'invitation ni de rappel pour ce lieu. Ses fiches passées sont conservées."
)
MY_DATA_NONE = "Je ne conserve aucune donnée vous concernant."
MY_DATA = (
    "<b>Ce que je conserve sur vous</b>\n"
    "• identifiant Telegram : {telegram_id}\n"
    "• nom : {name}\n"
    "• nom d'utilisateur : {username}\n"
    "• rôles : {roles}\n"
    "• lieux gérés : {places}\n"
    "• réponses que vous avez écrites ou modifiées : {answers}\n"
    "• fiches envoyées par vous : {sent}\n"
    "• rappels reçus : {reminders}{snoozed}{unreachable}\n\n"
    "Les réponses appartiennent aux lieux : elles restent si vous demandez l'effacement. "
    "Pour effacer vos données personnelles : /oublier"
)
MY_DATA_NOTHING = "aucun"
MY_DATA_SNOOZED = " (vous avez demandé à être relancé·e plus tard)"
MY_DATA_UNREACHABLE = "\n• noté·e injoignable (vous aviez bloqué le bot)"
FORGET_CONFIRM = (
    "Effacer vos données personnelles (identifiant, nom, rôles, liens avec les lieux) ? "
    "Les réponses des lieux restent, sans votre nom. Vous ne recevrez plus rien du bot."
)
FORGET_YES = "Oui, effacer"
FORGET_NO = "Non"
FORGOTTEN = "C'est fait : vos données personnelles sont effacées. Au revoir !"
FORGET_CANCELLED = "D'accord, rien n'est effacé."
HELP_COORDINATOR = (
    "\n\n<b>Coordination</b>\n"
    "/lieux — les lieux, leurs gestionnaires et où ils en sont\n"
    "/lieu_ajouter Nom — créer un lieu et son lien d'invitation\n"
    "/lieu_lien Nom — un nouveau lien d'invitation pour un lieu\n"
    "/inviter Nom [equipe] — un lien pour un·e gestionnaire (ou une équipe)\n"
    "/inviter_coordinateur, /inviter_destinataire — inviter d'autres personnes\n"
    "/invitations, /revoquer n° — les liens en cours\n"
    "/lieu_retirer Nom — retirer un lieu (ses fiches restent)\n"
    "/campagne_creer 2026 30/06/2026 — préparer la campagne de l'année\n"
    "/campagne_lancer — inviter tous les lieux à répondre\n"
    "/campagne_statut — qui a répondu ; /relancer — relancer maintenant\n"
    "/campagne_rappels 7 3 — le rythme des rappels automatiques\n"
    "/campagne_cloturer, /campagnes, /export — clôturer, l'historique, les exports"
)
HELP_RECIPIENT = "\n\n<b>Fiches</b>\n/fiche Nom [année] — recevoir la fiche d'un lieu"
HELP_PRIVACY = (
    "\n\n/mes_donnees — ce que je conserve sur vous ; /oublier — l'effacer\n"
    "/aide — ce message"
)
HELP_VISITOR = (
    "<b>Bonjour !</b> Je recueille chaque année la fiche « effets sociaux et urbains » "
    "des tiers-lieux.\n\n"
    "Pour remplir celle de votre lieu, ouvrez ici le lien d'invitation que vous a donné "
    "la coordination de votre réseau (demandez-le-lui si vous ne l'avez pas)."
)


def help_text(roles: set[str]) -> str:
    """/aide: one section per role the person holds (admins: all), then personal data."""
    staff = bool(roles & {"admin", "coordinateur"})
    sections = []
    if roles & {"admin", "gestionnaire"}:
        sections.append(HELP)
    elif not roles:
        sections.append(HELP_VISITOR)
    if staff:
        sections.append(HELP_COORDINATOR)
    if staff or "destinataire" in roles:
        sections.append(HELP_RECIPIENT)
    sections.append(HELP_PRIVACY)
    return "".join(sections).strip()


COMMAND_DESCRIPTIONS = {
    "start": "Commencer ou reprendre le questionnaire",
    "aide": "Comment ça marche",
    "mes_donnees": "Ce que le bot conserve sur vous",
    "oublier": "Effacer vos données personnelles",
    "reprendre": "Revoir la question en cours",
    "apercu": "Voir la fiche telle qu'elle est",
    "modifier": "Modifier une section",
    "envoyer": "Relire et envoyer la fiche",
    "fiche": "Recevoir la fiche d'un lieu",
    "lieux": "Les lieux et où ils en sont",
    "lieu_ajouter": "Créer un lieu",
    "lieu_lien": "Un nouveau lien d'invitation pour un lieu",
    "inviter": "Inviter un·e gestionnaire de lieu",
    "inviter_coordinateur": "Inviter un·e coordinateur·rice",
    "inviter_destinataire": "Inviter un·e destinataire des fiches",
    "invitations": "Les liens d'invitation en cours",
    "revoquer": "Désactiver un lien d'invitation",
    "lieu_retirer": "Retirer un lieu",
    "campagne_creer": "Préparer la campagne de l'année",
    "campagne_lancer": "Lancer la campagne",
    "campagne_statut": "Qui a répondu",
    "campagne_rappels": "Le rythme des rappels",
    "relancer": "Relancer maintenant",
    "campagne_cloturer": "Clôturer la campagne",
    "campagnes": "Toutes les campagnes",
    "export": "Exporter les réponses (CSV, XLSX, JSON)",
}

# --- Starting from last year --------------------------------------------------------------

PREFILL_OFFER = (
    "<b>{place}</b> a déjà répondu en {source_year}. Voulez-vous repartir de ces réponses ? "
    "Chaque question montrera la réponse de {source_year} déjà cochée : un seul geste "
    "suffit pour la garder, ou changez-la."
)
PREFILL_YES = "Repartir des réponses de {year}"
PREFILL_NO = "Partir d'une fiche vierge"
PREFILLED = "C'est fait : les réponses de {year} sont reprises. Vérifiez-les une à une."
PREFILL_BLANK = "D'accord, on part d'une fiche vierge."
