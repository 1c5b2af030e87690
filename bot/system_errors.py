"""System errors (files, JSON, the database) as one French line for the command line.

Python's own messages ("No such file or directory", "Expecting property name…") are
English; a person running `fichebot` reads these instead.
"""

from __future__ import annotations

import errno
import json

NBSP = "\u00a0"
NNBSP = "\u202f"

_OS_ERRORS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EISDIR: "c’est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EEXIST: "existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EMFILE: "trop de fichiers ouverts",
}


def os_error(exc: OSError) -> str:
    """"fichier ou dossier introuvable", "accès refusé"… (else the error number)."""
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known:
        return known
    return f"erreur système n°{NBSP}{exc.errno}" if exc.errno else "erreur système"


def json_error(exc: json.JSONDecodeError) -> str:
    """Where the JSON is malformed, in French (Python's reason itself is English)."""
    return (f"ce n’est pas du JSON valide (ligne{NBSP}{exc.lineno}, "
            f"colonne{NBSP}{exc.colno})")


def database_error(exc: Exception, path: object) -> str:
    """Why the database at `path` cannot be used (a `storage.StorageError`), for the
    command line."""
    # storage is imported when a database is opened, not before: `fichebot run` without
    # a token, and `fichebot --help`, answer at once
    from storage.errors import SchemaTooNew

    if isinstance(exc, SchemaTooNew):
        return (f"{path}{NBSP}: base créée par une version plus récente de fichebot"
                f"{NNBSP}; mettez fichebot à jour.")
    cause = exc.__cause__
    if isinstance(cause, OSError):
        return f"{path}{NBSP}: impossible de créer le dossier de la base ({os_error(cause)})."
    return (f"{path}{NBSP}: impossible d’ouvrir la base de données (fichier illisible, "
            "verrouillé, ou qui n’est pas une base SQLite).")
