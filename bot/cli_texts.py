"""What the command line says (sauvegarde, diagnostic, a damaged database, no PDF), in
French, in one place. The Telegram bot's own lines are in bot/telegram/texts.py."""

from __future__ import annotations

GUIDE = "docs/deploiement.md"

DB_DAMAGED = (
    "fichebot {command} : la base de données {path} est endommagée ({problem}). Arrêtez "
    "le bot et restaurez la dernière sauvegarde (voir « Restaurer » dans {guide})."
)
DB_MISSING = "fichebot {command} : base de données introuvable : {path}"
DB_UNUSABLE = "fichebot {command} : {path} : impossible d’ouvrir la base ({error})"
DB_TOO_NEW = (
    "fichebot {command} : {path} : base créée par une version plus récente de fichebot ; "
    "mettez fichebot à jour."
)

BACKUP_DONE = "Sauvegarde écrite : {path} ({size})."
BACKUP_WRITE_FAILED = "fichebot sauvegarde : impossible d’écrire {path} ({error})."
BACKUP_FAILED = "fichebot sauvegarde : la sauvegarde a échoué ({error})."
BACKUP_SAME_FILE = (
    "fichebot sauvegarde : la sauvegarde ne peut pas remplacer la base elle-même ({path})."
)

RENDER_NO_PDF = "fichebot render : {reason}. La même fiche en HTML : --format html."

# --- fichebot diagnostic: one line per check, "✅ Label : what holds" or "❌ Label : what
# is wrong : what to do" -----------------------------------------------------------------

OK = "✅"
FAIL = "❌"
LINE = "{mark} {label} : {text}"
SUMMARY_OK = "Tout est prêt."
SUMMARY_FAIL = "{count} point(s) à corriger ci-dessus (guide : {guide})."

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
    "du dossier courant) : créez le bot avec @BotFather (/newbot) et mettez son jeton dans "
    ".env, sur une ligne TELEGRAM_BOT_TOKEN=…"
)
TOKEN_MALFORMED = (
    "TELEGRAM_BOT_TOKEN ne ressemble pas à un jeton (des chiffres, « : » puis au moins 30 "
    "lettres, chiffres, - ou _) : recopiez-le tel que @BotFather l’affiche."
)
TOKEN_REFUSED = "Telegram refuse ce jeton : vérifiez-le auprès de @BotFather (/token)."
TOKEN_UNREACHABLE = (
    "impossible de joindre l’API Telegram ({error}) : vérifiez l’accès à Internet de la "
    "machine (ou TELEGRAM_API_BASE_URL)."
)
TOKEN_OK = "accepté par Telegram, le bot est @{username}."

DB_NEW = "{path} n’existe pas encore : fichebot run la créera."
DB_NEW_UNWRITABLE = (
    "{path} n’existe pas et son dossier n’est pas accessible en écriture : créez le dossier "
    "ou choisissez un autre chemin (FICHEBOT_DB)."
)
DB_CHECK_DAMAGED = (
    "{path} est endommagée ({problem}) : arrêtez le bot et restaurez la dernière sauvegarde "
    "(« Restaurer » dans {guide})."
)
DB_CHECK_ERROR = (
    "impossible d’ouvrir {path} ({error}) : vérifiez le chemin (FICHEBOT_DB) et les droits "
    "sur le fichier et son dossier."
)
DB_CHECK_TOO_NEW = (
    "{path} vient d’une version plus récente de fichebot (schéma {found}, celle-ci connaît "
    "le {known}) : mettez fichebot à jour."
)
DB_OK = "{path}, {size}, intacte (quick_check), schéma {version}, {places} lieu(x)."
DB_OK_UPGRADE = (
    "{path}, {size}, intacte (quick_check), schéma {version} : il passera au {latest} au "
    "prochain démarrage (faites une sauvegarde avant)."
)

