"""A second grid version, written for the tests from the shipped grid: version 2026.1.

What changes from 2025.1 (declared in its `previous:` block, the format of
`questionnaire.versions`):
- `lien_social.frequence` is renamed `lien_social.rythme`; its option `quotidien` becomes
  `chaque_jour`, its option `ponctuel` is removed;
- `sante.commentaire` moves to the section `insertion` as `insertion.commentaire_sante`;
- `inclusion.commentaire` is removed;
- `innovation.partenaires` (a count) is added.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from questionnaire.grid import DEFAULT_GRID_PATH
from questionnaire.versions import GridCatalog

PREVIOUS = """
previous:
  version: "2025.1"
  renamed:
    lien_social.frequence: lien_social.rythme
    sante.commentaire: insertion.commentaire_sante
  removed: [inclusion.commentaire]
  options:
    lien_social.rythme: {quotidien: chaque_jour, ponctuel: null}
"""


def _section(raw: dict, section_id: str) -> dict:
    return next(s for s in raw["sections"] if s["id"] == section_id)


def _renamed(node, old: str, new: str):
    """The section's fiche statements with the question `old` called `new` (in texts,
    variants and conditions alike)."""
    if isinstance(node, dict):
        return {key: _renamed(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(value, old, new) for value in node]
    if isinstance(node, str):
        return new if node == old else node.replace("{" + old + "}", "{" + new + "}")
    return node


def write_grid_2026(directory: Path) -> Path:
    raw = yaml.safe_load(DEFAULT_GRID_PATH.read_text(encoding="utf-8"))
    raw["version"] = "2026.1"
    lien = _section(raw, "lien_social")
    frequence = next(q for q in lien["questions"] if q["id"] == "frequence")
    frequence["id"] = "rythme"
    frequence["options"] = [
        {"id": "chaque_jour", "label": "chaque jour"} if o["id"] == "quotidien" else o
        for o in frequence["options"] if o["id"] != "ponctuel"]
    lien["fiche"] = _renamed(lien.get("fiche") or [], "frequence", "rythme")
    sante = _section(raw, "sante")
    comment = next(q for q in sante["questions"] if q["id"] == "commentaire")
    sante["questions"].remove(comment)
    _section(raw, "insertion")["questions"].append({**comment, "id": "commentaire_sante"})
    inclusion = _section(raw, "inclusion")
    inclusion["questions"] = [q for q in inclusion["questions"] if q["id"] != "commentaire"]
    _section(raw, "innovation")["questions"].insert(0, {
        "id": "partenaires", "type": "count", "unit": ["partenaire", "partenaires"],
        "prompt": "Avec combien de partenaires avez-vous travaillé ?"})
    path = directory / "2026.1.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False) + PREVIOUS,
                    encoding="utf-8")
    return path


def catalog_2026(directory: Path) -> GridCatalog:
    """The shipped grid (2025.1) and the test's 2026.1."""
    return GridCatalog([DEFAULT_GRID_PATH, write_grid_2026(directory)])
