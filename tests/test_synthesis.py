"""The synthesis of a campaign: every figure recomputed independently from the JSON
export of the same campaign, evolution, older grid versions, exclusions, empty and
one-place campaigns, and `fichebot synthese` in each format."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main as cli
from storage import get_or_create_response, interview_step, mark_submitted, open_db
from tests.synthesis_data import GRID, add_campaign, add_places

YEAR, BEFORE = 2026, 2025


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    """30 places: 2025 sent by places 1-20; 2026 sent by 5-28, begun by 29, not by 30."""
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    places = add_places(db, 30)
    add_campaign(db, BEFORE, places, places[:20], seed=25)
    add_campaign(db, YEAR, places, places[4:28], started=[places[28]], seed=26)
    db.conn.close()
    return path


def run(capsysbinary, *args: str) -> bytes:
    assert cli(list(args)) == 0
    return capsysbinary.readouterr().out


def synthesis(capsysbinary, path: Path, year: int = YEAR) -> dict[str, Any]:
    return json.loads(run(capsysbinary, "synthese", "--campagne", str(year), "--db",
                          str(path), "--format", "json"))


def export(capsysbinary, path: Path, year: int) -> list[dict[str, Any]]:
    return json.loads(run(capsysbinary, "export", "--campagne", str(year), "--db", str(path),
                          "--format", "json", "--envoyees"))


# --- an independent recomputation from the export -----------------------------------------

def expected_question(question, files: list[dict[str, Any]]) -> dict[str, Any]:
    answered = [f["answers"] for f in files if question.key in f["answers"]]
    n = len(answered)
    if question.type == "count":
        values = sorted(a[question.key] for a in answered)
        if not values:
            return {"repondants": 0, "total": 0, "mediane": None}
        q1, median, q3 = (statistics.quantiles(values, n=4, method="inclusive")
                          if n > 1 else (values[0],) * 3)
        return {"repondants": n, "total": sum(values), "mediane": median, "q1": q1,
                "q3": q3, "min": min(values), "max": max(values)}
    if question.type == "amount":
        buttons = {" ".join(s.casefold().split()): s for s in question.suggestions}
        counts = Counter(buttons.get(" ".join(a[question.key].casefold().split()), "autre")
                         for a in answered)
        options = {s: counts[s] for s in question.suggestions}
        return {"repondants": n, "options": options, "autre": counts["autre"]}
    counts = Counter()
    for a in answered:
        value = a[question.key]
        counts.update(value if isinstance(value, list) else [value])
    result = {"repondants": n, "options": {o.id: counts[o.id] for o in question.options}}
    if question.type == "multi" and question.other:
        result["autre"] = sum(1 for a in answered if a.get(question.other_key))
    return result


def check_figures(figures: dict[str, Any], files: list[dict[str, Any]]) -> None:
    for question in GRID.questions():
        if question.type == "comment":
            assert question.key not in figures
            continue
        got = figures[question.key]
        for name, value in expected_question(question, files).items():
            assert got[name] == pytest.approx(value), (question.key, name)
        for option, count in got.get("options", {}).items():
            assert got["parts"][option] == pytest.approx(count / got["repondants"], abs=1e-4)


def test_every_figure_equals_a_recomputation_from_the_json_export(two_years, capsysbinary):
    result = synthesis(capsysbinary, two_years)
    files = export(capsysbinary, two_years, YEAR)
    assert len(files) == 24
    assert result["campagne"] == YEAR and result["avertissements"] == []
    assert result["participation"] == {
        "lieux_invites": 30, "envoyees": 24, "en_cours": 1, "non_commencees": 5,
        "injoignables": 0, "sans_gestionnaire": 0, "taux_reponse": 0.8,
        "fiches_comptees": 24, "fiches_exclues": 0}
    check_figures(result["questions"], files)
    for family in GRID.families:
        key = family.summary.intensity
        levels = Counter(f["answers"][key] for f in files if key in f["answers"])
        got = result["intensites"][family.id]
        assert got["niveaux"] == {str(n): levels[str(n)] for n in range(1, 6)}
        assert got["repondants"] == sum(levels.values())
        mean = sum(int(k) * n for k, n in levels.items()) / sum(levels.values())
        assert got["moyenne"] == pytest.approx(mean, abs=0.01)
        words = Counter()
        for f in files:
            text = f["answers"].get(family.summary.keywords, "")
            words.update({w.strip(" #").casefold() for w in re.split(r"[,;\n]", text)} - {""})
        top = result["mots_cles"][family.id]["mots"]
        assert [(w["mot"].casefold(), w["lieux"]) for w in top] == \
            sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:len(top)]
    for section, said in result["commentaires"].items():
        key = f"{section}.commentaire"
        by_place = {f["place"]: f["answers"][key] for f in files if key in f["answers"]}
        assert said["lieux"] == len(by_place)
        distinct = {" ".join(t.split()).casefold() for t in by_place.values()}
        assert len(said["choisis"]) == min(3, len(distinct))  # a pasted text shown once
        assert len({c["texte"] for c in said["choisis"]}) == len(said["choisis"])
        for comment in said["choisis"]:
            typed = by_place[comment["lieu"]]
            assert comment["texte"] == typed or (len(typed) > 600
                                                 and comment["texte"].endswith("…"))


def test_evolution_is_computed_on_the_places_that_sent_both_years(two_years, capsysbinary):
    result = synthesis(capsysbinary, two_years)
    evolution = result["evolution"]
    before = {f["place"]: f for f in export(capsysbinary, two_years, BEFORE)}
    after = {f["place"]: f for f in export(capsysbinary, two_years, YEAR)}
    common = sorted(set(before) & set(after))
    assert evolution["annee_precedente"] == BEFORE
    assert evolution["lieux_communs"] == len(common) == 16  # places 5 to 20
    assert evolution["fiches_annee_precedente"] == 20
    figures_before = {k: v["avant"] for k, v in evolution["questions"].items()}
    figures_after = {k: v["apres"] for k, v in evolution["questions"].items()}
    check_figures(figures_before, [before[p] for p in common])
    check_figures(figures_after, [after[p] for p in common])
    for change in evolution["questions"].values():
        for option, points in change["ecarts"].get("parts_points", {}).items():
            a, b = change["apres"]["parts"][option], change["avant"]["parts"][option]
            assert points == pytest.approx((a - b) * 100, abs=0.06)
    for family in GRID.families:
        change = evolution["intensites"][family.id]
        key = family.summary.intensity
        levels = Counter(before[p]["answers"][key] for p in common
                         if key in before[p]["answers"])
        assert change["avant"]["niveaux"] == {str(n): levels[str(n)] for n in range(1, 6)}


def test_no_previous_campaign_means_no_evolution_and_a_sentence(tmp_path, capsysbinary):
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    places = add_places(db, 6)
    add_campaign(db, YEAR, places, places, seed=1)
    db.conn.close()
    assert synthesis(capsysbinary, path)["evolution"] is None
    text = run(capsysbinary, "synthese", "--db", str(path), "--format", "md").decode()
    assert "Pas de campagne précédente\u00a0: l’évolution" in text


def test_older_grid_version_is_counted_where_it_fits_and_the_rest_reported(
        tmp_path, capsysbinary):
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    places = add_places(db, 6)
    add_campaign(db, YEAR, places, places[:5], seed=3, close=False)
    old = get_or_create_response(db, places[5], YEAR, "2024.1")
    with interview_step(db, old.id, 0) as step:
        step.save({"lien_social.publics": ["benevoles", "jeunes"],  # "jeunes": gone
                   "sante.effets": ["confiance"],
                   "lien_social.ancienne_question": "oui"})
    mark_submitted(db, old.id, 0)
    db.conn.close()
    result = synthesis(capsysbinary, path)
    assert result["participation"]["fiches_comptees"] == 6
    assert result["non_comptes"] == {"fiches_autres_versions": {"2024.1": 1}, "fiches": 1,
                                     "cles": {"lien_social.ancienne_question": 1,
                                              "lien_social.publics": 1}}
    files = export(capsysbinary, path, YEAR)
    five = [f for f in files if f["place"] != "Lieu 06"]
    assert result["questions"]["sante.effets"]["options"]["confiance"] == 1 + sum(
        "confiance" in f["answers"].get("sante.effets", []) for f in five)
    text = run(capsysbinary, "synthese", "--db", str(path), "--format", "md").decode()
    assert "Une fiche répondue avec une version antérieure de la grille" in text
    assert "lien\\_social.ancienne\\_question\u00a0: 1\u00a0fiche" in text


def test_an_empty_campaign_says_so_in_every_format(tmp_path, capsysbinary):
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    places = add_places(db, 3)
    add_campaign(db, YEAR, places, [], started=[places[0]], seed=4, close=False)
    db.conn.close()
    result = synthesis(capsysbinary, path)
    sentence = ("Aucune fiche n’a encore été envoyée pour la campagne 2026\u00a0: il n’y a "
                "pas encore de chiffres à présenter.")
    assert result["avertissements"] == [sentence]
    assert result["participation"]["taux_reponse"] == 0
    assert result["questions"]["insertion.beneficiaires"] == {
        "type": "count", "repondants": 0, "total": 0, "mediane": None, "q1": None,
        "q3": None, "min": None, "max": None}
    assert sentence in run(capsysbinary, "synthese", "--db", str(path)).decode()
    html = run(capsysbinary, "synthese", "--db", str(path), "--format", "html").decode()
    assert "Aucune fiche n’a encore été envoyée" in html and "<img" not in html
    pdf = run(capsysbinary, "synthese", "--db", str(path), "--format", "pdf")
    assert pdf.startswith(b"%PDF")


def test_a_one_place_campaign_says_whose_figures_they_are(tmp_path, capsysbinary):
    path = tmp_path / "bot.sqlite"
    db = open_db(path)
    places = add_places(db, 4)
    add_campaign(db, YEAR, places, places[:1], seed=5)
    db.conn.close()
    text = run(capsysbinary, "synthese", "--db", str(path), "--campagne", "2026").decode()
    assert ("Une seule fiche a été envoyée pour la campagne 2026 (Lieu 01)\u00a0: les "
            "chiffres ci-dessous sont ceux de ce seul lieu") in text
    assert "1\u00a0lieu a répondu à cette question." in text


def test_exclusions_leave_a_place_or_a_comment_out_and_can_be_undone(two_years, capsysbinary):
    base = synthesis(capsysbinary, two_years)
    chosen = base["commentaires"]["lien_social"]["choisis"][0]
    assert cli(["synthese", "--db", str(two_years), "--exclure-lieu", "lieu 05",
                "--exclure-commentaire", f"{chosen['lieu']}:lien_social", "--exclusions"]) == 0
    out = capsysbinary.readouterr()
    assert "lieu 05\u00a0: fiche écartée" in out.err.decode()
    assert "Lieu 05\u00a0: toute la fiche" in out.out.decode()
    result = synthesis(capsysbinary, two_years)
    assert result["participation"]["fiches_comptees"] == 23
    assert result["participation"]["fiches_exclues"] == 1
    assert result["exclusions"] == {"lieux": ["Lieu 05"], "commentaires": 1}
    assert result["evolution"]["lieux_communs"] == 15
    places = [c["lieu"] for said in result["commentaires"].values() for c in said["choisis"]]
    assert "Lieu 05" not in places
    assert chosen["lieu"] not in [c["lieu"] for c in
                                  result["commentaires"]["lien_social"]["choisis"]]
    files = [f for f in export(capsysbinary, two_years, YEAR) if f["place"] != "Lieu 05"]
    check_figures(result["questions"], files)
    text = run(capsysbinary, "synthese", "--db", str(two_years)).decode()
    assert "La coordination a écarté de cette synthèse la fiche de Lieu 05 et 1\u00a0commentaire." \
        in text
    assert cli(["synthese", "--db", str(two_years), "--reintegrer-lieu", "Lieu 05",
                "--reintegrer-commentaire", f"{chosen['lieu']}:lien_social.commentaire",
                "--exclusions"]) == 0
    assert "Rien n’est écarté de la synthèse 2026." in capsysbinary.readouterr().out.decode()
    assert synthesis(capsysbinary, two_years) == base


def test_bad_exclusions_get_one_french_line(two_years, capsys):
    assert cli(["synthese", "--db", str(two_years), "--exclure-lieu", "Nulle part"]) == 2
    assert capsys.readouterr().err == \
        "fichebot synthese\u00a0: aucun lieu actif ne s’appelle «\u202fNulle part\u202f».\n"
    assert cli(["synthese", "--db", str(two_years), "--exclure-commentaire",
                "Lieu 05:cuisine"]) == 2
    assert "n’est pas une partie de la grille" in capsys.readouterr().err
    assert cli(["synthese", "--db", str(two_years), "--campagne", "2031"]) == 2
    assert "aucune campagne pour l’année 2031 (campagnes existantes\u00a0: 2026, 2025)" \
        in capsys.readouterr().err


def test_fichebot_synthese_writes_md_html_and_pdf(two_years, tmp_path, capsys):
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"synthese.{fmt}"
        assert cli(["synthese", "--db", str(two_years), "-o", str(out)]) == 0
        assert f"écrite dans {out}" in capsys.readouterr().err
    md = (tmp_path / "synthese.md").read_text(encoding="utf-8")
    assert md.startswith("# Synthèse de la campagne 2026\n")
    assert "- Fiches envoyées\u00a0: **24 (80\u202f%)**" in md
    assert "## Évolution depuis 2025" in md
    assert ("Participation\u00a0: 20\u00a0fiches envoyées en 2025, 24\u00a0fiches envoyées "
            "en 2026.") in md
    assert "Calculée sur les 16\u00a0lieux qui ont envoyé leur fiche en 2025 et en 2026" in md
    html = (tmp_path / "synthese.html").read_text(encoding="utf-8")
    charts = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,', html)
    bars = sum(1 for q in GRID.questions() if q.type in ("multi", "single", "amount")
               and not GRID.section(q.section_id).summary)
    assert len(charts) == bars + 1 + 3  # questions, intensities, evolution per family
    assert (tmp_path / "synthese.pdf").read_bytes().startswith(b"%PDF")


def test_a_pdf_to_a_terminal_is_refused(two_years, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli(["synthese", "--db", str(two_years), "--format", "pdf"]) == 2
    assert "-o" in capsys.readouterr().err


def test_an_older_version_goes_through_the_grid_versions_map(tmp_path, monkeypatch):
    """2025.1 answers counted in a 2026.1 synthesis: a renamed question and option, a
    moved comment; a removed option and a removed question reported."""
    from dataclasses import dataclass

    from campaign.synthesis import YearInput, synthesize
    from questionnaire import versions
    from tests.grid_versions_fixture import catalog_2026

    catalog = catalog_2026(tmp_path)
    monkeypatch.setattr(versions, "default_catalog", lambda: catalog)
    grid = catalog.grid("2026.1")

    @dataclass
    class Fiche:
        place_id: int
        place: str
        grid_version: str
        answers: dict

    old = Fiche(1, "La Tréso", "2025.1", {
        "lien_social.frequence": ["quotidien", "ponctuel"],
        "sante.commentaire": "Des repas partagés chaque semaine avec les voisin·e·s.",
        "inclusion.commentaire": "Un commentaire d’une question retirée."})
    new = Fiche(2, "Le WIP", "2026.1", {"lien_social.rythme": ["chaque_jour", "mensuel"]})
    result = synthesize(grid, YearInput(2026, [old, new]), {"submitted": 2})
    assert result["questions"]["lien_social.rythme"]["options"]["chaque_jour"] == 2
    assert result["questions"]["lien_social.rythme"]["repondants"] == 2
    assert "lien_social.frequence" not in result["questions"]
    assert result["non_comptes"] == {"fiches_autres_versions": {"2025.1": 1}, "fiches": 1,
                                     "cles": {"inclusion.commentaire": 1,
                                              "lien_social.frequence": 1}}
    (moved,) = result["commentaires"]["insertion"]["choisis"]
    assert (moved["lieu"], moved["cle"]) == ("La Tréso", "insertion.commentaire_sante")
