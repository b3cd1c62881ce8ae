"""Who may do what on the real broker: authentication, and each principal's ACLs.

Every test works in a topic namespace of its own, for which it grants the services' and
analytics' ACLs (kinerja_shared.kafka_access.acls_for) as the admin, as `kinerja-events acls
--namespace` does.
"""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    FEEDBACK_COMMENTS,
    REPORTING,
    SERVICE_TOPICS,
    TOPIC_OWNERS,
    TopicSpec,
    ensure_topics,
    expected_source,
    service_topic,
)
from kinerja_shared.events.types.appraisal import UnitUpserted
from kinerja_shared.events.types.feedback import FeedbackCommentPublished, ServiceUsersReported
from kinerja_shared.events.types.reporting import UnitImprovementCleared
from kinerja_shared.kafka_access import acls_for, grant, missing
from kinerja_shared.kafka_client import client_options
from kinerja_shared.relay import new_producer
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream.reader import TopicReader
from support.kafka import as_principal
from support.notes_service import namespace_of

pytestmark = pytest.mark.kafka

#: One event of each service, as it publishes it.
EVENTS: dict[str, EventPayload] = {
    APPRAISAL: UnitUpserted(unit_id="u1", code="U1", name="Kelurahan Satu", kind="kelurahan"),
    FEEDBACK: ServiceUsersReported(
        unit_id="u1", period_key="2026-03", service_users=120, reported_at="2026-04-01T00:00:00Z"
    ),
    REPORTING: UnitImprovementCleared(
        unit_id="u1", period_key="2026-03", cleared_at="2026-04-02T00:00:00Z"
    ),
    FEEDBACK_COMMENTS: FeedbackCommentPublished(
        feedback_id="f1",
        service_point_id="p1",
        unit_id="u1",
        comment_redacted="Ramah",
        published_at="2026-04-01T00:00:00Z",
    ),
}


@pytest.fixture
async def namespace(kafka_bootstrap: str, unique: str) -> str:
    """The test's namespace, with the ACLs granted and the service topics created (as the
    services do at start-up)."""
    name = namespace_of(unique)
    admin = KafkaSettings(bootstrap_servers=kafka_bootstrap, namespace=name)
    await grant(admin, acls_for(name))
    await ensure_topics(admin, [service_topic(t, admin) for t in SERVICE_TOPICS])
    return name


async def publish_one_event_per_topic(kafka_bootstrap: str, namespace: str) -> None:
    """As the services would (here as the admin)."""
    producer = new_producer(KafkaSettings(bootstrap_servers=kafka_bootstrap))
    await producer.start()
    try:
        for topic, payload in EVENTS.items():
            event = payload.to_event(source=expected_source(topic) or "")
            await producer.send_and_wait(namespace + topic, event.to_json(), key=b"u1")
    finally:
        await producer.stop()


async def test_a_client_without_credentials_can_neither_produce_nor_consume(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = namespace_of(unique) + REPORTING
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap), [TopicSpec(topic, 1)])
    anonymous = as_principal(kafka_bootstrap, None)
    producer = AIOKafkaProducer(**client_options(anonymous))
    try:
        with pytest.raises(KafkaConnectionError):
            await producer.start()
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(topic, **client_options(anonymous), auto_offset_reset="earliest")
    try:
        with pytest.raises(KafkaConnectionError):
            await consumer.start()
    finally:
        await consumer.stop()


async def test_a_client_with_a_wrong_password_is_refused(kafka_bootstrap: str) -> None:
    impostor = KafkaSettings(
        bootstrap_servers=kafka_bootstrap, username="reporting", password="guessed"
    )
    producer = AIOKafkaProducer(**client_options(impostor))
    try:
        with pytest.raises(KafkaConnectionError):
            await producer.start()
    finally:
        await producer.stop()


async def test_the_feedback_service_cannot_publish_on_the_reporting_topic(
    kafka_bootstrap: str, namespace: str
) -> None:
    producer = new_producer(as_principal(kafka_bootstrap, "feedback", namespace))
    await producer.start()
    try:
        await producer.send_and_wait(namespace + FEEDBACK, b"{}", key=b"k")  # its own: fine
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(namespace + REPORTING, b"{}", key=b"k")
    finally:
        await producer.stop()


