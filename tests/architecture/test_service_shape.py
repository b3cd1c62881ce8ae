"""Every domain service has the same shape, and each layer keeps its one rule.

A service opts in by declaring its import contracts (import-linter) in its own
`pyproject.toml` under `[tool.importlinter]`; from then on this module checks, for it:

- the contracts themselves (`lint-imports`): endpoints never reach models, SQLAlchemy or
  the outbox, `domain/` imports nothing with I/O, consumers call services only, ...;
- the top level: `main.py` (the app only), `runtime.py`, `routes.py`, `handlers.py`,
  `settings.py`, `dependencies.py`, `access.py`, `models.py` and `domain/`;
- every area (a folder with `endpoints.py`) has `service.py`, `schemas.py` and, unless
  `[tool.kinerja.shape] areas_without_repository` names it, `repository.py`;
- SQL is built and executed only in repositories (and the modules
  `[tool.kinerja.shape] sql_modules` names, each with its reason in a comment there);
- event types are mapped to handlers only in `handlers.py`;
- a 403 (`NotPermitted`) is decided only in `access.py`.

These are checks of the source (AST and import graph), so they fail on the line at fault.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

TOP_LEVEL = (
    "main.py",
    "runtime.py",
    "routes.py",
    "handlers.py",
    "settings.py",
    "dependencies.py",
    "access.py",
    "models.py",
    "domain/__init__.py",
)
AREA_FILES = ("service.py", "schemas.py")

# Names that build SQL statements, wherever they are imported from.
SQL_BUILDERS = frozenset(
    {
        "select",
        "insert",
        "update",
        "delete",
        "text",
        "func",
        "exists",
        "union",
        "union_all",
        "literal",
        "literal_column",
        "bindparam",
        "and_",
        "or_",
        "not_",
        "case",
        "tuple_",
        "column",
        "table",
        "values",
    }
)
SQL_SOURCES = ("sqlalchemy", "sqlmodel")
# The dialects' own INSERT (ON CONFLICT) builders: any import of them builds SQL.
SQL_DIALECTS = "sqlalchemy.dialects"
# Methods that run SQL on a session or connection.
SQL_CALLS = frozenset(
    {"execute", "exec", "scalar", "scalars", "exec_driver_sql", "stream", "stream_scalars"}
)


@dataclass(frozen=True)
class Service:
    name: str
    package: Path
    pyproject: Path
    shape: dict

    @property
    def package_name(self) -> str:
        return self.package.name

    def modules(self) -> Iterator[tuple[str, Path, ast.Module]]:
        for path in sorted(self.package.rglob("*.py")):
            relative = path.relative_to(self.package)
            if "migrations" in relative.parts:
                continue
            dotted = ".".join((self.package_name, *relative.with_suffix("").parts))
            dotted = dotted.removesuffix(".__init__")
            yield dotted, path, ast.parse(path.read_text(), filename=str(path))


def shaped_services() -> list[Service]:
    found = []
    for pyproject in sorted(SERVICES.glob("*/pyproject.toml")):
        config = tomllib.loads(pyproject.read_text())
        tool = config.get("tool", {})
        if "importlinter" not in tool:
            continue
        packages = list((pyproject.parent / "src").glob("kinerja_*"))
        assert len(packages) == 1, f"{pyproject}: one package under src/ expected"
        shape = tool.get("kinerja", {}).get("shape", {})
        found.append(Service(pyproject.parent.name, packages[0], pyproject, shape))
    return found


SHAPED = shaped_services()
ids = [service.name for service in SHAPED]


def _is_repository(dotted: str) -> bool:
    parts = dotted.split(".")
    return "repository" in parts or "repositories" in parts


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_import_contracts_hold(service: Service) -> None:
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(service.pyproject)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_top_level_is_the_house_shape(service: Service) -> None:
    missing = [name for name in TOP_LEVEL if not (service.package / name).is_file()]
    assert not missing, f"{service.name} lacks {missing}"


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_every_area_reads_endpoints_service_repository(service: Service) -> None:
    without_repository = set(service.shape.get("areas_without_repository", []))
    problems = []
    for endpoints in sorted(service.package.glob("*/endpoints.py")):
        area = endpoints.parent
        expected = list(AREA_FILES)
        if area.name not in without_repository:
            expected.append("repository.py")
        problems += [f"{area.name}/{name}" for name in expected if not (area / name).is_file()]
    assert not problems, f"{service.name} areas lack {problems}"


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_main_builds_the_app_only(service: Service) -> None:
    main = ast.parse((service.package / "main.py").read_text())
    own = f"{service.package_name}."
    allowed = {f"{own}routes", f"{own}runtime", f"{own}settings"}
    stray = [
        node.module
        for node in ast.walk(main)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith(own)
        and node.module not in allowed
    ]
    assert not stray, f"{service.name}/main.py imports {stray}: routers belong in routes.py"


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_sql_lives_in_repositories(service: Service) -> None:
    allowed = set(service.shape.get("sql_modules", [])) | {f"{service.package_name}.models"}
    problems = []
    for dotted, path, tree in service.modules():
        if _is_repository(dotted) or dotted in allowed:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(SQL_DIALECTS):
                problems.append(f"{path.name}:{node.lineno} imports {node.module}")
            elif isinstance(node, ast.Import) and any(
                alias.name.startswith(SQL_DIALECTS) for alias in node.names
            ):
                problems.append(f"{path.name}:{node.lineno} imports a dialect")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                SQL_SOURCES
            ):
                names = {alias.name for alias in node.names} & SQL_BUILDERS
                if names:
                    problems.append(f"{path.name}:{node.lineno} imports {sorted(names)}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
            ):
                problems.append(f"{dotted}:{node.lineno} calls .{node.func.attr}()")
    assert not problems, "SQL outside repositories:\n" + "\n".join(problems)


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_event_types_are_mapped_in_handlers_only(service: Service) -> None:
    handlers = f"{service.package_name}.handlers"
    problems = []
    for dotted, _path, tree in service.modules():
        if dotted == handlers:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"on", "on_batch"}
            ):
                problems.append(f"{dotted}:{node.lineno}")
    assert not problems, f"event handlers registered outside handlers.py: {problems}"


@pytest.mark.parametrize("service", SHAPED, ids=ids)
def test_403_is_decided_in_access_only(service: Service) -> None:
    access = f"{service.package_name}.access"
    problems = []
    for dotted, _path, tree in service.modules():
        if dotted == access:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "NotPermitted"
            ):
                problems.append(f"{dotted}:{node.lineno}")
    assert not problems, f"NotPermitted raised outside access.py: {problems}"


def test_every_domain_service_declares_its_contracts() -> None:
    """The gateway is no domain service (it owns no data); every other service is checked."""
    domain_services = {path.parent.name for path in SERVICES.glob("*/pyproject.toml")} - {"gateway"}
    assert {service.name for service in SHAPED} == domain_services
