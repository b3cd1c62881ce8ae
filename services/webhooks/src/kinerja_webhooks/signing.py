"""Signing secrets: made, kept encrypted at rest, and used to sign deliveries per the
Standard Webhooks specification (the `standardwebhooks` library, never our own HMAC).

A secret must sign, so it cannot be stored as a hash: it is encrypted with the service's
Fernet keys (WEBHOOKS_SECRET_KEYS, several while rotating: MultiFernet) and decrypted only
to sign a delivery. Its owner sees it once, when it is made.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from cryptography.fernet import Fernet, MultiFernet
from standardwebhooks.webhooks import Webhook

from kinerja_webhooks.settings import WebhooksSettings

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form (`whsec_` + base64)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


class SecretBox:
    """Encrypts secrets for the database and decrypts them to sign."""

    def __init__(self, settings: WebhooksSettings) -> None:
        self._fernet = MultiFernet([Fernet(k.encode()) for k in settings.secret_key_list()])

    def seal(self, secret: str) -> str:
        """The secret encrypted (newest key)."""
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        """The secret back (any listed key)."""
        return self._fernet.decrypt(sealed.encode()).decode()


def signed_headers(
    secret: str, *, message_id: str, at: datetime, body: str, previous: str | None = None
) -> dict[str, str]:
    """The Standard Webhooks headers of one delivery attempt. During a rotation's overlap the
    secret replaced signs too: two signatures, space-separated as the specification allows,
    the current one first, so a receiver verifies with either."""
    signature = " ".join(
        Webhook(key).sign(msg_id=message_id, timestamp=at, data=body)
        for key in (secret, previous)
        if key is not None
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
