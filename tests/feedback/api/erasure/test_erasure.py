"""Erasure that works: a withdrawal or an erasure request removes the person's data from every
place the service keeps it — rows, stored idempotent responses, moderation logs, complaint
messages and the outbox that feeds the stream."""

from __future__ import annotations

import uuid

from feedback.fixtures import (
    ADMIN,
    PREFIX,
    UNIT_HEAD,
    create_point,
    reopen,
    submission,
    submit,
    track,
    withdraw,
)
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import ComplaintEntry, Feedback, ModerationAction, messaging
from kinerja_shared.outbox import TOMBSTONE

COMMENT = "Pak Wayan di loket KTP lambat sekali, saya tunggu 3 jam"


async def everything_stored(client: AsyncClient) -> str:
    """Every row of the service that could hold a submission's data, as one text."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        parts = [
            repr((await session.execute(select(table))).all())
            for table in (
                Feedback.__table__,  # type: ignore[attr-defined]
                ComplaintEntry.__table__,  # type: ignore[attr-defined]
                ModerationAction.__table__,  # type: ignore[attr-defined]
                messaging.outbox,
            )
        ]
    return "\n".join(parts)


async def test_a_withdrawn_submission_leaves_no_trace_of_what_the_citizen_said(
    client: AsyncClient,
) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    body = submission(
        is_complaint=True,
        comment=COMMENT,
        contact={"name": "Komang", "email": "komang@contoh.id"},
        respondent={"age_band": "26_35"},
    )
    receipt = (await submit(client, body, key=key)).json()
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    await client.post(f"{PREFIX}/complaints/{fid}/assignment", json={}, headers=UNIT_HEAD)
    await client.post(
        f"{PREFIX}/complaints/{fid}/responses",
        json={"message": "Mohon maaf Bu Komang, kami tindak lanjuti"},
        headers=UNIT_HEAD,
    )
    for status in ("verified", "in_progress", "resolved"):
        await client.post(
            f"{PREFIX}/complaints/{fid}/status", json={"status": status}, headers=UNIT_HEAD
        )
    await reopen(client, code, "Masih lambat, Pak Wayan tetap begitu")
    approved = await client.post(
        f"{PREFIX}/moderation/{fid}/decision",
        json={"decision": "approve", "reason": "komentar tentang Pak Wayan wajar"},
        headers=UNIT_HEAD,
    )
    assert approved.status_code == 200, approved.text
    assert "Wayan" in await everything_stored(client)

    assert (await withdraw(client, code)).status_code == 200

    stored = await everything_stored(client)
    for secret in ("Wayan", "Komang", "komang@contoh.id", "26_35", code):
        assert secret not in stored, secret
    replay = await submit(client, body, key=key)
    assert replay.status_code == 410
    assert replay.headers["content-type"] == "application/problem+json"
    assert "Wayan" not in replay.text
    assert (await track(client, code)).json()["withdrawn"] is True


async def test_a_comment_not_yet_published_when_withdrawn_is_never_published(
    client: AsyncClient,
) -> None:
    await create_point(client)
    receipt = (await submit(client, submission(comment=COMMENT))).json()
    fid = receipt["feedback_id"]
    await client.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "approve"}, headers=UNIT_HEAD
    )
    # The relay is not running in these tests: the comment is still waiting in the outbox.
    assert (await withdraw(client, receipt["tracking_code"])).status_code == 200
    outbox = messaging.outbox
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(outbox.c.topic, outbox.c.event_type, outbox.c.payload)
                .where(outbox.c.key == fid)
                .order_by(outbox.c.id)
            )
        ).all()
    comments = [(t, e, p) for t, e, p in rows if t == "kinerja.feedback.comments"]
    assert comments == [("kinerja.feedback.comments", TOMBSTONE, b"")]
    assert all(b"Wayan" not in p for _, _, p in rows)


async def test_an_erasure_request_finds_a_persons_submissions_by_contact(
    client: AsyncClient,
) -> None:
    await create_point(client)
    mine = [
        (
            await submit(
                client,
                submission(comment=f"Keluhan {n}", contact={"phone": phone}),
                device=f"d{n}",
            )
        ).json()["feedback_id"]
        for n, phone in enumerate(["0812-3456-7890", "+62 812 3456 7890"])
    ]
    other = (
        await submit(client, submission(contact={"phone": "0813 0000 1111"}), device="d9")
    ).json()["feedback_id"]
    request = {"reference": "Surat 800/123/BKPSDM/2026", "phone": "6281234567890"}
    assert (
        await client.post(f"{PREFIX}/erasures", json=request, headers=UNIT_HEAD)
    ).status_code == 403
    done = await client.post(f"{PREFIX}/erasures", json=request, headers=ADMIN)
    assert done.status_code == 201, done.text
    assert sorted(done.json()["feedback_ids"]) == sorted(mine)
    stored = await everything_stored(client)
    assert "Keluhan" not in stored
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        kept = await session.get(Feedback, other)
        assert kept is not None
        assert kept.withdrawn_at is None
        assert kept.contact_encrypted is not None
    audit = (await client.get(f"{PREFIX}/erasures", headers=ADMIN)).json()
    assert [a["reference"] for a in audit] == ["Surat 800/123/BKPSDM/2026"]
    assert "6281234567890" not in str(audit)
    nobody = await client.post(
        f"{PREFIX}/erasures", json={"reference": "x", "email": "tak@ada.id"}, headers=ADMIN
    )
    assert nobody.status_code == 404
    nothing = await client.post(f"{PREFIX}/erasures", json={"reference": "x"}, headers=ADMIN)
    assert nothing.status_code == 422
