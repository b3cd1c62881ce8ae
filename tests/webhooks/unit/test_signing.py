"""Signing per Standard Webhooks with the library; secrets kept encrypted at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox, new_secret, signed_headers

BODY = '{"id": "e1"}'


def test_a_signature_verifies_with_the_library() -> None:
    secret = new_secret()
    headers = signed_headers(secret, message_id="d1", at=datetime.now(UTC), body=BODY)
    assert Webhook(secret).verify(BODY, headers) == {"id": "e1"}


def test_a_signature_with_an_old_timestamp_is_refused() -> None:
    secret = new_secret()
    old = datetime.now(UTC) - timedelta(minutes=10)
    headers = signed_headers(secret, message_id="d1", at=old, body=BODY)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_a_changed_body_does_not_verify() -> None:
    secret = new_secret()
    headers = signed_headers(secret, message_id="d1", at=datetime.now(UTC), body=BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify('{"id": "e2"}', headers)


def test_a_secret_is_stored_encrypted_and_opened_again() -> None:
    box = SecretBox(WebhooksSettings())
    secret = new_secret()
    sealed = box.seal(secret)
    assert secret not in sealed
    assert box.open(sealed) == secret
