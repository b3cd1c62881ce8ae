"""The webhooks service reads the three service topics and never the citizens' comments."""

from __future__ import annotations

from kinerja_shared.events.topics import FEEDBACK_COMMENTS
from kinerja_shared.kafka_access import SERVICE_CONSUMES, acls_for, allows
from kinerja_webhooks.runtime import CONSUMED


def test_the_runtime_consumes_what_its_acls_allow() -> None:
    assert set(CONSUMED) == set(SERVICE_CONSUMES["webhooks"])


def test_the_webhooks_principal_may_not_read_the_comments_topic() -> None:
    assert not allows(acls_for(), "webhooks", "read", "topic", FEEDBACK_COMMENTS)
    assert FEEDBACK_COMMENTS not in CONSUMED
