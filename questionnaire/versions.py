"""Grid versions: every version ever answered, and how answers move from one to the next.

A response keeps the `grid_version` it was answered with, and is rendered (fiche,
`/fiche`, exports) with that grid. The current grid is `questionnaire/grid.yaml`; when it
changes in a way that touches ids (a question added, moved, renamed or removed, an option
renamed), its `version` changes and the previous file is kept, frozen, as
`questionnaire/grids/<version>.yaml`. The new file says how the previous version maps
onto it, in a top-level `previous:` block (the grid loader ignores it)::

    previous:
      version: "2025.1"
      renamed:                    # moved or renamed questions: old key → new key
        lien_social.frequence: lien_social.rythme
        sante.acces: bien_etre.acces          # moved to another section
      removed: [insertion.ancienne]           # no successor: reported, never guessed
      options:                    # renamed options, by the question's NEW key
        lien_social.rythme: {quotidien: chaque_jour, ponctuel: null}   # null: removed

A key not named keeps its key; if the new grid has no such question it is reported as
unmapped. Typed extras (`<key>.autre`) follow their question. Every mapped value is
validated against the new grid (`validate_answers`); what does not fit is reported, never
silently dropped. Mapping goes forward only (older → newer), through as many versions as
needed: 2024.1 → 2025.1 → 2026.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from questionnaire.answer_file import AnswerError, validate_answers
from questionnaire.grid import DEFAULT_GRID_PATH, OTHER_SUFFIX, Grid, GridError, load_grid

ARCHIVE_DIR = Path(__file__).with_name("grids")

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnknownGridVersion(LookupError):
    def __init__(self, version: str, known: Iterable[str]) -> None:
        self.version = version
        self.known = tuple(known)
        super().__init__(f"no grid of version {version!r} (known: {', '.join(self.known)})")


@dataclass(frozen=True)
class VersionLink:
    """How the version `previous` maps onto the grid that declares it (`version`)."""

    version: str
    previous: str
    renamed: Mapping[str, str] = field(default_factory=dict)  # old key → new key
    removed: frozenset[str] = frozenset()  # old keys without a successor
    options: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Unmapped:
    """An answer (or a part of one) that could not be carried to the target version."""

    key: str  # the key in the version it came from
    value: Any
    reason: str  # "removed" | "unknown" | "option removed" | "invalid"
    version: str  # the version in which it was lost


@dataclass(frozen=True)
class MappedAnswers:
    answers: dict[str, Any]
    unmapped: tuple[Unmapped, ...]


def _link(raw: Any, source: str, version: str) -> VersionLink | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not str(raw.get("version") or "").strip():
        raise GridError(f"{source}: previous: expected a mapping with a 'version'")
    renamed = raw.get("renamed") or {}
    removed = raw.get("removed") or []
    options = raw.get("options") or {}
    if not isinstance(renamed, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in renamed.items()):
        raise GridError(f"{source}: previous.renamed: expected old key: new key")
    if not isinstance(removed, list) or not all(isinstance(k, str) for k in removed):
        raise GridError(f"{source}: previous.removed: expected a list of keys")
    if not isinstance(options, dict) or not all(
            isinstance(v, dict) for v in options.values()):
        raise GridError(f"{source}: previous.options: expected key: {{old id: new id}}")
    return VersionLink(
        version=version,
        previous=str(raw["version"]),
        renamed=dict(renamed),
        removed=frozenset(removed),
        options={key: {str(old): (None if new is None else str(new))
                       for old, new in table.items()} for key, table in options.items()},
    )


def _check_link(link: VersionLink, grid: Grid, source: str) -> None:
    for old, new in link.renamed.items():
        if grid.question(new) is None:
            raise GridError(f"{source}: previous.renamed.{old}: unknown question '{new}'")
    for key, table in link.options.items():
        question = grid.question(key)
        if question is None:
            raise GridError(f"{source}: previous.options.{key}: unknown question")
        for old, new in table.items():
            if new is not None and question.option(new) is None:
                raise GridError(f"{source}: previous.options.{key}.{old}: "
                                f"unknown option '{new}'")


class GridCatalog:
    """Every grid version found in the given files, and the links between them."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._grids: dict[str, Grid] = {}
        self._links: dict[str, VersionLink] = {}  # version → how its previous maps onto it
        for path in paths:
            grid = load_grid(path)
            if grid.version in self._grids:
                raise GridError(f"{path}: version {grid.version} is defined twice")
            raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YamlLoader)
            link = _link(raw.get("previous"), str(path), grid.version)
            if link is not None:
                _check_link(link, grid, str(path))
                self._links[grid.version] = link
            self._grids[grid.version] = grid

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self._grids)

    def grid(self, version: str) -> Grid:
        """The grid of that version; raises `UnknownGridVersion`."""
        try:
            return self._grids[str(version)]
        except KeyError:
            raise UnknownGridVersion(str(version), self._grids) from None

    def path(self, source: str, target: str) -> list[VersionLink]:
        """The links to follow from `source` to `target` (empty when equal).

        Raises `UnknownGridVersion` for a version not in the catalog, ValueError when
        `target` is not a later version of `source`.
        """
        self.grid(source)
        self.grid(target)
        links: list[VersionLink] = []
        version = target
        while version != source:
            link = self._links.get(version)
            if link is None or len(links) > len(self._grids):
                raise ValueError(f"grid {target} does not follow from {source}")
            links.append(link)
            version = link.previous
        return list(reversed(links))

    def map_answers(self, answers: Mapping[str, Any], source: str, target: str
                    ) -> MappedAnswers:
        """The answers of version `source` as answers of version `target`, and what could
        not be carried (see the module docstring)."""
        current: dict[str, Any] = dict(answers)
        lost: list[Unmapped] = []
        for link in self.path(source, target):
            current = _step(current, link, self._grids[link.version], lost)
        return MappedAnswers(current, tuple(lost))


