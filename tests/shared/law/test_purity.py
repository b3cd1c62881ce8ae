"""The law modules are pure: they import only the standard library's value types and each other."""

from __future__ import annotations

import ast
from pathlib import Path

import kinerja_shared.law

ALLOWED = {
    "__future__",
    "collections",
    "dataclasses",
    "decimal",
    "enum",
    "fractions",
    "types",
    "typing",
    "kinerja_shared.law",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_law_modules_import_nothing_with_io() -> None:
    folder = Path(kinerja_shared.law.__file__).parent
    found = {
        f"{path.name}: {name}"
        for path in sorted(folder.glob("*.py"))
        for name in _imports(path)
        if not any(name == allowed or name.startswith(f"{allowed}.") for allowed in ALLOWED)
    }
    assert found == set()
