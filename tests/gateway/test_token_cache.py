"""Verified tokens are remembered until they expire: same identity as a fresh verification,
and nothing accepted that a fresh verification would refuse."""

from __future__ import annotations

import time

import pytest

from kinerja_shared import auth
from kinerja_shared.auth import TokenVerifier, issue_token
from kinerja_shared.problems import NotAuthenticated
from kinerja_shared.settings import AuthSettings
from kinerja_shared.token_keys import new_signing_key


class WallClock:
    """A wall clock (seconds since the epoch) the test moves by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def detail_of(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(NotAuthenticated) as refused:
        verifier.verify(token)
    return refused.value.detail


def test_a_repeated_token_gives_the_identity_of_a_fresh_verification() -> None:
    settings = AuthSettings()
    cached = TokenVerifier(settings)
    tokens = [
        issue_token(settings, subject="u1", roles=["supervisor"], employee_id="e1", unit_code="u"),
        issue_token(settings, subject="sys", roles=["external_system"], scopes=["reports:read"]),
        issue_token(settings, subject="c1", roles=["citizen"], client_id="mobile"),
    ]
    for token in tokens:
        first = cached.verify(token)
        again = cached.verify(token)
        fresh = TokenVerifier(settings).verify(token)
        assert again is first  # answered from the cache
        assert again == fresh
        assert again.claims == fresh.claims


def test_a_token_differing_from_a_remembered_one_is_verified_on_its_own() -> None:
    settings = AuthSettings()
    verifier = TokenVerifier(settings)
    token = issue_token(settings, subject="u1", roles=["bkpsdm_admin"])
    verifier.verify(token)
    head, payload, signature = token.split(".")
    forged_signature = f"{head}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}"
    forged_claims = f"{head}.{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{signature}"
    for forged in (forged_signature, forged_claims, token + " ", token[:-1]):
        assert detail_of(verifier, forged) == detail_of(TokenVerifier(settings), forged)
        assert verifier.cached(forged) is None
    # Another key never accepts what this verifier remembered.
    other = AuthSettings(jwks=new_signing_key()[1])
    assert detail_of(TokenVerifier(other), token).startswith("the token is not valid")


def test_a_remembered_token_expires_when_its_exp_says_so() -> None:
    settings = AuthSettings()
    clock = WallClock()
    verifier = TokenVerifier(settings, clock=clock)
    token = issue_token(settings, subject="u1", roles=["analyst"], ttl_seconds=60, now=clock.now)
    exp = int(verifier.verify(token).claims["exp"])
    clock.now = exp - 0.001
    assert verifier.verify(token).subject == "u1"
    clock.now = exp  # PyJWT: expired once exp <= now
    assert detail_of(verifier, token) == "the token has expired"
    # The same words as a fresh verification of a token whose exp has passed.
    stale = issue_token(settings, subject="u1", roles=["analyst"], now=time.time() - 7200)
    assert detail_of(TokenVerifier(settings), stale) == "the token has expired"


def test_the_number_of_remembered_tokens_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_KEPT", 3)
    settings = AuthSettings()
    verifier = TokenVerifier(settings)
    tokens = [issue_token(settings, subject=f"u{n}", roles=["employee"]) for n in range(5)]
    for token in tokens:
        verifier.verify(token)
    assert [verifier.cached(t) is not None for t in tokens] == [False, False, True, True, True]
    # Dropped ones still verify, now from scratch.
    assert [verifier.verify(t).subject for t in tokens] == [f"u{n}" for n in range(5)]