def _step(answers: Mapping[str, Any], link: VersionLink, grid: Grid,
          lost: list[Unmapped]) -> dict[str, Any]:
    """One version forward."""
    result: dict[str, Any] = {}
    for key, value in answers.items():
        extras = key.endswith(OTHER_SUFFIX)
        base = key[: -len(OTHER_SUFFIX)] if extras else key
        if base in link.removed:
            lost.append(Unmapped(key, value, "removed", grid.version))
            continue
        new_base = link.renamed.get(base, base)
        question = grid.question(new_base)
        if question is None:
            lost.append(Unmapped(key, value, "unknown", grid.version))
            continue
        new_key = question.other_key if extras else question.key
        if not extras and question.type in ("single", "multi"):
            value = _options(value, question.key, link.options.get(new_base, {}), grid, lost,
                             key)
            if value is None or value == []:
                continue
        try:
            result.update(validate_answers(grid, {new_key: value}))
        except AnswerError:
            lost.append(Unmapped(key, value, "invalid", grid.version))
    return result


def _options(value: Any, new_key: str, renames: Mapping[str, str | None], grid: Grid,
             lost: list[Unmapped], old_key: str) -> Any:
    question = grid.question(new_key)
    assert question is not None

    def one(option: Any) -> str | None:
        option = str(option)
        renamed = renames.get(option, option)  # None: the option was removed
        if renamed is None or question.option(renamed) is None:
            lost.append(Unmapped(old_key, option, "option removed", grid.version))
            return None
        return renamed

    if isinstance(value, list):
        return [o for o in (one(v) for v in value) if o is not None]
    return one(value)


def archived_grid_paths(directory: Path = ARCHIVE_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


@cache
def default_catalog() -> GridCatalog:
    """The shipped grid and every archived version, loaded once per process."""
    return GridCatalog([*archived_grid_paths(), DEFAULT_GRID_PATH])


def load_grid_version(version: str) -> Grid:
    """The grid a response of `version` was answered with; raises `UnknownGridVersion`."""
    return default_catalog().grid(version)


def map_answers(answers: Mapping[str, Any], source: str, target: str) -> MappedAnswers:
    """`GridCatalog.map_answers` on the shipped versions."""
    return default_catalog().map_answers(answers, source, target)


def grid_for_version(version: str | None, fallback: Grid) -> Grid:
    """The grid a response of `version` was answered with: `fallback` when it is that
    version (or the version is unknown, e.g. a grid removed from the catalog)."""
    if version is None or version == fallback.version:
        return fallback
    try:
        return load_grid_version(version)
    except UnknownGridVersion:
        return fallback
