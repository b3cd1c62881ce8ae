"""How every aiokafka client connects: the one place that turns KafkaSettings into options.

Producers, consumers and admin clients alike are built as
`AIOKafkaConsumer(*topics, **client_options(settings), group_id=...)`, so the bootstrap
servers, the security protocol and the principal are never set anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka.helpers import create_ssl_context

from kinerja_shared.settings import KafkaSettings


class KafkaClientSettingsError(ValueError):
    """Settings no client can connect with (e.g. SASL without a username)."""


def client_options(settings: KafkaSettings) -> dict[str, Any]:
    """The connection options of an aiokafka producer, consumer or admin client."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol.startswith("SASL_"):
        password = settings.password.get_secret_value() if settings.password else ""
        if not settings.username or not password:
            raise KafkaClientSettingsError(
                f"KAFKA_SECURITY_PROTOCOL={settings.security_protocol} needs a username and a"
                " password: KAFKA_USERNAME and KAFKA_PASSWORD, or the service's own"
                " <SERVICE>_KAFKA_USERNAME and <SERVICE>_KAFKA_PASSWORD"
            )
        options |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": settings.username,
            "sasl_plain_password": password,
        }
    if settings.security_protocol == "SASL_SSL":
        cafile = str(settings.ssl_cafile) if settings.ssl_cafile else None
        options["ssl_context"] = create_ssl_context(cafile=cafile)
    return options


def read_credentials_file(path: Path) -> dict[str, str]:
    """The variables of a local broker's credentials file (`NAME=value` lines, written by
    deploy/kafka/broker.sh): KAFKA_* for the admin, <PRINCIPAL>_KAFKA_* for the others."""
    variables: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            variables[name.strip()] = value.strip()
    return variables
