"""Grid versions: loading each version, and mapping answers from one onto the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaire.grid import GridError
from questionnaire.versions import (
    GridCatalog,
    UnknownGridVersion,
    default_catalog,
    load_grid_version,
    map_answers,
)
from tests.grid_versions_fixture import catalog_2026, write_grid_2026

OLD = {
    "lien_social.publics": ["voisins", "benevoles"],
    "lien_social.publics.autre": ["les enfants du centre social"],
    "lien_social.frequence": ["quotidien", "ponctuel", "mensuel"],
    "sante.effets": ["confiance"],
    "sante.commentaire": "Moins de solitude.",
    "inclusion.constats": ["groupe"],
    "inclusion.commentaire": "Un mot sur l'inclusion.",
    "capacite_agir.nombre_projets": "Une dizaine",
    "synthese.intensite_individuels": "3",
}


def test_the_shipped_grid_is_in_the_catalog() -> None:
    assert "2025.1" in default_catalog().versions
    assert load_grid_version("2025.1").question("lien_social.frequence") is not None
    with pytest.raises(UnknownGridVersion) as caught:
        load_grid_version("1999.1")
    assert "2025.1" in caught.value.known


def test_each_version_is_its_own_grid(tmp_path: Path) -> None:
    catalog = catalog_2026(tmp_path)
    assert catalog.grid("2026.1").question("lien_social.rythme") is not None
    assert catalog.grid("2026.1").question("lien_social.frequence") is None
    assert catalog.grid("2025.1").question("lien_social.frequence") is not None


def test_answers_follow_renames_moves_and_option_renames(tmp_path: Path) -> None:
    mapped = catalog_2026(tmp_path).map_answers(OLD, "2025.1", "2026.1")
    assert mapped.answers == {
        "lien_social.publics": ["voisins", "benevoles"],
        "lien_social.publics.autre": ["les enfants du centre social"],
        "lien_social.rythme": ["chaque_jour", "mensuel"],
        "sante.effets": ["confiance"],
        "insertion.commentaire_sante": "Moins de solitude.",
        "inclusion.constats": ["groupe"],
        "capacite_agir.nombre_projets": "Une dizaine",
        "synthese.intensite_individuels": "3",
    }
    lost = {(u.key, u.reason, str(u.value)) for u in mapped.unmapped}
    assert lost == {
        ("lien_social.frequence", "option removed", "ponctuel"),
        ("inclusion.commentaire", "removed", "Un mot sur l'inclusion."),
    }


def test_the_same_version_maps_onto_itself(tmp_path: Path) -> None:
    mapped = catalog_2026(tmp_path).map_answers(OLD, "2025.1", "2025.1")
    assert mapped.answers == OLD and mapped.unmapped == ()
    assert map_answers(OLD, "2025.1", "2025.1").answers == OLD


def test_mapping_backwards_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not follow"):
        catalog_2026(tmp_path).map_answers({}, "2026.1", "2025.1")


def test_an_unknown_key_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    mapped = catalog_2026(tmp_path).map_answers({"nulle_part.rien": "x"}, "2025.1", "2026.1")
    assert mapped.answers == {}
    assert [(u.key, u.reason) for u in mapped.unmapped] == [("nulle_part.rien", "unknown")]


def test_a_map_naming_an_unknown_question_is_refused(tmp_path: Path) -> None:
    path = write_grid_2026(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "lien_social.rythme: {quotidien", "lien_social.inconnue: {quotidien"),
        encoding="utf-8")
    with pytest.raises(GridError, match="inconnue"):
        GridCatalog([path])


def test_fichebot_render_reads_an_answer_file_with_its_own_grid(tmp_path: Path, monkeypatch):
    import json

    from bot.cli import main as cli
    from questionnaire import versions

    catalog = catalog_2026(tmp_path)
    monkeypatch.setattr(versions, "default_catalog", lambda: catalog)
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"place": "La Tréso", "year": 2027, "grid_version": "2026.1",
                                "answers": {"lien_social.rythme": ["chaque_jour"]}}),
                    encoding="utf-8")
    out = tmp_path / "fiche.md"
    assert cli(["render", "--answers", str(path), "--format", "md", "-o", str(out)]) == 0
    assert "chaque jour" in out.read_text(encoding="utf-8")
