"""Encryption of personal data at rest and keyed hashes of device ids, addresses and contacts."""

from __future__ import annotations

import re
import unicodedata

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

    def phone_digest(self, phone: str | None) -> str | None:
        """Keyed hash of a phone number as written in any usual way (+62 812-..., 0812 ...),
        so an erasure request can find a person's submissions without storing the number."""
        if not phone:
            return None
        digits = "".join(
            str(unicodedata.decimal(c)) for c in phone if unicodedata.decimal(c, None) is not None
        )
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return self.hash(f"phone:{digits}") if digits else None

    def email_digest(self, email: str | None) -> str | None:
        """Keyed hash of an e-mail address (case and surrounding spaces ignored)."""
        if not email:
            return None
        return self.hash(
            "email:" + _SPACES.sub("", unicodedata.normalize("NFKC", email)).casefold()
        )


_SPACES = re.compile(r"\s+")
