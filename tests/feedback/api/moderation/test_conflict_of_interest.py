"""Conflict of interest and moderation powers: the employee a complaint names and their
supervisors never handle it, read its contact or moderate it; moderators hide text but never
write it; rejecting a comment never un-counts its scores."""

from __future__ import annotations

from typing import Any

import pytest
from feedback.fixtures import (
    ADMIN,
    NOW,
    PREFIX,
    UNIT,
    UNIT_HEAD,
    create_point,
    submission,
    submit,
    token,
)
from httpx import AsyncClient

from kinerja_feedback.directory import service as directory
from kinerja_shared.events.types.appraisal import EmployeeUpserted

# emp-1 (DP-001) reports to emp-2, who reports to emp-5; emp-4 is a colleague of neither line.
NAMED = token(["supervisor"], subject="u-emp-1", employee_id="emp-1")
SUPERVISOR = token(["supervisor"], subject="u-emp-2", employee_id="emp-2")
HEAD_OF_LINE = token(["unit_head"], subject="u-emp-5", employee_id="emp-5")
NO_EMPLOYEE_ID = token(["supervisor"], subject="u-anon")
COLLEAGUE = token(["supervisor"], subject="u-emp-4", employee_id="emp-4")


@pytest.fixture
async def line(client: AsyncClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session, session.begin():
        for employee_id, code, supervisor in (
            ("emp-1", "DP-001", "emp-2"),
            ("emp-2", "DP-002", "emp-5"),
            ("emp-5", "DP-005", None),
            ("emp-4", "DP-004", None),
        ):
            await directory.upsert_staff(
                session,
                EmployeeUpserted(
                    employee_id=employee_id,
                    staff_code=code,
                    kind="pns",
                    position="Pelayanan",
                    unit_id=UNIT,
                    supervisor_id=supervisor,
                ),
                now=NOW,
            )
    await create_point(client)


async def complaint_about_emp_1(client: AsyncClient) -> dict[str, Any]:
    body = submission(
        is_complaint=True,
        staff_code="DP-001",
        comment="Petugas DP-001 meminta uang tambahan",
        contact={"name": "Ketut", "phone": "081234567890"},
    )
    response = await submit(client, body)
    assert response.status_code == 201, response.text
    return dict(response.json())


CONFLICTED = [
    pytest.param(NAMED, id="the named employee"),
    pytest.param(SUPERVISOR, id="their supervisor"),
    pytest.param(HEAD_OF_LINE, id="their supervisor's supervisor"),
    pytest.param(NO_EMPLOYEE_ID, id="unit staff whose token names no employee"),
]


@pytest.mark.usefixtures("line")
@pytest.mark.parametrize("who", CONFLICTED)
async def test_the_named_employee_and_their_line_cannot_handle_the_complaint(
    client: AsyncClient, who: dict[str, str]
) -> None:
    fid = (await complaint_about_emp_1(client))["feedback_id"]
    refused = [
        await client.post(f"{PREFIX}/complaints/{fid}/assignment", json={}, headers=who),
        await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=who),
        await client.post(
            f"{PREFIX}/complaints/{fid}/status", json={"status": "rejected"}, headers=who
        ),
        await client.post(
            f"{PREFIX}/complaints/{fid}/responses", json={"message": "Tidak benar"}, headers=who
        ),
        await client.get(f"{PREFIX}/moderation/{fid}/original", headers=who),
        await client.post(
            f"{PREFIX}/moderation/{fid}/decision",
            json={"decision": "reject", "reason": "fitnah"},
            headers=who,
        ),
    ]
    assert [r.status_code for r in refused] == [403] * 6, [r.text for r in refused]
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    queue = (await client.get(f"{PREFIX}/moderation/queue", headers=who)).json()["items"]
    assert fid not in [q["feedback_id"] for q in queue]
    [complaint] = (await client.get(f"{PREFIX}/complaints", headers=ADMIN)).json()
    assert complaint["status"] == "received"
    assert complaint["handler_employee_id"] is None


