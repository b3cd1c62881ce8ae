"""The API keeps its own contract: Schemathesis over the merged OpenAPI of a running system.

An organisation, its staff, a period with plans, realisations, finalised assessments and an
objection, a service point, feedback and a complaint are seeded through the gateway, so that
generated requests meet real resources, not only 404s. Then every operation of the gateway's
merged document (but the excluded ones below) is called with generated requests, valid and
invalid (a fixed seed; a bounded number per operation), as BKPSDM with an admin and analyst
token and the mobile app's key: no response may be a server error, and every response must
have a documented status code and content type and a body matching its declared schema.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from kinerja_gateway.settings import DEV_APP_KEY
from kinerja_shared.auth import issue_token
from support.api_contract import check_contract
from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import RunningSystem, running_system

pytestmark = [
    pytest.mark.kafka,
    # Schemathesis draws some values with the `random` module, which Hypothesis seeds for each
    # example (the run stays derandomized); the warning would repeat for every operation.
    pytest.mark.filterwarnings(
        "ignore:Do not use the `random` module:hypothesis.errors.HypothesisDeprecationWarning"
    ),
]
__all__ = ["unique"]

#: Generated requests per operation and generation mode (valid, invalid): the whole run
#: stays within a couple of minutes on a 2-core machine.
EXAMPLES_PER_OPERATION = 12

#: Operations the run leaves alone, each with the reason.
EXCLUDED = {
    "POST /api/v1/reporting/admin/rebuild": (
        "empties every read model and replays the topics: the reports the run reads would "
        "be rebuilt underneath it"
    ),
}

#: No limit the run could reach (it sends a few thousand requests from one address).
UNLIMITED = {"per_minute": 1_000_000, "burst": 1_000_000}

BERAKHLAK = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


def bearer(system: RunningSystem, subject: str, *roles: str, **claims: Any) -> dict[str, str]:
    """The Authorization header of a token as `kinerja-gateway token` makes it."""
    token = issue_token(system.settings["gateway"].auth, subject=subject, roles=roles, **claims)
    return {"Authorization": f"Bearer {token}"}


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def seed(system: RunningSystem, api: httpx.AsyncClient, tag: str) -> dict[str, list[str]]:
    """An organisation with a finished appraisal cycle and citizen feedback; the ids of what
    exists, by the parameter names that take them."""
    admin = bearer(system, "bkpsdm", "bkpsdm_admin", "analyst")
    today = date.today()

    async def post(path: str, body: Any = None, headers: dict[str, str] = admin) -> Any:
        return await created(await api.post(f"/api/v1{path}", json=body, headers=headers))

    kecamatan = await post(
        "/appraisal/units",
        {"code": f"KEC-{tag}", "name": "Kecamatan Denpasar Timur", "kind": "kecamatan"},
    )
    kelurahan = await post(
        "/appraisal/units",
        {
            "code": f"KEL-{tag}",
            "name": "Kelurahan Sumerta",
            "kind": "kelurahan",
            "parent_id": kecamatan["id"],
        },
    )

    async def employee(
        n: int, name: str, position: str, unit: dict[str, Any], boss: Any = None
    ) -> Any:
        body = {
            "nip": f"19{80 + n:02d}0{n % 9 + 1}152008011{n:03d}",
            "name": name,
            "kind": "pns",
            "position": position,
            "unit_id": unit["id"],
            **({"supervisor_id": boss["id"]} if boss else {}),
        }
        return await post("/appraisal/employees", body)

    camat = await employee(1, "I Wayan Camat", "Camat", kecamatan)
    lurah = await employee(2, "I Made Lurah", "Lurah", kelurahan, camat)
    staff = [
        await employee(3 + i, name, "Pengadministrasi Umum", kelurahan, lurah)
        for i, name in enumerate(("Ni Kadek Ayu", "I Komang Bagus"))
    ]
    for unit, head in ((kecamatan, camat), (kelurahan, lurah)):
        await created(
            await api.patch(
                f"/api/v1/appraisal/units/{unit['id']}",
                json={"head_employee_id": head["id"]},
                headers=admin,
            )
        )

    def as_staff(member: dict[str, Any], unit: dict[str, Any], *roles: str) -> dict[str, str]:
        return bearer(
            system, member["id"], "employee", *roles, employee_id=member["id"], unit_code=unit["id"]
        )

    as_lurah = as_staff(lurah, kelurahan, "supervisor", "unit_head")
    as_camat = as_staff(camat, kecamatan, "supervisor", "unit_head")

    # -- the appraisal cycle of the year: plans, realisations, assessments, an objection
    period = await post("/appraisal/periods", {"kind": "annual", "year": today.year})
    await post(f"/appraisal/periods/{period['id']}/start")
    skps, indicators = [], []
    for member in staff:
        skp = await post(
            "/appraisal/skps",
            {
                "year": today.year,
                "rhk": [
                    {
                        "description": "Surat keterangan selesai tepat waktu",
                        "indicators": [
                            {"description": "Surat diterbitkan", "targets": {"kuantitas": "100"}}
                        ],
                    }
                ],
            },
            as_staff(member, kelurahan),
        )
        await post(f"/appraisal/skps/{skp['id']}/submit", None, as_staff(member, kelurahan))
        await post(f"/appraisal/skps/{skp['id']}/approve", None, as_lurah)
        skps.append(skp["id"])
        indicator = skp["rhk"][0]["indicators"][0]["id"]
        indicators.append(indicator)
        await created(
            await api.put(
                "/api/v1/appraisal/realisations",
                json={
                    "indicator_id": indicator,
                    "period_id": period["id"],
                    "value": "96",
                    "evidence": [
                        {"kind": "link", "value": "https://arsip.denpasarkota.go.id/sk/1"}
                    ],
                },
                headers=as_staff(member, kelurahan),
            )
        )
        await post(
            f"/appraisal/employees/{member['id']}/feedback-notes",
            {"text": "Pelayanan pagi sudah rapi", "period_id": period["id"]},
            as_lurah,
        )
    await post(f"/appraisal/periods/{period['id']}/begin-assessment")
    await created(
        await api.put(
            f"/api/v1/appraisal/periods/{period['id']}/units/{kelurahan['id']}"
            "/organisation-predikat",
            json={"predikat": "istimewa"},
            headers=admin,
        )
    )

    def ratings(rating: str) -> dict[str, Any]:
        note = {} if rating == "sesuai" else {"note": "sering terlihat"}
        return {"perilaku_values": {v: {"rating": rating, **note} for v in BERAKHLAK}}

    assessments = [
        await post(
            "/appraisal/assessments",
            {"employee_id": member["id"], "period_id": period["id"], "hasil": r, **ratings(r)},
            as_lurah,
        )
        for member, r in zip(staff, ("di_atas", "sesuai"), strict=True)
    ]
    assessments.append(
        await post(
            "/appraisal/assessments",
            {"employee_id": lurah["id"], "period_id": period["id"], **ratings("sesuai")},
            as_camat,
        )
    )
    await post(f"/appraisal/periods/{period['id']}/units/{kelurahan['id']}/finalize")
    objection = await post(
        f"/appraisal/assessments/{assessments[0]['id']}/objections",
        {"reasons": "Realisasi bulan Desember belum dihitung"},
        as_staff(staff[0], kelurahan),
    )

    # -- citizens: a service point (once the feedback service knows the unit), feedback, a
    # complaint
    point: dict[str, Any] = {}

    async def point_created() -> bool:
        response = await api.post(
            "/api/v1/feedback/service-points",
            json={
                "unit_id": kelurahan["id"],
                "name": "Kantor Kelurahan Sumerta",
                "kind": "kelurahan_office",
                "slug": f"sumerta-{tag.lower()}",
                "service_types": ["surat keterangan"],
                "staff_codes": [staff[0]["staff_code"]],
            },
            headers=admin,
        )
        point.update(response.json() if response.status_code == 201 else {})
        return response.status_code == 201

    await eventually(point_created, timeout=60, interval=0.25, message="no directory")
    app = {"X-App-Key": DEV_APP_KEY}
    feedback = []
    complaint = {
        "comment": "Antrian terlalu lama",
        "is_complaint": True,
        "contact": {"phone": "0812 3456 7890"},
    }
    for n, extra in enumerate(({"comment": "Cepat dan ramah"}, complaint, {})):
        body = {
            "service_point": point["slug"],
            "staff_code": staff[0]["staff_code"],
            "visit_date": str(today),
            "channel": "app",
            "answers": {f"U{i}": 3 for i in range(1, 10)},
            **extra,
        }
        receipt = await post(
            "/feedback/feedback",
            body,
            {**app, "Idempotency-Key": str(uuid.uuid4()), "X-Device-Id": f"device-{tag}-{n}"},
        )
        feedback.append(receipt["feedback_id"])
    return {
        "unit_id": [kecamatan["id"], kelurahan["id"]],
        "employee_id": [member["id"] for member in (camat, lurah, *staff)],
        "period_id": [period["id"]],
        "skp_id": skps,
        "indicator_id": indicators,
        "assessment_id": [a["id"] for a in assessments],
        "objection_id": [objection["id"]],
        "point_id": [point["id"]],
        "service_point_id": [point["id"]],
        "slug": [point["slug"]],
        "feedback_id": feedback,
        "year": [str(today.year)],
        "period": [str(today.year)],
    }


async def test_every_operation_answers_as_its_openapi_document_declares(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    limits = {
        "client_rate_limit": UNLIMITED,
        "address_rate_limit": UNLIMITED,
        "app_key_rate_limit": UNLIMITED,
    }
    async with (
        running_system(tmp_path, kafka_bootstrap, namespace_of(unique), gateway=limits) as system,
        system.client() as api,
    ):
        known = await seed(system, api, unique[:8].upper())
        headers = {
            **bearer(system, "bkpsdm", "bkpsdm_admin", "analyst"),
            "X-App-Key": DEV_APP_KEY,
        }
        report = await asyncio.to_thread(
            check_contract,
            f"{system.gateway}/api/v1/openapi.json",
            headers=headers,
            known=known,
            excluded=EXCLUDED,
            max_examples=EXAMPLES_PER_OPERATION,
        )
    print(report.summary())
    assert len(report.operations) > 90
    assert len(report.answered) > len(report.operations) // 2, report.summary()
    assert not report.server_errors, report.summary()
    assert not report.violations, report.summary()
