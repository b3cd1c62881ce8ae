"""Subscriptions through the API: owned by the client that made them, managed only with the
scope webhooks:manage, the secret shown once and kept encrypted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from webhooks.conftest import URL, SettingsFactory, client_of, started, subscribe, system_token

from kinerja_shared.auth import issue_token
from kinerja_webhooks.settings import WebhooksSettings

TARGET = "http://127.0.0.1:9/hooks"


@pytest.fixture
async def api(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The app without consumer or worker (only its API)."""
    async with (
        started(make_settings(run_consumers=False, run_delivery=False)) as app,
        client_of(app) as client,
    ):
        client.app = app  # type: ignore[attr-defined]
        yield client


def app_of(api: httpx.AsyncClient) -> FastAPI:
    found: FastAPI = api.app  # type: ignore[attr-defined]
    return found


async def test_a_new_subscription_answers_its_secret_once(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET, event_types=["appraisal.*"])
    assert created["secret"].startswith("whsec_")
    assert created["status"] == "active"
    shown = (await api.get(f"{URL}/subscriptions/{created['id']}", headers=payroll)).json()
    listed = (await api.get(f"{URL}/subscriptions", headers=payroll)).json()
    assert "secret" not in shown
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]


async def test_the_secret_is_stored_encrypted_never_in_plain_text(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET)
    runtime = app_of(api).state.runtime
    async with runtime.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT secret_encrypted FROM subscription"))).all()
    assert len(stored) == 1
    assert created["secret"] not in stored[0][0]
    assert runtime.secret_box.open(stored[0][0]) == created["secret"]


async def test_a_client_sees_only_its_own_subscriptions(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET)
    desk = system_token("complaints-desk")
    assert (await api.get(f"{URL}/subscriptions", headers=desk)).json()["total"] == 0
    found = await api.get(f"{URL}/subscriptions/{created['id']}", headers=desk)
    assert found.status_code == 404
    assert found.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "", {"description": "mine now"}),
        ("POST", "/pause", None),
        ("POST", "/secret", None),
        ("DELETE", "", None),
        ("GET", "/deliveries", None),
        ("POST", "/redeliver", {"since": "2026-01-01T00:00:00Z"}),
    ],
)
async def test_another_client_cannot_manage_a_subscription(
    api: httpx.AsyncClient,
    payroll: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    created = await subscribe(api, payroll, TARGET)
    response = await api.request(
        method,
        f"{URL}/subscriptions/{created['id']}{path}",
        json=body,
        headers=system_token("complaints-desk"),
    )
    assert response.status_code == 404
    still = (await api.get(f"{URL}/subscriptions/{created['id']}", headers=payroll)).json()
    assert (still["status"], still["description"]) == ("active", "")


async def test_a_client_without_the_scope_is_refused(api: httpx.AsyncClient) -> None:
    reader = system_token("payroll", scopes="appraisal:read")
    response = await api.get(f"{URL}/subscriptions", headers=reader)
    assert response.status_code == 403
    assert response.json()["required_scope"] == "webhooks:manage"


async def test_staff_may_not_manage_webhooks(api: httpx.AsyncClient) -> None:
    admin = issue_token(WebhooksSettings().auth, subject="bkpsdm", roles=["bkpsdm_admin"])
    response = await api.post(
        f"{URL}/subscriptions",
        json={"target_url": TARGET, "event_types": ["*"]},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert response.status_code == 403


async def test_an_event_type_naming_nothing_is_refused_naming_the_field(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    response = await api.post(
        f"{URL}/subscriptions",
        json={"target_url": TARGET, "event_types": ["apraisal.*"]},
        headers=payroll,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.event_types"
    assert (await api.get(f"{URL}/subscriptions", headers=payroll)).json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"previous_secret_valid_seconds": -1}, "body.previous_secret_valid_seconds"),
        ({"previous_secret_valid_seconds": 604801}, "body.previous_secret_valid_seconds"),
        ({"previous_secret_valid_seconds": "a day"}, "body.previous_secret_valid_seconds"),
        ({"keep": 10}, "body.keep"),
    ],
)
async def test_a_bad_rotation_is_refused_naming_the_field_and_keeps_the_secret(
    api: httpx.AsyncClient, payroll: dict[str, str], body: dict[str, Any], field: str
) -> None:
    created = await subscribe(api, payroll, TARGET)
    path = f"{URL}/subscriptions/{created['id']}"
    response = await api.post(f"{path}/secret", json=body, headers=payroll)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    still = (await api.get(path, headers=payroll)).json()
    assert (still["previous_secret_until"], still["updated_at"]) == (None, created["updated_at"])


@pytest.mark.parametrize(
    "body",
    [
        {"target_url": "ftp://example.org", "event_types": ["*"]},
        {"target_url": TARGET, "event_types": []},
        {"target_url": TARGET, "event_types": ["appraisal.(.*)"]},
        {"target_url": TARGET, "event_types": ["*"], "unit_ids": [""]},
        {"target_url": TARGET, "event_types": ["*"], "owner": "someone-else"},
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: httpx.AsyncClient, payroll: dict[str, str], body: dict[str, Any]
) -> None:
    response = await api.post(f"{URL}/subscriptions", json=body, headers=payroll)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert (await api.get(f"{URL}/subscriptions", headers=payroll)).json()["total"] == 0


async def test_an_update_changes_only_the_fields_given(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET, unit_ids=["u1"], description="payroll")
    response = await api.patch(
        f"{URL}/subscriptions/{created['id']}",
        json={"event_types": ["assessment.*", "objection.*"]},
        headers=payroll,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["event_types"] == ["assessment.*", "objection.*"]
    assert (updated["target_url"], updated["unit_ids"], updated["description"]) == (
        TARGET,
        ["u1"],
        "payroll",
    )


async def test_a_deleted_subscription_is_gone(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET)
    deleted = await api.delete(f"{URL}/subscriptions/{created['id']}", headers=payroll)
    assert deleted.status_code == 204
    gone = await api.get(f"{URL}/subscriptions/{created['id']}", headers=payroll)
    assert gone.status_code == 404


async def test_redelivering_an_unknown_delivery_is_not_found(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET)
    response = await api.post(
        f"{URL}/subscriptions/{created['id']}/deliveries/nope/redeliver", headers=payroll
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "no such delivery"


async def test_redelivering_since_a_time_without_an_offset_is_refused(
    api: httpx.AsyncClient, payroll: dict[str, str]
) -> None:
    created = await subscribe(api, payroll, TARGET)
    response = await api.post(
        f"{URL}/subscriptions/{created['id']}/redeliver",
        json={"since": "2026-01-01T00:00:00"},
        headers=payroll,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.since"


async def test_a_client_may_hold_only_so_many_subscriptions(
    make_settings: SettingsFactory, payroll: dict[str, str]
) -> None:
    # Each subscription is one more delivery of every event: the cap is the client's own
    # (its token's subject), so another client is not affected by it.
    settings = make_settings(
        run_consumers=False, run_delivery=False, max_subscriptions_per_client=2
    )
    async with started(settings) as app, client_of(app) as api:
        await subscribe(api, payroll, TARGET)
        await subscribe(api, payroll, TARGET)
        refused = await api.post(
            f"{URL}/subscriptions",
            json={"target_url": TARGET, "event_types": ["*"]},
            headers=payroll,
        )
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        assert "2" in refused.json()["detail"]
        assert (await api.get(f"{URL}/subscriptions", headers=payroll)).json()["total"] == 2
        await subscribe(api, system_token("tpp"), TARGET)
