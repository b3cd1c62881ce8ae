"""Bearer tokens are signed asymmetrically and verified with the public keys of a JWKS: strong
keys only, never a shared secret, a bounded lifetime, several keys at once while rotating."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import ValidationError

from kinerja_shared.auth import TokenVerifier, issue_token
from kinerja_shared.problems import NotAuthenticated
from kinerja_shared.settings import DEV_JWKS, DEV_TOKEN_PRIVATE_KEY, AuthSettings
from kinerja_shared.token_keys import TokenSigner, jwks_json, load_jwks, new_signing_key

#: The HS256 key every service held before tokens were signed asymmetrically.
OLD_DEV_JWT_SECRET = "kinerja-development-signing-key-do-not-use-in-production"
TEN_YEARS = 10 * 365 * 86400


def pem(key: Any) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "u1",
        "iss": "kinerja-dev",
        "aud": "kinerja",
        "iat": now,
        "exp": now + 300,
        "roles": ["bkpsdm_admin"],
        **overrides,
    }


def refusal(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(NotAuthenticated) as refused:
        verifier.verify(token)
    return refused.value.detail


def test_the_development_jwks_lists_the_development_signing_key() -> None:
    signer = TokenSigner(DEV_TOKEN_PRIVATE_KEY)
    assert set(load_jwks(DEV_JWKS)) == {signer.key_id}
    assert signer.algorithm == "EdDSA"


def test_a_development_token_verifies_with_the_development_jwks() -> None:
    token = issue_token(AuthSettings(), subject="u1", roles=["analyst"])
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    assert TokenVerifier(AuthSettings()).verify(token).roles == {"analyst"}


def test_a_token_signed_with_the_old_hs256_development_secret_is_refused() -> None:
    token = jwt.encode(claims(), OLD_DEV_JWT_SECRET, algorithm="HS256")
    assert "HS256" in refusal(TokenVerifier(AuthSettings()), token)


def test_a_token_living_ten_years_is_refused_though_well_signed() -> None:
    token = issue_token(AuthSettings(), subject="u1", roles=["analyst"], ttl_seconds=TEN_YEARS)
    assert "lifetime" in refusal(TokenVerifier(AuthSettings()), token)


def test_the_longest_lifetime_is_a_setting() -> None:
    settings = AuthSettings(max_token_lifetime_seconds=600)
    verifier = TokenVerifier(settings)
    assert verifier.verify(issue_token(settings, subject="u1", ttl_seconds=600)).subject == "u1"
    assert "600 s" in refusal(verifier, issue_token(settings, subject="u1", ttl_seconds=601))


def test_two_keys_in_the_jwks_while_rotating_verify_tokens_of_both() -> None:
    old, new = ed25519.Ed25519PrivateKey.generate(), rsa.generate_private_key(65537, 2048)
    settings = AuthSettings(jwks=jwks_json([old.public_key(), new.public_key()]))
    verifier = TokenVerifier(settings)
    for key in (old, new):
        token = issue_token(settings, subject="u1", signer=TokenSigner(pem(key)))
        assert verifier.verify(token).subject == "u1"
    # The development key is not among them.
    assert "not trusted" in refusal(verifier, issue_token(AuthSettings(), subject="u1"))


def test_a_jwks_file_is_read_like_inline_jwks(tmp_path: Any) -> None:
    private, jwks = new_signing_key()
    path = tmp_path / "jwks.json"
    path.write_text(jwks)
    settings = AuthSettings(jwks=str(path))
    token = issue_token(settings, subject="u1", signer=TokenSigner(private))
    assert TokenVerifier(settings).verify(token).subject == "u1"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (rsa.generate_private_key(65537, 1024), "1024 bits"),
        (ec.generate_private_key(ec.SECP256K1()), "P-256, P-384 or P-521"),
    ],
    ids=["rsa-1024", "ec-secp256k1"],
)
def test_a_weak_key_in_the_jwks_stops_start_up(key: Any, expected: str) -> None:
    algorithm = RSAAlgorithm if isinstance(key, rsa.RSAPrivateKey) else ECAlgorithm
    weak = {"keys": [{**algorithm.to_jwk(key.public_key(), as_dict=True), "kid": "weak"}]}
    with pytest.raises(ValidationError, match=expected):
        AuthSettings(jwks=json.dumps(weak))


def test_a_shared_secret_in_the_jwks_stops_start_up() -> None:
    secret = {"keys": [{"kty": "oct", "k": "a2luZXJqYQ", "kid": "hs"}]}
    with pytest.raises(ValidationError, match="shared secrets"):
        AuthSettings(jwks=json.dumps(secret))


def test_hs256_is_not_an_algorithm_one_may_allow() -> None:
    with pytest.raises(ValidationError, match="HS256"):
        AuthSettings(algorithms=["EdDSA", "HS256"])


@pytest.mark.parametrize(
    "key",
    [
        rsa.generate_private_key(65537, 2048),
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP384R1()),
        ed25519.Ed25519PrivateKey.generate(),
    ],
    ids=["rsa-2048", "ec-p256", "ec-p384", "ed25519"],
)
def test_strong_keys_sign_tokens_that_verify(key: Any) -> None:
    signer = TokenSigner(pem(key))
    settings = AuthSettings(jwks=jwks_json([signer.public_key]))
    token = issue_token(settings, subject="u1", signer=signer)
    assert TokenVerifier(settings).verify(token).subject == "u1"


def test_a_weak_signing_key_is_refused() -> None:
    with pytest.raises(ValueError, match="1024 bits"):
        TokenSigner(pem(rsa.generate_private_key(65537, 1024)))


def test_development_tokens_are_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_ENVIRONMENT", "Production")
    with pytest.raises(RuntimeError, match="development and test"):
        issue_token(AuthSettings(), subject="u1")
    monkeypatch.setenv("KINERJA_ENVIRONMENT", "test")
    assert issue_token(AuthSettings(), subject="u1")