BACKUP_NOTHING_YET = (
    "aucune pour l’instant, et rien à sauvegarder encore : programmez fichebot sauvegarde "
    "(« Sauvegardes » dans {guide})."
)
BACKUP_NONE = (
    "cette base n’a jamais été sauvegardée : lancez fichebot sauvegarde, puis programmez-la "
    "(« Sauvegardes » dans {guide})."
)
BACKUP_OLD = (
    "la dernière date du {date}, il y a {days} jours : vérifiez la sauvegarde programmée "
    "(systemctl list-timers fichebot-sauvegarde)."
)
BACKUP_OK = "la dernière date du {date} ({path})."

PDF_MISSING = "{reason} ; sans elle, les fiches partent en messages et en HTML."
PDF_TEST_FAILED = "Pango est là, mais la page d’essai n’a pas pu être produite ({error})."
PDF_OK = "Pango est là et une page d’essai est produite."

FONTS_NO_PANGO = "impossible à vérifier sans Pango (voir la ligne PDF)."
FONTS_NO_LETTERS = (
    "ces lettres sortiraient en carrés dans le PDF : {chars} : installez une police "
    "complète (Debian : apt install fonts-dejavu)."
)
FONTS_NO_EMOJI = (
    "ces emoji sortiraient en carrés dans le PDF : {chars} : installez une police d’emoji "
    "(Debian : apt install fonts-noto-color-emoji)."
)
FONTS_OK = "lettres accentuées ({letters}) et emoji ({emoji}) ont chacun leur dessin."

WEBHOOK_NONE = (
    "non utilisé : le bot va chercher ses messages chez Telegram (long polling), aucun "
    "port à ouvrir."
)
WEBHOOK_NOT_HTTPS = (
    "l’adresse doit commencer par https:// (Telegram n’appelle que du HTTPS) : {url}"
)
WEBHOOK_BAD_PORT = (
    "Telegram n’appelle que les ports 443, 80, 88 ou 8443, pas le {port} de {url} : "
    "passez par le port 443 du proxy HTTPS."
)
WEBHOOK_NO_SECRET = (
    "pas de --secret-token : n’importe qui pourrait envoyer de faux messages au bot ; "
    "choisissez un secret de 1 à 256 caractères (A-Z, a-z, 0-9, _ ou -)."
)
WEBHOOK_BAD_SECRET = (
    "le secret ne peut contenir que A-Z, a-z, 0-9, _ et -, 256 caractères au plus."
)
WEBHOOK_PORT_FREE = "{url}, secret défini, le port {port} est libre sur {listen}."
WEBHOOK_BOT_LISTENING = (
    "{url}, secret défini, le bot écoute déjà sur le port {port} (il refuse une requête "
    "sans le secret)."
)
WEBHOOK_PORT_TAKEN = (
    "le port {port} est déjà pris par un autre programme : choisissez-en un autre "
    "(--port, et dans la configuration du proxy) ou arrêtez ce programme."
)
WEBHOOK_PORT_DENIED = (
    "impossible d’écouter sur {listen}:{port} ({error}) : prenez un port au-dessus de "
    "1024, le proxy HTTPS le rejoint."
)

ADMINS_NONE = (
    "FICHEBOT_ADMIN_IDS est vide : envoyez /start au bot, il vous donne votre identifiant "
    "Telegram ; mettez-le dans .env (FICHEBOT_ADMIN_IDS=123456789)."
)
ADMINS_MALFORMED = (
    "« {value} » n’est pas un identifiant Telegram : FICHEBOT_ADMIN_IDS attend des nombres "
    "séparés par des virgules (FICHEBOT_ADMIN_IDS=123456789,987654321)."
)
ADMINS_GROUP = (
    "{value} est l’identifiant d’un groupe, pas d’une personne : mettez celui que le bot "
    "vous donne en réponse à /start, en conversation privée."
)
ADMINS_OK = "{count} identifiant(s) : {ids}."
