"""`fichebot demo` driven end to end through its standard input, as a person would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import storage

FIRST_HALF = [
    "1 2 8", "a", "les enfants du centre de loisirs", "v",  # lien_social.publics
    "1 2", "v",  # contextes
    "3 4", "v",  # frequence
    "Une facilitation <b>Tom & Jerry</b>",  # commentaire
    "p", "p",  # sante
    "beaucoup", "environ 15",  # insertion.beneficiaires (refused, then accepted)
    "5 6", "v", "p",  # resultats, commentaire
    "4", "1", "p",  # capacite_agir
]
SECOND_HALF = [
    "1 2 3", "v", "2 5 8", "v", "p",  # solidarite
    "2", "v", "2 5 8", "v", "p",  # reseau
    "2", "v", "p",  # inclusion
    "1", "1", "2", "1", "p",  # egalite
    "1", "1 2 3 4", "v", "p",  # espaces (positif → ameliorations)
    "4", "1 4", "v", "p",  # services
    "1", "p",  # innovation
    "3", "prise de confiance, projet professionnel", "p", "p", "p", "p",  # synthese
]


def run_demo(tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("fichebot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    env = {**os.environ, "FICHEBOT_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [*command, "demo", "--db", str(tmp_path / "demo.sqlite"), "--out", str(tmp_path / "out"),
         "--annee", "2025", *extra],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True,
        env=env, timeout=120, check=False,
    )


def stored_answers(tmp_path: Path) -> dict:
    db = storage.open_db(tmp_path / "demo.sqlite")
    place = storage.find_place(db, "La Tréso")
    response = storage.find_response(db, place.id, 2025)
    return storage.load_answers(db, response.id), response


def test_demo_quit_resume_and_finish(tmp_path):
    first = run_demo(tmp_path, ["La Tréso", *FIRST_HALF, "q"])
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Lien social · section 1/12" in out
    assert "Merci d'indiquer un nombre entier, par exemple 15." in out
    assert "Vos réponses sont enregistrées" in out
    answers, _ = stored_answers(tmp_path)
    assert answers["lien_social.publics"] == ["grand_public", "acteurs_quartier", "benevoles"]
    assert answers["lien_social.publics.autre"] == ["les enfants du centre de loisirs"]
    assert answers["insertion.beneficiaires"] == 15
    assert answers["capacite_agir.nombre_projets"] == "une vingtaine par an"
    assert "sante.effets" not in answers

    # run again with no input at all: it resumes on the very question where it stopped
    again = run_demo(tmp_path, [])
    assert again.returncode == 0, again.stderr
    assert "Reprise de l'entretien de La Tréso (2025)" in again.stdout
    assert "Solidarité · section 5/12" in again.stdout
    assert "Qu'est-ce qui a été échangé, donné ou mutualisé ?" in again.stdout

    last = run_demo(tmp_path, [*SECOND_HALF, "e", "o"])
    assert last.returncode == 0, last.stderr
    assert "1\u00a0section sur 12 n’a aucune réponse" in last.stdout  # santé
    assert "Envoyer quand même\u202f?" in last.stdout
    assert "Fiche envoyée" in last.stdout
    answers, response = stored_answers(tmp_path)
    assert response.submitted
    assert answers["espaces.ameliorations"] == ["attractivite", "accessibilite", "mixite",
                                                "respect"]
    out_dir = tmp_path / "out"
    md = (out_dir / "fiche-la-treso-2025.md").read_text(encoding="utf-8")
    assert "EFFETS SOCIAUX ET URBAINS DE LA TRÉSO" in md
    assert "au moins une fois par mois et de façon ponctuelle" in md
    assert "15\u00a0personnes" in md
    assert "les enfants du centre de loisirs" in md
    html = (out_dir / "fiche-la-treso-2025.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in html
    assert (out_dir / "fiche-la-treso-2025.pdf").read_bytes().startswith(b"%PDF")


def test_demo_refuses_unknown_input_without_storing(tmp_path):
    result = run_demo(tmp_path, ["La Tréso", "les voisins", "99", "q"])
    assert result.returncode == 0, result.stderr
    assert "Je n'ai pas compris." in result.stdout
    assert "Il n'y a pas de réponse numéro 99." in result.stdout
    answers, _ = stored_answers(tmp_path)
    assert answers == {}


def test_q_at_the_place_name_quits_without_creating_a_place(tmp_path):
    result = run_demo(tmp_path, ["q"])
    assert result.returncode == 0, result.stderr
    assert "Vos réponses sont enregistrées" in result.stdout
    assert "Entretien de q" not in result.stdout
    assert storage.list_places(storage.open_db(tmp_path / "demo.sqlite")) == []


def test_demo_help():
    script = Path(sys.executable).with_name("fichebot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    result = subprocess.run([*command, "demo", "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert "terminal" in result.stdout or "Répondre" in result.stdout
