"""Authentication: bearer tokens, OAuth2 client credentials, app keys, the role matrix."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable

import httpx
import jwt as pyjwt
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from kinerja_gateway.cli import app as cli
from kinerja_gateway.settings import OAuthClient
from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings
from kinerja_shared.token_keys import TokenSigner, new_signing_key

APP_KEY = "test-app-key-0123456789"
#: The HS256 key every service held before tokens were signed asymmetrically.
OLD_DEV_JWT_SECRET = "kinerja-development-signing-key-do-not-use-in-production"
TEN_YEARS = 10 * 365 * 86400
PRIVATE = "/api/v1/appraisal/echo/private"
PUBLIC_SUBMIT = "/api/v1/feedback/feedback"


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


async def test_a_private_route_without_a_token_is_401_with_www_authenticate(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get(PRIVATE)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_an_expired_token_is_401_saying_so(gateway: httpx.AsyncClient) -> None:
    expired = issue_token(
        AuthSettings(), subject="u1", roles=["employee"], ttl_seconds=60, now=time.time() - 3600
    )
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {expired}"})
    body = assert_problem(response, 401)
    assert "expired" in str(body["detail"])
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def old_hs256_token(**claims: object) -> str:
    """A token signed as every service could sign before tokens were asymmetric."""
    now = int(time.time())
    payload = {"sub": "u1", "iss": "kinerja-dev", "aud": "kinerja", "iat": now, "exp": now + 300}
    return pyjwt.encode({**payload, **claims}, OLD_DEV_JWT_SECRET, algorithm="HS256")


async def test_a_token_signed_with_the_old_hs256_development_secret_is_401(
    gateway: httpx.AsyncClient,
) -> None:
    forged = old_hs256_token(roles=["bkpsdm_admin"])
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {forged}"})
    body = assert_problem(response, 401)
    assert "HS256" in str(body["detail"])


async def test_a_token_living_ten_years_is_401_though_well_signed(
    gateway: httpx.AsyncClient,
) -> None:
    forever = issue_token(
        AuthSettings(), subject="u1", roles=["bkpsdm_admin"], ttl_seconds=TEN_YEARS
    )
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {forever}"})
    body = assert_problem(response, 401)
    assert "lifetime" in str(body["detail"])


async def test_a_token_signed_with_another_key_is_401(gateway: httpx.AsyncClient) -> None:
    someone_elses = TokenSigner(new_signing_key()[0])
    forged = issue_token(AuthSettings(), subject="u1", roles=["bkpsdm_admin"], signer=someone_elses)
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {forged}"})
    body = assert_problem(response, 401)
    assert "key not trusted" in str(body["detail"])
    # Another key claiming the development key's id fails on the signature.
    _, payload, signature = forged.split(".")
    dev_head = issue_token(AuthSettings(), subject="u1").split(".")[0]
    posing = f"{dev_head}.{payload}.{signature}"
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {posing}"})
    body = assert_problem(response, 401)
    assert "signature" in str(body["detail"]).lower()


@pytest.mark.parametrize("header", ["Basic dTpw", "Bearer", "Bearer not.a.jwt", "Token abc"])
async def test_a_malformed_authorization_header_is_401(
    gateway: httpx.AsyncClient, header: str
) -> None:
    response = await gateway.get(PRIVATE, headers={"Authorization": header})
    assert_problem(response, 401)


async def test_an_external_system_needs_the_scope_of_the_service(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    reports_only = auth("external_system", scopes=["reports:read"])
    assert (await gateway.get("/api/v1/reporting/echo/x", headers=reports_only)).status_code == 200
    response = await gateway.get(PRIVATE, headers=reports_only)
    body = assert_problem(response, 403)
    assert body["required_scope"] == "appraisal:read"
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_a_read_scope_does_not_allow_writes(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    reader = auth("external_system", scopes=["appraisal:read"])
    assert (await gateway.get(PRIVATE, headers=reader)).status_code == 200
    body = assert_problem(await gateway.post(PRIVATE, json={}, headers=reader), 403)
    assert body["required_scope"] == "appraisal:write"


# Role x route matrix: staff reach every service; a citizen only the public routes; an
# external system only with scopes; a token without a known role nothing.
ROUTES = [
    ("GET", "/api/v1/appraisal/echo/m", False),
    ("POST", "/api/v1/appraisal/echo/m", False),
    ("GET", "/api/v1/feedback/echo/m", False),
    ("GET", "/api/v1/reporting/echo/m", False),
    ("POST", PUBLIC_SUBMIT, True),
    ("POST", "/api/v1/feedback/track", True),
    ("POST", "/api/v1/feedback/track/withdraw", True),
    ("GET", "/api/v1/feedback/service-points", True),
    ("GET", "/api/v1/open311/echo/services.json", True),
]
ROLES = {
    "employee": "all",
    "supervisor": "all",
    "unit_head": "all",
    "bkpsdm_admin": "all",
    "analyst": "all",
    "citizen": "public",
    "external_system": "public",
    "intruder": "public",
}


@pytest.mark.parametrize("role", list(ROLES))
async def test_role_matrix_over_public_and_private_routes(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]], role: str
) -> None:
    headers = auth(role)
    outcomes = {}
    for method, path, public in ROUTES:
        response = await gateway.request(method, path, headers=headers, json={})
        outcomes[(method, path)] = response.status_code
        allowed = ROLES[role] == "all" or public
        expected = 200 if allowed else 403
        assert response.status_code == expected, (role, method, path, response.text)
    assert outcomes


async def test_an_app_key_lets_an_anonymous_citizen_call_public_routes_only(
    gateway: httpx.AsyncClient,
) -> None:
    headers = {"X-App-Key": APP_KEY}
    response = await gateway.post(PUBLIC_SUBMIT, json={"answers": [4, 4]}, headers=headers)
    assert response.status_code == 200
    seen = dict(response.json()["headers"])
    assert "authorization" not in seen
    assert "x-app-key" not in seen
    tracked = await gateway.post(
        "/api/v1/feedback/track", json={"tracking_code": "x"}, headers=headers
    )
    assert tracked.is_success
    private = await gateway.get("/api/v1/feedback/echo/inbox", headers=headers)
    assert_problem(private, 401)


async def test_a_public_route_needs_an_app_key_or_a_token(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(PUBLIC_SUBMIT, json={})
    body = assert_problem(response, 401)
    assert "X-App-Key" in str(body["detail"])


async def test_an_unregistered_app_key_is_401(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(PUBLIC_SUBMIT, json={}, headers={"X-App-Key": "guess"})
    body = assert_problem(response, 401)
    assert body["header"] == "X-App-Key"


async def test_a_bad_token_on_a_public_route_is_still_401(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        PUBLIC_SUBMIT, json={}, headers={"X-App-Key": APP_KEY, "Authorization": "Bearer x.y.z"}
    )
    assert_problem(response, 401)


async def test_anyone_reads_published_results_with_neither_token_nor_app_key(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/api/v1/reporting/public/ikm/units/u1?period=2026")
    assert response.status_code == 200, response.text
    seen = dict(response.json()["headers"])
    assert "authorization" not in seen


async def test_a_bad_token_on_an_open_route_is_still_401(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get(
        "/api/v1/reporting/public/ikm/units", headers={"Authorization": "Bearer x.y.z"}
    )
    assert_problem(response, 401)


async def test_writing_under_the_published_path_still_needs_a_token(
    gateway: httpx.AsyncClient,
) -> None:
    assert_problem(await gateway.post("/api/v1/reporting/public/ikm/units", json={}), 401)


async def test_client_credentials_give_a_scoped_external_system_token(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post(
        "/api/v1/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "payroll",
            "client_secret": "payroll-secret",
            "scope": "appraisal:read",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "appraisal:read"
    assert body["expires_in"] == 3600
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    echoed = await gateway.get(PRIVATE, headers=headers)
    assert echoed.status_code == 200
    # Granted only what was asked: reports:read was allowed but not requested.
    assert (await gateway.get("/api/v1/reporting/echo/x", headers=headers)).status_code == 403


async def test_client_credentials_without_scope_grant_all_allowed_scopes_with_basic_auth(
    gateway: httpx.AsyncClient,
) -> None:
    basic = base64.b64encode(b"payroll:payroll-secret").decode()
    response = await gateway.post(
        "/api/v1/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "appraisal:read reports:read"


async def test_client_credentials_refuse_a_scope_not_allowed_for_the_client(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post(
        "/api/v1/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "payroll",
            "client_secret": "payroll-secret",
            "scope": "appraisal:read appraisal:write",
        },
    )
    body = assert_problem(response, 400)
    assert body["error"] == "invalid_scope"
    assert "appraisal:write" in str(body["detail"])
    assert body["errors"] == [{"field": "body.scope", "detail": body["detail"]}]


@pytest.mark.parametrize(
    ("client_id", "secret"), [("payroll", "wrong"), ("nobody", "payroll-secret")]
)
async def test_client_credentials_refuse_a_wrong_secret_or_unknown_client(
    gateway: httpx.AsyncClient, client_id: str, secret: str
) -> None:
    response = await gateway.post(
        "/api/v1/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    body = assert_problem(response, 401)
    assert body["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "status", "field"),
    [
        ({"grant_type": "password", "client_id": "payroll"}, 400, "body.grant_type"),
        ({}, 400, "body.grant_type"),
        ({"grant_type": "client_credentials", "client_id": "payroll"}, 422, "body.client_secret"),
    ],
)
async def test_a_malformed_token_request_names_the_field(
    gateway: httpx.AsyncClient, form: dict[str, str], status: int, field: str
) -> None:
    body = assert_problem(await gateway.post("/api/v1/token", data=form), status)
    assert body["errors"][0]["field"] == field  # type: ignore[index]


async def test_the_cli_mints_a_development_token_the_gateway_accepts(
    gateway: httpx.AsyncClient,
) -> None:
    result = CliRunner().invoke(
        cli,
        ["token", "--role", "supervisor", "--subject", "u7", "--employee-id", "e1", "--unit", "k1"],
    )
    assert result.exit_code == 0, result.output
    jwt = result.output.strip()
    response = await gateway.get(PRIVATE, headers={"Authorization": f"Bearer {jwt}"})
    assert response.status_code == 200


async def test_dot_segments_cannot_smuggle_a_private_path_past_the_public_table(
    gateway: httpx.AsyncClient,
) -> None:
    # httpx would resolve the dots itself, so the request is written by hand.
    host, port = gateway.base_url.host, gateway.base_url.port
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        b"GET /api/v1/feedback/service-points/../moderation/queue HTTP/1.1\r\n"
        b"Host: gw\r\nX-App-Key: " + APP_KEY.encode() + b"\r\nConnection: close\r\n\r\n"
    )
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 422 Unprocessable Entity"
    assert b"application/problem+json" in rest


async def test_an_unknown_client_id_costs_the_same_pbkdf2_work_as_a_known_one(
    gateway: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Timing would tell which client ids exist if only known ones were hashed: count the work.
    done: list[tuple[str, int]] = []
    pbkdf2 = hashlib.pbkdf2_hmac

    def counted(name: str, secret: bytes, salt: bytes, iterations: int, *rest: int) -> bytes:
        done.append((name, iterations))
        return pbkdf2(name, secret, salt, iterations, *rest)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counted)
    seen = {}
    for client_id in ("payroll", "nobody"):
        done.clear()
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"}
        body = assert_problem(await gateway.post("/api/v1/token", data=form), 401)
        seen[client_id] = (list(done), body["error"], body["detail"])
    assert seen["payroll"] == seen["nobody"]
    assert seen["nobody"][0] == [("sha256", 1000)]  # the registered client's iterations


def test_a_client_whose_secret_hash_is_not_pbkdf2_stops_start_up() -> None:
    # A malformed hash would be refused without the PBKDF2 work, faster than a wrong secret.
    with pytest.raises(ValidationError, match="secret_hash"):
        OAuthClient(secret_hash="pbkdf2_sha256$1000$salt$not-hex")
