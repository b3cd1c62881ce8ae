"""Static checks of the deployment files: Dockerfile, compose file and Kubernetes manifests.

No Docker engine, no kubectl, no network: the files are parsed (PyYAML), the kustomizations
are rendered by the real kustomize (`kustomize build`, the version the Makefile pins and
`make install` puts into .cache/tools), and every checker is a pure function returning a list
of problems. The environment
variables a service needs are derived from its settings class, not listed by hand. Each
checker is also fed a deliberately broken copy of the real files (under tmp_path) to prove
it can fail.
"""

from __future__ import annotations

import ast
import base64
import copy
import functools
import importlib
import inspect
import os
import re
import secrets
import shutil
import subprocess
import sys
import tomllib
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

from kinerja_shared.environment import DevelopmentCredential, variable_name
from kinerja_shared.gateway_keys import load_private_key, new_key_pair
from kinerja_shared.token_keys import jwks_json

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
SECRETS_EXAMPLE = K8S / "secrets.example.yaml"

#: Service packages in the workspace; a service owns a database when it has Alembic files.
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").is_file())
DB_SERVICES = [s for s in SERVICES if (ROOT / "services" / s / "alembic.ini").is_file()]
GATEWAY = "gateway"
#: Services the brief wants autoscaled (stateless HTTP + the submission hot path).
AUTOSCALED = ("gateway", "feedback")

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|KEY", re.IGNORECASE)
URL_CREDENTIALS = re.compile(r"://[^:/@\s]+:([^@\s]+)@")
#: Values that only make sense on one machine (the settings' defaults).
LOCAL_ONLY = re.compile(r"127\.0\.0\.1|localhost|sqlite|\[::1\]")
#: Compose interpolation without a default: ${VAR}, ${VAR?msg}, ${VAR:?msg}.
REQUIRED_INTERPOLATION = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$")

Problems = list[str]
Resource = dict[str, Any]


# --------------------------------------------------------------------------------------------
# Loading and rendering
# --------------------------------------------------------------------------------------------


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> tuple[Any, ...]:
    return tuple(doc for doc in yaml.load_all(text, Loader=_LOADER) if doc is not None)


def load_all(path: Path) -> list[Any]:
    """Every non-empty YAML document of a file (safe loader; parsed once per content)."""
    return copy.deepcopy(list(_parse(path.read_text(encoding="utf-8"))))


class RenderError(Exception):
    """A kustomization that kustomize refuses (or an image override it would silently skip)."""


def _kustomization_file(directory: Path) -> Path:
    for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        if (directory / name).is_file():
            return directory / name
    raise RenderError(f"{directory}: no kustomization.yaml")


def makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert match, f"Makefile has no {name}"
    return match.group(1)


@functools.cache
def kustomize() -> str:
    """The real kustomize at the Makefile's KUSTOMIZE_VERSION (`make install` puts it into
    .cache/tools; KUSTOMIZE names another binary of the same version)."""
    version = makefile_variable("KUSTOMIZE_VERSION")
    binary = os.environ.get("KUSTOMIZE") or str(
        ROOT / ".cache" / "tools" / f"kustomize-{version}" / "kustomize"
    )
    if not Path(binary).is_file():
        raise RenderError(f"kustomize {version} is not installed at {binary}: run make install")
    found = subprocess.run([binary, "version"], capture_output=True, text=True, check=True)
    if found.stdout.strip() != version:
        raise RenderError(f"{binary} is kustomize {found.stdout.strip()}, not {version}")
    return binary


def _split_image(image: str) -> tuple[str, str | None, str | None]:
    """name, tag, digest of an image reference."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, _, tag = name.rpartition(":")
        return name, tag, digest or None
    return name, None, digest or None


def pod_spec(resource: Resource) -> dict[str, Any] | None:
    """The pod spec of a workload, or None."""
    if resource.get("kind") not in WORKLOAD_KINDS:
        return None
    return resource.get("spec", {}).get("template", {}).get("spec")


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]


#: The Kubernetes versions the rendered manifests must be valid for: the oldest the manifests
#: promise (docs/deploy.md) and the newest whose API schemas kubernetes-validate bundles.
KUBERNETES_VERSIONS = ("1.31.0", "1.37.0")


@functools.cache
def kubernetes_validate() -> str:
    """kubernetes-validate at the Makefile's version (`make install`): the API schemas of each
    Kubernetes version, bundled in the package, so validation needs no network."""
    version = makefile_variable("KUBERNETES_VALIDATE_VERSION")
    binary = ROOT / ".cache" / "tools" / f"kubernetes-validate-{version}" / "bin"
    if not (binary / "kubernetes-validate").is_file():
        raise RenderError(f"kubernetes-validate {version} is not installed: run make install")
    return str(binary / "kubernetes-validate")


def check_schemas(resources: list[Resource], version: str, workdir: Path) -> Problems:
    """Every resource valid against the API schema of `version`, strictly (no unknown field)."""
    path = workdir / f"rendered-{version}.yaml"
    path.write_text(yaml.dump_all(resources, Dumper=_DUMPER, sort_keys=False))
    checked = subprocess.run(
        [kubernetes_validate(), "--strict", "--quiet", "--no-warn", "-k", version, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [
        line.split(" for resource ", 1)[-1]
        for line in (checked.stdout + checked.stderr).splitlines()
        if line.startswith("ERROR")
    ]
    if checked.returncode != 0 and not problems:
        problems.append(f"kubernetes-validate failed: {checked.stderr.strip()}")
    return problems


def render(directory: Path) -> list[Resource]:
    """The resources `kustomize build` makes of a kustomization. An `images:` override that
    matches no container, which kustomize skips silently, is refused too."""
    kfile = _kustomization_file(directory)
    built = subprocess.run(
        [kustomize(), "build", str(directory)], capture_output=True, text=True, check=False
    )
    if built.returncode != 0:
        raise RenderError(f"kustomize build {directory.name}: {built.stderr.strip()}")
    resources = [d for d in yaml.load_all(built.stdout, Loader=_LOADER) if d is not None]
    (k,) = load_all(kfile)
    images = {
        _split_image(c["image"])[0]
        for r in resources
        if (spec := pod_spec(r))
        for c in containers(spec)
    }
    for entry in k.get("images") or []:
        if entry.get("newName", entry["name"]) not in images:
            raise RenderError(f"{kfile}: image {entry['name']} is used by no container")
    return resources


def kustomization_dirs(k8s: Path) -> list[Path]:
    """The base and every overlay."""
    overlays = k8s / "overlays"
    found = [k8s / "base"]
    if overlays.is_dir():
        found += sorted(p for p in overlays.iterdir() if p.is_dir())
    return found


def referenced_files(directory: Path) -> set[Path]:
    """Every file a kustomization (and the ones it includes) refers to."""
    kfile = _kustomization_file(directory)
    (k,) = load_all(kfile)
    files = {kfile.resolve()}
    for entry in k.get("resources") or []:
        path = (directory / entry).resolve()
        files |= referenced_files(path) if path.is_dir() else {path}
    for entry in [*(k.get("patches") or []), *(k.get("patchesJson6902") or [])]:
        if "path" in entry:
            files.add((directory / entry["path"]).resolve())
    files |= {(directory / p).resolve() for p in k.get("patchesStrategicMerge") or []}
    return files


# --------------------------------------------------------------------------------------------
# What the settings require (derived from the settings classes)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    env: str
    reason: str
    shared: bool  # declared in kinerja_shared (the same value for every service)
    alternatives: frozenset[str] = frozenset()  # variables that may be set instead

    def met_by(self, env: set[str] | dict[str, Any]) -> bool:
        return self.env in env or bool(self.alternatives & set(env))


@dataclass
class ServiceRequirements:
    service: str
    local: dict[str, Requirement] = field(default_factory=dict)
    production: dict[str, Requirement] = field(default_factory=dict)

    def everything(self) -> list[Requirement]:
        return [*self.local.values(), *self.production.values()]


def settings_class(service: str) -> type[BaseSettings]:
    from kinerja_shared.settings import ServiceSettings

    module = importlib.import_module(f"kinerja_{service}.settings")
    found = [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, ServiceSettings)
        and cls is not ServiceSettings
        and cls.__module__ == module.__name__
    ]
    assert len(found) == 1, f"kinerja_{service}.settings: expected one ServiceSettings subclass"
    return found[0]


def env_fields(cls: type[BaseSettings]) -> Iterator[tuple[str, str, type]]:
    """(dotted field path, environment variable, declaring class) of every leaf setting."""
    prefix = cls.model_config.get("env_prefix", "") or ""
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        if inspect.isclass(annotation) and issubclass(annotation, BaseSettings):
            for sub, env, owner in env_fields(annotation):
                yield f"{name}.{sub}", env, owner
            continue
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            env = next(c for c in alias.choices if isinstance(c, str))
        elif isinstance(alias, str):
            env = alias
        else:
            env = f"{prefix}{name}"
        owner = next(c for c in cls.__mro__ if name in getattr(c, "__annotations__", {}))
        yield name, env.upper(), owner


def _value(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _dev_constants(cls: type[BaseSettings]) -> set[str]:
    """DEV_* string constants of the modules declaring the class, its bases and sub-settings."""
    modules = {c.__module__ for c in cls.__mro__}
    modules |= {owner.__module__ for _, _, owner in env_fields(cls)}
    values: set[str] = set()
    for name in modules:
        module = sys.modules.get(name) or importlib.import_module(name)
        values |= {
            v for k, v in vars(module).items() if k.startswith("DEV_") and isinstance(v, str)
        }
    return values


def _plain(value: Any) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, str):
        return value  # as it is (repr would escape the newlines of a PEM key)
    if hasattr(value, "model_dump"):
        return repr(value.model_dump())
    return repr(value)


#: A production-like key pair for settings whose default is a development PEM key or JWKS: one
#: pair, so that a private key and the public keys listed for it still belong together.
_NEUTRAL_PRIVATE_KEY, _NEUTRAL_PUBLIC_KEY = new_key_pair()
_NEUTRAL_JWKS = jwks_json([load_private_key(_NEUTRAL_PRIVATE_KEY).public_key()])


def _neutral(value: Any, annotation: Any = None) -> str:
    """A production-like environment value of the same shape as a default (for a setting
    with fixed choices, another of them)."""
    if typing.get_origin(annotation) is typing.Literal:
        return str([c for c in typing.get_args(annotation) if c != value][-1])
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list | tuple | set):
        return "[]"
    if "-----BEGIN PRIVATE KEY-----" in _plain(value):
        return _NEUTRAL_PRIVATE_KEY
    if "-----BEGIN PUBLIC KEY-----" in _plain(value):
        return _NEUTRAL_PUBLIC_KEY
    if '"keys"' in _plain(value):
        return _NEUTRAL_JWKS
    # 32 random bytes in urlsafe base64 with padding: also a valid Fernet key.
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _annotation(owner: type, path: str) -> Any:
    return owner.model_fields[path.rsplit(".", 1)[-1]].annotation  # type: ignore[attr-defined]


def _alternatives(owner: type[BaseSettings], path: str) -> frozenset[str]:
    """The variables that replace a development credential (its marker's alternatives)."""
    name = path.rsplit(".", 1)[-1]
    markers = [m for m in owner.model_fields[name].metadata if isinstance(m, DevelopmentCredential)]
    return frozenset(variable_name(owner, a) for m in markers for a in m.alternatives)


#: Environment variables of the settings, removed while deriving (so the machine's don't leak).
_SETTINGS_ENV = re.compile(r"^(KINERJA_|KAFKA_|APPRAISAL_|FEEDBACK_|REPORTING_|GATEWAY_)")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not _SETTINGS_ENV.match(k)}


