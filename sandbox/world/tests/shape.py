"""A recursive "shape" of JSON values: which key paths occur and with which JSON types.

Paths use `.key` for object keys, `[]` for array elements and `.*` for the dynamic keys of maps keyed by id or
code (digit keys, or the children of a known map such as `customFields`), so `orderRows.*.quantity.magnitude`
names a field of every order row whatever its id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

# Objects whose keys are data (ids, codes, option names), not field names.
DYNAMIC_MAPS = frozenset(
    {
        "orderRows",
        "warehouses",
        "quantityPrice",
        "options",
        "customFields",
        "productOptions",
        "channelBrandTemplates",
        "productCategoryMembership",
    }
)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    raise TypeError(f"not a JSON value: {value!r}")


def shape(values: Iterable[Any]) -> dict[str, set[str]]:
    """path → JSON types seen, over many values (records)."""
    out: dict[str, set[str]] = defaultdict(set)
    for value in values:
        _walk(value, "", "", out)
    return dict(out)


def _walk(value: Any, path: str, last: str, out: dict[str, set[str]]) -> None:
    out[path or "$"].add(json_type(value))
    if isinstance(value, dict):
        for key, child in value.items():
            segment = "*" if key.isdigit() or last in DYNAMIC_MAPS else key
            _walk(child, f"{path}.{segment}" if path else segment, key if segment != "*" else "*", out)
    elif isinstance(value, list):
        for child in value:
            _walk(child, f"{path}[]", last, out)


def _covered(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p + ".") or path.startswith(p + "[]") for p in prefixes)


def compare(
    example: dict[str, set[str]], world: dict[str, set[str]], *, extra: Iterable[str] = (), loose: Iterable[str] = ()
) -> list[str]:
    """Problems between an example's shape and the world's:
    - an example path the world never produces;
    - a world path that is neither in the example nor under an allowed `extra` path (optional keys the
      references document but no example shows);
    - a path whose world types are not among the example's types.
    Paths under `loose` are checked for presence only (e.g. custom-field values, typed per field)."""
    extra, loose = tuple(extra), tuple(loose)
    problems = []
    for path in sorted(example):
        if path not in world and not _covered(path, loose):
            problems.append(f"example key never produced: {path}")
    for path in sorted(world):
        if path not in example and not _covered(path, extra) and not _covered(path, loose):
            problems.append(f"key not in the example: {path} {sorted(world[path])}")
        elif path in example and not _covered(path, loose) and not world[path] <= example[path]:
            problems.append(f"type mismatch at {path}: world {sorted(world[path])}, example {sorted(example[path])}")
    return problems