@pytest.mark.usefixtures("line")
async def test_a_colleague_outside_the_line_handles_it_and_alone_reads_the_contact(
    client: AsyncClient,
) -> None:
    fid = (await complaint_about_emp_1(client))["feedback_id"]
    assert fid in [
        q["feedback_id"]
        for q in (await client.get(f"{PREFIX}/moderation/queue", headers=COLLEAGUE)).json()["items"]
    ]
    claimed = await client.post(f"{PREFIX}/complaints/{fid}/assignment", json={}, headers=COLLEAGUE)
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["handler_employee_id"] == "emp-4"
    contact = await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=COLLEAGUE)
    assert contact.status_code == 200
    assert contact.json()["phone"] == "081234567890"
    # The unit head outside the line cannot read it either: only the handler.
    assert (
        await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
    ).status_code == 403
    moved = await client.post(
        f"{PREFIX}/complaints/{fid}/status", json={"status": "verified"}, headers=COLLEAGUE
    )
    assert moved.status_code == 200


@pytest.mark.usefixtures("line")
async def test_nobody_can_hand_the_complaint_to_the_named_employees_line(
    client: AsyncClient,
) -> None:
    fid = (await complaint_about_emp_1(client))["feedback_id"]
    for employee_id in ("emp-1", "emp-2", "emp-5"):
        handed = await client.post(
            f"{PREFIX}/complaints/{fid}/assignment",
            json={"employee_id": employee_id},
            headers=ADMIN,
        )
        assert handed.status_code == 403, employee_id
    handed = await client.post(
        f"{PREFIX}/complaints/{fid}/assignment", json={"employee_id": "emp-4"}, headers=ADMIN
    )
    assert handed.status_code == 200
    # Only the unit head or an admin hands complaints out; a colleague cannot take it over.
    taken = await client.post(
        f"{PREFIX}/complaints/{fid}/assignment",
        json={},
        headers=token(["supervisor"], subject="u-emp-9", employee_id="emp-9"),
    )
    assert taken.status_code == 403


async def test_a_moderator_cannot_write_new_text(client: AsyncClient) -> None:
    await create_point(client)
    fid = (await submit(client, submission(comment="Pelayanan lambat"))).json()["feedback_id"]
    rewritten = await client.post(
        f"{PREFIX}/moderation/{fid}/decision",
        json={"decision": "approve", "comment_redacted": "Pelayanan sangat memuaskan!"},
        headers=UNIT_HEAD,
    )
    assert rewritten.status_code == 422
    [item] = (await client.get(f"{PREFIX}/moderation/queue", headers=UNIT_HEAD)).json()["items"]
    assert item["comment_redacted"] == "Pelayanan lambat"
    assert item["moderation_status"] == "pending"


async def test_a_moderator_hides_parts_of_a_comment_with_masks(client: AsyncClient) -> None:
    await create_point(client)
    comment = "Bu Sari di loket 2 sangat membantu"
    fid = (await submit(client, submission(comment=comment))).json()["feedback_id"]
    start = comment.index("Bu Sari")
    approved = await client.post(
        f"{PREFIX}/moderation/{fid}/decision",
        json={"decision": "approve", "mask": [{"start": start, "end": start + len("Bu Sari")}]},
        headers=UNIT_HEAD,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["comment_redacted"] == "[disamarkan] di loket 2 sangat membantu"
    [past_the_end] = [{"start": 0, "end": 999}]
    other = (await submit(client, submission(comment="x y z"), device="d2")).json()
    refused = await client.post(
        f"{PREFIX}/moderation/{other['feedback_id']}/decision",
        json={"decision": "approve", "mask": [past_the_end]},
        headers=UNIT_HEAD,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.mask"


async def test_rejecting_a_comment_never_uncounts_its_scores(client: AsyncClient) -> None:
    await create_point(client)
    fid = (await submit(client, submission(comment="Tidak ramah"))).json()["feedback_id"]
    rejected = await client.post(
        f"{PREFIX}/moderation/{fid}/decision",
        json={"decision": "reject", "reason": "menyebut nama orang"},
        headers=UNIT_HEAD,
    )
    assert rejected.status_code == 200
    assert rejected.json()["moderation_status"] == "rejected"
    assert rejected.json()["counted"] is True
