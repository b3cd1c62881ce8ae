"""Use case of the hot path: accept a citizen's submission, once per idempotency key."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain import abuse, attribution, complaint, redaction
from kinerja_feedback.domain.addresses import network_of, subscriber_of
from kinerja_feedback.domain.survey import SURVEY_VERSION
from kinerja_feedback.domain.tracking import new_tracking_code, tracking_digest
from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.holidays import service as holidays
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.submissions import reference_cache as references
from kinerja_feedback.submissions import repository
from kinerja_feedback.submissions.reference_cache import PointRef
from kinerja_feedback.submissions.schemas import ComplaintSummary, FeedbackCreate, FeedbackReceipt
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.types.feedback import ComplaintStatusChanged, FeedbackSubmitted
from kinerja_shared.group_commit import GroupCommit
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, Gone, InvalidInput, TooManyRequests

CREATED = 201


@dataclass(frozen=True)
class Origin:
    """Where a submission comes from: the device id the client claims, and the client address
    the gateway resolved (raw values are only hashed)."""

    device_id: str | None
    client_address: str | None

    def hashes(self, secrets: Secrets) -> tuple[str | None, str | None, str | None]:
        """Keyed hashes of the device, the subscriber (IPv6: its /64) and its network."""
        address = self.client_address
        return (
            secrets.hash(self.device_id),
            secrets.hash(subscriber_of(address)) if address else None,
            secrets.hash(network_of(address)) if address else None,
        )


@dataclass(frozen=True)
class StoredResponse:
    """The status and body returned for an idempotency key, first time and every retry."""

    status: int
    body: dict[str, Any]


def fingerprint(body: FeedbackCreate, channel: str, location: tuple[float, float] | None) -> str:
    """A hash of the request, to tell a retry from a different request under a reused key."""
    material = {"body": body.model_dump(mode="json"), "channel": channel, "location": location}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _replay(existing: repository.StoredRow, print_: str, secrets: Secrets) -> StoredResponse:
    if existing.request_fingerprint is None:
        # Withdrawn or erased: nothing of it is kept, not even the hash of the request.
        raise Gone(
            "the submission sent with this Idempotency-Key was withdrawn or erased",
            field="header.Idempotency-Key",
        )
    if existing.request_fingerprint != print_:
        raise Conflict(
            "this Idempotency-Key was already used for a different request",
            field="header.Idempotency-Key",
        )
    body = dict(existing.response_body)
    code = secrets.decrypt(
        existing.tracking_code_encrypted, what="tracking code", feedback_id=existing.id
    )
    if code is not None:
        body["tracking_code"] = code
    return StoredResponse(existing.response_status, body)


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


async def complaint_deadlines(
    session: AsyncSession,
    category: complaint.ComplaintCategory,
    received_at: datetime,
    settings: FeedbackSettings,
) -> complaint.Deadlines:
    """The deadlines of a complaint under the configured working calendar."""
    calendar = await holidays.working_calendar(session, settings, wita_date(received_at))
    return complaint.deadlines(category, received_at, calendar, settings.deadline_policy())


async def _validate(
    session: AsyncSession, body: FeedbackCreate, settings: FeedbackSettings, now: datetime
) -> tuple[PointRef, str | None]:
    ttl = settings.reference_cache_seconds
    point = await references.service_point(session, body.service_point, ttl=ttl)
    if point is None or not point.active:
        raise InvalidInput("unknown or inactive service point", field="body.service_point")
    today = wita_date(now)
    if body.visit_date > today:
        raise InvalidInput("the visit date is in the future", field="body.visit_date")
    if body.visit_date < today - timedelta(days=settings.visit_max_age_days):
        raise InvalidInput(
            f"the visit date is more than {settings.visit_max_age_days} days ago",
            field="body.visit_date",
        )
    if body.comment is not None and len(body.comment) > settings.comment_max_length:
        raise InvalidInput(
            f"the comment is longer than {settings.comment_max_length} characters",
            field="body.comment",
        )
    if body.service_type is not None and body.service_type not in point.service_types:
        raise InvalidInput(
            "this service point does not offer that service type", field="body.service_type"
        )
    employee_id = None
    if body.staff_code is not None:
        staff = await references.staff_member(session, body.staff_code, ttl=ttl)
        serves_here = staff is not None and (
            body.staff_code in point.staff_codes
            or (not point.staff_codes and staff.unit_id == point.unit_id)
        )
        if staff is None or not serves_here:
            raise InvalidInput("no such staff code at this service point", field="body.staff_code")
        employee_id = staff.employee_id
    return point, employee_id


async def submit_feedback(
    writes: GroupCommit,
    outbox: Outbox,
    *,
    settings: FeedbackSettings,
    secrets: Secrets,
    body: FeedbackCreate,
    idempotency_key: str,
    origin: Origin,
    now: datetime,
    channel: str | None = None,
    location: tuple[float, float] | None = None,
) -> StoredResponse:
    """Store a submission and its events once per key; a retry gets the original response.

    Concurrent submissions share a transaction and one commit (`kinerja_shared.group_commit`);
    each is answered only once its own rows are committed. The key is not looked up first: a
    new key (nearly every request) costs no read. A retry fails on the unique key (or
    earlier, on validation or a rate limit, as the rest of its work is rolled back with it)
    and only then is the stored response read.
    """
    channel = channel or body.channel
    print_ = fingerprint(body, channel, location)

    async def accept(session: AsyncSession) -> StoredResponse:
        point, employee_id = await _validate(session, body, settings, now)
        return await _store(
            session,
            outbox,
            settings=settings,
            secrets=secrets,
            body=body,
            key=idempotency_key,
            print_=print_,
            origin=origin,
            now=now,
            point=point,
            employee_id=employee_id,
            channel=channel,
            location=location,
        )

    try:
        return await writes.run(accept)
    except (IntegrityError, InvalidInput, TooManyRequests):
        # Either this key was stored already (a retry, perhaps a concurrent one that won the
        # race): answer as the first time; or the request is refused as it stands.
        async with writes.sessions() as session:
            existing = await repository.stored_response(session, idempotency_key)
        if existing is None:
            raise
        return _replay(existing, print_, secrets)


async def _check_rates(
    session: AsyncSession,
    settings: FeedbackSettings,
    device: str | None,
    address: str | None,
    now: datetime,
    context: repository.AbuseQuery,
) -> tuple[int, bool]:
    """Count this submission against the device and address limits (429 over either) and
    return the abuse context read in the same statement."""
    limits = {
        "device": (
            device,
            abuse.RateLimit(
                settings.device_rate_limit, timedelta(seconds=settings.device_rate_window_seconds)
            ),
        ),
        "address": (
            address,
            abuse.RateLimit(
                settings.address_rate_limit, timedelta(seconds=settings.address_rate_window_seconds)
            ),
        ),
    }
    keys = [
        (scope, subject, _window_start(now, int(rate.window.total_seconds())))
        for scope, (subject, rate) in limits.items()
        if subject is not None
    ]
    counts, recent, duplicate = await repository.bump_counters(session, keys, context)
    for scope, _subject, start in keys:
        rate = limits[scope][1]
        decision = abuse.fixed_window_decision(counts[scope] - 1, start, now, rate)
        if not decision.allowed:
            raise TooManyRequests(
                f"too many submissions from this {scope}; try again in {decision.retry_after} s",
                field="header.X-Device-Id" if scope == "device" else "client_address",
                headers={"Retry-After": str(decision.retry_after)},
            )
    return recent, duplicate


async def _store(
    session: AsyncSession,
    outbox: Outbox,
    *,
    settings: FeedbackSettings,
    secrets: Secrets,
    body: FeedbackCreate,
    key: str,
    print_: str,
    origin: Origin,
    now: datetime,
    point: PointRef,
    employee_id: str | None,
    channel: str,
    location: tuple[float, float] | None,
) -> StoredResponse:
    device, address, network = origin.hashes(secrets)
    dup_key = (
        abuse.duplicate_key(device_hash=device, service_point_id=point.id, visited=body.visit_date)
        if device
        else None
    )
    burst = abuse.BurstPolicy(
        settings.burst_threshold, timedelta(seconds=settings.burst_window_seconds)
    )
    context = repository.AbuseQuery(
        address_hash=address,
        since=now - burst.window,
        until=now,
        limit=burst.threshold,
        duplicate_key=dup_key,
    )
    recent, duplicate = await _check_rates(session, settings, device, address, now, context)
    comment = body.comment or None
    flags = (
        redaction.abuse_flags(
            comment,
            **({"abusive_words": settings.abusive_words} if settings.abusive_words else {}),
        )
        if comment
        else []
    )
    reasons = abuse.suspicion_reasons(
        duplicate=duplicate,
        abuse_flags=flags,
        address_count=recent + 1 if address else 0,
        now=now,
        burst=burst,
    )
    suspicious = bool(reasons)
    redacted = redaction.redact(comment).text if comment else None
    feedback_id = str(uuid.uuid4())
    tracking = new_tracking_code()
    answers = {code.value: score for code, score in sorted(body.answers.items())}
    policy = settings.attribution_policy()
    low = attribution.is_low(answers, body.overall_rating, policy)
    staff_status: str | None = None
    staff_reasons: list[str] = []
    if employee_id is not None:
        history = await repository.staff_history(
            session,
            employee_id=employee_id,
            hashes=(address, device, network),
            now=now,
            policy=policy,
        )
        staff_reasons = [
            str(r)
            for r in attribution.hold_reasons(
                history,
                low=low,
                has_address=address is not None,
                has_device=device is not None,
                policy=policy,
            )
        ]
        staff_status = "held" if staff_reasons else "counted"
    summary = None
    deadlines = None
    category = None
    if body.is_complaint:
        category = body.complaint_category or complaint.ComplaintCategory.SIMPLE_COMPLAINT
        deadlines = await complaint_deadlines(session, category, now, settings)
        summary = ComplaintSummary(
            status=complaint.ComplaintStatus.RECEIVED,
            category=category,
            first_response_due=deadlines.first_response_due,
            resolution_due=deadlines.resolution_due,
        )
    receipt = FeedbackReceipt(
        feedback_id=feedback_id,
        tracking_code=tracking,
        service_point_id=point.id,
        service_point_name=point.name,
        unit_id=point.unit_id,
        service_type=body.service_type,
        staff_code=body.staff_code,
        channel=channel,
        visit_date=body.visit_date,
        survey_version=SURVEY_VERSION,
        answers=answers,
        overall_rating=body.overall_rating,
        comment_redacted=redacted,
        comment_status="pending_moderation" if comment else "none",
        respondent=body.respondent,
        contact_stored=body.contact is not None,
        held_for_review=suspicious,
        complaint=summary,
        submitted_at=now,
    )
    # Stored without the code (kept encrypted beside it) and returned with it.
    response = receipt.model_dump(mode="json", exclude={"tracking_code"})
    profile = body.respondent
    contact = body.contact
    await repository.insert_feedback(
        session,
        {
            "id": feedback_id,
            "tracking_digest": tracking_digest(tracking),
            "tracking_code_encrypted": secrets.encrypt(tracking),
            "idempotency_key": key,
            "request_fingerprint": print_,
            "response_status": CREATED,
            "response_body": response,
            "service_point_id": point.id,
            "unit_id": point.unit_id,
            "service_type": body.service_type,
            "staff_code": body.staff_code,
            "employee_id": employee_id,
            "channel": channel,
            "visit_date": body.visit_date,
            "survey_version": SURVEY_VERSION,
            "answers": answers,
            "overall_rating": body.overall_rating,
            "comment_redacted": redacted,
            "comment_encrypted": secrets.encrypt(comment),
            "contact_encrypted": secrets.encrypt(
                body.contact.model_dump_json(exclude_none=True) if body.contact else None
            ),
            "age_band": profile.age_band if profile else None,
            "sex": profile.sex if profile else None,
            "education": profile.education if profile else None,
            "occupation": profile.occupation if profile else None,
            "latitude": location[0] if location else None,
            "longitude": location[1] if location else None,
            "device_hash": device,
            "address_hash": address,
            "network_hash": network,
            "phone_hash": secrets.phone_digest(contact.phone) if contact else None,
            "email_hash": secrets.email_digest(contact.email) if contact else None,
            "duplicate_key": dup_key,
            "abuse_flags": flags,
            "suspicion_reasons": [str(r) for r in reasons],
            "moderation_status": "pending" if comment else "not_required",
            "counted": not suspicious,
            "scores_held": suspicious,
            "low_score": low,
            "staff_status": staff_status,
            "staff_hold_reasons": staff_reasons,
            "handler_employee_id": None,
            "handler_subject": None,
            "is_complaint": body.is_complaint,
            "complaint_category": category,
            "complaint_status": complaint.ComplaintStatus.RECEIVED if body.is_complaint else None,
            "first_response_due": deadlines.first_response_due if deadlines else None,
            "resolution_due": deadlines.resolution_due if deadlines else None,
            "submitted_at": now,
            "updated_at": now,
            "withdrawn_at": None,
        },
    )
    events: list[EventPayload] = [
        FeedbackSubmitted(
            feedback_id=feedback_id,
            service_point_id=point.id,
            unit_id=point.unit_id,
            service_type=body.service_type,
            staff_code=body.staff_code,
            employee_id=employee_id,
            channel=channel,
            visit_date=body.visit_date,
            answers=answers,
            overall_rating=body.overall_rating,
            is_complaint=body.is_complaint,
            counted=not suspicious,
            submitted_at=now,
            staff_counted=None if staff_status is None else staff_status == "counted",
        )
    ]
    if body.is_complaint and deadlines is not None and category is not None:
        await repository.insert_complaint_entry(
            session,
            {
                "feedback_id": feedback_id,
                "kind": "status",
                "previous_status": None,
                "status": complaint.ComplaintStatus.RECEIVED,
                "message": None,
                "actor": "citizen",
                "at": now,
            },
        )
        events.append(
            ComplaintStatusChanged(
                feedback_id=feedback_id,
                unit_id=point.unit_id,
                service_point_id=point.id,
                category=category,
                previous_status=None,
                status="received",
                first_response_due=deadlines.first_response_due,
                resolution_due=deadlines.resolution_due,
                changed_at=now,
            )
        )
    await outbox.add_many(session, events)
    return StoredResponse(CREATED, response | {"tracking_code": tracking})
