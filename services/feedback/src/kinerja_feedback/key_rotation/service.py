"""Re-encryption of the stored personal data with the current contact key (key rotation).

Listing a new key first in FEEDBACK_CONTACT_KEYS makes new values use it while the old keys
still decrypt; `reencrypt_stored_values` then encrypts every stored contact, original comment
and tracking code again with the new key, after which the old keys can be dropped. It runs
beside the serving replicas: each value is replaced only if it is still the one read, so a
value changed or erased meanwhile (a withdrawal, an erasure request) is never brought back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.key_rotation import repository
from kinerja_feedback.key_rotation.repository import ENCRYPTED


@dataclass
class Reencryption:
    """What a run did: values encrypted again, and values no listed key reads (by feedback)."""

    values: int = 0
    submissions: int = 0
    unreadable: Counter[str] = field(default_factory=Counter)


async def reencrypt_stored_values(
    sessions: async_sessionmaker[AsyncSession], secrets: Secrets, *, batch_size: int = 500
) -> Reencryption:
    """Encrypt every stored value again with the current key, `batch_size` submissions per
    transaction in id order; values no key reads are left as they are and counted."""
    report = Reencryption()
    after = ""
    while True:
        async with sessions() as session, session.begin():
            rows = await repository.encrypted_values(session, after=after, limit=batch_size)
            for feedback_id, *tokens in rows:
                done = 0
                for name, token in zip(ENCRYPTED, tokens, strict=True):
                    if token is None:
                        continue
                    try:
                        fresh = secrets.reencrypt(token)
                    except InvalidToken:
                        report.unreadable[feedback_id] += 1
                        continue
                    await repository.replace_value(session, feedback_id, name, old=token, new=fresh)
                    done += 1
                report.values += done
                report.submissions += 1 if done else 0
        if len(rows) < batch_size:
            return report
        after = rows[-1][0]
