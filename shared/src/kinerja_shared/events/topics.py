"""Topic names, who owns them, and their creation with explicit partition counts.

A topic is owned by the one service that publishes to it: only that service's principal may
write to (and create) it, and only events with that service's CloudEvents `source` are
genuine on it. Consumers never create the topics they read; they wait for their owner.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from kinerja_shared.kafka_client import client_options
from kinerja_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

APPRAISAL = "kinerja.appraisal"
FEEDBACK = "kinerja.feedback"
REPORTING = "kinerja.reporting"
#: Published comments, keyed by feedback id; compacted, so a tombstone erases a comment.
FEEDBACK_COMMENTS = "kinerja.feedback.comments"
SERVICE_TOPICS = (APPRAISAL, FEEDBACK, FEEDBACK_COMMENTS, REPORTING)
#: Topics that keep only the latest record per key (and drop a key at its tombstone).
COMPACTED_TOPICS = frozenset({FEEDBACK_COMMENTS})

#: The owner of each topic name (without namespace) and of every topic below it:
#: `kinerja.feedback` also covers `kinerja.feedback.comments`. The owner is the service whose
#: principal alone may write there (kinerja_shared.kafka_access) and whose CloudEvents source
#: (`/kinerja/<owner>`) is the only genuine one there (the consumer's check). A topic of a new
#: service is one entry here.
TOPIC_OWNERS: dict[str, str] = {
    APPRAISAL: "appraisal",
    FEEDBACK: "feedback",
    REPORTING: "reporting",
}


def service_source(service: str) -> str:
    """The CloudEvents `source` of a service's events."""
    return f"/kinerja/{service}"


def topic_owner(topic: str) -> str | None:
    """The service owning a topic (name without namespace), or None when no one does."""
    for name, owner in TOPIC_OWNERS.items():
        if topic == name or topic.startswith(name + "."):
            return owner
    return None


def expected_source(topic: str) -> str | None:
    """The only genuine CloudEvents `source` on a topic (name without namespace), if known."""
    owner = topic_owner(topic)
    return None if owner is None else service_source(owner)


def dead_letter_topic(group_id: str) -> str:
    """The dead-letter topic of a consumer group."""
    return f"{group_id}.dlq"


@dataclass(frozen=True)
class TopicSpec:
    """A topic and how it is laid out."""

    name: str
    partitions: int
    replication_factor: int = 1
    config: dict[str, str] = field(default_factory=dict)


#: A compacted topic rolls a segment at least hourly and compacts a key within a day, so an
#: erased (tombstoned) comment is gone from the log within about a day; the tombstone itself
#: stays a day longer, for consumers that were behind.
COMPACTED_CONFIG = {
    "cleanup.policy": "compact",
    "segment.ms": str(3_600_000),
    "max.compaction.lag.ms": str(86_400_000),
    "min.cleanable.dirty.ratio": "0.1",
    "delete.retention.ms": str(86_400_000),
}


def service_topic(name: str, settings: KafkaSettings) -> TopicSpec:
    """The spec of a service's event topic (in the configured namespace), from settings."""
    config = (
        dict(COMPACTED_CONFIG)
        if name in COMPACTED_TOPICS
        else {"retention.ms": str(settings.retention_ms), "cleanup.policy": "delete"}
    )
    return TopicSpec(
        name=settings.namespace + name,
        partitions=settings.partitions,
        replication_factor=settings.replication_factor,
        config=config,
    )


def dead_letter_spec(group_id: str, settings: KafkaSettings) -> TopicSpec:
    """The spec of a dead-letter topic: one partition is plenty, kept indefinitely."""
    return TopicSpec(
        name=settings.namespace + dead_letter_topic(group_id),
        partitions=1,
        replication_factor=settings.replication_factor,
        config={"retention.ms": "-1"},
    )


async def _wait_until_visible(admin: AIOKafkaAdminClient, names: set[str]) -> None:
    # Creation returns once the controller has it; clients asking a broker for metadata a
    # moment later may not see it yet, and a consumer subscribing then would idle for minutes.
    for _ in range(100):
        if names <= set(await admin.list_topics()):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"topics {sorted(names)} did not appear in cluster metadata")


async def create_missing(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> list[str]:
    """Create the specs' topics that do not exist yet and wait until clients can see them."""
    existing = set(await admin.list_topics())
    missing = [s for s in specs if s.name not in existing]
    if not missing:
        return []
    response = await admin.create_topics(
        [
            NewTopic(
                name=s.name,
                num_partitions=s.partitions,
                replication_factor=s.replication_factor,
                topic_configs=s.config,
            )
            for s in missing
        ]
    )
    for topic, code, *message in response.topic_errors:
        if code == TopicAlreadyExistsError.errno:
            log.info("topic created concurrently by another instance", extra={"topic": topic})
        elif code:  # e.g. TopicAuthorizationFailed: this principal does not own the topic
            raise for_code(code)(f"{topic}: {message[0] if message else ''}")
    await _wait_until_visible(admin, {s.name for s in missing})
    log.info("created topics", extra={"topics": [s.name for s in missing]})
    return [s.name for s in missing]


async def wait_for_topics(
    admin: AIOKafkaAdminClient,
    names: Collection[str],
    *,
    waiting: Callable[[list[str]], None] | None = None,
    max_interval: float = 2.0,
) -> None:
    """Return once every topic exists (and this principal may describe it).

    `waiting` is told which are still missing before each pause (and [] at the end).
    """
    interval = 0.1
    while True:
        missing = sorted(set(names) - set(await admin.list_topics()))
        if waiting is not None:
            waiting(missing)
        if not missing:
            return
        log.info("waiting for topics to be created by their owner", extra={"topics": missing})
        await asyncio.sleep(interval)
        interval = min(interval * 2, max_interval)


def new_admin(settings: KafkaSettings, *, request_timeout_ms: int = 15000) -> AIOKafkaAdminClient:
    """An admin client of these settings (not started)."""
    return AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=request_timeout_ms)


async def ensure_topics(settings: KafkaSettings, specs: list[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet; returns the names created."""
    admin = new_admin(settings)
    await admin.start()
    try:
        return await create_missing(admin, specs)
    finally:
        await admin.close()
