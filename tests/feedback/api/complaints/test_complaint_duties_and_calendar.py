"""Complaint deadlines under the holiday calendar, reclassification, reopening and the separate
duties of verification and first response (docs/domain.md, complaints)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from feedback.fixtures import (
    PREFIX,
    UNIT_HEAD,
    Clock,
    create_point,
    reopen,
    submission,
    submit,
    token,
    track,
)
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import messaging

# Monday 2026-03-16, 10:00 WITA: the week of Nyepi and Idul Fitri 1447.
NYEPI_WEEK = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
SUPERVISOR = token(["supervisor"], subject="spv-1", employee_id="emp-1")
APPRAISER_ONLY = token(["appraiser"], subject="apr-1", employee_id="emp-2")


async def load_shipped_calendar(client: AsyncClient) -> None:
    """Load the repository's holiday lists, as the migration does on a real database."""
    from kinerja_feedback.holidays import service as holidays
    from kinerja_feedback.holidays.files import shipped_lists

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session, session.begin():
        for holiday_list in shipped_lists():
            await holidays.load_list(session, holiday_list, now=NYEPI_WEEK)


async def file_complaint(client: AsyncClient, **fields: object) -> dict:
    response = await submit(client, submission(is_complaint=True, comment="Antrean", **fields))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move(client: AsyncClient, fid: str, status: str) -> dict:
    moved = await client.post(
        f"{PREFIX}/complaints/{fid}/status", json={"status": status}, headers=UNIT_HEAD
    )
    assert moved.status_code == 200, moved.text
    return dict(moved.json())


async def respond(client: AsyncClient, fid: str) -> dict:
    answered = await client.post(
        f"{PREFIX}/complaints/{fid}/responses", json={"message": "Kami cek"}, headers=UNIT_HEAD
    )
    assert answered.status_code == 201, answered.text
    return dict(answered.json())


async def complaint(client: AsyncClient, fid: str) -> dict:
    found = await client.get(f"{PREFIX}/complaints/{fid}", headers=UNIT_HEAD)
    assert found.status_code == 200, found.text
    return dict(found.json())


def duty_states(view: dict) -> dict[str, str]:
    return {d["duty"]: d["state"] for d in view["duties"]}


# --- 6. The holiday calendar -------------------------------------------------------------


async def test_the_national_and_bali_holidays_move_a_complaints_deadlines(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    await load_shipped_calendar(client)
    clock.now = NYEPI_WEEK
    receipt = await file_complaint(client, visit_date="2026-03-15")
    # Working days after Monday 03-16: Tue 17; then Wed 18 (cuti bersama, Tawur Kesanga),
    # Thu 19 (Nyepi), Fri 20 (cuti bersama, Ngembak Geni), the weekend of Idul Fitri and
    # Mon 23 / Tue 24 (cuti bersama) are off: Wed 25, Thu 26, Fri 27, Mon 30.
    assert receipt["complaint"]["first_response_due"] == "2026-03-26"
    assert receipt["complaint"]["resolution_due"] == "2026-03-30"


async def test_the_working_weekdays_are_a_setting(
    feedback_db: str, app_factory, clock: Clock
) -> None:
    from feedback.fixtures import seed_directory
    from httpx import ASGITransport

    from kinerja_feedback.models import metadata
    from support.database import empty_tables
    from support.gateway_assertion import AsGateway

    await empty_tables(feedback_db, metadata)
    app = app_factory(complaint_working_weekdays=[1, 2, 3, 4, 5, 6])
    await seed_directory(app)
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://feedback", auth=AsGateway("feedback")
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        await create_point(http)
        receipt = await file_complaint(http)
    await app.state.runtime.engine.dispose()
    # Wednesday 03-04 with Saturdays worked: Thu 5, Fri 6, Sat 7 -> 03-07; five: Tue 03-10.
    assert receipt["complaint"]["first_response_due"] == "2026-03-07"
    assert receipt["complaint"]["resolution_due"] == "2026-03-10"


# --- 7. Reclassification and reopening ------------------------------------------------------


async def test_staff_reclassify_a_complaint_and_its_deadlines_follow_from_the_receipt(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    clock.now += timedelta(days=2)  # reclassified on Friday; the clock still runs from Wed
    changed = await client.post(
        f"{PREFIX}/complaints/{fid}/category",
        json={"category": "dispute", "reason": "Sengketa biaya, perlu klarifikasi"},
        headers=UNIT_HEAD,
    )
    assert changed.status_code == 200, changed.text
    view = changed.json()
    assert view["category"] == "dispute"
    # Received Wednesday 03-04: 14 working days -> Tuesday 03-24; the first response is unchanged.
    assert view["resolution_due"] == "2026-03-24"
    assert view["first_response_due"] == "2026-03-09"
    entry = view["history"][-1]
    assert entry["kind"] == "reclassified"
    assert (entry["previous_category"], entry["category"]) == ("simple_complaint", "dispute")
    assert (entry["previous_resolution_due"], entry["resolution_due"]) == (
        "2026-03-11",
        "2026-03-24",
    )
    assert entry["message"] == "Sengketa biaya, perlu klarifikasi"


async def test_a_reclassification_publishes_an_event_without_the_reason(
    client: AsyncClient,
) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    await client.post(
        f"{PREFIX}/complaints/{fid}/category",
        json={"category": "dispute_field_check", "reason": "Perlu cek lapangan oleh Made"},
        headers=UNIT_HEAD,
    )
    outbox = messaging.outbox
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(outbox.c.event_type, outbox.c.payload).where(outbox.c.key == fid)
            )
        ).all()
    events = {t: json.loads(p)["data"] for t, p in rows}
    data = events["id.denpasar.kinerja.complaint.reclassified.v1"]
    assert (data["previous_category"], data["category"]) == (
        "simple_complaint",
        "dispute_field_check",
    )
    assert data["resolution_due"] == "2026-05-27"
    assert all(b"Made" not in p for _, p in rows)


