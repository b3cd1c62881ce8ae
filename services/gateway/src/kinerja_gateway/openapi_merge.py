"""Merging the services' OpenAPI documents into one (pure functions, no I/O).

Paths, tags and components are united. A component name two services define differently is
renamed in each of them to `<Service><Name>` (e.g. `AppraisalUnit`), and that service's
`$ref`s are rewritten; identical definitions are shared. A repeated operationId gets the
service name as a prefix.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

Document = dict[str, Any]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                renames.get(v, v)
                if k == "$ref" and isinstance(v, str)
                else _rewrite_refs(v, renames)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def _component_renames(documents: dict[str, Document]) -> dict[str, dict[str, str]]:
    """Per service: old `$ref` -> new `$ref` for component names that collide."""
    seen: dict[tuple[str, str], set[str]] = {}
    taken: set[tuple[str, str]] = set()
    for doc in documents.values():
        for section, items in doc.get("components", {}).items():
            if section == "securitySchemes" or not isinstance(items, dict):
                continue
            for name, definition in items.items():
                seen.setdefault((section, name), set()).add(_canonical(definition))
                taken.add((section, name))
    renames: dict[str, dict[str, str]] = {service: {} for service in documents}
    for service, doc in documents.items():
        for section, items in doc.get("components", {}).items():
            if section == "securitySchemes" or not isinstance(items, dict):
                continue
            for name in items:
                if len(seen[(section, name)]) > 1:
                    new = f"{service.capitalize()}{name}"
                    while (section, new) in taken:
                        new = f"{service.capitalize()}_{new}"
                    taken.add((section, new))
                    old_ref = f"#/components/{section}/{name}"
                    renames[service][old_ref] = f"#/components/{section}/{new}"
    return renames


def merge_documents(
    gateway: Document,
    services: dict[str, Document],
    *,
    security_schemes: dict[str, Any],
    unavailable: list[dict[str, Any]],
) -> Document:
    """One document: the gateway's own routes plus every service document given."""
    merged: Document = {
        "openapi": gateway.get("openapi", "3.1.0"),
        "info": copy.deepcopy(gateway.get("info", {"title": "Kinerja API", "version": "1"})),
        "paths": copy.deepcopy(gateway.get("paths", {})),
        "components": copy.deepcopy(gateway.get("components", {})),
        "tags": copy.deepcopy(gateway.get("tags", [])),
    }
    components: dict[str, Any] = merged["components"]
    schemes: dict[str, Any] = components.setdefault("securitySchemes", {})
    schemes.update(security_schemes)
    operation_ids = _operation_ids(merged["paths"])
    tag_names = {t["name"] for t in merged["tags"]}
    renames = _component_renames({"gateway": merged, **services})

    for service, original in services.items():
        doc = _rewrite_refs(original, renames[service])
        for section, items in doc.get("components", {}).items():
            target = components.setdefault(section, {})
            for name, definition in items.items():
                ref = f"#/components/{section}/{name}"
                new_name = renames[service].get(ref, ref).rsplit("/", 1)[-1]
                target.setdefault(new_name, definition)
        for path, item in doc.get("paths", {}).items():
            if path in merged["paths"]:
                continue
            for operation in _operations(item):
                op_id = operation.get("operationId")
                if isinstance(op_id, str):
                    if op_id in operation_ids:
                        op_id = f"{service}_{op_id}"
                        operation["operationId"] = op_id
                    operation_ids.add(op_id)
            merged["paths"][path] = item
        for tag in doc.get("tags", []):
            if tag.get("name") not in tag_names:
                tag_names.add(tag["name"])
                merged["tags"].append(tag)
    for path_item in merged["paths"].values():
        for operation in _operations(path_item):
            for tag in operation.get("tags", []):
                if tag not in tag_names:
                    tag_names.add(tag)
                    merged["tags"].append({"name": tag})
    if unavailable:
        merged["x-kinerja-unavailable"] = unavailable
    return merged


_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operations(path_item: dict[str, Any]) -> list[dict[str, Any]]:
    return [path_item[m] for m in _HTTP_METHODS if isinstance(path_item.get(m), dict)]


def _operation_ids(paths: dict[str, Any]) -> set[str]:
    return {
        op["operationId"]
        for item in paths.values()
        for op in _operations(item)
        if isinstance(op.get("operationId"), str)
    }


def apply_security(
    document: Document,
    *,
    public: Callable[[str, str], bool],
    open_route: Callable[[str, str], bool] = lambda method, path: False,
) -> None:
    """Declare how to call each operation through the gateway: open ones need nothing, public
    ones accept the app key, the others a bearer token (a user's or an OAuth2 client's)."""
    for path, item in document.get("paths", {}).items():
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            if open_route(method.upper(), path):
                operation["security"] = []
            elif public(method.upper(), path):
                operation["security"] = [{"appKey": []}, {"bearerAuth": []}]
            else:
                operation["security"] = [{"bearerAuth": []}, {"clientCredentials": []}]
