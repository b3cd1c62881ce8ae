"""Tracking codes: the secret that lets a citizen follow, withdraw or reopen a submission.

A code is 27 random characters of a 31-symbol alphabet (27 x log2(31) = 133.8 bits, so it
cannot be guessed) and one check character, shown in groups of four after a prefix:
"KNJ-AB3D-EF7H-JK2M-NP4Q-RS5T-VW6X-YZ8C". Only the submitter receives it (in the receipt, as
text, link or QR code); the system stores only its SHA-256 (`tracking_digest`), so neither a
database dump nor a staff view reveals it. Codes issued before the long format
("KNJ-AB3D-EF7H", 7 random characters) are still read, so citizens holding one keep access;
guessing them is stopped by the limit on failed look-ups.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets

PREFIX = "KNJ"

# 31 symbols: digits and capitals without 0/O, 1/I and U (read as V). 31 is prime and every
# weight below is distinct and non-zero modulo 31, so the weighted check catches every single
# wrong character and every swap of two characters.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTVWXYZ"

#: Random characters of a new code, and of a code issued before the long format.
DATA_LENGTH = 27
LEGACY_DATA_LENGTH = 7
GROUP = 4

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_IGNORED = re.compile(r"[\s\-_.]+")


class InvalidTrackingCode(ValueError):
    """Raised when a text is not a well-formed tracking code with a correct check character."""


def check_character(data: str) -> str:
    """Return the check character for the data characters of a tracking code."""
    if len(data) not in (DATA_LENGTH, LEGACY_DATA_LENGTH) or any(
        symbol not in _VALUES for symbol in data
    ):
        raise InvalidTrackingCode(
            f"expected {DATA_LENGTH} (or {LEGACY_DATA_LENGTH}) characters from {ALPHABET}"
        )
    # Data weights 2..n+1, check weight 1: all distinct and non-zero modulo 31.
    total = sum((position + 2) * _VALUES[symbol] for position, symbol in enumerate(data))
    return ALPHABET[-total % len(ALPHABET)]


def _format(body: str) -> str:
    """Lay out a body in groups of four after the prefix."""
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups])


def new_tracking_code(rng: random.Random | None = None) -> str:
    """Return a fresh tracking code; randomness is cryptographic unless an rng is given (tests)."""
    source = rng if rng is not None else secrets.SystemRandom()
    data = "".join(source.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return _format(data + check_character(data))


def normalise_tracking_code(raw: str) -> str:
    """Return the canonical form of a typed code, or raise InvalidTrackingCode."""
    # Case, spaces, dashes, dots and underscores are ignored; the KNJ prefix may be left out.
    compact = _IGNORED.sub("", raw).upper()
    lengths = (DATA_LENGTH + 1, LEGACY_DATA_LENGTH + 1)
    if len(compact) - len(PREFIX) in lengths and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) not in lengths:
        raise InvalidTrackingCode(
            f"a tracking code has {DATA_LENGTH + 1} characters after {PREFIX}"
        )
    unknown = sorted({symbol for symbol in compact if symbol not in _VALUES})
    if unknown:
        raise InvalidTrackingCode(f"characters not used in tracking codes: {''.join(unknown)}")
    if check_character(compact[:-1]) != compact[-1]:
        raise InvalidTrackingCode("the tracking code has a typo (check character mismatch)")
    return _format(compact)


def tracking_digest(code: str) -> str:
    """The SHA-256 (hex) of a canonical code: what is stored and looked up, never the code.

    A plain hash suffices: a new code has 133 random bits, far beyond any search.
    """
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def is_valid_tracking_code(code: str) -> bool:
    """Tell whether a typed code normalises to a tracking code with a correct check character."""
    try:
        normalise_tracking_code(code)
    except InvalidTrackingCode:
        return False
    return True


def is_canonical_tracking_code(code: str) -> bool:
    """Tell whether a code is already in canonical form with a correct check character."""
    try:
        return normalise_tracking_code(code) == code
    except InvalidTrackingCode:
        return False
