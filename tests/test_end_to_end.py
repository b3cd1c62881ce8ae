"""The whole flow through the gateway only, on real Kafka, and the stream's privacy guarantee.

A citizen rates a kelurahan office and the staff member who served them (retrying with the
same idempotency key), the comment is moderated, the unit's IKM and the staff member's
citizen feedback summary appear in reporting, the summary reaches the appraisal service,
the supervisor assesses and finalises, and the employee sees the result on the dashboard.
Then every topic is read from the beginning: no personal data may appear in any event (the
citizen's, nor the employees' names and NIPs), nor in any log line.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kinerja_feedback.domain.redaction import personal_data_paths
from kinerja_gateway.settings import DEV_APP_KEY
from kinerja_shared.auth import issue_token
from kinerja_shared.events.topics import SERVICE_TOPICS
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream.reader import TopicReader
from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import RunningSystem, running_system

pytestmark = pytest.mark.kafka
__all__ = ["unique"]

CITIZEN_NAME = "Ni Luh Putu Sekarini"
CITIZEN_PHONE = "0812-3456-7890"
CITIZEN_EMAIL = "sekarini.warga@example.co.id"
CITIZEN_NIK = "5171014506900002"
PII = (CITIZEN_NAME, CITIZEN_PHONE, CITIZEN_EMAIL, CITIZEN_NIK, "81234567890")
#: Employees appear on the stream by id and staff code only: never by name, never by NIP.
EMPLOYEE_NAMES = (
    "I Wayan Camat",
    "I Made Lurah",
    "Ni Kadek Ayu",
    "I Komang Bagus",
    "Ni Ketut Citra",
)
BERAKHLAK = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


class Actors:
    """Bearer headers of the people in the story (tokens as `kinerja-gateway token` makes)."""

    def __init__(self, system: RunningSystem) -> None:
        self.auth = system.settings["gateway"].auth
        self.admin = self.bearer("bkpsdm", "bkpsdm_admin", "analyst")

    def bearer(
        self, subject: str, *roles: str, employee_id: str | None = None, unit: str | None = None
    ) -> dict[str, str]:
        token = issue_token(
            self.auth, subject=subject, roles=roles, employee_id=employee_id, unit_code=unit
        )
        return {"Authorization": f"Bearer {token}"}

    def staff(
        self, employee: dict[str, Any], *extra: str, unit: str | None = None
    ) -> dict[str, str]:
        return self.bearer(
            employee["id"], "employee", *extra, employee_id=employee["id"], unit=unit
        )


def nip(n: int) -> str:
    return f"19{80 + n:02d}0{n % 9 + 1}152008011{n:03d}"


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def ratings(hasil: str | None, perilaku: str = "sesuai") -> dict[str, Any]:
    body: dict[str, Any] = {
        "perilaku_values": {
            v: {"rating": perilaku, **({} if perilaku == "sesuai" else {"note": "sering terlihat"})}
            for v in BERAKHLAK
        }
    }
    if hasil is not None:
        body["hasil"] = hasil
    return body


async def test_a_citizens_feedback_reaches_the_appraisal_and_no_personal_data_leaks(
    tmp_path: Path, kafka_bootstrap: str, unique: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    namespace = namespace_of(unique)
    today = date.today()
    quarter = (today.month - 1) // 3 + 1
    period_key = f"{today.year}-Q{quarter}"
    async with (
        # The test client stands for the city's load balancer: its X-Forwarded-For names each
        # citizen's address, as a real one would (the gateway trusts it, and only it).
        running_system(
            tmp_path, kafka_bootstrap, namespace, gateway={"trusted_proxies": ["127.0.0.1"]}
        ) as system,
        system.client() as api,
    ):
        who = Actors(system)
        admin = who.admin

        # -- the organisation, as BKPSDM keeps it in the appraisal service
        kecamatan = await created(
            await api.post(
                "/api/v1/appraisal/units",
                json={"code": "KEC-DB", "name": "Kecamatan Denpasar Barat", "kind": "kecamatan"},
                headers=admin,
            )
        )
        kelurahan = await created(
            await api.post(
                "/api/v1/appraisal/units",
                json={
                    "code": "KEL-DAUHPURI",
                    "name": "Kelurahan Dauh Puri",
                    "kind": "kelurahan",
                    "parent_id": kecamatan["id"],
                },
                headers=admin,
            )
        )

        async def employee(
            n: int,
            name: str,
            unit: dict[str, Any],
            position: str,
            supervisor: dict[str, Any] | None = None,
        ) -> dict[str, Any]:
            body = {
                "nip": nip(n),
                "name": name,
                "kind": "pns",
                "position": position,
                "unit_id": unit["id"],
                **({"supervisor_id": supervisor["id"]} if supervisor else {}),
            }
            return await created(
                await api.post("/api/v1/appraisal/employees", json=body, headers=admin)
            )

        camat = await employee(1, EMPLOYEE_NAMES[0], kecamatan, "Camat")
        lurah = await employee(2, EMPLOYEE_NAMES[1], kelurahan, "Lurah", camat)
        staff = [
            await employee(3 + i, name, kelurahan, "Pengadministrasi Umum", lurah)
            for i, name in enumerate(EMPLOYEE_NAMES[2:])
        ]
        served_by = staff[0]
        for unit, head in ((kecamatan, camat), (kelurahan, lurah)):
            await created(
                await api.patch(
                    f"/api/v1/appraisal/units/{unit['id']}",
                    json={"head_employee_id": head["id"]},
                    headers=admin,
                )
            )

        # -- the feedback service learns units and staff from events; then a service point
        point_body = {
            "unit_id": kelurahan["id"],
            "name": "Kantor Kelurahan Dauh Puri",
            "kind": "kelurahan_office",
            "slug": f"dauh-puri-{unique}",
            "service_types": ["surat keterangan"],
            "staff_codes": [served_by["staff_code"]],
        }
        point: dict[str, Any] = {}

        async def point_created() -> bool:
            response = await api.post(
                "/api/v1/feedback/service-points", json=point_body, headers=admin
            )
            point.update(response.json() if response.status_code == 201 else {})
            return response.status_code == 201

        await eventually(
            point_created, timeout=60, interval=0.25, message="directory never got the unit"
        )

        # -- citizens submit through the app (app key, no account)
        app = {"X-App-Key": DEV_APP_KEY}
        receipts = []
        for n in range(6):
            body: dict[str, Any] = {
                "service_point": point["slug"],
                "staff_code": served_by["staff_code"],
                "visit_date": str(today - timedelta(days=n % 2)),
                "channel": "app",
                "answers": {f"U{i}": 3 + (i + n) % 2 for i in range(1, 10)},
                "overall_rating": 4,
            }
            if n == 0:
                body |= {
                    "comment": f"Pelayanan cepat. Saya {CITIZEN_NAME}, hubungi {CITIZEN_PHONE} "
                    f"atau {CITIZEN_EMAIL}, NIK {CITIZEN_NIK}.",
                    "contact": {
                        "name": CITIZEN_NAME,
                        "phone": CITIZEN_PHONE,
                        "email": CITIZEN_EMAIL,
                    },
                    "respondent": {"sex": "P"},
                }
            headers = {
                **app,
                "Idempotency-Key": str(uuid.uuid4()),
                "X-Device-Id": f"device-{unique}-{n}",
                "X-Forwarded-For": f"198.51.{n}.10",  # six citizens, six networks
            }
            first = await api.post("/api/v1/feedback/feedback", json=body, headers=headers)
            assert first.status_code == 201, first.text
            if n == 0:  # the app timed out and retries: same key, same answer, one record
                retry = await api.post("/api/v1/feedback/feedback", json=body, headers=headers)
                assert retry.status_code == 201
                assert retry.json() == first.json()
                masked = str(first.json()["comment_redacted"])
                # phone, e-mail and NIK are masked automatically; names are the moderator's job
                assert [s for s in PII if s in masked] == [CITIZEN_NAME]
            receipts.append(first.json())
        assert len({r["feedback_id"] for r in receipts}) == 6
        tracked = await api.post(
            "/api/v1/feedback/track",
            json={"tracking_code": receipts[0]["tracking_code"]},
            headers=app,
        )
        assert tracked.status_code == 200

        # -- a colleague moderates the comment: the lurah, the supervisor of the staff member
        # it names, may not (conflict of interest); the moderator hides the citizen's name
        comment_url = f"/api/v1/feedback/moderation/{receipts[0]['feedback_id']}/decision"
        lurah_moderates = await api.post(
            comment_url,
            json={"decision": "approve"},
            headers=who.staff(lurah, "supervisor", "unit_head", unit=kelurahan["id"]),
        )
        assert lurah_moderates.status_code == 403, lurah_moderates.text
        start = masked.index(CITIZEN_NAME)
        decided = await api.post(
            comment_url,
            json={
                "decision": "approve",
                "mask": [{"start": start, "end": start + len(CITIZEN_NAME)}],
            },
            headers=who.staff(staff[1], "supervisor", unit=kelurahan["id"]),
        )
        assert decided.status_code == 200, decided.text
        assert CITIZEN_NAME not in decided.text

        # -- reporting: the unit's IKM and the staff member's summary
        async def ikm_counted() -> bool:
            response = await api.get(
                f"/api/v1/reporting/ikm/units/{kecamatan['id']}",
                params={"period": str(today.year)},
                headers=admin,
            )
            return response.status_code == 200 and response.json()["respondents"] == 6

        await eventually(
            ikm_counted, timeout=60, interval=0.25, message="IKM never counted the feedback"
        )
        ikm = (
            await api.get(
                f"/api/v1/reporting/ikm/units/{kelurahan['id']}",
                params={"period": str(today.year)},
                headers=admin,
            )
        ).json()
        assert ikm["band"] in {"A", "B"}
        assert ikm["ikm"] is not None

        summary_url = f"/api/v1/reporting/summaries/employees/{served_by['id']}"

        async def summarised() -> bool:
            response = await api.get(summary_url, params={"period": period_key}, headers=admin)
            return response.status_code == 200 and response.json()["responses"] == 6

        await eventually(summarised, timeout=60, interval=0.25, message="no feedback summary")
        summary = (await api.get(summary_url, params={"period": period_key}, headers=admin)).json()
        assert summary["sufficient"] is True

        # -- the summary reaches the appraisal service as evidence
        as_lurah = who.staff(lurah, "supervisor", "unit_head", unit=kelurahan["id"])

        async def evidence() -> bool:
            response = await api.get(
                f"/api/v1/appraisal/employees/{served_by['id']}/citizen-feedback", headers=as_lurah
            )
            return response.status_code == 200 and any(
                item.get("responses") == 6 for item in response.json()
            )

        await eventually(
            evidence, timeout=60, interval=0.25, message="appraisal never got the summary"
        )

        # -- the period: the supervisor assesses and BKPSDM finalises the unit
        period = await created(
            await api.post(
                "/api/v1/appraisal/periods",
                json={"kind": "quarterly", "year": today.year, "number": quarter},
                headers=admin,
            )
        )
        for action in ("start", "begin-assessment"):
            await created(
                await api.post(f"/api/v1/appraisal/periods/{period['id']}/{action}", headers=admin)
            )
        await created(
            await api.put(
                f"/api/v1/appraisal/periods/{period['id']}/units/{kelurahan['id']}"
                "/organisation-predikat",
                json={"predikat": "istimewa"},
                headers=admin,
            )
        )
        assessments = {}
        for member, hasil, perilaku in (
            (staff[0], "di_atas", "di_atas"),
            (staff[1], "sesuai", "sesuai"),
            (staff[2], "sesuai", "sesuai"),
        ):
            assessments[member["id"]] = await created(
                await api.post(
                    "/api/v1/appraisal/assessments",
                    json={
                        "employee_id": member["id"],
                        "period_id": period["id"],
                        **ratings(hasil, perilaku),
                    },
                    headers=as_lurah,
                )
            )
        as_camat = who.staff(camat, "supervisor", "unit_head", unit=kecamatan["id"])
        await created(
            await api.post(
                "/api/v1/appraisal/assessments",
                json={"employee_id": lurah["id"], "period_id": period["id"], **ratings(None)},
                headers=as_camat,
            )
        )
        final = await api.post(
            f"/api/v1/appraisal/periods/{period['id']}/units/{kelurahan['id']}/finalize",
            headers=admin,
        )
        assert final.status_code == 200, final.text

        as_served = who.staff(served_by)
        mine = (
            await api.get(
                f"/api/v1/appraisal/assessments/{assessments[served_by['id']]['id']}",
                headers=as_served,
            )
        ).json()
        assert mine["state"] == "finalized"
        assert mine["predikat"] == "sangat_baik"
        assert "6" in str(mine["snapshot"])  # the citizen feedback it was based on

        # -- the employee's dashboard shows the result, assembled by the gateway
        async def on_dashboard() -> bool:
            response = await api.get(
                f"/api/v1/dashboard/employee/{served_by['id']}", headers=as_served
            )
            return response.status_code == 200 and "sangat_baik" in response.text

        await eventually(
            on_dashboard, timeout=30, interval=0.25, message="result not on the dashboard"
        )

        # -- the stream: everything published, and nothing personal in it
        async def events_out() -> bool:
            publishers = [r for r in system.runtimes.values() if r.relay.topics]  # not webhooks
            return all(r.relay.stats.published > 0 for r in publishers)

        await eventually(events_out, message="some service published nothing")

    leaks = []
    total = 0
    nips = [nip(n) for n in range(1, len(EMPLOYEE_NAMES) + 1)]  # as the employees were made
    async with TopicReader(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), [namespace + t for t in SERVICE_TOPICS]
    ) as reader:
        start, stop = await reader.range_bounds(None, None)
        records = [r async for r in reader.read_range(start, stop)]
    for record in records:
        event = record.event
        total += 1
        raw = event.model_dump_json()
        # Identifiers are UUIDs the system makes; their hex digits can look like a phone number.
        leaks += [
            f"{event.type}: {p}" for p in personal_data_paths(event.data) if not p.endswith("_id")
        ]
        leaks += [f"{event.type}: contains {s!r}" for s in PII if s in raw]
        leaks += [f"{event.type}: names employee {s!r}" for s in EMPLOYEE_NAMES if s in raw]
        leaks += [f"{event.type}: carries NIP {n}" for n in nips if n in raw]
    assert total > 20
    assert leaks == [], leaks
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert [s for s in PII if s in logged] == []
