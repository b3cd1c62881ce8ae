"""Reading what really reached Kafka, and connecting as one of the broker's principals.

Every client here is built through kinerja_shared.kafka_client.client_options. Test clients
connect as the broker's admin (the conftest exports its credentials as KAFKA_USERNAME and
KAFKA_PASSWORD); `as_principal` gives the settings of another principal.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.kafka_client import client_options, read_credentials_file
from kinerja_shared.settings import KafkaSettings

#: The variables of the test broker's credentials file (deploy/kafka/broker.sh), once known.
BROKER_CREDENTIALS: dict[str, str] = {}
#: A service's own principal from a developer's shell must not leak into test services.
_OWN_PRINCIPAL_VARIABLES = ("_KAFKA_USERNAME", "_KAFKA_PASSWORD")


def use_broker_credentials(data_dir: Path) -> bool:
    """Connect tests as the admin of the broker in `data_dir`; False when it has no
    credentials file (a broker of the user's own: its credentials come from the
    environment)."""
    path = data_dir / "credentials"
    if not path.is_file():
        return False
    variables = read_credentials_file(path)
    for name in [n for n in os.environ if n.endswith(_OWN_PRINCIPAL_VARIABLES)]:
        del os.environ[name]
    os.environ.update({k: v for k, v in variables.items() if k.startswith("KAFKA_")})
    BROKER_CREDENTIALS.clear()
    BROKER_CREDENTIALS.update(variables)
    return True


def principal_passwords() -> dict[str, str]:
    """principal -> password of the test broker (admin, appraisal, ..., analytics)."""
    passwords = {}
    for name, value in BROKER_CREDENTIALS.items():
        if name == "KAFKA_PASSWORD":
            passwords["admin"] = value
        elif name.endswith("_KAFKA_PASSWORD"):
            passwords[name.removesuffix("_KAFKA_PASSWORD").lower()] = value
    return passwords


def as_principal(bootstrap: str, principal: str | None, namespace: str = "") -> KafkaSettings:
    """Settings of a client connecting as a principal of the test broker (None: without
    credentials at all)."""
    if principal is None:
        return KafkaSettings(
            bootstrap_servers=bootstrap,
            namespace=namespace,
            security_protocol="PLAINTEXT",
            username=None,
            password=None,
        )
    passwords = principal_passwords()
    assert principal in passwords, f"the test broker has no principal {principal}"
    return KafkaSettings(
        bootstrap_servers=bootstrap,
        namespace=namespace,
        username=principal,
        password=passwords[principal],
    )


def settings_of(kafka: str | KafkaSettings) -> KafkaSettings:
    """Settings as given, or the admin's for a bootstrap address."""
    return kafka if isinstance(kafka, KafkaSettings) else KafkaSettings(bootstrap_servers=kafka)


async def read_topic(
    kafka: str | KafkaSettings, topic: str, keys: set[str], expected: int, timeout: float = 30
) -> list[tuple[bytes, CloudEvent, dict[str, bytes]]]:
    """Read the topic from the beginning (no group) until `expected` records of `keys`."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(settings_of(kafka)),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[tuple[bytes, CloudEvent, dict[str, bytes]]] = []
    try:
        async with asyncio.timeout(timeout):
            while len(found) < expected:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    for r in records:
                        if r.key is not None and r.key.decode() in keys:
                            found.append((r.key, CloudEvent.from_json(r.value), dict(r.headers)))
        # Anything more would be a duplicate: give it a moment to show up.
        extra = await consumer.getmany(timeout_ms=1000)
        for records in extra.values():
            found.extend(
                (r.key, CloudEvent.from_json(r.value), dict(r.headers))
                for r in records
                if r.key is not None and r.key.decode() in keys
            )
    finally:
        await consumer.stop()
    return found


async def read_raw(
    kafka: str | KafkaSettings, topic: str, keys: set[str], expected: int, timeout: float = 30
) -> list[tuple[str, bytes | None]]:
    """Read the topic from the beginning (no group) until `expected` records of `keys`, as
    (key, value) with tombstones' value None."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(settings_of(kafka)),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[tuple[str, bytes | None]] = []
    try:
        async with asyncio.timeout(timeout):
            while len(found) < expected:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    found.extend(
                        (r.key.decode(), r.value)
                        for r in records
                        if r.key is not None and r.key.decode() in keys
                    )
    finally:
        await consumer.stop()
    return found
