"""What the command line says (sauvegarde, diagnostic, a damaged database, no PDF), in
French, in one place. The Telegram bot's own lines are in bot/telegram/texts.py."""

from __future__ import annotations

from questionnaire.typography import count_of

GUIDE = "docs/deploiement.md"

DB_DAMAGED = (
    "fichebot {command}\u00a0: la base de données {path} est endommagée ({problem}). Arrêtez "
    "le bot et restaurez la dernière sauvegarde (voir «\u202fRestaurer\u202f» dans {guide})."
)
DB_MISSING = "fichebot {command}\u00a0: base de données introuvable\u00a0: {path}"

BACKUP_DONE = "Sauvegarde écrite\u00a0: {path} ({size})."
BACKUP_WRITE_FAILED = "fichebot sauvegarde\u00a0: impossible d’écrire {path} ({error})."
BACKUP_FAILED = "fichebot sauvegarde\u00a0: la sauvegarde a échoué ({error})."
BACKUP_SAME_FILE = (
    "fichebot sauvegarde\u00a0: la sauvegarde ne peut pas remplacer la base elle-même ({path})."
)

YEAR_OUT_OF_RANGE = "«\u202f{value}\u202f» n’est pas une année de {low} à {high}"

RENDER_NO_PDF = "fichebot render\u00a0: {reason}. La même fiche en HTML\u00a0: --format html."

# --- fichebot diagnostic: one line per check, "✅ Label : what holds" or "❌ Label : what
# is wrong : what to do" -----------------------------------------------------------------

OK = "✅"
FAIL = "❌"
LINE = "{mark} {label}\u00a0: {text}"
SUMMARY_OK = "Tout est prêt."
SUMMARY_FAIL = "{points} à corriger ci-dessus (guide\u00a0: {guide})."

L_SETTINGS = "Réglages"
L_TOKEN = "Jeton Telegram"
L_DATABASE = "Base de données"
L_BACKUP = "Sauvegardes"
L_PDF = "PDF"
L_FONTS = "Polices"
L_WEBHOOK = "Webhook"
L_ADMINS = "Administrateurs"

SETTINGS_BAD = "{error} Les autres lignes ne tiennent compte que de l’environnement."

TOKEN_MISSING = (
    "TELEGRAM_BOT_TOKEN n’est pas défini (ni dans l’environnement, ni dans le fichier .env "
    "du dossier courant)\u00a0: créez le bot avec @BotFather (/newbot) et mettez son jeton dans "
    ".env, sur une ligne TELEGRAM_BOT_TOKEN=…"
)
TOKEN_MALFORMED = (
    "TELEGRAM_BOT_TOKEN ne ressemble pas à un jeton (des chiffres, «\u202f:\u202f» puis au "
    "moins 30\u00a0lettres, chiffres, - ou _)\u00a0: recopiez-le tel que @BotFather "
    "l’affiche."
)
BASE_URL_BAD = (
    "TELEGRAM_API_BASE_URL doit être une adresse http:// ou https:// (par exemple "
    "http://127.0.0.1:8081/bot), pas «\u202f{value}\u202f»\u00a0: corrigez-la ou "
    "retirez-la de .env."
)
TOKEN_REFUSED = "Telegram refuse ce jeton\u00a0: vérifiez-le auprès de @BotFather (/token)."
TOKEN_UNREACHABLE = (
    "impossible de joindre l’API Telegram ({error})\u00a0: vérifiez l’accès à Internet de la "
    "machine (ou TELEGRAM_API_BASE_URL)."
)
TOKEN_OK = "accepté par Telegram, le bot est @{username}."

DB_NEW = "{path} n’existe pas encore\u00a0: fichebot run la créera."
DB_NOT_A_FILE = (
    "{path} n’est pas un fichier\u00a0: FICHEBOT_DB doit nommer le fichier de la base, par "
    "exemple /var/lib/fichebot/fichebot.sqlite."
)
DB_NEW_UNWRITABLE = (
    "{path} n’existe pas et son dossier n’est pas accessible en écriture\u00a0: créez le dossier "
    "ou choisissez un autre chemin (FICHEBOT_DB)."
)
DB_CHECK_DAMAGED = (
    "{path} est endommagée ({problem})\u00a0: arrêtez le bot et restaurez la dernière sauvegarde "
    "(«\u202fRestaurer\u202f» dans {guide})."
)
DB_CHECK_ERROR = (
    "impossible d’ouvrir {path} ({error})\u00a0: vérifiez le chemin (FICHEBOT_DB) et les droits "
    "sur le fichier et son dossier."
)
DB_CHECK_TOO_NEW = (
    "{path} vient d’une version plus récente de fichebot (schéma {found}, celle-ci connaît "
    "le {known})\u00a0: mettez fichebot à jour."
)
DB_OK = "{path}, {size}, intacte (quick_check), schéma {version}, {places}."
DB_OK_UPGRADE = (
    "{path}, {size}, intacte (quick_check), schéma {version}\u00a0: il passera au {latest} au "
    "prochain démarrage (faites une sauvegarde avant)."
)