def derive_requirements(
    service: str, cls: type[BaseSettings] | None = None, owns_database: bool | None = None
) -> ServiceRequirements:
    """Which environment variables a service cannot run without outside one machine.

    local: settings whose default only works on one machine (loopback addresses, SQLite files;
    the database URL only for services that own a database). production: settings whose
    development default (a DEV_* constant) the production validators refuse, found by
    constructing the settings in production with each of them left at its default.
    """
    cls = cls or settings_class(service)
    if owns_database is None:
        owns_database = service in DB_SERVICES
    result = ServiceRequirements(service)
    fields = list(env_fields(cls))
    shared_modules = ("kinerja_shared",)
    with mock.patch.dict(os.environ, _clean_env(), clear=True):
        defaults = cls()
        for path, env, owner in fields:
            value = _value(defaults, path)
            if path == "database_url" and not owns_database:
                continue  # the gateway keeps no database
            if isinstance(value, str) and LOCAL_ONLY.search(value):
                shared = owner.__module__.startswith(shared_modules)
                result.local[env] = Requirement(env, f"default {value!r}", shared)
        dev = _dev_constants(cls)
        dev_fields = [
            (path, env, owner, _value(defaults, path))
            for path, env, owner in fields
            if any(d in _plain(_value(defaults, path)) for d in dev)
        ]
        production = {"KINERJA_ENVIRONMENT": "production"}
        overrides = {env: _neutral(v, _annotation(o, p)) for p, env, o, v in dev_fields}
        with mock.patch.dict(os.environ, {**production, **overrides}):
            cls()  # everything replaced: production must start, or the derivation missed a rule
        for path, env, owner, _v in dev_fields:
            others = {k: v for k, v in overrides.items() if k != env}
            with mock.patch.dict(os.environ, {**production, **others}):
                try:
                    cls()
                except ValueError as exc:
                    shared = owner.__module__.startswith(shared_modules)
                    reason = str(exc).splitlines()[-1].strip()
                    alternatives = _alternatives(owner, path)
                    result.production[env] = Requirement(env, reason, shared, alternatives)
    return result


@functools.cache
def requirements() -> dict[str, ServiceRequirements]:
    return {s: derive_requirements(s) for s in SERVICES}


# --------------------------------------------------------------------------------------------
# Checkers (pure: documents in, problems out)
# --------------------------------------------------------------------------------------------


def service_of_image(image: str) -> str | None:
    """The Kinerja service an image belongs to (kinerja-<service>), if any."""
    name, _, _ = _split_image(image)
    match = re.fullmatch(r"kinerja-([a-z]+)", name.rsplit("/", 1)[-1])
    return match.group(1) if match else None


def _named(resources: list[Resource], kind: str) -> dict[str, Resource]:
    return {r["metadata"]["name"]: r for r in resources if r.get("kind") == kind}


def _service_deployments(resources: list[Resource]) -> dict[str, Resource]:
    """service name -> its Deployment (found by image)."""
    found: dict[str, Resource] = {}
    for r in resources:
        if r.get("kind") != "Deployment":
            continue
        for c in r["spec"]["template"]["spec"].get("containers") or []:
            service = service_of_image(c.get("image", ""))
            if service:
                found[service] = r
    return found


def _ports(container: dict[str, Any]) -> dict[str | int, int]:
    ports: dict[str | int, int] = {}
    for p in container.get("ports") or []:
        ports[p["containerPort"]] = p["containerPort"]
        if "name" in p:
            ports[p["name"]] = p["containerPort"]
    return ports


def check_probes(resources: list[Resource]) -> Problems:
    """Every Deployment container: readiness on /health/ready, liveness on /health, real port."""
    problems = []
    for name, r in _named(resources, "Deployment").items():
        for c in r["spec"]["template"]["spec"].get("containers") or []:
            ports = _ports(c)
            for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health")):
                spec = c.get(probe)
                if not spec:
                    problems.append(f"{name}/{c['name']}: no {probe}")
                    continue
                http = spec.get("httpGet") or {}
                if http.get("path") != path:
                    problems.append(f"{name}/{c['name']}: {probe} is not GET {path}")
                if http.get("port") not in ports:
                    problems.append(f"{name}/{c['name']}: {probe} port is not a container port")
    return problems


def _cpu(q: Any) -> float:
    s = str(q)
    return float(s[:-1]) / 1000 if s.endswith("m") else float(s)


_MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}


def _memory(q: Any) -> float:
    s = str(q)
    for unit, factor in _MEMORY_UNITS.items():
        if s.endswith(unit):
            return float(s[: -len(unit)]) * factor
    return float(s)


def check_resources(resources: list[Resource]) -> Problems:
    """Every workload container: cpu and memory requests and limits, requests within limits."""
    problems = []
    for r in resources:
        spec = pod_spec(r)
        for c in containers(spec) if spec else []:
            where = f"{r['kind']} {r['metadata']['name']}/{c['name']}"
            res = c.get("resources") or {}
            for part in ("requests", "limits"):
                for key in ("cpu", "memory"):
                    if key not in (res.get(part) or {}):
                        problems.append(f"{where}: no {part}.{key}")
            req, lim = res.get("requests") or {}, res.get("limits") or {}
            try:
                if "cpu" in req and "cpu" in lim and _cpu(req["cpu"]) > _cpu(lim["cpu"]):
                    problems.append(f"{where}: cpu request above its limit")
                memory = "memory" in req and "memory" in lim
                if memory and _memory(req["memory"]) > _memory(lim["memory"]):
                    problems.append(f"{where}: memory request above its limit")
            except ValueError:
                problems.append(f"{where}: unreadable resource quantity")
    return problems


def check_security_context(resources: list[Resource]) -> Problems:
    """Non-root (pod or container), no privilege escalation, read-only root, no capabilities."""
    problems = []
    for r in resources:
        spec = pod_spec(r)
        if spec is None:
            continue
        pod = spec.get("securityContext") or {}
        for c in containers(spec):
            where = f"{r['kind']} {r['metadata']['name']}/{c['name']}"
            sc = c.get("securityContext") or {}
            non_root = sc.get("runAsNonRoot", pod.get("runAsNonRoot"))
            user = sc.get("runAsUser", pod.get("runAsUser"))
            if non_root is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if user != 10001:
                problems.append(f"{where}: runAsUser is not 10001")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem is not true")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: capabilities do not drop ALL")
            if (sc.get("capabilities") or {}).get("add"):
                problems.append(f"{where}: adds capabilities")
    return problems


