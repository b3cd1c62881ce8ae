"""The end-to-end story of tests/test_end_to_end.py, told to a running deployment from outside.

`make deploy-test` (deploy/deploy-test.sh) runs it against the gateway the containers publish:

    python tests/deploy/gateway_scenario.py run http://127.0.0.1:18000 SECRETS_ENV_FILE
    python tests/deploy/gateway_scenario.py check-logs containers.log

A citizen rates a kelurahan office and the staff member who served them (retrying with the
same idempotency key), a colleague moderates the comment, the unit's IKM and the staff
member's summary appear in reporting, the summary reaches appraisal, the supervisor assesses,
BKPSDM finalises and the employee sees the result on the dashboard. Nothing but HTTP to the
gateway: staff tokens are signed with the deployment's token key (GATEWAY_TOKEN_SIGNING_KEY,
this script standing in for the city's OIDC provider), the app sends the plain app key whose
SHA-256 the gateway holds (DEPLOY_TEST_APP_KEY); both are read from the deployment's secrets
file. `check-logs` fails when the containers' logs hold the citizen's personal data. Not
collected by pytest (a script, not a test module).
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from dotenv import dotenv_values

from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings
from kinerja_shared.token_keys import TokenSigner

CITIZEN_NAME = "Ni Luh Putu Sekarini"
CITIZEN_PHONE = "0812-3456-7890"
CITIZEN_EMAIL = "sekarini.warga@example.co.id"
CITIZEN_NIK = "5171014506900002"
PII = (CITIZEN_NAME, CITIZEN_PHONE, CITIZEN_EMAIL, CITIZEN_NIK)
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
#: How long an event may take to travel (outbox → Kafka → consumer) before the story fails.
PROPAGATION_SECONDS = 90.0


class ScenarioFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ScenarioFailed(message)


def eventually(probe: Callable[[], bool], message: str) -> None:
    deadline = time.monotonic() + PROPAGATION_SECONDS
    while not probe():
        if time.monotonic() > deadline:
            raise ScenarioFailed(f"{message} (after {PROPAGATION_SECONDS:.0f} s)")
        time.sleep(0.5)


def created(response: httpx.Response) -> dict[str, Any]:
    check(response.status_code in (200, 201), f"{response.request.url}: {response.text}")
    return dict(response.json())


def nip(n: int) -> str:
    return f"19{80 + n:02d}0{n % 9 + 1}152008011{n:03d}"


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


class Steps:
    """Prints each step of the story with the time it took."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()

    def done(self, what: str) -> None:
        now = time.monotonic()
        print(f"  scenario: {what:<58} {now - self.last:6.1f} s", flush=True)
        self.last = now

    def total(self) -> float:
        return time.monotonic() - self.started


class Actors:
    """Bearer headers of the people in the story, signed with the deployment's token key."""

    def __init__(self, signing_key: str, jwks: str) -> None:
        self.signer = TokenSigner(signing_key.replace("\\n", "\n"))
        self.auth = AuthSettings(jwks=jwks)  # the issuer and audience the services expect
        self.admin = self.bearer("bkpsdm", "bkpsdm_admin", "analyst")

    def bearer(
        self, subject: str, *roles: str, employee_id: str | None = None, unit: str | None = None
    ) -> dict[str, str]:
        token = issue_token(
            self.auth,
            subject=subject,
            roles=roles,
            employee_id=employee_id,
            unit_code=unit,
            signer=self.signer,
        )
        return {"Authorization": f"Bearer {token}"}

    def staff(
        self, employee: dict[str, Any], *extra: str, unit: str | None = None
    ) -> dict[str, str]:
        return self.bearer(
            employee["id"], "employee", *extra, employee_id=employee["id"], unit=unit
        )