BACKUP_NOTHING_YET = (
    "aucune pour l’instant, et rien à sauvegarder encore\u00a0: programmez fichebot sauvegarde "
    "(«\u202fSauvegardes\u202f» dans {guide})."
)
BACKUP_NONE = (
    "cette base n’a jamais été sauvegardée\u00a0: lancez fichebot sauvegarde, puis programmez-la "
    "(«\u202fSauvegardes\u202f» dans {guide})."
)
BACKUP_OLD = (
    "la dernière date du {date}, il y a {days}\u00a0jours\u00a0: vérifiez la sauvegarde programmée "
    "(systemctl list-timers fichebot-sauvegarde)."
)
BACKUP_OK = "la dernière date du {date} ({path})."

PDF_MISSING = "{reason}\u202f; sans elle, les fiches partent en messages et en HTML."
PDF_TEST_FAILED = "Pango est là, mais la page d’essai n’a pas pu être produite ({error})."
PDF_OK = "Pango est là et une page d’essai est produite."

FONTS_NO_PANGO = "impossible à vérifier sans Pango (voir la ligne PDF)."
FONTS_NO_LETTERS = (
    "ces lettres sortiraient en carrés dans le PDF\u00a0: {chars}\u00a0: installez une police "
    "complète (Debian\u00a0: apt install fonts-dejavu)."
)
FONTS_NO_EMOJI = (
    "ces emoji sortiraient en carrés dans le PDF\u00a0: {chars}\u00a0: installez une police "
    "d’emoji (Debian\u00a0: apt install fonts-noto-color-emoji)."
)
FONTS_OK = "lettres accentuées ({letters}) et emoji ({emoji}) ont chacun leur dessin."

WEBHOOK_NONE = (
    "non utilisé\u00a0: le bot va chercher ses messages chez Telegram (long polling), aucun "
    "port à ouvrir."
)
WEBHOOK_NOT_HTTPS = (
    "l’adresse doit commencer par https:// (Telegram n’appelle que du HTTPS)\u00a0: {url}"
)
WEBHOOK_BAD_PORT = (
    "Telegram n’appelle que les ports 443, 80, 88 ou 8443, pas le {port} de {url}\u00a0: "
    "passez par le port 443 du proxy HTTPS."
)
WEBHOOK_NO_SECRET = (
    "pas de --secret-token\u00a0: n’importe qui pourrait envoyer de faux messages au bot\u202f; "
    "choisissez un secret de 1 à 256\u00a0caractères (A-Z, a-z, 0-9, _ ou -)."
)
WEBHOOK_BAD_SECRET = (
    "le secret ne peut contenir que A-Z, a-z, 0-9, _ et -, 256\u00a0caractères au plus."
)
WEBHOOK_PORT_FREE = "{url}, secret défini, le port {port} est libre sur {listen}."
WEBHOOK_BOT_LISTENING = (
    "{url}, secret défini, le bot écoute déjà sur le port {port} (il refuse une requête "
    "sans le secret)."
)
WEBHOOK_PORT_TAKEN = (
    "le port {port} est déjà pris par un autre programme\u00a0: choisissez-en un autre "
    "(--port, et dans la configuration du proxy) ou arrêtez ce programme."
)
WEBHOOK_PORT_DENIED = (
    "impossible d’écouter sur {listen}:{port} ({error})\u00a0: prenez un port au-dessus de "
    "1024, le proxy HTTPS le rejoint."
)

ADMINS_NONE = (
    "FICHEBOT_ADMIN_IDS est vide\u00a0: envoyez /start au bot, il vous donne votre identifiant "
    "Telegram\u202f; mettez-le dans .env (FICHEBOT_ADMIN_IDS=123456789)."
)
ADMINS_MALFORMED = (
    "«\u202f{value}\u202f» n’est pas un identifiant Telegram\u00a0: FICHEBOT_ADMIN_IDS attend "
    "des nombres séparés par des virgules (FICHEBOT_ADMIN_IDS=123456789,987654321)."
)
ADMINS_GROUP = (
    "{value} est l’identifiant d’un groupe, pas d’une personne\u00a0: mettez celui que le bot "
    "vous donne en réponse à /start, en conversation privée."
)
ADMINS_OK = "{identifiers}\u00a0: {ids}."


def summary_fail(failed: int) -> str:
    """The last line when checks failed: "1 point à corriger…", "2 points à corriger…"."""
    return SUMMARY_FAIL.format(points=count_of(failed, "point", "points"), guide=GUIDE)


def admins_ok(ids: list[int]) -> str:
    """"1 identifiant : 123", "2 identifiants : 123, 456"."""
    return ADMINS_OK.format(identifiers=count_of(len(ids), "identifiant", "identifiants"),
                            ids=", ".join(map(str, ids)))
