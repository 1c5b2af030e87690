"""Every word `fichebot` prints on the command line is French: argparse's own (usage,
help, errors), the answer file's validation, system errors (missing file, bad JSON, an
unusable database), and an answer file of an unknown grid version is refused."""

from __future__ import annotations

import json
import re

import pytest

from bot.cli import main

ENGLISH = re.compile(
    r"\b(usage|positional arguments|show this|help message|required|invalid|choice|"
    r"choose from|error|expected|unknown|unrecognized|No such|Expecting|cannot|"
    r"directory|database|file)\b", re.IGNORECASE)


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("argv", [
    ["--help"], ["render", "--help"], ["demo", "--help"], ["export", "--help"],
    ["run", "--help"], ["synthese", "--help"], ["sauvegarde", "--help"],
    ["diagnostic", "--help"],
])
def test_help_is_french(capsys, argv):
    status, output = run(capsys, *argv)
    assert status == 0
    assert output.startswith("utilisation\u00a0: fichebot")
    assert "affiche cette aide et s’arrête" in output
    assert not ENGLISH.search(output), ENGLISH.search(output)
    # French typography: no ordinary space before : ; ! ?, no typewriter apostrophe
    # a format named in a sentence is an acronym: "le PDF", not "le pdf"
    assert not re.search(r"\b(le|du|en)\s+(pdf|xlsx|csv|json|html)\b", output)
    assert not re.search(r" [:;!?»]|« |'", output), re.search(r".{20}( [:;!?»]|« |')", output)
    # headings ("options :", "arguments :") too, though argparse writes their ":" itself
    headings = re.findall(r"^\S.*:$", output, re.MULTILINE)
    assert headings and all(h.endswith("\u00a0:") for h in headings), headings


def test_demo_help_names_the_keys_that_work_on_every_question(capsys):
    _, output = run(capsys, "demo", "--help")
    assert "interrompez (/q ou Ctrl-C)" in " ".join(output.split())


def test_diagnostic_names_the_webhook_options_as_run_does(capsys):
    _, run_help = run(capsys, "run", "--help")
    _, diagnostic_help = run(capsys, "diagnostic", "--help")
    for option in ("--webhook-url URL", "--listen ADRESSE", "--port PORT",
                   "--secret-token SECRET"):
        assert option in run_help and option in diagnostic_help, option
    assert not re.search(r"WEBHOOK_URL|LISTEN|SECRET_TOKEN", diagnostic_help)


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "fichebot\u00a0: erreur\u00a0: il manque\u00a0: COMMANDE"),
    (["render"], "fichebot render\u00a0: erreur\u00a0: il manque\u00a0: --answers"),
    (["render", "--answers", "x.json", "--format", "odt"],
     "fichebot render\u00a0: erreur\u00a0: --format\u00a0: choix invalide\u00a0: «\u202fodt\u202f» "
     "(choisir parmi\u00a0: «\u202fmd\u202f», «\u202fhtml\u202f», «\u202fpdf\u202f» ou "
     "«\u202ftelegram\u202f»)"),
    (["export", "--separateur", "x"],
     "fichebot export\u00a0: erreur\u00a0: --separateur\u00a0: choix invalide\u00a0: "
     "«\u202fx\u202f» (choisir parmi\u00a0: «\u202f;\u202f», «\u202f,\u202f» ou "
     "«\u202ftab\u202f»)"),
    (["demo", "--annee", "deux-mille"],
     "fichebot demo\u00a0: erreur\u00a0: --annee\u00a0: valeur invalide\u00a0: "
     "«\u202fdeux-mille\u202f» (nombre entier attendu)"),
    (["demo", "--annee", "99999999999999999999"],
     "fichebot demo\u00a0: erreur\u00a0: --annee\u00a0: «\u202f99999999999999999999\u202f» "
     "n’est pas une année de 2000 à 2100"),
    (["demo", "--annee", "-5"], "--annee\u00a0: «\u202f-5\u202f» n’est pas une année de 2000"),
    (["demo", "--annee", "0"], "--annee\u00a0: «\u202f0\u202f» n’est pas une année de 2000"),
    (["export", "--campagne", "1999"],
     "fichebot export\u00a0: erreur\u00a0: --campagne\u00a0: «\u202f1999\u202f» n’est pas"),
    (["synthese", "--campagne", "9" * 5000], "n’est pas une année de 2000 à 2100"),
    (["nimporte"], "choix invalide\u00a0: «\u202fnimporte\u202f»"),
    (["render", "--answers", "x.json", "--bof"], "arguments inconnus\u00a0: --bof"),
])
def test_usage_errors_are_french(capsys, argv, expected):
    status, output = run(capsys, *argv)
    assert status == 2
    assert expected in output
    assert output.startswith("utilisation\u00a0: ")
    assert not ENGLISH.search(output), ENGLISH.search(output)


def answer_file(tmp_path, content) -> str:
    path = tmp_path / "reponses.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("content", "expected"), [
    (None, "impossible de lire le fichier (fichier ou dossier introuvable)"),
    ('{"place": "X",', "ce n’est pas du JSON valide (ligne\u00a01, colonne\u00a015)"),
    ({"place": "X", "grid_version": "1999.1", "answers": {}},
     "grid_version\u00a0: version «\u202f1999.1\u202f» inconnue de ce fichebot (versions "
     "connues\u00a0: 2025.1)"),
    ({"place": "X", "answers": {"lien_social.inconnu": []}},
     "answers.lien_social.inconnu\u00a0: clé inconnue"),
    ({"place": "X", "answers": {"insertion.beneficiaires": "quinze"}},
     "answers.insertion.beneficiaires\u00a0: un nombre entier est attendu, de 0 à "
     "1\u202f000\u202f000"),
    ({"place": "X", "answers": {"inclusion.constats": ["aucun", "groupe"]}},
     "answers.inclusion.constats\u00a0: l’option «\u202faucun\u202f» ne se combine avec "
     "aucune autre"),
    ({"place": "X", "answers": []}, "answers\u00a0: un objet est attendu"),
    ({"answers": {}}, "place\u00a0: le nom du lieu manque"),
    ({"place": "X", "answers": {}, "lieu": "Y"}, "lieu\u00a0: clé inconnue"),
])
def test_a_bad_answer_file_gets_one_french_line(capsys, tmp_path, content, expected):
    path = answer_file(tmp_path, content) if content is not None else str(tmp_path / "non.json")
    status, output = run(capsys, "render", "--answers", path)
    assert status == 2
    assert output == f"fichebot render\u00a0: {path}\u00a0: {expected}\n" or \
        output.startswith(f"fichebot render\u00a0: {path}\u00a0: {expected}")
    assert output.count("\n") == 1
    assert not ENGLISH.search(output.replace(path, "")), output


def test_the_known_grid_version_is_accepted(capsys, tmp_path):
    path = answer_file(tmp_path, {"place": "Utopic", "grid_version": "2025.1", "year": 2026,
                                  "answers": {"lien_social.frequence": ["quotidien"]}})
    status, output = run(capsys, "render", "--answers", path)
    assert status == 0
    assert output.startswith("# EFFETS SOCIAUX ET URBAINS D’UTOPIC\n")


def test_demo_and_export_say_why_a_database_cannot_be_used(capsys, tmp_path):
    broken = tmp_path / "pas-une-base.sqlite"
    broken.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    for argv in (["demo", "--db", str(broken)], ["export", "--db", str(broken)]):
        status, output = run(capsys, *argv)
        assert status == 1
        assert f"{broken}\u00a0: impossible d’ouvrir la base de données" in output
        assert not ENGLISH.search(output.replace(str(broken), "")), output