async def test_a_reclassification_needs_a_reason_and_changes_nothing_without_one(
    client: AsyncClient,
) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    refused = await client.post(
        f"{PREFIX}/complaints/{fid}/category", json={"category": "dispute"}, headers=UNIT_HEAD
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "body.reason" in refused.text
    view = await complaint(client, fid)
    assert view["category"] == "simple_complaint"
    assert view["resolution_due"] == "2026-03-11"


async def test_only_complaint_handlers_may_reclassify(client: AsyncClient) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    refused = await client.post(
        f"{PREFIX}/complaints/{fid}/category",
        json={"category": "dispute", "reason": "Sengketa"},
        headers=APPRAISER_ONLY,
    )
    assert refused.status_code == 403
    assert (await complaint(client, fid))["category"] == "simple_complaint"


async def test_a_reopened_complaint_gets_a_new_resolution_clock_and_keeps_the_old_date(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    await respond(client, fid)
    for status in ("verified", "in_progress", "resolved"):
        await move(client, fid, status)
    clock.now = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Monday, past the old 03-11
    reopened = await reopen(client, code, "Belum beres")
    assert reopened.status_code == 200, reopened.text
    status = reopened.json()["complaint"]
    assert status["overdue"] == []
    # Five working days from Monday 03-16 (no holidays loaded): Monday 03-23.
    assert status["resolution_due"] == "2026-03-23"
    entry = status["history"][-1]
    assert entry["status"] == "reopened"
    assert (entry["previous_resolution_due"], entry["resolution_due"]) == (
        "2026-03-11",
        "2026-03-23",
    )


# --- 8. Verification and first response are separate duties ---------------------------------


async def test_verifying_without_responding_leaves_the_first_response_overdue(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    await move(client, fid, "verified")
    clock.now += timedelta(days=6)  # Tuesday 03-10, past the first-response date 03-09
    view = await complaint(client, fid)
    assert view["overdue"] == ["first_response"]
    assert duty_states(view) == {
        "verification": "done",
        "first_response": "overdue",
        "resolution": "due",
    }


async def test_a_response_without_verification_shows_only_the_verification_overdue(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    fid = receipt["feedback_id"]
    await respond(client, fid)
    clock.now += timedelta(days=6)
    view = await complaint(client, fid)
    assert view["overdue"] == ["verification"]
    assert duty_states(view) == {
        "verification": "overdue",
        "first_response": "done",
        "resolution": "due",
    }
    tracked = (await track(client, receipt["tracking_code"])).json()["complaint"]
    assert tracked["overdue"] == ["verification"]


async def test_the_overdue_list_names_the_duty_that_is_late(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    answered = (await file_complaint(client))["feedback_id"]
    await respond(client, answered)
    await move(client, answered, "verified")
    silent = (await file_complaint(client))["feedback_id"]
    await move(client, silent, "verified")
    clock.now += timedelta(days=6)
    late = (await client.get(f"{PREFIX}/complaints?overdue=true", headers=SUPERVISOR)).json()
    assert [(c["feedback_id"], c["overdue"]) for c in late] == [(silent, ["first_response"])]
    due = {d["duty"]: d["due"] for d in late[0]["duties"]}
    assert due == {
        "verification": "2026-03-09",
        "first_response": "2026-03-09",
        "resolution": "2026-03-11",
    }
    assert date.fromisoformat(due["first_response"]) < date(2026, 3, 10)