def image_problem(image: str | None) -> str | None:
    """Why an image reference is not pinned, or None."""
    if not image:
        return "no image"
    _, tag, digest = _split_image(image)
    if digest:
        return None
    if not tag:
        return f"{image}: no tag"
    if tag == "latest" or tag.startswith("latest-"):
        return f"{image}: tag latest"
    if "${" in tag:
        return f"{image}: tag is interpolated"
    return None


def check_images(resources: list[Resource]) -> Problems:
    """Every container image carries an exact tag (or a digest), never latest."""
    problems = []
    for r in resources:
        spec = pod_spec(r)
        for c in containers(spec) if spec else []:
            problem = image_problem(c.get("image"))
            if problem:
                problems.append(f"{r['kind']} {r['metadata']['name']}/{c['name']}: {problem}")
    return problems


def check_overlay_images(kustomization: dict[str, Any]) -> Problems:
    """A kustomization's images: transformer sets exact tags or digests."""
    problems = []
    for entry in kustomization.get("images") or []:
        if "digest" in entry:
            continue
        tag = str(entry.get("newTag", ""))
        if not tag or tag == "latest":
            problems.append(f"images: {entry.get('name')}: newTag {tag or 'missing'}")
    return problems


def _env_literal_problems(where: str, name: str, value: Any) -> Problems:
    problems = []
    if SECRET_NAME.search(name):
        problems.append(f"{where}: {name} has a literal value (use a Secret)")
    credentials = URL_CREDENTIALS.search(str(value))
    if credentials:
        problems.append(f"{where}: {name} inlines a password in a URL")
    return problems


def check_no_inlined_secrets(resources: list[Resource]) -> Problems:
    """No secret-looking literal in env or ConfigMaps, and no Secret shipped with values."""
    problems = []
    for r in resources:
        kind, name = r.get("kind"), r.get("metadata", {}).get("name")
        if kind == "Secret" and (r.get("data") or r.get("stringData")):
            problems.append(f"Secret {name}: secrets are created by the operator, not shipped")
        if kind == "ConfigMap":
            for key, value in (r.get("data") or {}).items():
                problems += _env_literal_problems(f"ConfigMap {name}", key, value)
        spec = pod_spec(r)
        for c in containers(spec) if spec else []:
            for env in c.get("env") or []:
                if "value" in env:
                    where = f"{kind} {name}/{c['name']}"
                    problems += _env_literal_problems(where, env["name"], env["value"])
    return problems


def _secret_keys(example: list[Resource]) -> dict[str, set[str]]:
    return {
        s["metadata"]["name"]: set(s.get("stringData") or {}) | set(s.get("data") or {})
        for s in example
        if s.get("kind") == "Secret"
    }


def container_env(
    resources: list[Resource], container: dict[str, Any], secret_keys: dict[str, set[str]]
) -> tuple[dict[str, str | None], Problems]:
    """name -> literal value (None when from a Secret) of a container, and broken references."""
    configmaps = _named(resources, "ConfigMap")
    env: dict[str, str | None] = {}
    problems: Problems = []
    for source in container.get("envFrom") or []:
        prefix = source.get("prefix", "")
        if "configMapRef" in source:
            ref = source["configMapRef"]["name"]
            if ref not in configmaps:
                problems.append(f"{container['name']}: ConfigMap {ref} does not exist")
                continue
            for key, value in (configmaps[ref].get("data") or {}).items():
                env[prefix + key] = str(value)
        if "secretRef" in source:
            ref = source["secretRef"]["name"]
            if ref not in secret_keys:
                problems.append(f"{container['name']}: Secret {ref} is not documented")
            env.update(dict.fromkeys((prefix + k for k in secret_keys.get(ref, ())), None))
    for item in container.get("env") or []:
        if "value" in item:
            env[item["name"]] = str(item["value"])
            continue
        source = item.get("valueFrom") or {}
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            if ref["key"] not in secret_keys.get(ref["name"], set()):
                problems.append(
                    f"{container['name']}: {item['name']} refers to {ref['name']}/{ref['key']},"
                    " which the Secrets example does not document"
                )
            env[item["name"]] = None
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            data = (configmaps.get(ref["name"]) or {}).get("data") or {}
            if ref["key"] not in data:
                problems.append(f"{container['name']}: {ref['name']}/{ref['key']} does not exist")
            env[item["name"]] = data.get(ref["key"])
        else:
            env[item["name"]] = None
    return env, problems


def check_required_env_k8s(
    resources: list[Resource],
    required: dict[str, ServiceRequirements],
    secret_keys: dict[str, set[str]],
) -> Problems:
    """Each service container (Deployment or Job) gets every variable its settings need."""
    problems = []
    seen: set[str] = set()
    for r in resources:
        spec = pod_spec(r)
        for c in containers(spec) if spec else []:
            service = service_of_image(c.get("image", ""))
            if service not in required:
                continue
            seen.add(service) if r["kind"] == "Deployment" else None
            where = f"{r['kind']} {r['metadata']['name']}/{c['name']}"
            env, broken = container_env(resources, c, secret_keys)
            problems += [f"{where}: {b}" for b in broken]
            for requirement in required[service].everything():
                if not requirement.met_by(env):
                    problems.append(
                        f"{where}: {requirement.env} is required by the settings but not set"
                    )
            for name in sorted(set(required[service].local) & set(env)):
                if env[name] is not None and LOCAL_ONLY.search(env[name]):
                    problems.append(f"{where}: {name}={env[name]} only works on one machine")
    for service in sorted(set(required) - seen):
        problems.append(f"no Deployment runs the {service} service")
    return problems


def _selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True


def _port_allowed(rule: dict[str, Any], container_ports: dict[str | int, int]) -> bool:
    ports = rule.get("ports")
    if not ports:
        return True
    numbers = set(container_ports.values())
    for p in ports:
        port = p.get("port")
        if port is None or port in numbers or container_ports.get(port) in numbers:
            return True
    return False


def check_network_policies(resources: list[Resource]) -> Problems:
    """Default deny; the gateway open on its port; services reachable only from the gateway."""
    problems = []
    deployments = _service_deployments(resources)
    pods: dict[str, tuple[dict[str, str], dict[str | int, int]]] = {}
    for service, d in deployments.items():
        template = d["spec"]["template"]
        ports: dict[str | int, int] = {}
        for c in template["spec"]["containers"]:
            ports |= _ports(c)
        pods[service] = (template["metadata"].get("labels") or {}, ports)
    other_pods = [
        r["spec"]["template"]["metadata"].get("labels") or {}
        for r in resources
        if pod_spec(r) is not None and r not in deployments.values()
    ]
    policies = [
        r
        for r in resources
        if r.get("kind") == "NetworkPolicy"
        and "Ingress" in (r["spec"].get("policyTypes") or ["Ingress"])
    ]
    if not any(
        p["spec"].get("podSelector") == {} and not p["spec"].get("ingress") for p in policies
    ):
        problems.append("no default-deny ingress NetworkPolicy (podSelector {} without rules)")
    if GATEWAY not in pods:
        return [*problems, "no gateway Deployment"]
    gateway_labels = pods[GATEWAY][0]
    for service, (labels, ports) in sorted(pods.items()):
        rules = [
            rule
            for p in policies
            if _selects(p["spec"].get("podSelector"), labels)
            for rule in p["spec"].get("ingress") or []
        ]
        if service == GATEWAY:
            if not any(not rule.get("from") and _port_allowed(rule, ports) for rule in rules):
                problems.append("gateway: no policy admits traffic from anywhere on its port")
            continue
        reachable = False
        for rule in rules:
            peers = rule.get("from")
            if not peers:
                problems.append(f"{service}: a policy admits every source")
                continue
            for peer in peers:
                if set(peer) != {"podSelector"}:
                    problems.append(f"{service}: a policy admits a namespace or address range")
                    continue
                selector = peer["podSelector"]
                others = [
                    s for s, (lab, _) in pods.items() if s != GATEWAY and _selects(selector, lab)
                ]
                others += ["a non-service pod" for lab in other_pods if _selects(selector, lab)]
                if others:
                    problems.append(f"{service}: a policy admits {', '.join(sorted(set(others)))}")
                elif _selects(selector, gateway_labels) and _port_allowed(rule, ports):
                    reachable = True
        if not reachable:
            problems.append(f"{service}: the gateway cannot reach it on its port")
    return problems


def check_autoscaling(resources: list[Resource]) -> Problems:
    """HPAs (autoscaling/v2) target existing Deployments, with sane bounds, for the hot paths."""
    problems = []
    deployments = _named(resources, "Deployment")
    by_service = _service_deployments(resources)
    targeted: set[str] = set()
    for name, hpa in _named(resources, "HorizontalPodAutoscaler").items():
        spec = hpa.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        if hpa.get("apiVersion") != "autoscaling/v2":
            problems.append(f"HPA {name}: apiVersion is not autoscaling/v2")
        if ref.get("kind") != "Deployment" or ref.get("name") not in deployments:
            problems.append(f"HPA {name}: targets {ref.get('kind')} {ref.get('name')}, not found")
            continue
        targeted.add(ref["name"])
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas", 0)
        if not 1 <= low <= high:
            problems.append(f"HPA {name}: bounds {low}..{high} are not 1 <= min <= max")
        if not spec.get("metrics"):
            problems.append(f"HPA {name}: no metrics")
        if "replicas" in deployments[ref["name"]]["spec"]:
            problems.append(f"Deployment {ref['name']}: sets replicas although an HPA scales it")
    for service in AUTOSCALED:
        d = by_service.get(service)
        if d is None or d["metadata"]["name"] not in targeted:
            problems.append(f"{service}: no HorizontalPodAutoscaler")
    return problems


