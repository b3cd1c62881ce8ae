"""Topic ownership, pure: who may write where, which source is genuine, and that each
service's runtime needs nothing its principal is not granted (no broker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kinerja_appraisal.runtime import create_runtime as appraisal_runtime
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_feedback.runtime import create_runtime as feedback_runtime
from kinerja_feedback.settings import FeedbackSettings
from kinerja_reporting.runtime import create_runtime as reporting_runtime
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    REPORTING,
    SERVICE_TOPICS,
    expected_source,
    topic_owner,
)
from kinerja_shared.kafka_access import ANALYTICS, acls_for, allows
from kinerja_shared.runtime import ServiceRuntime

RUNTIMES: dict[str, tuple[type[Any], Callable[[Any], ServiceRuntime]]] = {
    "appraisal": (AppraisalSettings, appraisal_runtime),
    "feedback": (FeedbackSettings, feedback_runtime),
    "reporting": (ReportingSettings, reporting_runtime),
}


def test_a_topic_below_a_services_topic_belongs_to_that_service() -> None:
    assert expected_source(FEEDBACK) == "/kinerja/feedback"
    assert expected_source(FEEDBACK + ".comments") == "/kinerja/feedback"
    assert expected_source(APPRAISAL) == "/kinerja/appraisal"
    assert expected_source(REPORTING) == "/kinerja/reporting"
    assert topic_owner("kinerja.feedbackish") is None
    assert expected_source("kinerja.unknown") is None


@pytest.mark.parametrize("namespace", ["", "t0123456789a."])
@pytest.mark.parametrize("service", sorted(RUNTIMES))
async def test_a_services_principal_may_do_all_its_runtime_does_and_publish_nowhere_else(
    service: str, namespace: str, tmp_path: Path
) -> None:
    settings_class, build = RUNTIMES[service]
    settings = settings_class(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        consumer_group=f"{service}-a1b2c3",  # tests vary group ids after the service's name
        kafka={"namespace": namespace},
    )
    runtime = build(settings)
    acls = acls_for(namespace)
    try:
        owned = {t.name for t in runtime.relay.topics}
        assert owned
        for topic in owned:
            for operation in ("write", "create", "describe"):
                assert allows(acls, service, operation, "topic", topic), (operation, topic)
        for consumer in runtime.consumers:
            assert allows(acls, service, "read", "group", consumer.group_id)
            for spec in consumer.topics:
                assert allows(acls, service, "read", "topic", spec.name), spec.name
                assert allows(acls, service, "describe", "topic", spec.name), spec.name
            for operation in ("write", "create", "describe"):
                assert allows(acls, service, operation, "topic", consumer.dead_letter.name)
        for topic in SERVICE_TOPICS:
            if namespace + topic not in owned:
                assert not allows(acls, service, "write", "topic", namespace + topic), topic
                assert not allows(acls, service, "create", "topic", namespace + topic), topic
        assert not allows(acls, service, "read", "group", ANALYTICS)
    finally:
        await runtime.engine.dispose()


def test_the_analytics_principal_may_read_every_event_topic_and_write_none() -> None:
    acls = acls_for("dev.")
    for topic in (*SERVICE_TOPICS, FEEDBACK + ".comments"):
        assert allows(acls, ANALYTICS, "read", "topic", "dev." + topic)
        assert allows(acls, ANALYTICS, "describe", "topic", "dev." + topic)
        assert not allows(acls, ANALYTICS, "write", "topic", "dev." + topic)
        assert not allows(acls, ANALYTICS, "read", "topic", topic)  # another namespace
    assert allows(acls, ANALYTICS, "read", "group", "analytics-dashboards")
    assert not allows(acls, ANALYTICS, "read", "group", "reporting")
    assert {acl.operation for acl in acls if acl.principal == ANALYTICS} == {"read", "describe"}
