"""The one codec of stored values: answers and positions are JSON text in the database.

`encode` writes compact JSON that keeps accents as they are; `decode` reads it back,
decoding short texts once (see its docstring). Every module of `storage` that reads or
writes an answer value goes through these two.
"""

import json
from types import MappingProxyType
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode(value: Any) -> str:
    return _ENCODER.encode(value)


_SCALARS = (str, int, float, bool, type(None))
_SHORT = 200  # characters: longer texts (typed comments) are decoded each time
_KEPT_MAX = 20_000
_kept: dict[str, Any] = {}  # short JSON text -> its value, frozen
_MISSING = object()
_NOT_KEPT = object()  # kept as "decode it each time" (nested values)


def decode(text: str) -> Any:
    """`json.loads`, with short texts decoded once.

    Every step decodes all the answers of its response and the position; most of those
    texts are shared by many places (an option list, a count, a position), and a
    json.loads call costs more than the rest of reading a row. A list or dict comes back
    as a new object each time, so the caller may change it.
    """
    frozen = _kept.get(text, _MISSING)
    if frozen is _MISSING:
        value = json.loads(text)
        if len(text) <= _SHORT:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[text] = _freeze(value)
        return value
    if type(frozen) is tuple:
        return list(frozen)
    if type(frozen) is MappingProxyType:
        return dict(frozen)
    if frozen is _NOT_KEPT:
        return json.loads(text)
    return frozen


def _freeze(value: Any) -> Any:
    """An immutable stand-in for a decoded value, or _NOT_KEPT if it is nested."""
    if isinstance(value, list):
        return tuple(value) if all(isinstance(v, _SCALARS) for v in value) else _NOT_KEPT
    if isinstance(value, dict):
        return (MappingProxyType(dict(value))
                if all(isinstance(v, _SCALARS) for v in value.values()) else _NOT_KEPT)
    return value