def check_disruption_budgets(resources: list[Resource]) -> Problems:
    """Every Deployment is covered by a PodDisruptionBudget that still allows a drain."""
    problems = []
    pdbs = _named(resources, "PodDisruptionBudget").values()
    for name, d in _named(resources, "Deployment").items():
        labels = d["spec"]["template"]["metadata"].get("labels") or {}
        covering = [p for p in pdbs if _selects(p["spec"].get("selector"), labels)]
        if not covering:
            problems.append(f"Deployment {name}: no PodDisruptionBudget")
        for p in covering:
            minimum = p["spec"].get("minAvailable")
            replicas = d["spec"].get("replicas", 1)
            if isinstance(minimum, int) and minimum >= replicas and "replicas" in d["spec"]:
                problems.append(f"PDB {p['metadata']['name']}: minAvailable blocks every drain")
    return problems


def check_services(resources: list[Resource]) -> Problems:
    """Every Deployment has a Service whose targetPort is one of its container ports."""
    problems = []
    services = _named(resources, "Service").values()
    for name, d in _named(resources, "Deployment").items():
        template = d["spec"]["template"]
        labels = template["metadata"].get("labels") or {}
        ports: dict[str | int, int] = {}
        for c in template["spec"]["containers"]:
            ports |= _ports(c)
        matching = [
            s for s in services if _selects({"matchLabels": s["spec"].get("selector")}, labels)
        ]
        if not matching:
            problems.append(f"Deployment {name}: no Service selects it")
        for s in matching:
            for p in s["spec"].get("ports") or []:
                if p.get("targetPort", p.get("port")) not in ports:
                    problems.append(f"Service {s['metadata']['name']}: targetPort is not served")
        if d["spec"].get("selector", {}).get("matchLabels") and not _selects(
            d["spec"]["selector"], labels
        ):
            problems.append(f"Deployment {name}: selector does not match its pods")
    return problems


def check_migration_jobs(resources: list[Resource]) -> Problems:
    """A Job runs `kinerja-<service> migrate` with the service's image for each database."""
    problems = []
    commands: dict[str, list[list[str]]] = {}
    for r in resources:
        if r.get("kind") != "Job":
            continue
        for c in containers(r["spec"]["template"]["spec"]):
            service = service_of_image(c.get("image", ""))
            if service:
                argv = [*(c.get("command") or []), *(c.get("args") or [])]
                commands.setdefault(service, []).append([str(a) for a in argv])
    for service in DB_SERVICES:
        if [f"kinerja-{service}", "migrate"] not in commands.get(service, []):
            problems.append(f"no Job runs `kinerja-{service} migrate` with its image")
    for d in _named(resources, "Deployment").values():
        for c in containers(d["spec"]["template"]["spec"]):
            argv = " ".join([*(c.get("command") or []), *(c.get("args") or [])])
            if "migrate" in argv:
                problems.append(f"Deployment {d['metadata']['name']}: migrates at start")
    return problems


def check_production_mode(resources: list[Resource]) -> Problems:
    """Every Kinerja container runs in production mode, so no development credential of the
    repository is accepted in a cluster (a dev cluster included)."""
    problems = []
    for r in resources:
        spec = pod_spec(r)
        for c in containers(spec) if spec else []:
            if service_of_image(c.get("image", "")) is None:
                continue
            env, _ = container_env(resources, c, {})
            value = env.get("KINERJA_ENVIRONMENT")
            if value != "production":
                where = f"{r['kind']} {r['metadata']['name']}/{c['name']}"
                problems.append(f"{where}: KINERJA_ENVIRONMENT is {value!r}, not production")
    return problems


def check_exposure(resources: list[Resource]) -> Problems:
    """Only the gateway may be reachable from outside the cluster: every other Service is a
    ClusterIP without external addresses, and no pod takes the host's network or ports."""
    problems = []
    gateway = _service_deployments(resources).get(GATEWAY)
    gateway_labels = (gateway or {}).get("spec", {}).get("template", {}).get("metadata", {})
    for name, service in _named(resources, "Service").items():
        spec = service.get("spec") or {}
        public = spec.get("type", "ClusterIP") != "ClusterIP" or spec.get("externalIPs")
        selects_gateway = _selects(
            {"matchLabels": spec.get("selector")}, gateway_labels.get("labels") or {}
        )
        if public and not selects_gateway:
            problems.append(f"Service {name}: reachable from outside the cluster")
    for r in resources:
        spec = pod_spec(r)
        if spec is None:
            continue
        where = f"{r['kind']} {r['metadata']['name']}"
        if spec.get("hostNetwork"):
            problems.append(f"{where}: uses the host's network")
        for c in containers(spec):
            if any("hostPort" in p for p in c.get("ports") or []):
                problems.append(f"{where}/{c['name']}: publishes a host port")
    return problems


K8S_CHECKS: dict[str, Callable[[list[Resource]], Problems]] = {
    "probes": check_probes,
    "resources": check_resources,
    "security_context": check_security_context,
    "images": check_images,
    "inlined_secrets": check_no_inlined_secrets,
    "network_policies": check_network_policies,
    "autoscaling": check_autoscaling,
    "disruption_budgets": check_disruption_budgets,
    "services": check_services,
    "migration_jobs": check_migration_jobs,
    "production_mode": check_production_mode,
    "exposure": check_exposure,
}


def check_kustomizations(k8s: Path) -> Problems:
    """Every kustomization renders, every file under k8s/ is used, the Secrets example is not."""
    problems: Problems = []
    used: set[Path] = set()
    for directory in kustomization_dirs(k8s):
        try:
            used |= referenced_files(directory)
            render(directory)
        except (RenderError, KeyError, OSError) as exc:
            problems.append(f"{directory.relative_to(k8s)}: {exc}")
    for path in sorted(k8s.rglob("*.y*ml")):
        if path.resolve() == (k8s / SECRETS_EXAMPLE.name).resolve():
            if path.resolve() in used:
                problems.append(f"{path.name}: the Secrets example is part of a kustomization")
        elif path.resolve() not in used:
            problems.append(f"{path.relative_to(k8s)}: not referenced by any kustomization")
    return problems


# --- compose -----------------------------------------------------------------------------------


def _compose_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _compose_role(name: str, service: dict[str, Any]) -> tuple[str | None, bool]:
    """(Kinerja service, is a one-shot) of a compose service: a migration one-shot names its
    service; a `kinerja-events` one-shot (e.g. granting ACLs) runs no service at all."""
    build = service.get("build") or {}
    kinerja = (build.get("args") or {}).get("SERVICE") if isinstance(build, dict) else None
    kinerja = kinerja or service_of_image(service.get("image", ""))
    command = service.get("command") or []
    command = command.split() if isinstance(command, str) else command
    if command[:1] == ["kinerja-events"]:
        return None, True
    return kinerja, "migrate" in command


_LOOPBACK_PUBLISH = re.compile(r"^(\$\{[A-Za-z_][A-Za-z0-9_]*:-127\.0\.0\.1\}|127\.0\.0\.1):")


def _on_loopback_by_default(port: Any) -> bool:
    """Whether a compose port is published on 127.0.0.1 unless the operator names a host
    address (short syntax `${VAR:-127.0.0.1}:8000:8000`, or long syntax with host_ip)."""
    if isinstance(port, dict):
        return bool(_LOOPBACK_PUBLISH.match(f"{port.get('host_ip', '')}:"))
    return bool(_LOOPBACK_PUBLISH.match(str(port)))