async def test_the_feedback_service_owns_every_topic_below_kinerja_feedback(
    kafka_bootstrap: str, namespace: str
) -> None:
    feedback = as_principal(kafka_bootstrap, "feedback", namespace)
    below = TopicSpec(namespace + FEEDBACK + ".drafts", 1, config={"cleanup.policy": "compact"})
    assert await ensure_topics(feedback, [below]) == [below.name]
    producer = new_producer(feedback)
    await producer.start()
    try:
        await producer.send_and_wait(below.name, b"{}", key=b"k")
    finally:
        await producer.stop()
    with pytest.raises(TopicAuthorizationFailedError):  # nor may it create another's
        await ensure_topics(feedback, [TopicSpec(namespace + REPORTING + ".comments", 1)])


async def test_the_feedback_service_cannot_read_the_reporting_topic_it_does_not_consume(
    kafka_bootstrap: str, namespace: str, unique: str
) -> None:
    await publish_one_event_per_topic(kafka_bootstrap, namespace)
    feedback = as_principal(kafka_bootstrap, "feedback", namespace)
    consumer = AIOKafkaConsumer(
        namespace + REPORTING,
        **client_options(feedback),
        group_id=f"feedback-{unique}",
        auto_offset_reset="earliest",
    )

    async def join_and_fetch() -> None:
        await consumer.start()
        await consumer.getmany(timeout_ms=10_000)

    try:
        with pytest.raises(TopicAuthorizationFailedError):  # on joining, or on the first fetch
            await join_and_fetch()
    finally:
        await consumer.stop()


async def test_the_analytics_principal_reads_every_service_topic_and_publishes_on_none(
    kafka_bootstrap: str, namespace: str, unique: str
) -> None:
    await publish_one_event_per_topic(kafka_bootstrap, namespace)
    analytics = as_principal(kafka_bootstrap, "analytics", namespace)
    topics = [namespace + t for t in SERVICE_TOPICS]
    consumer = AIOKafkaConsumer(
        *topics,
        **client_options(analytics),
        group_id=f"analytics-{unique}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    seen: set[str] = set()
    try:
        async with asyncio.timeout(30):
            while seen != set(topics):
                batch = await consumer.getmany(timeout_ms=500)
                seen |= {tp.topic for tp, records in batch.items() if records}
    finally:
        await consumer.stop()
    async with TopicReader(analytics, topics) as reader:  # kinerja-events: no group at all
        start, stop = await reader.range_bounds(None, None)
        assert len([r async for r in reader.read_range(start, stop)]) == len(topics)
    # (An idempotent producer would not even get a producer id: it may write nowhere.)
    producer = AIOKafkaProducer(**client_options(analytics))
    await producer.start()
    try:
        for topic in topics:
            with pytest.raises(TopicAuthorizationFailedError):
                await producer.send_and_wait(topic, b"{}", key=b"k")
    finally:
        await producer.stop()


async def test_the_broker_grants_the_services_and_analytics_acls_for_the_default_namespace(
    kafka_bootstrap: str,
) -> None:
    services = {t: owner for t, owner in TOPIC_OWNERS.items() if t in SERVICE_TOPICS}
    wanted = acls_for("", owners=services)
    assert await missing(KafkaSettings(bootstrap_servers=kafka_bootstrap), wanted) == []


async def test_the_webhooks_service_cannot_read_the_citizens_comments(
    kafka_bootstrap: str, namespace: str, unique: str
) -> None:
    await publish_one_event_per_topic(kafka_bootstrap, namespace)
    webhooks = as_principal(kafka_bootstrap, "webhooks", namespace)
    consumer = AIOKafkaConsumer(
        namespace + FEEDBACK_COMMENTS,
        **client_options(webhooks),
        group_id=f"webhooks-{unique}",
        auto_offset_reset="earliest",
    )

    async def join_and_fetch() -> None:
        await consumer.start()
        await consumer.getmany(timeout_ms=10_000)

    try:
        with pytest.raises(TopicAuthorizationFailedError):  # on joining, or on the first fetch
            await join_and_fetch()
    finally:
        await consumer.stop()
