"""Backward compatibility of event schemas within a version.

A consumer written against a released schema must keep working: within one `vN` a field may
be added (optional), but not removed or renamed, its type not narrowed, and an optional
field not made required. A breaking change is a new `vN+1` type, published side by side.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kinerja_shared.stream.schemas import event_schema, published_types, schema_file_name


def _types_of(prop: dict[str, Any], defs: dict[str, Any]) -> set[str]:
    """The set of JSON types (and consts/enums) a property accepts, refs resolved."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return _types_of(defs.get(name, {}), defs) | {f"ref:{name}"}
    if "anyOf" in prop or "oneOf" in prop:
        found: set[str] = set()
        for option in prop.get("anyOf", prop.get("oneOf", [])):
            found |= _types_of(option, defs)
        return found
    if "const" in prop:
        return {f"const:{json.dumps(prop['const'])}"}
    if "enum" in prop:
        return {f"const:{json.dumps(v)}" for v in prop["enum"]}
    kind = prop.get("type")
    if isinstance(kind, list):
        return set(kind)
    return {kind} if kind else {"any"}


def _widened(old: set[str], new: set[str]) -> bool:
    """Whether every value the old schema allowed is still allowed."""
    if "any" in new:
        return True
    plain_new = {t for t in new if not t.startswith("const:")}
    for item in old:
        if item in new:
            continue
        if item.startswith("const:") and "string" in plain_new:
            continue
        if item == "integer" and "number" in plain_new:
            continue
        return False
    return True


def breaking_changes(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """Every backward-incompatible difference from `old` to `new` (empty when compatible)."""
    problems: list[str] = []
    old_props: dict[str, Any] = old.get("properties", {})
    new_props: dict[str, Any] = new.get("properties", {})
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, prop in old_props.items():
        where = f"{path}{name}"
        if name not in new_props:
            problems.append(f"{where}: removed or renamed")
            continue
        if not _widened(_types_of(prop, old_defs), _types_of(new_props[name], new_defs)):
            problems.append(f"{where}: type narrowed")
    for name in sorted(new_required - old_required):
        where = f"{path}{name}"
        if name in old_props:
            problems.append(f"{where}: optional field made required")
        else:
            problems.append(f"{where}: new field is required (new fields must be optional)")
    for name, old_def in old_defs.items():
        if name in new_defs:
            problems.extend(breaking_changes(old_def, new_defs[name], f"{path}{name}."))
    return problems


def check_released(released_dir: Path) -> dict[str, list[str]]:
    """Compare every released schema with the catalogue; returns problems per file."""
    current = {schema_file_name(e): event_schema(e) for e in published_types()}
    report: dict[str, list[str]] = {}
    for path in sorted(released_dir.glob("*.json")):
        if path.name not in current:
            report[path.name] = [
                "released type no longer in the catalogue (keep it until its "
                "deprecation period ends)"
            ]
            continue
        problems = breaking_changes(json.loads(path.read_text()), current[path.name])
        if problems:
            report[path.name] = problems
    return report


def release(released_dir: Path) -> list[str]:
    """Record the current schemas as released (new types only; released ones never change)."""
    released_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in published_types():
        path = released_dir / schema_file_name(entry)
        if not path.exists():
            path.write_text(json.dumps(event_schema(entry), indent=2, sort_keys=True) + "\n")
            written.append(path.name)
    return written