def check_compose(
    compose: dict[str, Any], required: dict[str, ServiceRequirements], kafka_version: str
) -> Problems:
    """Kafka (KRaft, no auto-create), PostgreSQL, migrations first, env, health, restarts."""
    problems = []
    services = compose.get("services") or {}
    for name, s in services.items():
        problem = image_problem(s.get("image"))
        if problem:
            problems.append(f"compose {name}: {problem}")
    kafka = [s for s in services.values() if str(s.get("image", "")).startswith("apache/kafka:")]
    if len(kafka) != 1:
        problems.append("compose: expected one apache/kafka service")
    else:
        env = _compose_env(kafka[0])
        if kafka[0]["image"] != f"apache/kafka:{kafka_version}":
            problems.append(f"compose kafka: image is not apache/kafka:{kafka_version}")
        if str(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).lower() != "false":
            problems.append("compose kafka: topic auto-creation is not disabled")
        if {"broker", "controller"} - set(env.get("KAFKA_PROCESS_ROLES", "").split(",")):
            problems.append("compose kafka: not a KRaft broker+controller node")
        if any("ZOOKEEPER" in k for k in env):
            problems.append("compose kafka: ZooKeeper settings")
    postgres = [s for s in services.values() if str(s.get("image", "")).startswith("postgres:")]
    if len(postgres) != 1 or not re.fullmatch(
        r"postgres:16\.\d+(-[a-z0-9]+)?", postgres[0]["image"]
    ):
        problems.append("compose: expected one postgres:16.<minor> service")
    elif not any(
        str(v).endswith(":/docker-entrypoint-initdb.d:ro")
        or "/docker-entrypoint-initdb.d" in str(v)
        for v in postgres[0].get("volumes") or []
    ):
        problems.append("compose postgres: no init scripts mounted")
    roles = {name: _compose_role(name, s) for name, s in services.items()}
    migrators = {kin: name for name, (kin, mig) in roles.items() if mig and kin}
    runners = {kin: name for name, (kin, mig) in roles.items() if kin and not mig}
    for service in SERVICES:
        if service not in runners:
            problems.append(f"compose: no {service} service")
    for service in DB_SERVICES:
        migrator = migrators.get(service)
        if migrator is None:
            problems.append(f"compose: no one-shot `kinerja-{service} migrate`")
            continue
        if str(services[migrator].get("restart", "no")) != "no":
            problems.append(f"compose {migrator}: a one-shot must not restart")
        runner = runners.get(service)
        depends = (services.get(runner) or {}).get("depends_on") or {}
        if (
            not isinstance(depends, dict)
            or (depends.get(migrator) or {}).get("condition") != "service_completed_successfully"
        ):
            problems.append(f"compose {runner}: does not wait for {migrator} to complete")
    for name, s in services.items():
        kinerja, migrating = roles[name]
        if migrating:
            continue
        if not s.get("healthcheck") or s["healthcheck"].get("disable"):
            problems.append(f"compose {name}: no healthcheck")
        if s.get("restart") not in {"always", "unless-stopped", "on-failure"}:
            problems.append(f"compose {name}: no restart policy")
    for name, s in services.items():
        kinerja, _ = roles[name]
        if kinerja in required and _compose_env(s).get("KINERJA_ENVIRONMENT") != "production":
            value = _compose_env(s).get("KINERJA_ENVIRONMENT")
            problems.append(f"compose {name}: KINERJA_ENVIRONMENT is {value!r}, not production")
        published = s.get("ports") or []
        if published and kinerja != GATEWAY:
            problems.append(f"compose {name}: publishes ports; only the gateway is published")
        for port in published if kinerja == GATEWAY else []:
            if not _on_loopback_by_default(port):
                problems.append(
                    f"compose {name}: {port} is published on every interface (want "
                    "${VARIABLE:-127.0.0.1}:port:port)"
                )
    for name, s in services.items():
        env = _compose_env(s)
        for key, value in env.items():
            if SECRET_NAME.search(key) and not REQUIRED_INTERPOLATION.match(value):
                problems.append(f"compose {name}: {key} is not taken from the environment")
            credentials = URL_CREDENTIALS.search(value)
            if credentials and not REQUIRED_INTERPOLATION.match(credentials.group(1)):
                problems.append(f"compose {name}: {key} inlines a password")
        kinerja, _ = roles[name]
        if kinerja in required:
            for requirement in required[kinerja].everything():  # compose runs in production
                if not requirement.met_by(env):
                    problems.append(
                        f"compose {name}: {requirement.env} is required by the settings but not set"
                    )
            for var in sorted(set(required[kinerja].local) & set(env)):
                if LOCAL_ONLY.search(env[var]):
                    problems.append(f"compose {name}: {var}={env[var]} only works on one machine")
    return problems


# --- Dockerfile -------------------------------------------------------------------------------


def _dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def check_dockerfile(text: str, uv_version: str, python_minor: str) -> Problems:
    """Multi-stage, pinned bases and uv, locked sync, non-root runtime, health, serve only."""
    problems = []
    instructions = _dockerfile_instructions(text)
    args = {}  # ARG defaults (the global ones and the stages'), to resolve ${NAME}
    for keyword, rest in instructions:
        if keyword == "ARG" and "=" in rest:
            key, _, value = rest.partition("=")
            args.setdefault(key, value)
    stages: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions:
        if keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword, rest))
    if len(stages) < 2:
        return ["Dockerfile: not multi-stage"]
    for stage in stages:
        image = stage[0][1].split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), image)
        if image_problem(image) and not image.startswith(("builder", "runtime")):
            problems.append(f"Dockerfile FROM {image}: {image_problem(image)}")
        elif not re.fullmatch(rf"python:{re.escape(python_minor)}\.\d+-slim(-\w+)?", image):
            problems.append(f"Dockerfile FROM {image}: not an exact python:{python_minor}.x-slim")
    build = " ".join(rest for stage in stages[:-1] for k, rest in stage if k == "RUN")
    build = re.sub(r"\$\{(UV_\w+)\}", lambda m: args.get(m.group(1), m.group(0)), build)
    if not re.search(rf"uv=={re.escape(uv_version)}\b", build):
        problems.append(f"Dockerfile: uv is not pinned to {uv_version} (the Makefile's)")
    sync = re.search(r"uv sync ([^&;]*)", build)
    flags = sync.group(1).replace('"', "") if sync else ""
    for needed in ("--frozen", "--no-dev", "--package kinerja-${SERVICE}"):
        if needed not in flags:
            problems.append(f"Dockerfile: uv sync without {needed}")
    final = stages[-1]
    keywords = [k for k, _ in final]
    users = [rest for k, rest in final if k == "USER"]
    if not users or users[-1].split(":")[0] != "10001":
        problems.append("Dockerfile: the runtime does not run as uid 10001")
    copies = " ".join(rest for k, rest in final if k == "COPY")
    if "/app/.venv" not in copies or "services/${SERVICE}" not in copies:
        problems.append("Dockerfile: the runtime does not copy the venv and the service's files")
    if "EXPOSE" not in keywords:
        problems.append("Dockerfile: no EXPOSE")
    health = " ".join(rest for k, rest in final if k == "HEALTHCHECK")
    if "urllib" not in health or "/health" not in health:
        problems.append("Dockerfile: no HEALTHCHECK with urllib against /health")
    cmd = " ".join(rest for k, rest in final if k in {"CMD", "ENTRYPOINT"})
    if not re.search(
        r"uvicorn kinerja_\$\{?SERVICE\}?\.main:app --host 0\.0\.0\.0 --port \$\{?PORT", cmd
    ):
        problems.append("Dockerfile: CMD is not uvicorn kinerja_$SERVICE.main:app on $PORT")
    if "migrate" in cmd:
        problems.append("Dockerfile: the container migrates at start")
    return problems


# --------------------------------------------------------------------------------------------
# Facts of the repository the checks compare against
# --------------------------------------------------------------------------------------------


def makefile_uv_version() -> str:
    return makefile_variable("UV_VERSION")


def kafka_version() -> str:
    match = re.search(r"<kafka.version>([^<]+)<", (DEPLOY / "kafka" / "pom.xml").read_text())
    assert match, "deploy/kafka/pom.xml has no kafka.version"
    return match.group(1)


def python_minor() -> str:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    match = re.search(r">=\s*(\d+\.\d+)", spec)
    assert match
    return match.group(1)


@functools.cache
def rendered(directory: Path) -> list[Resource]:
    return render(directory)


def secret_keys(path: Path = SECRETS_EXAMPLE) -> dict[str, set[str]]:
    return _secret_keys(load_all(path))


# --------------------------------------------------------------------------------------------
# Tests of the real files
# --------------------------------------------------------------------------------------------

KUSTOMIZATIONS = kustomization_dirs(K8S)
IDS = [str(p.relative_to(K8S)) for p in KUSTOMIZATIONS]


def test_every_kustomization_renders_and_every_manifest_is_used() -> None:
    assert check_kustomizations(K8S) == []


def test_there_is_a_base_a_dev_and_a_prod_overlay() -> None:
    assert {"base", "overlays/dev", "overlays/prod"} <= set(IDS)


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=IDS)
@pytest.mark.parametrize("check", sorted(K8S_CHECKS))
def test_rendered_manifests_pass(directory: Path, check: str) -> None:
    assert K8S_CHECKS[check](rendered(directory)) == []


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=IDS)
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_rendered_manifests_match_the_kubernetes_api_schemas(
    directory: Path, version: str, tmp_path: Path
) -> None:
    assert check_schemas(rendered(directory), version, tmp_path) == []


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=IDS)
def test_rendered_manifests_set_every_required_variable(directory: Path) -> None:
    assert check_required_env_k8s(rendered(directory), requirements(), secret_keys()) == []


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=IDS)
def test_image_overrides_pin_a_tag(directory: Path) -> None:
    (k,) = load_all(_kustomization_file(directory))
    assert check_overlay_images(k) == []


def test_every_yaml_document_under_deploy_parses() -> None:
    documents = [d for p in sorted(K8S.rglob("*.y*ml")) for d in load_all(p)]
    documents += load_all(COMPOSE)
    assert documents


