"""Production tokens: verified through the OIDC issuer's JWKS, with cached and rotated keys."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings

PRIVATE = "/api/v1/appraisal/echo/jwks"


def sign(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    now = int(time.time())
    claims = {
        "sub": "staff-1",
        "iss": "kinerja-dev",
        "aud": "kinerja",
        "iat": now,
        "exp": now + 300,
        "roles": ["supervisor"],
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
    return {"Authorization": f"Bearer {token}"}


async def test_tokens_are_verified_with_the_issuers_published_keys_fetched_once(
    start_gateway: Callable[..., Any], serve_app: Callable[..., Any]
) -> None:
    keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048) for kid in "abc"}
    # The issuer publishes its next key (b) before it starts signing with it.
    published = ["a", "b"]
    fetches = []
    issuer = FastAPI()

    @issuer.get("/jwks.json")
    async def jwks() -> dict[str, Any]:
        fetches.append(list(published))
        return {
            "keys": [
                {**RSAAlgorithm.to_jwk(keys[kid].public_key(), as_dict=True), "kid": kid}
                for kid in published
            ]
        }

    async with serve_app(issuer) as url:
        auth = AuthSettings(jwks_url=f"{url}/jwks.json", algorithms=["RS256"])
        async with start_gateway(auth=auth) as gateway:
            assert (await gateway.get(PRIVATE, headers=sign(keys["a"], "a"))).status_code == 200
            assert (await gateway.get(PRIVATE, headers=sign(keys["a"], "a"))).status_code == 200
            # Rotation: tokens signed with the next key are accepted from the same key set.
            assert (await gateway.get(PRIVATE, headers=sign(keys["b"], "b"))).status_code == 200
            assert len(fetches) == 1  # the key set is cached
            # A key the issuer never published is refused, without hammering the issuer.
            for _ in range(3):
                forged = await gateway.get(PRIVATE, headers=sign(keys["c"], "c"))
                assert forged.status_code == 401
            assert len(fetches) == 1
            # The development key is not accepted once a JWKS is configured.
            dev = issue_token(AuthSettings(), subject="u1", roles=["bkpsdm_admin"])
            refused = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {dev}"})
            assert refused.status_code == 401
            assert refused.headers["content-type"] == "application/problem+json"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_a_weak_key_published_by_the_issuer_is_refused(
    start_gateway: Callable[..., Any], serve_app: Callable[..., Any]
) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    issuer = FastAPI()

    @issuer.get("/jwks.json")
    async def jwks() -> dict[str, Any]:
        return {"keys": [{**RSAAlgorithm.to_jwk(weak.public_key(), as_dict=True), "kid": "w"}]}

    async with serve_app(issuer) as url:
        auth = AuthSettings(jwks_url=f"{url}/jwks.json", algorithms=["RS256"])
        async with start_gateway(auth=auth) as gateway:
            refused = await gateway.get(PRIVATE, headers=sign(weak, "w"))
            assert refused.status_code == 401
            assert "1024 bits" in refused.json()["detail"]
