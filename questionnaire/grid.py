"""The grid: its typed objects (`grid_types`) and loading it from YAML (`grid_loader`).

Loading refuses a grid that the engine or the fiche could trip on later: every error
names the file and the key, so that whoever edits `grid.yaml` knows where to look.
Everything is importable from here, as it always was.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from questionnaire.grid_loader import Loader
from questionnaire.grid_types import (
    _PLACEHOLDER,
    AMOUNT_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    COUNT_MAX,
    OTHER_SUFFIX,
    QUESTION_TYPES,
    Condition,
    Family,
    FamilySummary,
    FicheEntry,
    Grid,
    GridError,
    Option,
    Question,
    QuestionType,
    Section,
    Statement,
)

__all__ = [
    "AMOUNT_MAX_LENGTH",
    "COMMENT_MAX_LENGTH",
    "COUNT_MAX",
    "DEFAULT_GRID_PATH",
    "OTHER_SUFFIX",
    "QUESTION_TYPES",
    "_PLACEHOLDER",
    "Condition",
    "Family",
    "FamilySummary",
    "FicheEntry",
    "Grid",
    "GridError",
    "Option",
    "Question",
    "QuestionType",
    "Section",
    "Statement",
    "default_grid",
    "load_grid",
]

# libyaml's parser when PyYAML was built with it: about 8 times faster on grid.yaml.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_GRID_PATH = Path(__file__).with_name("grid.yaml")


def load_grid(path: str | Path = DEFAULT_GRID_PATH) -> Grid:
    """Load and validate a grid file; raises GridError naming the file and the key."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)
    except OSError as exc:
        raise GridError(f"{path}: cannot read the grid ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise GridError(f"{path}: not valid YAML ({exc})") from exc
    return Loader(str(path)).grid(raw)


@cache
def default_grid() -> Grid:
    """The grid shipped with fichebot, loaded once per process."""
    return load_grid(DEFAULT_GRID_PATH)
