"""Topic names and their creation with explicit partition counts (no auto-creation)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

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
    try:
        await admin.create_topics(
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
    except TopicAlreadyExistsError:
        log.info("topics created concurrently by another instance")
    await _wait_until_visible(admin, {s.name for s in missing})
    log.info("created topics", extra={"topics": [s.name for s in missing]})
    return [s.name for s in missing]


async def ensure_topics(bootstrap_servers: str, specs: list[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet; returns the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=15000)
    await admin.start()
    try:
        return await create_missing(admin, specs)
    finally:
        await admin.close()
