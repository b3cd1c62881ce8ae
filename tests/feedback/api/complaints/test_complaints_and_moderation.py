"""Complaint lifecycle with deadlines on a controllable clock; moderation; contact access."""

from __future__ import annotations

from datetime import timedelta

from feedback.fixtures import (
    ADMIN,
    OTHER_HEAD,
    PREFIX,
    UNIT_HEAD,
    Clock,
    create_point,
    reopen,
    submission,
    submit,
    track,
    withdraw,
)
from httpx import AsyncClient


async def file_complaint(client: AsyncClient) -> dict:
    body = submission(
        is_complaint=True,
        comment="Petugas minta uang, NIK saya 5171012345678901, email made@contoh.id",
        contact={"name": "Made", "phone": "081234567890"},
    )
    response = await submit(client, body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_complaint_moves_through_its_lifecycle_and_the_citizen_reopens(
    client: AsyncClient,
) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    # Received Wednesday 2026-03-04: 3 working days -> Monday 03-09; 5 -> Wednesday 03-11.
    assert receipt["complaint"]["first_response_due"] == "2026-03-09"
    assert receipt["complaint"]["resolution_due"] == "2026-03-11"
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    for status in ("verified", "in_progress", "resolved"):
        moved = await client.post(
            f"{PREFIX}/complaints/{fid}/status", json={"status": status}, headers=UNIT_HEAD
        )
        assert moved.status_code == 200, moved.text
    illegal = await client.post(
        f"{PREFIX}/complaints/{fid}/status", json={"status": "verified"}, headers=UNIT_HEAD
    )
    assert illegal.status_code == 409
    reopened = await reopen(client, code, "Belum beres")
    assert reopened.status_code == 200
    history = reopened.json()["complaint"]["history"]
    assert [h["status"] for h in history] == [
        "received",
        "verified",
        "in_progress",
        "resolved",
        "reopened",
    ]


async def test_overdue_flags_follow_the_clock(client: AsyncClient, clock: Clock) -> None:
    await create_point(client)
    code = (await file_complaint(client))["tracking_code"]
    assert (await track(client, code)).json()["complaint"]["overdue"] == []
    clock.now += timedelta(days=6)  # Tuesday 03-10: verification and first response overdue
    assert (await track(client, code)).json()["complaint"]["overdue"] == [
        "verification",
        "first_response",
    ]
    clock.now += timedelta(days=2)  # Thursday 03-12: resolution overdue too
    late = (await client.get(f"{PREFIX}/complaints?overdue=true", headers=UNIT_HEAD)).json()
    assert late[0]["overdue"] == ["verification", "first_response", "resolution"]


async def test_contact_is_readable_only_by_the_assigned_handler(client: AsyncClient) -> None:
    await create_point(client)
    fid = (await file_complaint(client))["feedback_id"]
    unassigned = await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
    assert unassigned.status_code == 403
    claimed = await client.post(f"{PREFIX}/complaints/{fid}/assignment", json={}, headers=UNIT_HEAD)
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["handler_employee_id"] == "emp-head"
    mine = await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
    assert mine.status_code == 200
    assert mine.json()["phone"] == "081234567890"
    assert (
        await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=OTHER_HEAD)
    ).status_code == 403
    admin = await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=ADMIN)
    assert admin.status_code == 403
    assert (await client.get(f"{PREFIX}/complaints/{fid}/contact")).status_code == 401
    log = (await client.get(f"{PREFIX}/moderation/{fid}/log", headers=ADMIN)).json()
    assert [entry["action"] for entry in log] == ["assigned", "contact_read"]


async def test_comments_are_masked_and_published_only_after_approval(client: AsyncClient) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    assert receipt["comment_redacted"] == (
        "Petugas minta uang, NIK saya [NIK disembunyikan], email [email disembunyikan]"
    )
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    original = await client.get(f"{PREFIX}/moderation/{fid}/original", headers=UNIT_HEAD)
    assert "5171012345678901" in original.json()["comment"]
    assert (await track(client, code)).json()["comment_status"] == "pending_moderation"
    no_reason = await client.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "reject"}, headers=UNIT_HEAD
    )
    assert no_reason.status_code == 422
    approved = await client.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "approve"}, headers=UNIT_HEAD
    )
    assert approved.status_code == 200
    again = await client.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "approve"}, headers=UNIT_HEAD
    )
    assert again.status_code == 409
    assert (await track(client, code)).json()["comment_status"] == "published"
    log = (await client.get(f"{PREFIX}/moderation/{fid}/log", headers=UNIT_HEAD)).json()
    assert [entry["action"] for entry in log] == ["original_read", "approved"]


async def test_abusive_text_holds_the_scores_until_a_moderator_decides_on_them(
    client: AsyncClient,
) -> None:
    await create_point(client)
    receipt = (await submit(client, submission(comment="Petugasnya goblok sekali"))).json()
    assert receipt["held_for_review"] is True
    fid = receipt["feedback_id"]
    rejected = await client.post(
        f"{PREFIX}/moderation/{fid}/decision",
        json={"decision": "reject", "reason": "bahasa kasar"},
        headers=UNIT_HEAD,
    )
    assert rejected.json()["counted"] is False
    assert rejected.json()["scores_held"] is True  # the comment's fate is not the scores'
    assert rejected.json()["abuse_flags"] == ["abusive_language"]
    counted = await client.post(
        f"{PREFIX}/moderation/{fid}/scores",
        json={"unit": "count", "reason": "kunjungan nyata"},
        headers=UNIT_HEAD,
    )
    assert counted.status_code == 200, counted.text
    assert counted.json()["counted"] is True
    assert counted.json()["scores_held"] is False


async def test_a_units_response_is_public_and_masked(client: AsyncClient) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    answered = await client.post(
        f"{PREFIX}/complaints/{fid}/responses",
        json={"message": "Silakan hubungi kami di 0361-223344"},
        headers=UNIT_HEAD,
    )
    assert answered.status_code == 201
    history = (await track(client, code)).json()["complaint"]["history"]
    assert history[-1]["kind"] == "response"
    assert history[-1]["message"] == "Silakan hubungi kami di [telepon disembunyikan]"
    foreign = await client.post(
        f"{PREFIX}/complaints/{fid}/responses", json={"message": "x"}, headers=OTHER_HEAD
    )
    assert foreign.status_code == 403


async def test_withdrawal_erases_the_contact_and_hides_the_complaint(client: AsyncClient) -> None:
    await create_point(client)
    receipt = await file_complaint(client)
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    assert (await withdraw(client, code)).status_code == 200
    assert (await withdraw(client, code)).json()["withdrawn"] is True
    gone = await client.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
    assert gone.status_code == 404
    assert (await track(client, "KNJ-2222-2222")).status_code in (404, 422)
    assert (await track(client, "garbage")).status_code == 422
