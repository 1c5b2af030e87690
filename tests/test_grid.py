"""Loading the grid: the shipped one is whole, and a broken one is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from questionnaire.answer_file import AnswerError, validate_answers
from questionnaire.answers import effective_answers, parse_count
from questionnaire.grid import DEFAULT_GRID_PATH, GridError, default_grid, load_grid

GRID = default_grid()

SECTION_IDS = ["lien_social", "sante", "insertion", "capacite_agir", "solidarite", "reseau",
               "inclusion", "egalite", "espaces", "services", "innovation", "synthese"]


def test_the_shipped_grid_has_every_section_of_grid_md():
    assert [s.id for s in GRID.sections] == SECTION_IDS
    assert [f.id for f in GRID.families] == ["individuels", "collectifs", "territoire"]
    assert GRID.version
    assert GRID.question("lien_social.publics").options[1].label == "acteur·rice·s du quartier"
    assert GRID.question("espaces.ameliorations").when.equals == {"effet": "positif"}
    assert GRID.section("capacite_agir").heading == "CAPACITÉ À AGIR"


def test_every_callback_fits_in_64_bytes():
    # callback data carries the key and an option id; keep a generous margin for a prefix
    for question in GRID.questions():
        for option in question.options:
            assert len(f"xx:{question.key}:{option.id}".encode()) <= 64
        assert len(question.key.encode()) <= 48


def write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(DEFAULT_GRID_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "grid.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def section(raw, section_id):
    return next(s for s in raw["sections"] if s["id"] == section_id)


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda r: section(r, "sante")["questions"].append(
        dict(section(r, "sante")["questions"][0])), "sante.effets: duplicate question id"),
    (lambda r: r["sections"].append(dict(r["sections"][0])),
     "sections.lien_social: duplicate section id"),
    (lambda r: section(r, "lien_social")["questions"][0].update(options="inconnus"),
     "lien_social.publics.options: unknown option list 'inconnus'"),
    (lambda r: section(r, "espaces")["questions"][1].update(when={"is": {"efet": "positif"}}),
     "espaces.ameliorations.when.is.efet: condition names an unknown question"),
    (lambda r: section(r, "sante")["questions"][0]["options"][0].pop("label"),
     "sante.effets.options.sante_physique: missing 'label'"),
    (lambda r: section(r, "sante")["questions"][0].update(type="slider"),
     "sante.effets: unknown type 'slider'"),
    (lambda r: section(r, "sante")["fiche"][0].update(list="efets"),
     "sections.sante.fiche[0]: names an unknown question 'efets'"),
    (lambda r: r.pop("version"), "version: missing grid version"),
    (lambda r: section(r, "sante")["fiche"][0].update(one="sans l’élément"),
     "sections.sante.fiche[0].one: needs a `list` and an {item} in its text"),
    (lambda r: section(r, "sante")["fiche"][0].update(labels={"inconnue": "x"}),
     "sections.sante.fiche[0].labels: unknown option 'inconnue' of its list"),
    (lambda r: section(r, "solidarite")["questions"][0].update(other_phrase="à"),
     "solidarite.echanges.other_phrase: expected one of de"),
    (lambda r: section(r, "insertion")["fiche"][0]["variants"][0].update(
        when={"is": {"beneficiaires": "zéro"}}),
     "insertion.fiche[0].variants[0].when.is.beneficiaires: expected a whole number"),
])
def test_a_broken_grid_is_refused_naming_file_and_key(tmp_path, mutate, expected):
    path = write(tmp_path, mutate)
    with pytest.raises(GridError) as error:
        load_grid(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_unreadable_grid(tmp_path):
    with pytest.raises(GridError, match="cannot read"):
        load_grid(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sections: [", encoding="utf-8")
    with pytest.raises(GridError, match="not valid YAML"):
        load_grid(bad)


@pytest.mark.parametrize(("raw", "message"), [
    ({"lien_social.publiks": []}, "lien_social.publiks\u00a0: clé inconnue"),
    ({"lien_social.publics": ["martiens"]},
     "lien_social.publics\u00a0: option «\u202fmartiens\u202f» inconnue (options possibles\u00a0: "
     "grand_public, acteurs_quartier,"),
    ({"lien_social.publics": "benevoles"},
     "lien_social.publics\u00a0: une liste d’options est attendue"),
    ({"insertion.beneficiaires": "15"},
     "insertion.beneficiaires\u00a0: un nombre entier est attendu, de 0 à 1\u202f000\u202f000"),
    ({"insertion.beneficiaires": -1}, "insertion.beneficiaires\u00a0: un nombre entier est"),
    ({"capacite_agir.porteurs": "tous"},
     "capacite_agir.porteurs\u00a0: option «\u202ftous\u202f» inconnue"),
    ({"lien_social.commentaire": 3}, "lien_social.commentaire\u00a0: un texte est attendu"),
    ({"lien_social.commentaire": "x" * 2001},
     "lien_social.commentaire\u00a0: le texte dépasse 2\u202f000\u00a0caractères (il en compte "
     "2\u202f001)"),
    ({"lien_social.frequence.autre": ["x"]}, "lien_social.frequence.autre\u00a0: clé inconnue"),
    ({"inclusion.constats": ["aucun", "groupe"]},
     "l’option «\u202faucun\u202f» ne se combine avec aucune autre"),
])
def test_answer_files_are_checked_key_by_key(raw, message):
    with pytest.raises(AnswerError) as error:
        validate_answers(GRID, raw)
    assert message in str(error.value)


def test_valid_answers_are_normalised():
    answers = validate_answers(GRID, {
        "lien_social.publics": ["benevoles", "grand_public"],
        "lien_social.publics.autre": ["  les enfants  "],
        "synthese.intensite_individuels": 3,
        "capacite_agir.nombre_projets": "une vingtaine par an",
    })
    assert answers["lien_social.publics"] == ["grand_public", "benevoles"]
    assert answers["lien_social.publics.autre"] == ["les enfants"]
    assert answers["synthese.intensite_individuels"] == "3"


def test_effective_answers_follow_conditions():
    answers = {"espaces.effet": "negatif", "espaces.ameliorations": ["mixite"],
               "espaces.degradations": ["nuisances"], "sante.effets": []}
    assert effective_answers(GRID, answers) == {"espaces.effet": "negatif",
                                                "espaces.degradations": ["nuisances"]}


def test_parse_count():
    assert parse_count("1.200") == 1200
    assert parse_count("environ 20 personnes") == 20
    for bad in ("beaucoup", "1,5", "10 ou 12", "-2"):
        with pytest.raises(ValueError):
            parse_count(bad)
