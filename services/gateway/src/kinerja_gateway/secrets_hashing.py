"""Hashing of OAuth2 client secrets (PBKDF2-SHA256) and registered app keys (SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

PBKDF2_ITERATIONS = 200_000
_SCHEME = "pbkdf2_sha256"
#: What `hash_secret` writes: pbkdf2_sha256$<iterations>$<salt>$<hex digest>.
PBKDF2_HASH_PATTERN = r"^pbkdf2_sha256\$[1-9][0-9]*\$[^$]+\$[0-9a-f]{64}$"


def hash_secret(
    secret: str, *, iterations: int = PBKDF2_ITERATIONS, salt: str | None = None
) -> str:
    """Hash a client secret as `pbkdf2_sha256$<iterations>$<salt>$<hex digest>`."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), iterations).hex()
    return f"{_SCHEME}${iterations}${salt}${digest}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches a hash made by `hash_secret` (constant-time comparison)."""
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != _SCHEME or not parts[1].isdigit():
        return False
    _, iterations, salt, expected = parts
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(digest, expected)


def unknown_client_hash(registered: Iterable[str]) -> str:
    """A hash of a random secret, made like the registered ones (the most iterations among
    them; a salt as long), that an unknown client's secret is checked against: answering an
    unknown client id without the PBKDF2 work would tell by its timing which ids exist."""
    parsed = [h.split("$") for h in registered if re.match(PBKDF2_HASH_PATTERN, h)]
    iterations = max((int(p[1]) for p in parsed), default=PBKDF2_ITERATIONS)
    salt_length = max((len(p[2]) for p in parsed), default=32)
    salt = secrets.token_hex(salt_length)[:salt_length]
    return hash_secret(secrets.token_urlsafe(32), iterations=iterations, salt=salt)


def app_key_digest(key: str) -> str:
    """The SHA-256 hex digest under which an app key is registered (keys are long and random)."""
    return hashlib.sha256(key.encode()).hexdigest()