def run(url: str, signing_key: str, jwks: str, app_key: str) -> None:
    unique = uuid.uuid4().hex[:8]
    today = date.today()
    quarter = (today.month - 1) // 3 + 1
    period_key = f"{today.year}-Q{quarter}"
    who = Actors(signing_key, jwks)
    admin = who.admin
    steps = Steps()
    with httpx.Client(base_url=url, timeout=30) as api:
        # -- the organisation, as BKPSDM keeps it in the appraisal service
        kecamatan = created(
            api.post(
                "/api/v1/appraisal/units",
                json={
                    "code": f"KEC-{unique}",
                    "name": "Kecamatan Denpasar Barat",
                    "kind": "kecamatan",
                },
                headers=admin,
            )
        )
        kelurahan = created(
            api.post(
                "/api/v1/appraisal/units",
                json={
                    "code": f"KEL-{unique}",
                    "name": "Kelurahan Dauh Puri",
                    "kind": "kelurahan",
                    "parent_id": kecamatan["id"],
                },
                headers=admin,
            )
        )

        def employee(
            n: int, unit: dict[str, Any], position: str, supervisor: dict[str, Any] | None = None
        ) -> dict[str, Any]:
            body = {
                "nip": nip(n),
                "name": EMPLOYEE_NAMES[n - 1],
                "kind": "pns",
                "position": position,
                "unit_id": unit["id"],
                **({"supervisor_id": supervisor["id"]} if supervisor else {}),
            }
            return created(api.post("/api/v1/appraisal/employees", json=body, headers=admin))

        camat = employee(1, kecamatan, "Camat")
        lurah = employee(2, kelurahan, "Lurah", camat)
        staff = [employee(n, kelurahan, "Pengadministrasi Umum", lurah) for n in (3, 4, 5)]
        served_by = staff[0]
        for unit, head in ((kecamatan, camat), (kelurahan, lurah)):
            created(
                api.patch(
                    f"/api/v1/appraisal/units/{unit['id']}",
                    json={"head_employee_id": head["id"]},
                    headers=admin,
                )
            )
        steps.done("BKPSDM made 2 units and 5 employees (appraisal)")

        # -- the feedback service learns units and staff from events; then a service point
        point: dict[str, Any] = {}

        def point_created() -> bool:
            response = api.post(
                "/api/v1/feedback/service-points",
                json={
                    "unit_id": kelurahan["id"],
                    "name": "Kantor Kelurahan Dauh Puri",
                    "kind": "kelurahan_office",
                    "slug": f"dauh-puri-{unique}",
                    "service_types": ["surat keterangan"],
                    "staff_codes": [served_by["staff_code"]],
                },
                headers=admin,
            )
            point.update(response.json() if response.status_code == 201 else {})
            return response.status_code == 201

        eventually(point_created, "feedback never learnt the unit and its staff (Kafka)")
        steps.done("feedback learnt them from Kafka; a service point")

        # -- citizens submit through the app (app key, no account), six of them
        app = {"X-App-Key": app_key}
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
            first = api.post("/api/v1/feedback/feedback", json=body, headers=headers)
            check(first.status_code == 201, f"submission {n}: {first.status_code} {first.text}")
            if n == 0:  # the app timed out and retries: same key, same answer, one record
                retry = api.post("/api/v1/feedback/feedback", json=body, headers=headers)
                check(retry.json() == first.json(), "a retried submission got another answer")
            receipts.append(first.json())
        check(len({r["feedback_id"] for r in receipts}) == 6, "six submissions, six records")
        tracked = api.post(
            "/api/v1/feedback/track",
            json={"tracking_code": receipts[0]["tracking_code"]},
            headers=app,
        )
        check(tracked.status_code == 200, f"tracking: {tracked.text}")
        steps.done("6 citizens submitted (one retried), tracking works")

        # -- a colleague moderates the comment; the lurah (conflict of interest) may not
        masked = str(receipts[0]["comment_redacted"])
        check([s for s in PII if s in masked] == [CITIZEN_NAME], f"not masked: {masked}")
        comment_url = f"/api/v1/feedback/moderation/{receipts[0]['feedback_id']}/decision"
        as_lurah = who.staff(lurah, "supervisor", "unit_head", unit=kelurahan["id"])
        refused = api.post(comment_url, json={"decision": "approve"}, headers=as_lurah)
        check(refused.status_code == 403, f"the lurah moderated: {refused.status_code}")
        start = masked.index(CITIZEN_NAME)
        decided = api.post(
            comment_url,
            json={
                "decision": "approve",
                "mask": [{"start": start, "end": start + len(CITIZEN_NAME)}],
            },
            headers=who.staff(staff[1], "supervisor", unit=kelurahan["id"]),
        )
        check(decided.status_code == 200 and CITIZEN_NAME not in decided.text, decided.text)
        steps.done("moderation: the lurah refused (403), a colleague approved")

        # -- reporting: the unit's IKM and the staff member's summary
        def ikm_counted() -> bool:
            response = api.get(
                f"/api/v1/reporting/ikm/units/{kecamatan['id']}",
                params={"period": str(today.year)},
                headers=admin,
            )
            return response.status_code == 200 and response.json()["respondents"] == 6

        eventually(ikm_counted, "reporting never counted the six submissions in the IKM")
        ikm = api.get(
            f"/api/v1/reporting/ikm/units/{kelurahan['id']}",
            params={"period": str(today.year)},
            headers=admin,
        ).json()
        check(ikm["band"] in {"A", "B"} and ikm["ikm"] is not None, f"IKM: {ikm}")
        summary_url = f"/api/v1/reporting/summaries/employees/{served_by['id']}"

        def summarised() -> bool:
            response = api.get(summary_url, params={"period": period_key}, headers=admin)
            return response.status_code == 200 and response.json()["responses"] == 6

        eventually(summarised, "reporting never summarised the staff member's feedback")
        summary = api.get(summary_url, params={"period": period_key}, headers=admin).json()
        check(summary["sufficient"] is True, f"summary: {summary}")
        steps.done(f"reporting: IKM {ikm['ikm']} (band {ikm['band']}), summary of 6")

        # -- the summary reaches the appraisal service as evidence
        def evidence() -> bool:
            response = api.get(
                f"/api/v1/appraisal/employees/{served_by['id']}/citizen-feedback", headers=as_lurah
            )
            return response.status_code == 200 and any(
                item.get("responses") == 6 for item in response.json()
            )

        eventually(evidence, "appraisal never got the citizen feedback summary")
        steps.done("appraisal received the summary as evidence")

        # -- the period: the supervisor assesses and BKPSDM finalises the unit
        period = created(
            api.post(
                "/api/v1/appraisal/periods",
                json={"kind": "quarterly", "year": today.year, "number": quarter},
                headers=admin,
            )
        )
        for action in ("start", "begin-assessment"):
            created(api.post(f"/api/v1/appraisal/periods/{period['id']}/{action}", headers=admin))
        created(
            api.put(
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
            assessments[member["id"]] = created(
                api.post(
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
        created(
            api.post(
                "/api/v1/appraisal/assessments",
                json={"employee_id": lurah["id"], "period_id": period["id"], **ratings(None)},
                headers=as_camat,
            )
        )
        steps.done("period started; 4 assessments by the supervisors")
        final = api.post(
            f"/api/v1/appraisal/periods/{period['id']}/units/{kelurahan['id']}/finalize",
            headers=admin,
        )
        check(final.status_code == 200, f"finalise: {final.status_code} {final.text}")
        as_served = who.staff(served_by)
        mine = api.get(
            f"/api/v1/appraisal/assessments/{assessments[served_by['id']]['id']}", headers=as_served
        ).json()
        check(mine["state"] == "finalized" and mine["predikat"] == "sangat_baik", f"{mine}")
        check("6" in str(mine["snapshot"]), "the assessment does not hold the citizen feedback")
        steps.done("BKPSDM finalised the unit: predikat sangat_baik")

        # -- the employee's dashboard shows the result, assembled by the gateway
        def on_dashboard() -> bool:
            response = api.get(f"/api/v1/dashboard/employee/{served_by['id']}", headers=as_served)
            return response.status_code == 200 and "sangat_baik" in response.text

        eventually(on_dashboard, "the result never reached the employee's dashboard")
        steps.done("the employee's dashboard shows the result")
    print(f"  scenario: passed in {steps.total():.1f} s", flush=True)


def check_logs(path: Path) -> None:
    text = path.read_text(errors="replace")
    leaked = [s for s in PII if s in text]
    check(leaked == [], f"the containers' logs hold personal data: {leaked}")
    print(f"  scenario: no personal data in {len(text.splitlines())} log lines", flush=True)


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 3 and argv[0] == "run":
            secrets = dotenv_values(argv[2])
            run(
                argv[1],
                str(secrets["GATEWAY_TOKEN_SIGNING_KEY"]),
                str(secrets["KINERJA_AUTH_JWKS"]),
                str(secrets["DEPLOY_TEST_APP_KEY"]),
            )
        elif len(argv) == 2 and argv[0] == "check-logs":
            check_logs(Path(argv[1]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except ScenarioFailed as failure:
        print(f"  scenario: FAILED: {failure}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