def test_the_secrets_example_holds_placeholders_only() -> None:
    for s in load_all(SECRETS_EXAMPLE):
        for key, value in (s.get("stringData") or {}).items():
            assert re.search(r"<[^>]+>", value), (
                f"{s['metadata']['name']}/{key} is not a placeholder"
            )


def test_overlays_size_dev_down_and_prod_up() -> None:
    def sizes(name: str) -> tuple[int, int, float]:
        resources = rendered(K8S / "overlays" / name)
        hpas = _named(resources, "HorizontalPodAutoscaler").values()
        replicas = [
            d["spec"]["replicas"]
            for d in _named(resources, "Deployment").values()
            if "replicas" in d["spec"]
        ]
        limits = [
            _memory(c["resources"]["limits"]["memory"])
            for d in _named(resources, "Deployment").values()
            for c in d["spec"]["template"]["spec"]["containers"]
        ]
        return max(replicas), max(h["spec"]["maxReplicas"] for h in hpas), max(limits)

    dev, prod = sizes("dev"), sizes("prod")
    assert dev[0] == 1
    assert dev[1] <= 2
    assert prod[0] > dev[0]
    assert prod[1] > dev[1]
    assert prod[2] > dev[2]


def test_requirements_are_derived_from_the_settings() -> None:
    found = requirements()
    assert set(found) == set(SERVICES)
    for service, req in found.items():
        assert "KAFKA_BOOTSTRAP_SERVERS" in req.local
        assert req.production["KINERJA_AUTH_JWKS"].alternatives == {"KINERJA_AUTH_JWKS_URL"}
        assert "GATEWAY_TOKEN_SIGNING_KEY" not in req.production  # optional: off when not set
        assert req.production["KAFKA_SECURITY_PROTOCOL"].shared  # production refuses PLAINTEXT
        assert req.production["KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS"].shared
        assert ("GATEWAY_ASSERTION_PRIVATE_KEY" in req.production) == (service == GATEWAY)
        assert f"{service.upper()}_HOST" in req.local
        assert (f"{service.upper()}_DATABASE_URL" in req.local) == (service in DB_SERVICES)


def test_compose_file_passes() -> None:
    (compose,) = load_all(COMPOSE)
    assert check_compose(compose, requirements(), kafka_version()) == []


def test_postgres_init_creates_one_database_per_service() -> None:
    sql = " ".join(p.read_text() for p in sorted((DEPLOY / "postgres" / "init").glob("*.sql")))
    created = set(re.findall(r"CREATE DATABASE\s+\"?(\w+)", sql, re.IGNORECASE))
    assert created == set(DB_SERVICES)
    (compose,) = load_all(COMPOSE)
    urls = {
        v
        for s in compose["services"].values()
        for k, v in _compose_env(s).items()
        if k.endswith("_DATABASE_URL")
    }
    assert {u.rsplit("/", 1)[-1] for u in urls} == set(DB_SERVICES)


def test_compose_gateway_points_at_the_services_ports() -> None:
    (compose,) = load_all(COMPOSE)
    services = compose["services"]
    roles = {_compose_role(n, s): n for n, s in services.items()}
    gateway_env = _compose_env(services[roles[(GATEWAY, False)]])
    for service in SERVICES:
        if service == GATEWAY:
            continue
        name = roles[(service, False)]
        port = _compose_env(services[name])["PORT"]
        assert gateway_env[f"GATEWAY_{service.upper()}_URL"] == f"http://{name}:{port}"


def test_dockerfile_passes() -> None:
    assert check_dockerfile(DOCKERFILE.read_text(), makefile_uv_version(), python_minor()) == []


