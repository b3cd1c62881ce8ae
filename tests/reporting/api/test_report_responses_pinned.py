"""Report responses pinned byte for byte on a fixed history.

The unit IKM report and the employee history are answered from a cached unit tree, one
statement and responses built without re-validation; these bodies were produced by the
previous implementation (tree read per request, one query per figure, validated models)
and must not change, except where a rule changed on purpose: the samples of roll-ups with a
surveyed subunit that has not reported (root, u2) are unknown, and a service point's sample
is not assessable (docs/domain.md, reporting: population and sample adequacy).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from reporting.conftest import token
from reporting.feeding import Feeder, all_nine, feedback, service_point, service_users, unit

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.types.appraisal import AssessmentFinalized, ObjectionDecided

URL = "/api/v1/reporting"
AT = datetime(2026, 12, 20, tzinfo=UTC)


def _assessed(aid: str, period: str, predikat: str) -> AssessmentFinalized:
    return AssessmentFinalized(
        assessment_id=aid,
        employee_id="e1",
        unit_id="u3",
        appraiser_id="boss",
        period_id=f"p{period}",
        period_key=period,
        period_kind="annual",
        hasil="sesuai",
        perilaku="di_atas",
        predikat=predikat,
        finalized_at=AT,
    )


async def _history(feeder: Feeder) -> None:
    """Units root > u1, u2 > u3; three points; feedback in 2025 and 2026; assessments."""
    await feeder.send(
        unit("root", name="Dinas Kependudukan"),
        unit("u1", "root"),
        unit("u2", "root"),
        unit("u3", "u2", name="Kelurahan Sanur"),
        service_point("sp1", "u1"),
        service_point("sp2", "u2"),
        service_point("sp3", "u3"),
        service_users("root", "2026", 300),
        service_users("u3", "2026", 45),
        service_users("u3", "2026-03", 7),
    )
    answers = [
        all_nine(4),
        all_nine(3),
        {"U1": 2, "U2": 3, "U3": 4, "U5": 1, "U9": 4},
        {"U1": 4, "U4": 3, "U7": 2},
        all_nine(2),
        {f"U{i}": 1 + (i % 4) for i in range(1, 10)},
    ]
    points = [("sp1", "u1"), ("sp2", "u2"), ("sp3", "u3")]
    sent = []
    for n in range(18):
        sp, u = points[n % 3]
        visit = date(2026, 1 + n % 4, 1 + n) if n % 5 else date(2025, 6, 1 + n)
        sent.append(feedback(sp, u, answers[n % 6], visit=visit, feedback_id=f"pin{n:02d}"))
    await feeder.send(*sent)
    await feeder.send(
        ObjectionDecided(
            objection_id="o1",
            assessment_id="a2026",
            employee_id="e1",
            unit_id="u3",
            period_key="2026",
            decision="changed",
            original_predikat="butuh_perbaikan",
            final_predikat="baik",
            final_hasil="sesuai",
            final_perilaku="sesuai",
            decided_by="boss2",
            decided_at=AT,
        ),
        _assessed("a2025", "2025", "sangat_baik"),
        _assessed("a2026", "2026", "butuh_perbaikan"),
    )


REQUESTS = {
    "root 2026": f"{URL}/ikm/units/root?period=2026",
    "root 2026-03": f"{URL}/ikm/units/root?period=2026-03",
    "root 2026-Q1": f"{URL}/ikm/units/root?period=2026-Q1",
    "u2 alone 2026": f"{URL}/ikm/units/u2?period=2026&subunits=false",
    "u3 2026-03": f"{URL}/ikm/units/u3?period=2026-03",
    "u1 2024 (no index)": f"{URL}/ikm/units/u1?period=2024",
    "units 2026": f"{URL}/ikm/units?period=2026",
    "point sp3 2026": f"{URL}/ikm/service-points/sp3?period=2026",
    "trend root": f"{URL}/ikm/units/root/trend?period=2026-03&count=4",
    "history e1": f"{URL}/performance/employees/e1/history",
    "history e9 (none)": f"{URL}/performance/employees/e9/history",
}

#: The bodies, as the previous implementation answered them (UTF-8 text of each response).
PINNED = Path(__file__).with_name("pinned_reports.json")


async def test_unit_reports_and_history_keep_their_json_byte_for_byte(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await _history(feeder)
    admin = token(settings, "bkpsdm_admin")
    got: dict[str, bytes] = {}
    for name, path in REQUESTS.items():
        response = await client.get(path, headers=admin)
        assert response.status_code == 200, (name, response.text)
        got[name] = response.content
    expected = json.loads(PINNED.read_text())
    assert {name: body.decode() for name, body in got.items()} == expected
