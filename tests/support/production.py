"""Settings as production would have them: every secret of its own, nothing from this machine.

`production_environment()` gives the environment variables a deployment sets (fresh keys
each time, none of the development credentials published in this repository);
`clear_settings_environment` removes the settings variables of the machine running the tests
(`make test` exports Kafka credentials), so a test sees only what it sets.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from cryptography.fernet import Fernet

from kinerja_shared.gateway_keys import new_key_pair
from kinerja_shared.token_keys import new_signing_key

#: The prefixes of every settings variable (kinerja_shared.settings and the services').
SETTINGS_VARIABLE = re.compile(
    r"^(KINERJA_|KAFKA_|APPRAISAL_|FEEDBACK_|REPORTING_|WEBHOOKS_|GATEWAY_)"
)

#: What each service needs in production beyond the shared secrets (variable names).
SHARED_SECRETS = (
    "KINERJA_AUTH_JWKS",
    "KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS",
    "KAFKA_SECURITY_PROTOCOL",
)
OWN_SECRETS = {
    "appraisal": (),
    "feedback": ("FEEDBACK_CONTACT_KEYS", "FEEDBACK_HASH_KEY"),
    "reporting": (),
    "webhooks": ("WEBHOOKS_SECRET_KEYS",),
    "gateway": ("GATEWAY_ASSERTION_PRIVATE_KEY", "GATEWAY_APP_KEYS", "GATEWAY_OAUTH_CLIENTS"),
}


def clear_settings_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every settings variable of this machine for the test."""
    for name in list(os.environ):
        if SETTINGS_VARIABLE.match(name):
            monkeypatch.delenv(name)


def own_jwks() -> str:
    """The JWKS of a fresh key (not the development one)."""
    return new_signing_key()[1]


def production_environment() -> dict[str, str]:
    """Every variable the five services need in production, with fresh values of their own."""
    private, public = new_key_pair()
    return {
        "KINERJA_ENVIRONMENT": "production",
        "KINERJA_AUTH_JWKS": own_jwks(),
        "KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS": public,
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "FEEDBACK_CONTACT_KEYS": Fernet.generate_key().decode(),
        "FEEDBACK_HASH_KEY": Fernet.generate_key().decode(),
        "WEBHOOKS_SECRET_KEYS": Fernet.generate_key().decode(),
        "GATEWAY_ASSERTION_PRIVATE_KEY": private,
        "GATEWAY_APP_KEYS": json.dumps({"mobile": "ab" * 32}),
        "GATEWAY_OAUTH_CLIENTS": "{}",
    }
