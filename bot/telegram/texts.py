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

import re

from campaign.states import LABELS
from fiche.french import of_place

_OF_PLACE = re.compile(r"\bde (<b>)?\{place\}")


class PlaceText(str):
    """A text that names a place after « de »: `format(place=…)` contracts it as French
    does — « la fiche du <b>WIP</b> » for Le WIP, « des <b>Grands Voisins</b> »,
    « d’<b>Utopic</b> » (`fiche.french.of_place`) — so that no caller has to. Every
    constant of this module with « de {place} » is one (see the end of the module)."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        place = kwargs.get("place")
        if not isinstance(place, str):
            return str.format(self, *args, **kwargs)
        word, shown = of_place(place)
        literal = shown.replace("{", "{{").replace("}", "}}")
        text = _OF_PLACE.sub(lambda m: f"{word}{m[1] or ''}{literal}", self)
        return str.format(text, *args, **kwargs)

# --- Command line (fichebot run): one line on stderr --------------------------------------

TOKEN_MISSING = (
    "fichebot run\u00a0: TELEGRAM_BOT_TOKEN n’est pas défini (ni dans l’environnement, ni dans "
    "un fichier .env du dossier courant). Créez un bot auprès de @BotFather et indiquez "
    "son jeton."
)
TOKEN_MALFORMED = (
    "fichebot run\u00a0: TELEGRAM_BOT_TOKEN ne ressemble pas à un jeton de bot (attendu\u00a0: "
    "des chiffres, «\u202f:\u202f» puis au moins 30\u00a0lettres, chiffres, - ou _, tel que "
    "le donne @BotFather)."
)
TOKEN_REJECTED = (
    "fichebot run\u00a0: Telegram refuse ce jeton (TELEGRAM_BOT_TOKEN). Vérifiez-le auprès "
    "de @BotFather."
)
BASE_URL_MALFORMED = (
    "fichebot run\u00a0: TELEGRAM_API_BASE_URL doit être une adresse http:// ou https:// "
    "(par exemple http://127.0.0.1:8081/bot), pas «\u202f{value}\u202f»."
)
ADMIN_IDS_MALFORMED = (
    "fichebot run\u00a0: FICHEBOT_ADMIN_IDS doit être une liste d’identifiants Telegram "
    "(nombres) séparés par des virgules\u202f; «\u202f{value}\u202f» n’en est pas un."
)
ENV_FILE_UNREADABLE = "fichebot run\u00a0: impossible de lire {path} ({error})."
ENV_FILE_MALFORMED = "fichebot run\u00a0: {path}, ligne {line}\u00a0: attendu NOM=valeur."
DB_UNUSABLE = "fichebot run\u00a0: base de données inutilisable\u00a0: {error}"
API_UNREACHABLE = "fichebot run\u00a0: impossible de joindre l’API Telegram ({error})."
STARTUP_FAILED = "fichebot run\u00a0: le bot n’a pas pu démarrer ({error})."
BAD_SECRET_TOKEN = (
    "fichebot run\u00a0: --secret-token doit compter de 1 à 256\u00a0caractères parmi A-Z, "
    "a-z, 0-9, «\u202f_\u202f» et «\u202f-\u202f» (ou omettez-le\u00a0: un secret est alors "
    "tiré au hasard à chaque démarrage et donné à Telegram)."
)

# --- Bot commands (the menu shown by Telegram) --------------------------------------------


# --- Welcome, invitations -----------------------------------------------------------------

WELCOME = (
    "Bonjour {name}\u202f! Vous remplissez la fiche «\u202feffets sociaux et urbains\u202f» de "
    "<b>{place}</b> pour {year}.\n\n"
    "Une question par message\u00a0: touchez les boutons, ou écrivez votre réponse quand on "
    "vous le demande. Chaque réponse est enregistrée aussitôt\u00a0: arrêtez-vous quand vous "
    "voulez, /reprendre vous ramène à la question en cours."
)
WELCOME_BACK = "Bon retour\u202f! Voici où vous en étiez pour <b>{place}</b> ({year})."
NO_PLACE = (
    "Bonjour\u202f! Ce bot recueille la fiche «\u202feffets "
    "sociaux et urbains\u202f» des tiers-lieux.\n\n"
    "Pour la remplir pour votre lieu, il vous faut un lien d’invitation\u00a0: demandez-le à "
    "la coordination de votre réseau, puis ouvrez-le ici."
)
YOUR_ID = "\n\nVotre identifiant Telegram\u00a0: {telegram_id} (à donner à l’administrateur)"
INVITATION_UNKNOWN = (
    "Ce lien d’invitation n’est pas valable. Vérifiez qu’il est complet, ou demandez un "
    "nouveau lien à la coordination de votre réseau."
)
INVITATION_EXPIRED = (
    "Ce lien d’invitation a expiré. Demandez-en un nouveau à la coordination de votre "
    "réseau."
)
INVITATION_USED = (
    "Ce lien d’invitation a déjà servi\u00a0: chaque lien ne vaut que pour une personne. "
    "Demandez le vôtre à la coordination de votre réseau."
)
INVITATION_REVOKED = (
    "Ce lien d’invitation a été annulé. Demandez-en un nouveau à la coordination de "
    "votre réseau."
)
ROLE_GRANTED = {
    "coordinateur": "C’est noté\u00a0: vous êtes coordinateur·rice du réseau.",
    "destinataire": "C’est noté\u00a0: vous recevrez les fiches envoyées.",
}

# --- Administration -----------------------------------------------------------------------

PLACE_ADD_USAGE = (
    "Indiquez le nom du lieu, avec son article, après la commande. Par exemple\u00a0:\n"
    "/lieu_ajouter La Ruche Paris"
)
PLACE_LINK_USAGE = (
    "Indiquez le nom du lieu après la commande. Par exemple\u00a0:\n/lieu_lien La Ruche Paris"
)
PLACE_ADDED = (
    "Le lieu <b>{place}</b> est créé.\n\n"
    "Envoyez ce lien à la personne qui remplira sa fiche (il ne sert qu’une fois et "
    "reste valable {days}\u00a0jours)\u00a0:\n{link}"
)
# the fiche's title: shown when a place is added, correctable (/lieu_titre, a button)
PLACE_TITLE = "La fiche s’intitulera «\u202f{title}\u202f»."
TITLE_FIX = "✏️ Corriger le titre"
TITLE_CHOOSE = (
    "La fiche de <b>{place}</b> s’intitule «\u202f{title}\u202f». Choisissez la forme "
    "correcte, ou écrivez-la vous-même, par exemple\u00a0: "
    "<code>/lieu_titre {place} = DU {noun}</code>"
)
TITLE_SET = "C’est noté\u00a0: la fiche de <b>{place}</b> s’intitulera «\u202f{title}\u202f»."
TITLE_USAGE = (
    "Indiquez le lieu, et s’il le faut le titre après «\u202f=\u202f», par exemple\u00a0: "
    "<code>/lieu_titre Le Hangar = DU HANGAR</code>"
)
TITLE_STALE = "Ce lieu n’existe plus."
PLACE_LINK = (
    "Nouveau lien d’invitation pour <b>{place}</b> (il ne sert qu’une fois et reste "
    "valable {days}\u00a0jours)\u00a0:\n{link}"
)
PLACE_DUPLICATE = (
    "Le lieu <b>{place}</b> existe déjà. Pour un nouveau lien d’invitation\u00a0:\n"
    "/lieu_lien {place}"
)
PLACE_UNKNOWN = "Je ne trouve aucun lieu nommé «\u202f{place}\u202f»."
PLACE_NAME_TOO_LONG = "Ce nom est trop long ({length}\u00a0caractères, {limit} au plus)."

# --- Help ---------------------------------------------------------------------------------

HELP = (
    "<b>Comment ça marche</b>\n\n"
    "Je pose les questions de la fiche «\u202feffets sociaux et urbains\u202f» une par une, "
    "section par section. Touchez les boutons sous chaque question (ou écrivez le numéro "
    "d’une réponse), ou écrivez votre réponse quand on vous le demande (un nombre, "
    "quelques mots). «\u202fPasser\u202f» laisse une "
    "question sans réponse\u202f; «\u202f⬅️ Retour\u202f» revient à la précédente.\n\n"
    "Chaque réponse est enregistrée aussitôt\u00a0: vous pouvez vous arrêter et reprendre plus "
    "tard, même à plusieurs pour un même lieu.\n\n"
    "/reprendre — revoir la question en cours\n"
    "/apercu — voir la fiche telle qu’elle est\n"
    "/modifier — choisir une section à modifier\n"
    "/envoyer — relire la fiche et l’envoyer\n"
    "/mon_bilan — votre lieu face au réseau"
)

# --- The interview ------------------------------------------------------------------------

HEADER = "<b>{section} · {index}/{count}</b>"
OPTION_LINE = "{mark}{number}. {label}"
CHECKED = "✅ "
EXTRA_LINE = "✅ Autre\u00a0: {text}"
CURRENT_ANSWER = "Réponse actuelle\u00a0: <i>{value}</i>"
CHOSEN = "→ {answer}"
CHOSEN_SKIPPED = "→ <i>question passée</i>"

BUTTON_VALIDATE = "✔️ Valider"
BUTTON_OTHER = "✏️ Autre…"
BUTTON_REMOVE_EXTRA = "🗑 Retirer «\u202f{text}\u202f»"
BUTTON_SKIP = "Passer"
BUTTON_NEXT = "Suivant"  # instead of "Passer" when the question is answered: it keeps it
BUTTON_ERASE = "🗑 Effacer ma réponse"
BUTTON_BACK = "⬅️ Retour"
BUTTON_KEEP = "Garder «\u202f{value}\u202f»"
BUTTON_SEND = "📨 Envoyer"
BUTTON_SEND_ANYWAY = "📨 Envoyer quand même"
BUTTON_EDIT_SECTION = "✏️ Modifier une section"
BUTTON_CONTINUE = "▶️ Continuer le questionnaire"
BUTTON_SECTION = "{number}. {title} ({answered}/{asked})"
BUTTON_MAX_CHARS = 32  # a button's label is cut after this, to stay readable on a phone

TAP_EXPECTED = (
    "Pour cette question, touchez une réponse sous la question (ou écrivez son numéro)."
)
NUMBER_OUT_OF_RANGE = "Il n’y a pas de réponse n° {number}\u00a0: choisissez entre 1 et {count}."
BUTTONS_EXPECTED = "Pour continuer, touchez un des boutons ci-dessous."
STALE = "Ce bouton n’est plus d’actualité\u00a0: voici où vous en êtes."
OTHER_FICHE_SHORT = "Ce bouton vient d’une autre fiche\u00a0: il ne change rien."
OTHER_FICHE = (
    "Ce bouton vient d’une autre fiche et n’a rien changé. Vous remplissez maintenant celle "
    "de <b>{place}</b> pour {year}\u00a0: voici où vous en êtes."
)
OVERWROTE = (
    "Votre réponse remplace celle qu’une autre personne de l’équipe venait d’enregistrer "
    "(«\u202f{value}\u202f»)."
)
REDRAWN = "Quelqu’un de votre équipe l’avait déjà fait\u00a0: voici les réponses à jour."
NO_LONGER_ASKED = (
    "Cette question ne se pose plus, d’après une réponse de votre équipe\u00a0: "
    "on passe à la suite."
)

REVIEW = (
    "<b>Relecture</b>\n"
    "Ci-dessus, votre fiche telle qu’elle est (questions renseignées\u00a0: {answered} sur "
    "{asked}). Si elle vous convient, envoyez-la\u202f; sinon, modifiez une section."
)
REVIEW_UNVISITED = (
    "Certaines questions ne vous ont pas encore été posées\u00a0: «\u202fContinuer le "
    "questionnaire\u202f» pour y répondre."
)
REVIEW_CONFIRM = "<b>Envoyer quand même\u202f?</b>"
SECTIONS = "<b>Quelle section voulez-vous modifier\u202f?</b>"
SECTION_LINE = "{number}. {title} — {answered}/{asked}"
SECTION_CHOSEN = "✏️ Section choisie\u00a0: {title}"
SENDING = "📨 Envoi de la fiche…"

PREVIEW_FOOTER = (
    "Ci-dessus, la fiche telle qu’elle est pour l’instant. Pour continuer\u00a0: /reprendre."
)

# --- Sending ------------------------------------------------------------------------------

SENT = (
    "Merci\u202f! La fiche de <b>{place}</b> pour {year} est envoyée\u00a0: vous la trouverez "
    "ci-dessus, en messages et en PDF.\n\n"
    "Pour y revenir plus tard\u00a0: /modifier (la fiche sera rouverte, puis à renvoyer)."
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
    "Je n’ai pas réussi à produire le PDF, désolé\u202f; la fiche ci-dessus reste valable."
)
ALREADY_SENT = (
    "La fiche de <b>{place}</b> pour {year} a déjà été envoyée. Pour la modifier\u00a0: "
    "/modifier (elle sera rouverte, puis à renvoyer)."
)
ALREADY_SENT_SHORT = "Cette fiche a déjà été envoyée\u00a0: /modifier pour la rouvrir."
REOPENED = (
    "Votre fiche est rouverte\u00a0: modifiez ce que vous voulez, puis renvoyez-la depuis la "
    "relecture (/envoyer)."
)

# --- Bad input ----------------------------------------------------------------------------

NOT_TEXT = (
    "Je ne lis que le texte\u00a0: répondez en touchant un bouton, ou en écrivant votre "
    "réponse dans un message (pas de photo, de vocal ni de fichier)."
)
EDITED = (
    "Je ne tiens pas compte des messages modifiés. Envoyez plutôt votre réponse dans un "
    "nouveau message\u202f; pour corriger une réponse déjà donnée, revenez-y avec "
    "«\u202f⬅️ Retour\u202f» ou /modifier."
)
GROUP = "Je ne réponds qu’en conversation privée\u00a0: écrivez-moi directement, @{bot}."
PRIVATE_BUTTONS_ONLY = "Ce bouton ne fonctionne que dans notre conversation privée."
UNKNOWN_BUTTON = "Ce bouton n’est pas reconnu."
UNKNOWN_COMMAND = "Je ne connais pas cette commande. Tapez /aide pour la liste."
APOLOGY = (
    "Désolé, quelque chose s’est mal passé de mon côté. Vos réponses déjà acceptées sont "
    "bien enregistrées\u00a0: tapez /reprendre pour continuer."
)

# --- Roles --------------------------------------------------------------------------------

ROLE_LABELS = {
    "admin": "administrateur·rice·s",
    "coordinateur": "coordinateur·rice·s du réseau",
    "gestionnaire": "gestionnaires d’un lieu",
    "destinataire": "destinataires des fiches",
}
ROLE_NEEDED = (
    "Cette commande est réservée aux {roles}. Si vous pensez y avoir droit, demandez un "
    "lien d’invitation à la personne qui coordonne votre réseau."
)


def role_needed(roles: frozenset[str]) -> str:
    """The refusal for a command: names the roles that may run it, and nothing else."""
    labels = [ROLE_LABELS[r] for r in ("coordinateur", "gestionnaire", "destinataire")
              if r in roles] or [ROLE_LABELS["admin"]]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " et aux " + labels[-1]
    return ROLE_NEEDED.format(roles=joined)

# --- Campaigns ----------------------------------------------------------------------------

CAMPAIGN_CLOSED_FOR_MANAGER = (
    "La campagne {year} est close{date_part}. Merci pour votre participation\u202f! "
    "Vos réponses déjà enregistrées sont conservées\u202f; rien de nouveau n’est enregistré. "
    "Si vous pensez qu’il faut la rouvrir, écrivez à la personne qui coordonne votre réseau."
)
CAMPAIGN_NOT_YET_OPEN = (
    "La campagne {year} n’est pas encore ouverte\u00a0: vous recevrez un message dès son "
    "lancement. D’ici là, rien de nouveau n’est enregistré."
)
CAMPAIGN_STATES = {"draft": "en préparation", "open": "ouverte", "closed": "close"}
PLACE_STATES = dict(LABELS)  # the words of the exports too (`campaign.states`)
CAMPAIGN_CREATE_USAGE = (
    "Indiquez l’année et l’échéance, par "
    "exemple\u00a0:\n<code>/campagne_creer 2026 30/06/2026</code>"
)
CAMPAIGN_BAD_YEAR = "L’année doit être un nombre entre 2000 et 2100, par exemple 2026."
CAMPAIGN_BAD_DATE = "L’échéance doit être une date JJ/MM/AAAA, par exemple 30/06/2026."
CAMPAIGN_DEADLINE_PASSED = (
    "L’échéance du {deadline} est déjà passée\u00a0: "
    "choisissez une date à venir."
)
CAMPAIGN_DUPLICATE = "Une campagne {year} existe déjà (voir /campagnes)."
CAMPAIGN_DUPLICATE_OPEN = (
    "La campagne {year} est déjà lancée. Pour changer son échéance{nbsp}: "
    "<code>/campagne_echeance {deadline}</code>."
).replace("{nbsp}", "\u00a0")
CAMPAIGN_DEADLINE_CHANGED = (
    "La campagne {year} n’est pas encore lancée\u00a0: son échéance est maintenant le "
    "{deadline}. Lancez-la avec /campagne_lancer."
)
CAMPAIGN_LAUNCH_DEADLINE_PASSED = (
    "L’échéance de la campagne {year} ({deadline}) est passée\u00a0: donnez-en une nouvelle, par "
    "exemple <code>/campagne_creer {year} JJ/MM/AAAA</code>, puis /campagne_lancer."
)
CAMPAIGN_DEADLINE_FAR = (
    "L’échéance du {deadline} est loin de l’année {year}\u00a0: vérifiez-la, par exemple "
    "<code>/campagne_creer {year} 30/06/{year}</code>."
)
CAMPAIGN_NONE = "Aucune campagne en cours. Créez-en une avec /campagne_creer."
CAMPAIGN_NO_DRAFT = "Aucune campagne à lancer\u00a0: créez-en une avec /campagne_creer."
CAMPAIGN_ALREADY_OPEN = "La campagne {year} est déjà ouverte."
CAMPAIGN_OTHER_OPEN = "La campagne {year} est encore ouverte\u00a0: clôturez-la d’abord."
CAMPAIGN_NOT_OPEN = "Aucune campagne ouverte en ce moment."
CAMPAIGN_LAUNCHED = (
    "Campagne {year} lancée. Invitations envoyées\u00a0: {sent}{problems}.\n"
    "Suivez les réponses avec /campagne_statut."
)
CAMPAIGN_CLOSE_YES = "Oui, clôturer"
CAMPAIGN_CLOSE_NO = "Non"
CAMPAIGN_CLOSE_CANCELLED = "D’accord, la campagne reste ouverte."
CAMPAIGN_ALREADY_CLOSED = "La campagne {year} est déjà close\u00a0: rien n’a changé."
CONFIRMATION_TOO_LATE = (
    "Cette confirmation portait sur la campagne {year}, qui est close\u00a0: rien n’a été fait."
)
CAMPAIGN_CLOSED = "Campagne {year} close. {people}{problems}."
CAMPAIGN_CLOSED_PEOPLE = ("gestionnaire en retard prévenu·e",
                          "gestionnaires en retard prévenu·e·s")
LAUNCH_NOT_RECEIVED = "Invitation de lancement pas encore reçue"
LAUNCH_NOT_RECEIVED_LINE = "• {place} ({count}\u00a0gestionnaire{s})"
REMINDERS_USAGE = (
    "Indiquez tous les combien de jours relancer, et combien de jours avant l’échéance, "
    "par exemple\u00a0:\n<code>/campagne_rappels 7 3</code> (0 pour ne pas envoyer ce rappel)."
)
REMINDERS_SET = (
    "Rappels de la campagne {year}\u00a0: {every_text}\u202f; {before_text}. Ils partent du lundi "
    "au vendredi, entre 9\u00a0h et 19\u00a0h."
)
REMINDERS_EVERY_OFF = "pas de rappel périodique"
REMINDERS_BEFORE_OFF = "pas de rappel avant l’échéance"
CAMPAIGNS_EMPTY = "Aucune campagne pour l’instant. Créez-en une avec /campagne_creer."
CAMPAIGNS_LINE = "• <b>{year}</b> — {state}, échéance le {deadline} — {counts}"
CAMPAIGNS_COUNTS = "{submitted} sur {total}, {begun} en cours"
CAMPAIGNS_COUNTS_CLOSED = "{submitted}, {begun} sans envoi"
SENT_FICHES = ("fiche envoyée", "fiches envoyées")
BEGUN_FICHES = ("commencée", "commencées")
EXPORT_USAGE = "Par exemple\u00a0: <code>/export</code> ou <code>/export 2025</code>."
EXPORT_UNKNOWN = "Aucune campagne {year}. Campagnes existantes\u00a0: {years}."
EXPORT_EMPTY = "La campagne {year} n’a encore aucune réponse à exporter."
EXPORT_CAPTION = "Campagne {year} — {places}, format {fmt}"
EXPORT_DONE = "Export de la campagne {year}\u00a0: CSV, XLSX (pour Excel) et JSON ci-dessus."

# --- Reminders and delivery ---------------------------------------------------------------

LAUNCH_MESSAGE = (
    "Bonjour\u202f! La campagne {year} des effets sociaux et urbains est ouverte. Merci de "
    "remplir la fiche de <b>{place}</b> avant le <b>{deadline}</b>. Cela se fait ici, "
    "question par question, en plusieurs fois si vous le souhaitez."
)
LAUNCH_BUTTON = "Commencer"
REMINDER_MESSAGE = (
    "Petit rappel\u00a0: la fiche {year} de <b>{place}</b> est attendue avant le "
    "<b>{deadline}</b>. {progress}"
)
REMINDER_MESSAGE_LATE = (
    "Petit rappel\u00a0: la fiche {year} de <b>{place}</b> était attendue avant le "
    "<b>{deadline}</b>. Elle reste très attendue tant que la campagne est ouverte. {progress}"
)
REMINDER_PROGRESS_NONE = "Elle n’est pas encore commencée."
REMINDER_PROGRESS = "Vous en êtes à {answered} sur {asked}."
REMINDER_RESUME_BUTTON = "Reprendre"
REMINDER_SNOOZE_BUTTON = "Me le rappeler dans 3\u00a0jours"
SNOOZED = "C’est noté\u00a0: je vous le rappellerai à partir du {date}."
SNOOZE_CLOSED = "Cette campagne est close\u00a0: plus de rappel."
CLOSING_MESSAGE = (
    "La campagne {year} est maintenant close et la fiche de <b>{place}</b> n’a pas été "
    "envoyée. Merci pour le temps consacré\u202f; vos réponses sont conservées pour l’an prochain."
)
GO_UNKNOWN_PLACE = "Ce lieu n’est plus suivi par le bot, ou vous n’en êtes plus gestionnaire."
FICHE_RECEIVED = "Nouvelle fiche reçue\u00a0: <b>{place}</b> ({year})."
FICHE_RECEIVED_AGAIN = (
    "Fiche corrigée reçue\u00a0: <b>{place}</b> ({year}). Elle remplace celle reçue avant."
)
COORDINATOR_NOTICE = "{place} a envoyé sa fiche {year} — {answered}."
COORDINATOR_NOTICE_AGAIN = "{place} a renvoyé sa fiche {year}, corrigée — {answered}."
FICHE_USAGE = "Indiquez le lieu, et l’année si besoin\u00a0: <code>/fiche La Tréso 2025</code>."
FICHE_NONE = "Aucune fiche envoyée pour {place}{year_part}."

# --- Places, invitations, privacy ---------------------------------------------------------

PLACES_EMPTY = "Aucun lieu pour l’instant. Ajoutez-en un avec /lieu_ajouter Nom du lieu."
PLACES_HEAD = "<b>{count}</b>{campaign_part}"
PLACES_CAMPAIGN = " — campagne {year}"
PLACES_LINE = "• <b>{place}</b> — {managers}{state}"
PLACES_NO_MANAGER = "aucun·e gestionnaire"
INVITE_USAGE = (
    "Indiquez le lieu, par exemple\u00a0:\n<code>/inviter La Tréso</code>\n"
    "Ajoutez «\u202fequipe\u202f» pour un lien que toute une équipe peut utiliser\u00a0: "
    "<code>/inviter La Tréso equipe</code>"
)
INVITE_LINK = (
    "Lien d’invitation pour gérer <b>{place}</b>{team} (valable {days}\u00a0jours)\u00a0:\n{link}\n"
    "Transmettez-le à la personne concernée\u00a0: en l’ouvrant, elle pourra remplir la fiche."
)
INVITE_TEAM = ", utilisable par plusieurs personnes"
INVITE_ROLE_LINK = {
    "coordinateur": (
        "Lien d’invitation pour un·e coordinateur·rice (valable {days}\u00a0jours, une seule "
        "personne)\u00a0:\n{link}"
    ),
    "destinataire": (
        "Lien d’invitation pour un·e destinataire des fiches (valable {days}\u00a0jours, une "
        "seule personne)\u00a0:\n{link}"
    ),
}
INVITATIONS_EMPTY = "Aucun lien d’invitation en cours."
INVITATIONS_LINE = "• n° {id} — {role}{place} — expire le {expires}{uses}"
INVITATIONS_USES = ", utilisé {uses} fois"
INVITATIONS_FOOTER = "Pour désactiver un lien\u00a0: <code>/revoquer n°</code>"
ROLE_NAMES = {"gestionnaire": "gestionnaire", "coordinateur": "coordinateur·rice",
              "destinataire": "destinataire", "admin": "administrateur·rice"}
REVOKE_USAGE = "Indiquez le numéro du lien (voir /invitations), par exemple\u00a0: /revoquer 12"
REVOKE_UNKNOWN = "Aucun lien n° {id}."
REVOKED_LINK = "Le lien n° {id} est désactivé\u00a0: il ne peut plus servir."
REMOVE_USAGE = "Indiquez le lieu à retirer, par exemple\u00a0: <code>/lieu_retirer La Tréso</code>"
REMOVE_CONFIRM = (
    "Retirer <b>{place}</b>\u202f? Il ne recevra plus d’invitation ni de rappel\u202f; ses fiches "
    "passées sont conservées."
)
REMOVE_YES = "Oui, retirer"
REMOVE_NO = "Non"
REMOVED = "<b>{place}</b> est retiré. Ses fiches passées restent disponibles."
REMOVE_CANCELLED = "D’accord, rien n’est changé."
REMOVE_ALREADY_DONE = "<b>{place}</b> a déjà été retiré du suivi\u00a0: rien n’a changé."
PLACE_REMOVED_FOR_MANAGER = (
    "La coordination de votre réseau a retiré <b>{place}</b> du suivi\u00a0: vous ne recevrez "
    "plus d’invitation ni de rappel pour ce lieu. Ses fiches passées sont conservées."
)
MY_DATA_NONE = "Je ne conserve aucune donnée vous concernant."
MY_DATA = (
    "<b>Ce que je conserve sur vous</b>\n"
    "• identifiant Telegram\u00a0: {telegram_id}\n"
    "• nom\u00a0: {name}\n"
    "• nom d’utilisateur\u00a0: {username}\n"
    "• rôles\u00a0: {roles}\n"
    "• lieux gérés\u00a0: {places}\n"
    "• réponses que vous avez écrites ou modifiées\u00a0: {answers}\n"
    "• fiches envoyées par vous\u00a0: {sent}\n"
    "• fiches reçues\u00a0: {received}\n"
    "• rappels reçus\u00a0: {reminders}{snoozed}{unreachable}\n\n"
    "Les réponses appartiennent aux lieux\u00a0: elles restent si vous demandez l’effacement. "
    "Pour effacer vos données personnelles\u00a0: /oublier"
)
MY_DATA_NOTHING = "aucun"
MY_DATA_SNOOZED = " (vous avez demandé à être relancé·e plus tard)"
MY_DATA_UNREACHABLE = "\n• noté·e injoignable (vous aviez bloqué le bot)"
FORGET_CONFIRM = (
    "Effacer vos données personnelles (identifiant, nom, rôles, liens avec les lieux)\u202f? "
    "Les réponses des lieux restent, sans votre nom. Vous ne recevrez plus rien du bot."
)
FORGET_YES = "Oui, effacer"
FORGET_NO = "Non"
FORGOTTEN = "C’est fait\u00a0: vos données personnelles sont effacées. Au revoir\u202f!"
FORGET_CANCELLED = "D’accord, rien n’est effacé."
HELP_COORDINATOR = (
    "\n\n<b>Coordination</b>\n"
    "/lieux — les lieux, leurs gestionnaires et où ils en sont\n"
    "/lieu_ajouter Nom — créer un lieu et son lien d’invitation\n"
    "/lieu_lien Nom — un nouveau lien d’invitation pour un lieu\n"
    "/lieu_titre Nom [= DU …] — le titre de la fiche d’un lieu, et le corriger\n"
    "/inviter Nom [equipe] — un lien pour un·e gestionnaire (ou une équipe)\n"
    "/inviter_coordinateur, /inviter_destinataire — inviter d’autres personnes\n"
    "/invitations, /revoquer n° — les liens en cours\n"
    "/lieu_retirer Nom — retirer un lieu (ses fiches restent)\n"
    "/campagne_creer 2026 30/06/2026 — préparer la campagne de l’année\n"
    "/campagne_lancer — inviter tous les lieux à répondre\n"
    "/campagne_statut — qui a répondu, qui est en retard et pourquoi\n"
    "/rappels_prevus — les prochains rappels\u202f; /relancer — relancer maintenant\n"
    "/campagne_rappels 7 3 — le rythme des rappels automatiques\n"
    "/campagne_echeance 23/12/2026 — reporter (ou avancer) l’échéance\n"
    "/campagne_cloturer, /campagnes, /export — clôturer, l’historique, les exports\n"
    "/synthese [année] — la synthèse du réseau, en PDF et en graphiques\n"
    "/synthese_exclure Nom [partie], /synthese_reintegrer Nom [partie] — écarter de la "
    "synthèse la fiche d’un lieu, ou l’un de ses commentaires (partie\u00a0: lien_social, "
    "sante…), puis l’y remettre"
)
HELP_RECIPIENT = (
    "\n\n<b>Fiches</b>\n/fiche Nom [année] — recevoir la fiche d’un lieu\n"
    "/recevoir oui|non — recevoir (ou non) chaque fiche envoyée et les avis\n"
    "/synthese [année] — la synthèse de la campagne"
)
HELP_PRIVACY = (
    "\n\n/mes_donnees — ce que je conserve sur vous\u202f; /oublier — l’effacer\n"
    "/aide — ce message"
)
HELP_VISITOR = (
    "<b>Bonjour\u202f!</b> Je recueille chaque année la fiche "
    "«\u202feffets sociaux et urbains\u202f» "
    "des tiers-lieux.\n\n"
    "Pour remplir celle de votre lieu, ouvrez ici le lien d’invitation que vous a donné "
    "la coordination de votre réseau (demandez-le-lui si vous ne l’avez pas)."
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
    "apercu": "Voir la fiche telle qu’elle est",
    "modifier": "Modifier une section",
    "envoyer": "Relire et envoyer la fiche",
    "fiche": "Recevoir la fiche d’un lieu",
    "lieux": "Les lieux et où ils en sont",
    "lieu_ajouter": "Créer un lieu",
    "lieu_lien": "Un nouveau lien d’invitation pour un lieu",
    "lieu_titre": "Le titre de la fiche d’un lieu",
    "inviter": "Inviter un·e gestionnaire de lieu",
    "inviter_coordinateur": "Inviter un·e coordinateur·rice",
    "inviter_destinataire": "Inviter un·e destinataire des fiches",
    "invitations": "Les liens d’invitation en cours",
    "revoquer": "Désactiver un lien d’invitation",
    "lieu_retirer": "Retirer un lieu",
    "campagne_creer": "Préparer la campagne de l’année",
    "campagne_lancer": "Lancer la campagne",
    "campagne_statut": "Qui a répondu, qui est en retard",
    "rappels_prevus": "Les prochains rappels",
    "campagne_echeance": "Changer l’échéance de la campagne",
    "recevoir": "Recevoir (ou non) les fiches envoyées",
    "campagne_rappels": "Le rythme des rappels",
    "relancer": "Relancer maintenant",
    "campagne_cloturer": "Clôturer la campagne",
    "campagnes": "Toutes les campagnes",
    "export": "Exporter les réponses (CSV, XLSX, JSON)",
    "synthese": "La synthèse de la campagne (PDF et graphiques)",
    "synthese_exclure": "Écarter un lieu ou un commentaire de la synthèse",
    "synthese_reintegrer": "Remettre un lieu ou un commentaire dans la synthèse",
    "mon_bilan": "Votre lieu face au réseau",
}

# --- Starting from last year --------------------------------------------------------------

PREFILL_OFFER = (
    "<b>{place}</b> a envoyé sa fiche {source_year}. Voulez-vous repartir de ces réponses\u202f? "
    "Chaque question montrera la réponse de {source_year} déjà cochée\u00a0: un seul geste "
    "suffit pour la garder, ou changez-la."
)
PREFILL_YES = "Repartir des réponses de {year}"
PREFILL_NO = "Partir d’une fiche vierge"
PREFILLED = "C’est fait\u00a0: les réponses de {year} sont reprises. Vérifiez-les une à une."
PREFILL_BLANK = "D’accord, on part d’une fiche vierge."
PREFILL_GONE = (
    "Quelqu’un de votre équipe a déjà fait ce choix, ou commencé la fiche\u00a0: "
    "voici où elle en est."
)


# --- Steering the campaign: status, reminders to come, /relancer, deadline, places ------
# Plurals are written out (never "gestionnaire(s)"): `count` picks the form, French style
# (0 and 1 singular), with a no-break space between the number and its noun.

NBSP = "\u00a0"  # before ":" and between a number and its noun
NNBSP = "\u202f"  # before ";", "!", "?", "%", and as thousands separator
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def number(n: int) -> str:
    """1200 → "1 200" (narrow no-break space)."""
    return f"{n:,}".replace(",", NNBSP)


def count(n: int, singular: str, plural: str) -> str:
    """count(1, "lieu", "lieux") → "1 lieu"; count(3, …) → "3 lieux"; 0 → "0 lieu"."""
    return f"{number(n)}{NBSP}{singular if abs(n) < 2 else plural}"


def every_days(n: int) -> str:
    """"tous les jours", "tous les 2 jours"."""
    return "tous les jours" if n == 1 else f"tous les {count(n, 'jour', 'jours')}"


def days_before(n: int) -> str:
    """"la veille de l'échéance", "3 jours avant l'échéance"."""
    return "la veille de l’échéance" if n == 1 else f"{count(n, 'jour', 'jours')} avant l’échéance"


def when(moment) -> str:
    """A Paris datetime in words: "lundi 7 décembre à 9 h", "mardi 8 décembre à 10 h 30"."""
    minutes = f"{NBSP}{moment.minute:02d}" if moment.minute else ""
    return (f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} à "
            f"{moment.hour}{NBSP}h{minutes}")


def answered_of(submitted: int, total: int) -> str:
    """"1 lieu sur 12 a répondu", "3 lieux sur 12 ont répondu"."""
    verb = "a" if submitted < 2 else "ont"
    return f"{count(submitted, 'lieu', 'lieux')} sur {number(total)} {verb} répondu"


def day(moment) -> str:
    """03/12, for the short lines of the status."""
    return moment.strftime("%d/%m")


CAMPAIGN_CREATED = (
    "Campagne {year} créée, échéance le {deadline}. Rappels\u00a0: {every} et {before} "
    "(modifiable avec /campagne_rappels).\n"
    "Lancez-la avec /campagne_lancer\u00a0: chaque gestionnaire de lieu recevra l’invitation "
    "à répondre."
)
STATUS_HEAD = "<b>Campagne {year}</b> ({state}), échéance le {deadline}"
STATUS_COUNTS = (
    "{places}\u00a0: <b>{sent}</b> ({share}), {in_progress}, {not_started}, "
    "{unreachable}, {no_manager}."
)
STATE_COUNTS = {  # singular, plural
    "submitted": ("envoyée", "envoyées"),
    "in_progress": ("en cours", "en cours"),
    "not_started": ("non commencé", "non commencés"),
    "unreachable": ("injoignable", "injoignables"),
    "no_manager": ("sans gestionnaire", "sans gestionnaire"),
}
STATUS_GROUP = "\n<b>{title} ({count})</b>"
STATUS_PLACE = "• <b>{place}</b>{detail}"
STATUS_SECTIONS = " — {answered} sur {asked}"
STATUS_SENT_ON = " — envoyée le {date}"
STATUS_NO_MANAGER = " — invitez un·e gestionnaire\u00a0: <code>/inviter {place}</code>"
STATUS_PERSON = "   {name}\u00a0: {facts}"
STATUS_JOINED = "lien ouvert le {date}"
STATUS_LAST_ANSWER = "dernière réponse le {date}"
STATUS_NO_ANSWER = "aucune réponse"
STATUS_BLOCKED = "a bloqué le bot le {date} (injoignable)"
STATUS_LAST_REMINDER = "dernier rappel le {date}"
STATUS_NEXT_REMINDER = "prochain {when}{why}"
STATUS_NEXT_SOON = "dans les minutes qui viennent"
STATUS_NEXT_WHY = {"snooze": " (à sa demande)", "deadline": " (avant l’échéance)"}
STATUS_NO_NEXT = "plus de rappel prévu"
STATUS_PAGE = "Page {page} sur {pages}"
STATUS_PREVIOUS = "‹ Précédente"
STATUS_NEXT = "Suivante ›"
STATUS_CHART_CAPTION = "Campagne {year}\u00a0: les fiches envoyées, jour après jour."
STATUS_MANUAL_PENDING = "\nUne relance est prévue {when}."

UPCOMING_NONE = (
    "Aucun rappel prévu pour la campagne {year}\u00a0: tous les lieux ont répondu, ou les "
    "rappels automatiques sont désactivés (/campagne_rappels)."
)
UPCOMING_HEAD = "<b>Rappels prévus — campagne {year}</b> (du lundi au vendredi, 9\u00a0h–19\u00a0h)"
UPCOMING_GROUP = "\n<b>{when}</b> — {kind}, {people}\u00a0:"
UPCOMING_LINE = "• {place}\u00a0: {names}"
UPCOMING_KINDS = {
    "periodic": "rappel périodique",
    "deadline": "rappel avant l’échéance",
    "snooze": "rappel demandé",
    "manual": "relance",
}

REMIND_CONFIRM_NOW = "Relancer maintenant {people} de {places}\u202f?"
REMIND_CONFIRM_LATER = (
    "Il est en dehors des heures d’envoi (du lundi au vendredi, 9\u00a0h–19\u00a0h)\u00a0: "
    "la relance partira {when}, à {people} de {places}. La programmer\u202f?"
)
REMIND_NOBODY = "Personne à relancer pour l’instant\u00a0: {reason}"
REMIND_NOBODY_ALL_SENT = "tous les lieux joignables ont envoyé leur fiche."
REMIND_NOBODY_SKIPPED = "chacun·e est dans l’un des cas ci-dessous."
REMIND_SKIPPED_HEAD = "\nNe seront pas relancé·e·s\u00a0:"
REMIND_SKIPPED = {
    "snoozed": "• {name} ({place}) a demandé à être relancé·e à partir du {date}",
    "recent": "• {name} ({place}) a déjà été relancé·e le {date} (moins de 24\u00a0h)",
}
REMIND_YES = "Oui, relancer"
REMIND_YES_LATER = "Oui, la programmer"
REMIND_NO = "Non"
REMIND_CANCELLED = "D’accord, personne n’est relancé."
REMIND_SENT = "Relance envoyée à {people}{problems}."
REMIND_ALREADY_SENT = (
    "Cette relance est déjà partie (une autre confirmation est arrivée juste avant)\u00a0: "
    "personne n’a été relancé deux fois."
)
REMIND_SCHEDULED = "C’est noté\u00a0: la relance partira {when}. Je vous dirai combien l’ont reçue."
REMIND_DEFERRED_DONE = "La relance programmée est partie\u00a0: {people}{problems}."
REMIND_PROBLEMS = " ({parts})"

DEADLINE_USAGE = (
    "Indiquez la nouvelle échéance, par exemple\u00a0: <code>/campagne_echeance 23/12/2026</code>."
)
DEADLINE_SAME = "L’échéance de la campagne {year} est déjà le {deadline}."
DEADLINE_MOVED = (
    "L’échéance de la campagne {year} est maintenant le {deadline} (au lieu du {before}). "
    "{told}{reminder}"
)
DEADLINE_MOVED_TOLD = "Informé·e·s, parmi les lieux sans fiche envoyée\u00a0: {people}."
DEADLINE_MOVED_REMINDER = " Le rappel d’échéance partira {when}."
DEADLINE_LATER_MESSAGE = (
    "Bonne nouvelle\u00a0: votre fiche {year} (<b>{place}</b>) est maintenant attendue avant "
    "le <b>{deadline}</b>, au lieu du {before}. Merci\u202f!"
)
DEADLINE_EARLIER_MESSAGE = (
    "À noter\u00a0: votre fiche {year} (<b>{place}</b>) est maintenant attendue plus tôt, "
    "avant le <b>{deadline}</b> (et non plus le {before}). Merci\u202f!"
)
DEADLINE_FAR = (
    "L’échéance du {deadline} est loin de l’année {year}\u00a0: vérifiez-la, par exemple "
    "<code>/campagne_echeance 30/06/{year}</code>."
)

CLOSE_CONFIRM_MISSING = (
    "Clôturer la campagne {year}\u202f? {sent} sur {places}\u202f; {missing} encore sans "
    "fiche envoyée. Plus aucune réponse ne sera enregistrée et les gestionnaires de ces "
    "lieux en seront informé·e·s."
)
CLOSE_CONFIRM_ALL = (
    "Clôturer la campagne {year}\u202f? Les {places} ont tous envoyé leur fiche. Plus "
    "aucune réponse ne sera enregistrée."
)
CLOSE_CONFIRM_ONE = (
    "Clôturer la campagne {year}\u202f? Le seul lieu suivi a envoyé sa fiche. Plus aucune "
    "réponse ne sera enregistrée."
)
CLOSE_CONFIRM_EMPTY = (
    "Clôturer la campagne {year}\u202f? Aucun lieu n’est suivi. Plus aucune réponse ne sera "
    "enregistrée."
)

PLACE_SEVERAL = "Plusieurs lieux correspondent à «\u202f{query}\u202f»\u00a0: lequel\u202f?"
PLACE_TOO_MANY = (
    "{count}\u00a0lieux correspondent à "
    "«\u202f{query}\u202f»\u00a0: précisez le nom (les {shown} premiers "
    "ci-dessous)."
)
PLACE_CLOSEST = "Je ne trouve aucun lieu nommé «\u202f{query}\u202f». Vouliez-vous dire\u00a0:"
PLACE_CHOSEN_GONE = "Ce lieu n’est plus suivi par le bot."

RECEIVE_USAGE = (
    "Voulez-vous recevoir chaque fiche envoyée et les avis de la coordination\u202f? "
    "Répondez <code>/recevoir oui</code> ou <code>/recevoir non</code>. Pour l’instant\u00a0: "
    "{current}."
)
RECEIVE_CURRENT = {True: "vous les recevez", False: "vous ne les recevez pas"}
RECEIVE_ON = "C’est noté\u00a0: vous recevrez chaque fiche envoyée et les avis de la coordination."
RECEIVE_OFF = "C’est noté\u00a0: vous ne recevrez plus les fiches envoyées ni les avis."


# --- The synthesis: /synthese, /mon_bilan, /synthese_exclure, /synthese_reintegrer ------

SYNTHESIS_USAGE = ("Écrivez <code>/synthese</code> pour la campagne en cours (ou la dernière "
                   "close), ou l’année voulue\u00a0: <code>/synthese 2025</code>.")
SYNTHESIS_NO_CAMPAIGN = ("Aucune campagne n’a encore été lancée\u00a0: il n’y a pas encore de "
                         "synthèse.")
SYNTHESIS_UNKNOWN = "Pas de campagne {year}. Campagnes existantes\u00a0: {years}."
SYNTHESIS_WORKING = "Je prépare la synthèse de la campagne {year}, avec ses graphiques…"
SYNTHESIS_OPEN = ("La campagne {year} est encore ouverte\u00a0: ces chiffres changeront "
                  "d’ici sa clôture.")
SYNTHESIS_CHARTS = "Les graphiques principaux de la synthèse {year}\u00a0:"
SYNTHESIS_FAILED = ("Je n’ai pas réussi à écrire la synthèse {year}. L’équipe technique est "
                    "prévenue par le journal du bot\u202f; réessayez plus tard.")


def synthesis_caption(year: int, sent: int, invited: int, rate: str) -> str:
    fiches = "1\u00a0fiche envoyée" if sent == 1 else f"{sent}\u00a0fiches envoyées"
    places = "1\u00a0lieu" if invited == 1 else f"{invited}\u00a0lieux"
    return f"Synthèse de la campagne {year}\u00a0: {fiches} sur {places} ({rate})."


MY_REPORT_USAGE = ("Écrivez <code>/mon_bilan</code> pour la dernière campagne, ou l’année "
                   "voulue\u00a0: <code>/mon_bilan 2025</code>.")
CLOSING_REPORT = ("La campagne {year} est close. Merci pour la fiche de <b>{place}</b>\u202f! "
                  "Voici où votre lieu se situe dans le réseau.")

EXCLUSION_USAGE = ("Indiquez le lieu, et la partie pour n’écarter qu’un commentaire\u00a0: "
                   "<code>/{command} La Tréso</code> ou <code>/{command} La Tréso "
                   "lien_social</code>.")
EXCLUSION_NO_CAMPAIGN = "Aucune campagne lancée\u00a0: il n’y a pas de synthèse à modifier."
PLACE_EXCLUDED = ("La fiche de <b>{place}</b> est écartée de la synthèse {year}. "
                  "/synthese_reintegrer {name} l’y remettra.")
PLACE_ALREADY_EXCLUDED = "La fiche de <b>{place}</b> était déjà écartée de la synthèse {year}."
PLACE_INCLUDED = "La fiche de <b>{place}</b> compte de nouveau dans la synthèse {year}."
PLACE_NOT_EXCLUDED = "La fiche de <b>{place}</b> n’était pas écartée de la synthèse {year}."
COMMENT_EXCLUDED = ("Le commentaire «\u202f{section}\u202f» de <b>{place}</b> est écarté de la "
                    "synthèse {year}.")
COMMENT_ALREADY_EXCLUDED = ("Le commentaire «\u202f{section}\u202f» de <b>{place}</b> était "
                            "déjà écarté de la synthèse {year}.")
COMMENT_INCLUDED = ("Le commentaire «\u202f{section}\u202f» de <b>{place}</b> peut de nouveau "
                    "figurer dans la synthèse {year}.")
COMMENT_NOT_EXCLUDED = ("Le commentaire «\u202f{section}\u202f» de <b>{place}</b> n’était pas "
                        "écarté de la synthèse {year}.")


def _contract_places() -> None:
    """Make every text with « de {place} » a `PlaceText`, in one place rather than 30."""
    module = globals()
    for name, value in list(module.items()):
        if name.isupper() and isinstance(value, str) and _OF_PLACE.search(value):
            module[name] = PlaceText(value)


_contract_places()
