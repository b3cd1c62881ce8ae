"""Encryption of personal data at rest and keyed hashes of device ids and addresses."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from kinerja_feedback.domain.abuse import device_hash
from kinerja_feedback.settings import FeedbackSettings


class Secrets:
    """Encrypts contact details and original comments; hashes device ids and addresses."""

    def __init__(self, settings: FeedbackSettings) -> None:
        self._fernet = Fernet(settings.contact_key.get_secret_value().encode())
        self._hash_key = settings.hash_key.get_secret_value().encode()

    def encrypt(self, text: str | None) -> str | None:
        """Encrypt a text (None stays None)."""
        if text is None:
            return None
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, token: str | None) -> str | None:
        """Decrypt a stored text; an unreadable token (wrong key) reads as None."""
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None

    def hash(self, value: str | None) -> str | None:
        """Keyed hash of a device id or an address (None stays None)."""
        if not value:
            return None
        return device_hash(value, key=self._hash_key)
