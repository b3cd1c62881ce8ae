"""Test-wide fixtures: the real Kafka broker and per-service database URLs.

`make test` starts a broker and exports KAFKA_BOOTSTRAP_SERVERS (and KINERJA_KAFKA_DATA, its
data folder); run alone, pytest starts one itself through deploy/kafka/broker.sh on a test
port and stops it at the end. Either way tests connect as the broker's admin, with the
credentials from its data folder; a broker of the user's own takes them from the environment.
Databases: a service's `<SERVICE>_DATABASE_URL` (CI sets PostgreSQL URLs) or a fresh SQLite
file per test session.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.common import BROKER, ROOT
from support.kafka import use_broker_credentials

TEST_KAFKA_PORT = "39092"


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """The bootstrap address of a running, real Kafka broker."""
    existing = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    data = Path(os.environ.get("KINERJA_KAFKA_DATA") or ROOT / "var" / "kafka-test")
    if existing:
        own = f"127.0.0.1:{os.environ.get('KINERJA_KAFKA_PORT', TEST_KAFKA_PORT)}"
        if existing == own:  # `make test`'s broker
            use_broker_credentials(data)
        yield existing
        return
    env = {**os.environ, "KINERJA_KAFKA_PORT": TEST_KAFKA_PORT, "KINERJA_KAFKA_DATA": str(data)}
    subprocess.run([str(BROKER), "start"], check=True, env=env)
    use_broker_credentials(data)
    address = f"127.0.0.1:{TEST_KAFKA_PORT}"
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = address
    try:
        yield address
    finally:
        subprocess.run([str(BROKER), "stop"], check=False, env=env)
