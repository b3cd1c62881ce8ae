"""Use cases of erasure requests: find a person's submissions, erase each, keep an audit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain.tracking import (
    InvalidTrackingCode,
    normalise_tracking_code,
    tracking_digest,
)
from kinerja_feedback.erasure.schemas import ErasureCreate, ErasurePublic
from kinerja_feedback.erasure.service import erase
from kinerja_feedback.models import ErasureRequest, Feedback
from kinerja_shared.auth import Identity
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import InvalidInput, ResourceNotFound


async def _matching(session: AsyncSession, secrets: Secrets, body: ErasureCreate) -> list[Feedback]:
    conditions: list[ColumnElement[bool]] = []
    if body.feedback_ids:
        conditions.append(col(Feedback.id).in_(body.feedback_ids))
    if body.tracking_code:
        try:
            code = normalise_tracking_code(body.tracking_code)
        except InvalidTrackingCode as exc:
            raise InvalidInput(str(exc), field="body.tracking_code") from exc
        conditions.append(col(Feedback.tracking_digest) == tracking_digest(code))
    if phone := secrets.phone_digest(body.phone):
        conditions.append(col(Feedback.phone_hash) == phone)
    if email := secrets.email_digest(body.email):
        conditions.append(col(Feedback.email_hash) == email)
    if not conditions:
        raise InvalidInput("nothing to look for", field="body")
    rows = await session.scalars(
        select(Feedback).where(or_(*conditions)).order_by(col(Feedback.id)).with_for_update()
    )
    return list(rows)


async def erase_on_request(
    session: AsyncSession,
    outbox: Outbox,
    secrets: Secrets,
    *,
    identity: Identity,
    body: ErasureCreate,
    now: datetime,
) -> ErasurePublic:
    """Erase every submission the request names (404 when none matches) and record it."""
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


async def recent(session: AsyncSession, *, limit: int) -> list[ErasurePublic]:
    """The latest erasures, newest first."""
    rows = await session.scalars(
        select(ErasureRequest).order_by(col(ErasureRequest.at).desc()).limit(limit)
    )
    return [_public(r) for r in rows]
