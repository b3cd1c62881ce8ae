"""The mode a process runs in (KINERJA_ENVIRONMENT) and the development credentials it allows.

`development` and `test` run on one machine with the credentials published in this
repository: the settings marked `DevelopmentCredential` default to them (the development
token keys and JWKS, app key, OAuth2 client, contact and hash keys, gateway assertion keys,
Kafka without authentication). `production` refuses every one of them and stops start-up
naming each marked setting it was not given. The value is normalised (case, surrounding
spaces); anything else (`prod`, a typo) stops start-up, so a misspelt production never runs
on development credentials. `ServiceSettings` is the one place that applies this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator
from pydantic_settings import BaseSettings

VARIABLE = "KINERJA_ENVIRONMENT"


class Environment(StrEnum):
    """Where a process runs."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"

    @property
    def allows_development_credentials(self) -> bool:
        """Whether the credentials published in this repository may be used."""
        return self is not Environment.PRODUCTION


def parse_environment(value: object) -> Environment:
    """An environment from its name in any case and with surrounding spaces; ValueError naming
    KINERJA_ENVIRONMENT and the allowed values otherwise."""
    if isinstance(value, Environment):
        return value
    try:
        return Environment(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(e.value for e in Environment)
        raise ValueError(f"{VARIABLE} must be one of {allowed}; got {value!r}") from None


#: A settings field holding the environment (normalised and validated).
EnvironmentName = Annotated[Environment, BeforeValidator(parse_environment)]


def current_environment() -> Environment:
    """The environment of this process as KINERJA_ENVIRONMENT names it (development when
    unset), for code that holds no settings (e.g. tests' development tokens)."""
    return parse_environment(os.environ.get(VARIABLE, Environment.DEVELOPMENT))


@dataclass(frozen=True)
class DevelopmentCredential:
    """Marks a setting (`Annotated[..., DevelopmentCredential()]`) whose default is a
    development credential: production refuses that default and refuses to start when the
    setting is not set, unless it is optional (it is then off: None) or one of its
    `alternatives` (other fields of the same settings) is set instead. `hint` says how to
    make one of its own."""

    required: bool = True
    alternatives: tuple[str, ...] = ()
    hint: str = ""


def variable_name(settings: type[BaseSettings], field: str) -> str:
    """The environment variable a settings field is read from."""
    info = settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        first = next((c for c in alias.choices if isinstance(c, str)), None)
        if first:
            return first.upper()
    if isinstance(alias, str):
        return alias.upper()
    return f"{settings.model_config.get('env_prefix') or ''}{field}".upper()


def _marker(settings: type[BaseModel], field: str) -> DevelopmentCredential | None:
    return next(
        (m for m in settings.model_fields[field].metadata if isinstance(m, DevelopmentCredential)),
        None,
    )


def development_credentials(settings: BaseSettings) -> list[tuple[BaseSettings, str]]:
    """(settings object, field) of every development credential of settings and of the
    settings nested in them."""
    found: list[tuple[BaseSettings, str]] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, BaseSettings):
            found += development_credentials(value)
        elif _marker(type(settings), name) is not None:
            found.append((settings, name))
    return found


def refuse_development_credentials(settings: BaseSettings) -> None:
    """Apply production's rule to settings and the settings nested in them: an optional
    credential not set is turned off (None); a required one not set, or set to the
    development value, is a problem. ValueError naming every variable at fault."""
    problems: list[str] = []
    for owner, name in development_credentials(settings):
        cls = type(owner)
        marker = _marker(cls, name)
        assert marker is not None
        variable = variable_name(cls, name)
        default: Any = cls.model_fields[name].get_default(call_default_factory=True)
        if name in owner.model_fields_set:
            if getattr(owner, name) == default and default is not None:
                problems.append(
                    f"{variable}: the development value (published in the repository)"
                    + (f"; {marker.hint}" if marker.hint else "")
                )
            continue
        if any(alternative in owner.model_fields_set for alternative in marker.alternatives):
            continue
        if not marker.required:
            setattr(owner, name, None)
            continue
        instead = [variable_name(cls, alternative) for alternative in marker.alternatives]
        problems.append(
            f"{variable}: not set"
            + (f" (nor {' nor '.join(instead)})" if instead else "")
            + (f"; {marker.hint}" if marker.hint else "")
        )
    if problems:
        raise ValueError(
            "production needs settings of its own, never the development ones published in "
            "the repository:\n  " + "\n  ".join(problems)
        )
