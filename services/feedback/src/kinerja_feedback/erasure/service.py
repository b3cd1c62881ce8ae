"""Erasure of a submission's personal data, everywhere the service keeps it.

Used by a citizen's withdrawal (tracking code) and by BKPSDM on an erasure request. The
submission stops counting; what remains is what the audit needs and nothing personal: its
public id, service point, unit, scores' place in history (withdrawn), the digest of the
tracking code (so the citizen can still see it was withdrawn) and the idempotency key (so a
retry is told it is gone).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain.tracking import (
    InvalidTrackingCode,
    normalise_tracking_code,
    tracking_digest,
)
from kinerja_feedback.erasure import repository
from kinerja_feedback.erasure.schemas import ErasureCreate, ErasurePublic
from kinerja_feedback.models import ErasureRequest, Feedback
from kinerja_shared.auth import Identity
from kinerja_shared.events.topics import FEEDBACK_COMMENTS
from kinerja_shared.events.types.feedback import FeedbackWithdrawn
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import InvalidInput, ResourceNotFound

#: The status a retry of an erased submission's Idempotency-Key is answered with.
GONE = 410


def _clear_row(feedback: Feedback, now: datetime) -> None:
    feedback.withdrawn_at = now
    feedback.updated_at = now
    feedback.counted = False
    feedback.scores_held = False
    if feedback.staff_status == "held":
        feedback.staff_status = "discarded"
    # The citizen's words, contact, profile and location.
    feedback.contact_encrypted = None
    feedback.comment_encrypted = None
    feedback.comment_redacted = None
    feedback.age_band = feedback.sex = feedback.education = feedback.occupation = None
    feedback.latitude = feedback.longitude = None
    # Keyed hashes that still single the person out (device, address, contact).
    feedback.device_hash = feedback.address_hash = feedback.network_hash = None
    feedback.phone_hash = feedback.email_hash = feedback.duplicate_key = None
    # The stored receipt (it repeats the comment, profile and tracking code).
    feedback.tracking_code_encrypted = None
    feedback.request_fingerprint = None
    feedback.response_status = GONE
    feedback.response_body = {}


async def erase(
    session: AsyncSession,
    outbox: Outbox,
    *,
    feedback: Feedback,
    now: datetime,
    reason: Literal["withdrawn", "erased"],
) -> bool:
    """Erase one submission's personal data and stop counting it; False if it already was.

    Rows: the submission, its complaint history's messages, its moderation log's reasons.
    Stream: the published comment is tombstoned on the compacted comments topic, its outbox
    rows (sent or not) are deleted, and so are the submission's sent outbox rows (published
    already; the payloads of older versions carried the comment).
    """
    if feedback.withdrawn_at is not None and feedback.response_body == {}:
        return False
    published = feedback.moderation_status == "approved"
    _clear_row(feedback, now)
    await session.flush()
    await repository.clear_personal_text(session, feedback.id)
    await repository.delete_outbox_rows(session, outbox.tables.outbox, feedback.id)
    if published:
        await outbox.tombstone(session, topic=FEEDBACK_COMMENTS, key=feedback.id)
    await outbox.add(
        session,
        FeedbackWithdrawn(
            feedback_id=feedback.id,
            service_point_id=feedback.service_point_id,
            unit_id=feedback.unit_id,
            withdrawn_at=now,
            reason=reason,
        ),
    )
    return True


async def _matching(session: AsyncSession, secrets: Secrets, body: ErasureCreate) -> list[Feedback]:
    digest = None
    if body.tracking_code:
        try:
            digest = tracking_digest(normalise_tracking_code(body.tracking_code))
        except InvalidTrackingCode as exc:
            raise InvalidInput(str(exc), field="body.tracking_code") from exc
    phone = secrets.phone_digest(body.phone)
    email = secrets.email_digest(body.email)
    if not (body.feedback_ids or digest or phone or email):
        raise InvalidInput("nothing to look for", field="body")
    return await repository.matching(
        session,
        feedback_ids=body.feedback_ids,
        tracking_digest=digest,
        phone_hash=phone,
        email_hash=email,
    )


async def erase_on_request(
    session: AsyncSession,
    outbox: Outbox,
    secrets: Secrets,
    *,
    identity: Identity,
    body: ErasureCreate,
    now: datetime,
) -> ErasurePublic:
    """Erase every submission the request names (404 when none matches) and record it;
    bkpsdm_admin only."""
    access.require_admin(identity)
    found = await _matching(session, secrets, body)
    if not found:
        raise ResourceNotFound("no submission matches this erasure request")
    for feedback in found:
        await erase(session, outbox, feedback=feedback, now=now, reason="erased")
    record = ErasureRequest(
        id=str(uuid.uuid4()),
        requested_by=identity.subject,
        reference=body.reference,
        feedback_ids=[f.id for f in found],
        at=now,
    )
    session.add(record)
    await session.flush()
    return _public(record)


def _public(record: ErasureRequest) -> ErasurePublic:
    return ErasurePublic(
        erasure_id=record.id,
        reference=record.reference,
        feedback_ids=list(record.feedback_ids),
        requested_by=record.requested_by,
        at=record.at,
    )


async def recent(session: AsyncSession, *, identity: Identity, limit: int) -> list[ErasurePublic]:
    """The latest erasures, newest first; bkpsdm_admin only."""
    access.require_admin(identity)
    return [_public(r) for r in await repository.recent(session, limit=limit)]
