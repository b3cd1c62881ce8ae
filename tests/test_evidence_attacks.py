"""Attacks on citizen evidence against the running system, as an outsider would make them:
through the gateway with the mobile app's public key, and around it, straight to a service's
port. Each used to work (issue 13); each must fail.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kinerja_feedback.models import Feedback
from kinerja_gateway.settings import DEV_APP_KEY
from kinerja_shared.auth import issue_token
from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import running_system

pytestmark = pytest.mark.kafka
__all__ = ["unique"]

APP = {"X-App-Key": DEV_APP_KEY}
ONE_STAR = {"overall_rating": 1, "answers": {f"U{i}": 1 for i in range(1, 10)}}


async def test_a_campaign_through_the_gateway_with_forged_addresses_counts_once_for_the_person(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    today = date.today()
    async with (
        running_system(tmp_path, kafka_bootstrap, namespace_of(unique)) as system,
        system.client() as api,
    ):
        auth = system.settings["gateway"].auth
        admin = {
            "Authorization": "Bearer "
            + issue_token(auth, subject="bkpsdm", roles=["bkpsdm_admin", "analyst"])
        }

        async def created(response: httpx.Response) -> dict[str, Any]:
            assert response.status_code in (200, 201), response.text
            return dict(response.json())

        unit = await created(
            await api.post(
                "/api/v1/appraisal/units",
                json={"code": f"KEL-{unique}", "name": "Kelurahan Sumerta", "kind": "kelurahan"},
                headers=admin,
            )
        )
        target = await created(
            await api.post(
                "/api/v1/appraisal/employees",
                json={
                    "nip": "198507152010011003",
                    "name": "Ni Made Target",
                    "kind": "pns",
                    "position": "Pengadministrasi Umum",
                    "unit_id": unit["id"],
                },
                headers=admin,
            )
        )
        point: dict[str, Any] = {}

        async def point_created() -> bool:
            response = await api.post(
                "/api/v1/feedback/service-points",
                json={
                    "unit_id": unit["id"],
                    "name": "Kantor Kelurahan Sumerta",
                    "kind": "kelurahan_office",
                    "slug": f"sumerta-{unique}",
                    "staff_codes": [target["staff_code"]],
                },
                headers=admin,
            )
            point.update(response.json() if response.status_code == 201 else {})
            return response.status_code == 201

        await eventually(point_created, timeout=60, interval=0.25, message="no directory")

        # The staff code is public (service points list it). Twenty one-star scores from one
        # machine, each claiming another address and another device.
        for n in range(20):
            response = await api.post(
                "/api/v1/feedback/feedback",
                json={
                    "service_point": point["slug"],
                    "staff_code": target["staff_code"],
                    "visit_date": str(today),
                    "channel": "app",
                    **ONE_STAR,
                },
                headers={
                    **APP,
                    "Idempotency-Key": str(uuid.uuid4()),
                    "X-Device-Id": f"made-up-{n}",
                    "X-Forwarded-For": f"{10 + n}.{n}.0.1",
                },
            )
            assert response.status_code == 201, response.text

        # Around the gateway: the service's own port refuses the same submission.
        direct = await httpx.AsyncClient(base_url=system.urls["feedback"]).post(
            "/api/v1/feedback/feedback",
            json={"service_point": point["slug"], "visit_date": str(today), "channel": "app"},
            headers={"Idempotency-Key": str(uuid.uuid4()), "X-Forwarded-For": "1.2.3.4"},
        )
        assert direct.status_code == 401

        async with system.runtimes["feedback"].sessions() as session:
            counted = await session.scalar(
                select(func.count()).select_from(Feedback).where(Feedback.counted.is_(True))  # type: ignore[arg-type]
            )

        async def ikm_caught_up() -> bool:
            response = await api.get(
                f"/api/v1/reporting/ikm/units/{unit['id']}",
                params={"period": str(today.year)},
                headers=admin,
            )
            return response.status_code == 200 and response.json()["respondents"] == counted

        await eventually(ikm_caught_up, timeout=60, interval=0.25, message="IKM never caught up")
        summary = await api.get(
            f"/api/v1/reporting/summaries/employees/{target['id']}",
            params={"period": str(today.year)},
            headers=admin,
        )
        assert summary.status_code == 200, summary.text
        assert summary.json()["responses"] == 1
