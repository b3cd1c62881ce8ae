"""Tracking codes that let a citizen follow a complaint without an account ("KNJ-AB3D-EF7H")."""

from __future__ import annotations

import random
import re
import secrets

PREFIX = "KNJ"

# 31 symbols: digits and capitals without 0/O, 1/I and U (read as V). 31 is prime, so the
# weighted check below catches every single wrong character and every swap of two characters.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTVWXYZ"

_BODY_LENGTH = 8
_DATA_LENGTH = _BODY_LENGTH - 1
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CANONICAL = re.compile(rf"{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")
_IGNORED = re.compile(r"[\s\-_.]+")


class InvalidTrackingCode(ValueError):
    """Raised when a text is not a well-formed tracking code with a correct check character."""


def check_character(data: str) -> str:
    """Return the check character for the seven data characters of a tracking code."""
    if len(data) != _DATA_LENGTH or any(symbol not in _VALUES for symbol in data):
        raise InvalidTrackingCode(f"expected {_DATA_LENGTH} characters from {ALPHABET}")
    # Data weights 2..8, check weight 1: all distinct and non-zero modulo 31.
    total = sum((position + 2) * _VALUES[symbol] for position, symbol in enumerate(data))
    return ALPHABET[-total % len(ALPHABET)]


def _format(body: str) -> str:
    """Lay out an eight-character body as KNJ-AB3D-EF7H."""
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def new_tracking_code(rng: random.Random | None = None) -> str:
    """Return a fresh tracking code; randomness is cryptographic unless an rng is given (tests)."""
    source = rng if rng is not None else secrets.SystemRandom()
    data = "".join(source.choice(ALPHABET) for _ in range(_DATA_LENGTH))
    return _format(data + check_character(data))


def normalise_tracking_code(raw: str) -> str:
    """Return the canonical KNJ-AB3D-EF7H form of a typed code, or raise InvalidTrackingCode."""
    # Case, spaces, dashes, dots and underscores are ignored; the KNJ prefix may be left out.
    compact = _IGNORED.sub("", raw).upper()
    if len(compact) == len(PREFIX) + _BODY_LENGTH and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != _BODY_LENGTH:
        raise InvalidTrackingCode(f"a tracking code has {_BODY_LENGTH} characters after {PREFIX}")
    unknown = sorted({symbol for symbol in compact if symbol not in _VALUES})
    if unknown:
        raise InvalidTrackingCode(f"characters not used in tracking codes: {''.join(unknown)}")
    if check_character(compact[:_DATA_LENGTH]) != compact[-1]:
        raise InvalidTrackingCode("the tracking code has a typo (check character mismatch)")
    return _format(compact)


def is_valid_tracking_code(code: str) -> bool:
    """Tell whether a typed code normalises to a tracking code with a correct check character."""
    try:
        normalise_tracking_code(code)
    except InvalidTrackingCode:
        return False
    return True


def is_canonical_tracking_code(code: str) -> bool:
    """Tell whether a code is already in canonical form with a correct check character."""
    return bool(_CANONICAL.fullmatch(code)) and is_valid_tracking_code(code)
