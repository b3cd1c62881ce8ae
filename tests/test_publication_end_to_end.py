"""Publication through the gateway, on real Kafka: the head of a unit records a follow-up plan
(rencana tindak lanjut) and its progress in the feedback service, the events reach reporting,
and a citizen with no token and no app key reads the unit's IKM with the plan and its progress
next to it, cacheably (ETag, 304); nobody else writes a plan, and bad input names its field."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kinerja_gateway.settings import DEV_APP_KEY
from kinerja_shared.auth import issue_token
from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import running_system

pytestmark = pytest.mark.kafka
__all__ = ["unique"]

NAMES = ("I Made Lurah", "Ni Kadek Ayu", "I Komang Bagus")


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def test_a_citizen_reads_a_units_ikm_and_follow_up_plan_without_a_token(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    today = date.today()
    year = str(today.year)
    async with (
        running_system(
            tmp_path,
            kafka_bootstrap,
            namespace_of(unique),
            gateway={"trusted_proxies": ["127.0.0.1"]},
        ) as system,
        system.client() as api,
    ):
        auth = system.settings["gateway"].auth

        def bearer(subject: str, *roles: str, **claims: Any) -> dict[str, str]:
            token = issue_token(auth, subject=subject, roles=roles, **claims)
            return {"Authorization": f"Bearer {token}"}

        admin = bearer("bkpsdm", "bkpsdm_admin")
        kelurahan = await created(
            await api.post(
                "/api/v1/appraisal/units",
                json={"code": "KEL-PEMECUTAN", "name": "Kelurahan Pemecutan", "kind": "kelurahan"},
                headers=admin,
            )
        )
        unit_id = kelurahan["id"]
        people = []
        for n, name in enumerate(NAMES):
            body = {
                "nip": f"19{85 + n}0{n + 1}152010011{n + 1:03d}",
                "name": name,
                "kind": "pns",
                "position": "Lurah" if n == 0 else "Pengadministrasi Umum",
                "unit_id": unit_id,
                **({"supervisor_id": people[0]["id"]} if people else {}),
            }
            people.append(
                await created(
                    await api.post("/api/v1/appraisal/employees", json=body, headers=admin)
                )
            )
        lurah, owner, colleague = people
        head = bearer(
            lurah["id"], "employee", "unit_head", employee_id=lurah["id"], unit_code=unit_id
        )
        supervisor = bearer(
            colleague["id"],
            "employee",
            "supervisor",
            employee_id=colleague["id"],
            unit_code=unit_id,
        )

        # -- the feedback service learns the unit and its staff from events
        point: dict[str, Any] = {}

        async def point_created() -> bool:
            response = await api.post(
                "/api/v1/feedback/service-points",
                json={
                    "unit_id": unit_id,
                    "name": "Kantor Kelurahan Pemecutan",
                    "slug": f"pemecutan-{unique}",
                    "staff_codes": [owner["staff_code"]],
                },
                headers=admin,
            )
            point.update(response.json() if response.status_code == 201 else {})
            return response.status_code == 201

        await eventually(point_created, timeout=60, interval=0.25, message="no directory")

        # -- citizens rate the office through the app
        for n in range(3):
            submitted = await api.post(
                "/api/v1/feedback/feedback",
                json={
                    "service_point": point["slug"],
                    "visit_date": str(today - timedelta(days=n % 2)),
                    "channel": "app",
                    "answers": {f"U{i}": 2 + (i + n) % 2 for i in range(1, 10)},
                },
                headers={
                    "X-App-Key": DEV_APP_KEY,
                    "Idempotency-Key": str(uuid.uuid4()),
                    "X-Device-Id": f"device-{unique}-{n}",
                    "X-Forwarded-For": f"198.51.{n}.20",
                },
            )
            assert submitted.status_code == 201, submitted.text

        # -- the head of the unit records the follow-up plan; nobody else may
        plan_body = {
            "unit_id": unit_id,
            "period_key": year,
            "actions": [
                {
                    "element": "U5",
                    "description": "Loket kedua dan papan antrean digital untuk jam sibuk",
                    "owner_employee_id": owner["id"],
                    "due_date": str(today + timedelta(days=90)),
                }
            ],
        }
        plans = "/api/v1/feedback/follow-up-plans"
        refused = await api.post(plans, json=plan_body, headers=supervisor)
        assert refused.status_code == 403, refused.text
        bad = {**plan_body, "actions": [{**plan_body["actions"][0], "element": "U10"}]}
        invalid = await api.post(plans, json=bad, headers=head)
        assert invalid.status_code == 422
        assert invalid.json()["errors"][0]["field"] == "body.actions.0.element"
        plan = await created(await api.post(plans, json=plan_body, headers=head))
        action_id = plan["actions"][0]["id"]
        await created(
            await api.post(
                f"{plans}/{plan['id']}/actions/{action_id}/progress",
                json={
                    "status": "in_progress",
                    "progress_percent": 50,
                    "note": "Loket kedua dibuka",
                },
                headers=head,
            )
        )

        # -- a citizen, with no token and no app key, reads the result and the plan
        url = f"/api/v1/reporting/public/ikm/units/{unit_id}"
        citizen = system.client()
        published: dict[str, Any] = {}

        async def published_with_progress() -> bool:
            response = await citizen.get(url, params={"period": year})
            if response.status_code != 200:
                return False
            published.update(response.json())
            found = published["follow_up_plan"]
            return (
                published["ikm"]["respondents"] == 3
                and found is not None
                and found["progress_percent"] == 50
            )

        async with citizen:
            await eventually(
                published_with_progress, timeout=60, interval=0.25, message="never published"
            )
            ikm = published["ikm"]
            assert ikm["band"] is not None
            assert len(ikm["elements"]) == 9
            assert ikm["sample"]["state"] in {"adequate", "inadequate", "unknown"}
            [action] = published["follow_up_plan"]["actions"]
            assert action["owner_staff_code"] == owner["staff_code"]
            assert [s["status"] for s in action["progress"]] == ["planned", "in_progress"]
            first = await citizen.get(url, params={"period": year})
            assert first.headers["cache-control"].startswith("public, max-age=")
            again = await citizen.get(
                url, params={"period": year}, headers={"If-None-Match": first.headers["etag"]}
            )
            assert again.status_code == 304
            assert again.content == b""
            plan_page = await citizen.get(published["follow_up_plan"]["url"])
            assert plan_page.status_code == 200
            for text in (first.text, plan_page.text):
                for secret in (*NAMES, lurah["nip"], owner["nip"], owner["id"], lurah["id"]):
                    assert secret not in text
