"""Encryption of personal data at rest and keyed hashes of device ids, addresses and contacts.

Values are encrypted with the first key of FEEDBACK_CONTACT_KEYS and decrypted with any of
them (MultiFernet), so a key is rotated by listing a new one first, re-encrypting what is
stored (`kinerja-feedback reencrypt`, key_rotation/service.py) and then dropping the old
one. A stored value none of the keys decrypts is an error naming the cause, never read as
"no value".
"""

from __future__ import annotations

import logging
import re
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from kinerja_feedback.domain.abuse import device_hash
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.problems import ServiceUnavailable

log = logging.getLogger(__name__)


class UndecryptableValue(ServiceUnavailable):
    """A stored value none of FEEDBACK_CONTACT_KEYS decrypts (503): the key it was encrypted
    with is no longer listed. Nothing the caller can change; the operator must list it again."""

    slug, title = "undecryptable-value", "Stored value cannot be decrypted"


class Secrets:
    """Encrypts contact details, original comments and tracking codes; hashes device ids and
    addresses."""

    def __init__(self, settings: FeedbackSettings) -> None:
        self._fernet = MultiFernet([Fernet(k.encode()) for k in settings.contact_key_list()])
        self._hash_key = settings.hash_key.get_secret_value().encode()

    def encrypt(self, text: str | None) -> str | None:
        """Encrypt a text (None stays None)."""
        if text is None:
            return None
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, token: str | None, *, what: str, feedback_id: str) -> str | None:
        """Decrypt a stored text (None stays None), `what` of feedback `feedback_id`;
        UndecryptableValue (and an error log line) when no key decrypts it."""
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            cause = (
                f"the {what} of feedback {feedback_id} was encrypted with a key that "
                "FEEDBACK_CONTACT_KEYS no longer lists; the operator must list that key again "
                "(after the current one) and run `kinerja-feedback reencrypt`"
            )
            log.error("undecryptable value: %s", cause, extra={"feedback_id": feedback_id})
            raise UndecryptableValue(cause, extra={"feedback_id": feedback_id}) from None

    def reencrypt(self, token: str) -> str:
        """A stored text encrypted again with the current key; InvalidToken if no key reads it."""
        return self._fernet.rotate(token.encode()).decode()

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