def cli_commands(path: Path) -> set[str]:
    """Names of the typer commands a CLI module declares (read, not imported)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            call = deco if isinstance(deco, ast.Call) else None
            target = call.func if call else deco
            if isinstance(target, ast.Attribute) and target.attr == "command":
                explicit = [
                    a.value for a in (call.args if call else []) if isinstance(a, ast.Constant)
                ]
                names.add(str(explicit[0]) if explicit else node.name.replace("_", "-"))
    return names


@pytest.mark.parametrize("service", DB_SERVICES)
def test_each_migrated_service_has_a_console_script_with_migrate(service: str) -> None:
    package = ROOT / "services" / service
    project = tomllib.loads((package / "pyproject.toml").read_text())
    script = project["project"]["scripts"].get(f"kinerja-{service}")
    assert script == f"kinerja_{service}.cli:app"
    cli = package / "src" / f"kinerja_{service}" / "cli.py"
    assert "migrate" in cli_commands(cli), f"kinerja-{service} has no migrate command"


def test_cli_reader_sees_commands(tmp_path: Path) -> None:
    cli = tmp_path / "cli.py"
    cli.write_text(
        "@app.command()\ndef migrate(): ...\n@app.command('seed-demo')\ndef s(): ...\n"
        "def helper(): ...\n"
    )
    assert cli_commands(cli) == {"migrate", "seed-demo"}


# --------------------------------------------------------------------------------------------
# Each checker catches a deliberately broken copy of the real files
# --------------------------------------------------------------------------------------------


def _edit_docs(path: Path, kind: str, name: str, edit: Callable[[Resource], None]) -> None:
    docs = load_all(path)
    hits = [d for d in docs if d.get("kind") == kind and d["metadata"]["name"] == name]
    assert hits, f"{kind} {name} not in {path}"
    for d in hits:
        edit(d)
    path.write_text(yaml.dump_all(docs, Dumper=_DUMPER, sort_keys=False))


def _container(d: Resource) -> dict[str, Any]:
    return d["spec"]["template"]["spec"]["containers"][0]


def _drop_env(var: str) -> Callable[[Resource], None]:
    def edit(d: Resource) -> None:
        c = _container(d)
        c["env"] = [e for e in c["env"] if e["name"] != var]

    return edit


def _set(path: str, value: Any) -> Callable[[Resource], None]:
    def edit(d: Resource) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return edit


_DELETE = object()


def _pod_may_run_as_root(d: Resource) -> None:
    d["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] = False
    del _container(d)["securityContext"]["runAsNonRoot"]


_C = "spec.template.spec.containers.0"

#: (id, file under base/, kind, name, edit, checker, expected fragment of a problem)
K8S_BREAKAGES: list[tuple[str, str, str, str, Callable[[Resource], None], str, str]] = [
    (
        "no-readiness",
        "gateway.yaml",
        "Deployment",
        "kinerja-gateway",
        _set(f"{_C}.readinessProbe", _DELETE),
        "probes",
        "no readinessProbe",
    ),
    (
        "no-liveness",
        "feedback.yaml",
        "Deployment",
        "kinerja-feedback",
        _set(f"{_C}.livenessProbe", _DELETE),
        "probes",
        "no livenessProbe",
    ),
    (
        "readiness-wrong-path",
        "reporting.yaml",
        "Deployment",
        "kinerja-reporting",
        _set(f"{_C}.readinessProbe.httpGet.path", "/"),
        "probes",
        "GET /health/ready",
    ),
    (
        "no-limits",
        "appraisal.yaml",
        "Deployment",
        "kinerja-appraisal",
        _set(f"{_C}.resources.limits", _DELETE),
        "resources",
        "no limits.cpu",
    ),
    (
        "request-above-limit",
        "appraisal.yaml",
        "Deployment",
        "kinerja-appraisal",
        _set(f"{_C}.resources.requests.memory", "2Gi"),
        "resources",
        "memory request above",
    ),
    (
        "root-user",
        "gateway.yaml",
        "Deployment",
        "kinerja-gateway",
        _set(f"{_C}.securityContext.runAsUser", 0),
        "security_context",
        "runAsUser",
    ),
    (
        "no-security-context",
        "migrations.yaml",
        "Job",
        "kinerja-feedback-migrate",
        _set(f"{_C}.securityContext", _DELETE),
        "security_context",
        "allowPrivilegeEscalation",
    ),
    (
        "pod-may-run-as-root",
        "reporting.yaml",
        "Deployment",
        "kinerja-reporting",
        _pod_may_run_as_root,
        "security_context",
        "runAsNonRoot",
    ),
    (
        "writable-root",
        "feedback.yaml",
        "Deployment",
        "kinerja-feedback",
        _set(f"{_C}.securityContext.readOnlyRootFilesystem", False),
        "security_context",
        "readOnlyRootFilesystem",
    ),
    (
        "latest-image",
        "gateway.yaml",
        "Deployment",
        "kinerja-gateway",
        _set(f"{_C}.image", "ghcr.io/kota-denpasar/kinerja-gateway:latest"),
        "images",
        "latest",
    ),
    (
        "untagged-image",
        "migrations.yaml",
        "Job",
        "kinerja-appraisal-migrate",
        _set(f"{_C}.image", "ghcr.io/kota-denpasar/kinerja-appraisal"),
        "images",
        "no tag",
    ),
    (
        "inlined-signing-key",
        "gateway.yaml",
        "Deployment",
        "kinerja-gateway",
        lambda d: _container(d)["env"].append(
            {"name": "GATEWAY_TOKEN_SIGNING_KEY", "value": "-----BEGIN PRIVATE KEY-----"}
        ),
        "inlined_secrets",
        "literal value",
    ),
    (
        "password-in-configmap-url",
        "configmap.yaml",
        "ConfigMap",
        "kinerja-config",
        _set("data.KAFKA_BOOTSTRAP_SERVERS", "sasl://user:hunter2@kafka:9092"),
        "inlined_secrets",
        "password in a URL",
    ),
    (
        "services-open-to-everyone",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "kinerja-feedback-from-gateway",
        _set("spec.ingress.0.from", _DELETE),
        "network_policies",
        "admits every source",
    ),
    (
        "service-open-to-other-service",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "kinerja-reporting-from-gateway",
        _set("spec.ingress.0.from.0.podSelector", {}),
        "network_policies",
        "admits",
    ),
    (
        "service-open-to-namespace",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "kinerja-appraisal-from-gateway",
        lambda d: d["spec"]["ingress"][0]["from"].append({"namespaceSelector": {}}),
        "network_policies",
        "namespace or address range",
    ),
    (
        "no-default-deny",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "default-deny-ingress",
        _set("spec.podSelector", {"matchLabels": {"x": "y"}}),
        "network_policies",
        "default-deny",
    ),
    (
        "gateway-closed",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "kinerja-gateway-ingress",
        _set("spec.ingress.0.ports.0.port", 9999),
        "network_policies",
        "gateway: no policy",
    ),
    (
        "gateway-cannot-reach-service",
        "networkpolicy.yaml",
        "NetworkPolicy",
        "kinerja-appraisal-from-gateway",
        _set("spec.ingress.0.ports.0.port", 9999),
        "network_policies",
        "cannot reach",
    ),
    (
        "hpa-missing-target",
        "feedback.yaml",
        "HorizontalPodAutoscaler",
        "kinerja-feedback",
        _set("spec.scaleTargetRef.name", "kinerja-nothing"),
        "autoscaling",
        "not found",
    ),
    (
        "hpa-bad-bounds",
        "gateway.yaml",
        "HorizontalPodAutoscaler",
        "kinerja-gateway",
        _set("spec.minReplicas", 9),
        "autoscaling",
        "bounds",
    ),
    (
        "hpa-and-replicas",
        "gateway.yaml",
        "Deployment",
        "kinerja-gateway",
        _set("spec.replicas", 3),
        "autoscaling",
        "sets replicas",
    ),
    (
        "pdb-selects-nothing",
        "reporting.yaml",
        "PodDisruptionBudget",
        "kinerja-reporting",
        _set("spec.selector.matchLabels", {"app.kubernetes.io/name": "nobody"}),
        "disruption_budgets",
        "no PodDisruptionBudget",
    ),
    (
        "service-wrong-port",
        "appraisal.yaml",
        "Service",
        "kinerja-appraisal",
        _set("spec.ports.0.targetPort", 9999),
        "services",
        "targetPort",
    ),
    (
        "job-without-migrate",
        "migrations.yaml",
        "Job",
        "kinerja-reporting-migrate",
        _set(f"{_C}.command", ["kinerja-reporting", "serve"]),
        "migration_jobs",
        "migrate",
    ),
    (
        "development-mode",
        "configmap.yaml",
        "ConfigMap",
        "kinerja-config",
        _set("data.KINERJA_ENVIRONMENT", "development"),
        "production_mode",
        "not production",
    ),
    (
        "service-node-port",
        "reporting.yaml",
        "Service",
        "kinerja-reporting",
        _set("spec.type", "NodePort"),
        "exposure",
        "reachable from outside",
    ),
    (
        "host-port",
        "appraisal.yaml",
        "Deployment",
        "kinerja-appraisal",
        _set(f"{_C}.ports.0.hostPort", 8001),
        "exposure",
        "host port",
    ),
    (
        "deployment-migrates",
        "appraisal.yaml",
        "Deployment",
        "kinerja-appraisal",
        _set(f"{_C}.args", ["migrate"]),
        "migration_jobs",
        "migrates at start",
    ),
]


@pytest.fixture
def k8s_copy(tmp_path: Path) -> Path:
    target = tmp_path / "k8s"
    shutil.copytree(K8S, target)
    return target


@pytest.mark.parametrize(
    ("file", "kind", "name", "edit", "check", "expected"),
    [b[1:] for b in K8S_BREAKAGES],
    ids=[b[0] for b in K8S_BREAKAGES],
)
def test_k8s_checker_catches_a_broken_manifest(
    k8s_copy: Path,
    file: str,
    kind: str,
    name: str,
    edit: Callable[[Resource], None],
    check: str,
    expected: str,
) -> None:
    assert K8S_CHECKS[check](render(k8s_copy / "base")) == []
    _edit_docs(k8s_copy / "base" / file, kind, name, edit)
    problems = K8S_CHECKS[check](render(k8s_copy / "base"))
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("var", "how"),
    [
        ("APPRAISAL_DATABASE_URL", "drop"),
        ("KINERJA_AUTH_JWKS", "drop"),
        ("FEEDBACK_HASH_KEY", "drop"),
        ("KAFKA_BOOTSTRAP_SERVERS", "local"),
    ],
)
def test_required_env_checker_catches_a_missing_variable(
    k8s_copy: Path, var: str, how: str
) -> None:
    if how == "drop":
        service = "appraisal" if var.startswith(("APPRAISAL", "KINERJA")) else "feedback"
        _edit_docs(
            k8s_copy / "base" / f"{service}.yaml",
            "Deployment",
            f"kinerja-{service}",
            _drop_env(var),
        )
        expected = f"{var} is required"
    else:
        _edit_docs(
            k8s_copy / "base" / "configmap.yaml",
            "ConfigMap",
            "kinerja-config",
            _set(f"data.{var}", "127.0.0.1:19092"),
        )
        expected = "only works on one machine"
    problems = check_required_env_k8s(render(k8s_copy / "base"), requirements(), secret_keys())
    assert any(expected in p and var in p for p in problems), problems


def test_required_env_checker_catches_an_undocumented_secret(k8s_copy: Path) -> None:
    docs = [d for d in load_all(SECRETS_EXAMPLE) if d["metadata"]["name"] != "kinerja-auth"]
    example = k8s_copy / "secrets.example.yaml"
    example.write_text(yaml.dump_all(docs, Dumper=_DUMPER, sort_keys=False))
    problems = check_required_env_k8s(rendered(K8S / "base"), requirements(), secret_keys(example))
    assert any("does not document" in p for p in problems), problems


#: A development default of the probe settings below (found like the services' DEV_* keys).
DEV_PROBE_TOKEN = "kinerja-dev-probe-token"


def test_requirement_derivation_sees_a_new_required_setting() -> None:
    from pydantic import Field
    from pydantic_settings import SettingsConfigDict

    from kinerja_shared.settings import ServiceSettings

    class ProbeSettings(ServiceSettings):
        service_name = "probe"
        model_config = SettingsConfigDict(env_prefix="PROBE_", extra="ignore")
        broker_url: str = "http://localhost:9999"
        api_token: typing.Annotated[SecretStr, DevelopmentCredential()] = Field(
            default=SecretStr(DEV_PROBE_TOKEN)
        )

    found = derive_requirements("probe", cls=ProbeSettings, owns_database=True)
    assert {"PROBE_BROKER_URL", "PROBE_DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"} <= set(found.local)
    assert {
        "PROBE_API_TOKEN",
        "KINERJA_AUTH_JWKS",
        "KAFKA_SECURITY_PROTOCOL",
        "KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS",
    } == set(found.production)
    assert not found.production["PROBE_API_TOKEN"].shared
    assert found.production["KINERJA_AUTH_JWKS"].shared


COMPOSE_BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "kafka-latest",
        lambda c: c["services"]["kafka"].update(image="apache/kafka:latest"),
        "latest",
    ),
    (
        "kafka-auto-create",
        lambda c: c["services"]["kafka"]["environment"].update(
            KAFKA_AUTO_CREATE_TOPICS_ENABLE="true"
        ),
        "auto-creation",
    ),
    (
        "kafka-not-kraft",
        lambda c: c["services"]["kafka"]["environment"].update(KAFKA_PROCESS_ROLES="broker"),
        "KRaft",
    ),
    (
        "postgres-floating",
        lambda c: c["services"]["postgres"].update(image="postgres:16"),
        "postgres:16.<minor>",
    ),
    (
        "service-skips-migrations",
        lambda c: c["services"]["feedback"]["depends_on"].pop("feedback-migrate"),
        "does not wait for feedback-migrate",
    ),
    (
        "migrations-restart",
        lambda c: c["services"]["reporting-migrate"].update(restart="always"),
        "must not restart",
    ),
    ("no-migrations", lambda c: c["services"].pop("appraisal-migrate"), "no one-shot"),
    ("no-healthcheck", lambda c: c["services"]["gateway"].pop("healthcheck"), "no healthcheck"),
    ("no-restart", lambda c: c["services"]["appraisal"].pop("restart"), "no restart policy"),
    (
        "inlined-signing-key",
        lambda c: c["services"]["gateway"]["environment"].update(GATEWAY_TOKEN_SIGNING_KEY="pem"),
        "not taken from the environment",
    ),
    (
        "secret-with-default",
        lambda c: c["services"]["gateway"]["environment"].update(
            GATEWAY_TOKEN_SIGNING_KEY="${GATEWAY_TOKEN_SIGNING_KEY:-pem}"
        ),
        "not taken from the environment",
    ),
    (
        "password-in-url",
        lambda c: c["services"]["reporting"]["environment"].update(
            REPORTING_DATABASE_URL="postgresql+asyncpg://kinerja:hunter2@postgres:5432/reporting"
        ),
        "inlines a password",
    ),
    (
        "missing-database-url",
        lambda c: c["services"]["appraisal"]["environment"].pop("APPRAISAL_DATABASE_URL"),
        "APPRAISAL_DATABASE_URL is required",
    ),
    (
        "missing-upstream",
        lambda c: c["services"]["gateway"]["environment"].pop("GATEWAY_REPORTING_URL"),
        "GATEWAY_REPORTING_URL is required",
    ),
    (
        "local-kafka",
        lambda c: c["services"]["feedback"]["environment"].update(
            KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:19092"
        ),
        "only works on one machine",
    ),
    (
        "development-mode",
        lambda c: c["services"]["appraisal"]["environment"].update(
            KINERJA_ENVIRONMENT="development"
        ),
        "not production",
    ),
    (
        "mode-from-the-host",
        lambda c: c["services"]["gateway"]["environment"].update(
            KINERJA_ENVIRONMENT="${KINERJA_ENVIRONMENT:-development}"
        ),
        "not production",
    ),
    (
        "missing-contact-keys",
        lambda c: c["services"]["feedback"]["environment"].pop("FEEDBACK_CONTACT_KEYS"),
        "FEEDBACK_CONTACT_KEYS is required",
    ),
    (
        "missing-app-keys",
        lambda c: c["services"]["gateway"]["environment"].pop("GATEWAY_APP_KEYS"),
        "GATEWAY_APP_KEYS is required",
    ),
    (
        "kafka-published",
        lambda c: c["services"]["kafka"].update(ports=["127.0.0.1:19092:19092"]),
        "only the gateway is published",
    ),
    (
        "service-published",
        lambda c: c["services"]["feedback"].update(ports=["127.0.0.1:8002:8002"]),
        "only the gateway is published",
    ),
    (
        "gateway-on-every-interface",
        lambda c: c["services"]["gateway"].update(ports=["8000:8000"]),
        "every interface",
    ),
    (
        "gateway-on-a-fixed-public-address",
        lambda c: c["services"]["gateway"].update(ports=["0.0.0.0:8000:8000"]),
        "every interface",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [b[1:] for b in COMPOSE_BREAKAGES], ids=[b[0] for b in COMPOSE_BREAKAGES]
)
def test_compose_checker_catches_a_broken_file(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    (compose,) = load_all(COMPOSE)
    for s in compose["services"].values():  # resolve the YAML anchors into plain copies
        if isinstance(s.get("environment"), dict):
            s["environment"] = dict(s["environment"])
        if isinstance(s.get("depends_on"), dict):
            s["depends_on"] = dict(s["depends_on"])
    edit(compose)
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.dump(compose, Dumper=_DUMPER, sort_keys=False))
    (reloaded,) = load_all(broken)
    problems = check_compose(reloaded, requirements(), kafka_version())
    assert any(expected in p for p in problems), problems


DOCKERFILE_BREAKAGES: list[tuple[str, str, str, str]] = [
    ("single-stage", "AS runtime", "AS builder2", "multi-stage"),
    ("latest-python", "python:3.11.14-slim-bookworm", "python:latest", "latest"),
    ("floating-python", "python:3.11.14-slim-bookworm", "python:3.11-slim", "exact"),
    ("unpinned-uv", '"uv==${UV_VERSION}"', "uv", "not pinned"),
    ("unlocked-sync", "uv sync --frozen", "uv sync", "--frozen"),
    ("dev-deps", "--no-dev ", "", "--no-dev"),
    ("root-runtime", "USER 10001:10001", "USER root", "uid 10001"),
    ("no-healthcheck", "HEALTHCHECK ", "# HEALTHCHECK ", "HEALTHCHECK"),
    ("migrates-at-start", "exec uvicorn", "kinerja-${SERVICE} migrate && exec uvicorn", "migrates"),
    (
        "no-alembic-files",
        "COPY --from=builder --chown=root:root /app/services/${SERVICE}",
        "#",
        "copy",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [b[1:] for b in DOCKERFILE_BREAKAGES],
    ids=[b[0] for b in DOCKERFILE_BREAKAGES],
)
def test_dockerfile_checker_catches_a_broken_file(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = DOCKERFILE.read_text()
    assert old in text
    broken = tmp_path / "Dockerfile"
    if expected == "multi-stage":  # collapse to the runtime stage alone
        text = text[text.index("FROM ${PYTHON_IMAGE} AS runtime") :]
        text = "ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm\n" + text
    else:
        text = text.replace(old, new)
    broken.write_text(text)
    problems = check_dockerfile(broken.read_text(), makefile_uv_version(), python_minor())
    assert any(expected in p for p in problems), problems


KUSTOMIZE_BREAKAGES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "missing-resource",
        lambda k: (k / "base" / "reporting.yaml").unlink(),
        "reporting.yaml: no such file or directory",
    ),
    (
        "missing-patch",
        lambda k: (k / "overlays" / "prod" / "hpa-gateway.yaml").unlink(),
        "hpa-gateway.yaml: no such file or directory",
    ),
    (
        "orphan-manifest",
        lambda k: (k / "base" / "extra.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
        ),
        "not referenced",
    ),
    (
        "secrets-example-included",
        lambda k: (k / "base" / "kustomization.yaml").write_text(
            (k / "base" / "kustomization.yaml").read_text() + "  - ../secrets.example.yaml\n"
        ),
        "Secrets example",
    ),
    (
        "patch-matches-nothing",
        lambda k: (k / "overlays" / "dev" / "configmap.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothing\ndata: {}\n"
        ),
        "no resource matches strategic merge patch",
    ),
    (
        "image-override-unused",
        lambda k: (k / "overlays" / "prod" / "kustomization.yaml").write_text(
            (k / "overlays" / "prod" / "kustomization.yaml")
            .read_text()
            .replace("kinerja-reporting\n    newTag", "kinerja-reportin\n    newTag")
        ),
        "used by no container",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [b[1:] for b in KUSTOMIZE_BREAKAGES],
    ids=[b[0] for b in KUSTOMIZE_BREAKAGES],
)
def test_kustomization_checker_catches_a_broken_tree(
    k8s_copy: Path, edit: Callable[[Path], None], expected: str
) -> None:
    assert check_kustomizations(k8s_copy) == []
    edit(k8s_copy)
    problems = check_kustomizations(k8s_copy)
    assert any(expected in p for p in problems), problems


def test_the_real_kustomize_at_the_pinned_version_renders() -> None:
    assert Path(kustomize()).is_file()
    assert {r["kind"] for r in rendered(K8S / "overlays" / "prod")} >= {
        "Deployment",
        "Job",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
    }


def test_the_local_images_stand_in_for_the_registry_ones_at_the_same_versions() -> None:
    (local,) = load_all(DEPLOY / "compose.local-images.yaml")
    (compose,) = load_all(COMPOSE)
    made = subprocess.run(
        [str(DEPLOY / "local-images" / "build.sh"), "names"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = dict(line.split("=", 1) for line in made.split())
    assert set(local["services"]) == {"kafka", "postgres"} <= set(compose["services"])
    assert local["services"]["kafka"]["image"] == names["KAFKA_IMAGE"]
    assert local["services"]["kafka"]["image"].endswith(f":{kafka_version()}")
    assert compose["services"]["kafka"]["image"].endswith(f":{kafka_version()}")
    assert local["services"]["postgres"]["image"] == names["POSTGRES_IMAGE"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_set(f"{_C}.ports.0.containerPort", "http"), "is not of type 'integer'"),
        (_set(f"{_C}.readinesProbe", {}), "'readinesProbe' was unexpected"),
        (_set(f"{_C}.name", _DELETE), "'name' is a required property"),
    ],
    ids=["wrong-type", "unknown-field", "missing-required"],
)
def test_schema_checker_catches_an_invalid_manifest(
    k8s_copy: Path, tmp_path: Path, edit: Callable[[Resource], None], expected: str
) -> None:
    _edit_docs(k8s_copy / "base" / "appraisal.yaml", "Deployment", "kinerja-appraisal", edit)
    problems = check_schemas(render(k8s_copy / "base"), KUBERNETES_VERSIONS[0], tmp_path)
    assert any("kinerja-appraisal" in p and expected in p for p in problems), problems


def test_overlay_image_checker_catches_latest() -> None:
    assert check_overlay_images({"images": [{"name": "x", "newTag": "latest"}]})
    assert check_overlay_images({"images": [{"name": "x"}]})
