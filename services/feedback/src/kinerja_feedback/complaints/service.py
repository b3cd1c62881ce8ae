"""Use cases of complaints: lifecycle, responses, deadlines and the citizen's contact."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.complaints import repository
from kinerja_feedback.complaints.schemas import ComplaintView, ContactView, DutyView, HistoryEntry
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain import complaint
from kinerja_feedback.domain.redaction import redact
from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.holidays import service as holidays
from kinerja_feedback.models import ComplaintEntry, Feedback, ModerationAction
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import ComplaintReclassified, ComplaintStatusChanged
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


def _deadlines_and_progress(
    feedback: Feedback,
) -> tuple[complaint.Deadlines, complaint.Progress] | None:
    if feedback.complaint_status is None or feedback.first_response_due is None:
        return None
    assert feedback.resolution_due is not None
    return (
        complaint.Deadlines(feedback.first_response_due, feedback.resolution_due),
        complaint.Progress(
            status=complaint.ComplaintStatus(feedback.complaint_status),
            verified=feedback.verified_at is not None,
            responded=feedback.first_response_at is not None,
        ),
    )


def overdue_of(feedback: Feedback, now: datetime) -> list[str]:
    """The duties whose deadline a complaint has missed at a moment."""
    found = _deadlines_and_progress(feedback)
    return [] if found is None else complaint.overdue(*found, now)


def duties_of(feedback: Feedback, now: datetime) -> list[DutyView]:
    """Each duty of a complaint with its due date, its state and when it was done."""
    found = _deadlines_and_progress(feedback)
    if found is None:
        return []
    due, _ = found
    states = complaint.duty_states(*found, now)
    dates = {
        complaint.Duty.VERIFICATION: (due.verification_due, feedback.verified_at),
        complaint.Duty.FIRST_RESPONSE: (due.first_response_due, feedback.first_response_at),
        complaint.Duty.RESOLUTION: (due.resolution_due, None),
    }
    return [
        DutyView(duty=duty.value, due=dates[duty][0], state=state.value, done_at=dates[duty][1])
        for duty, state in states.items()
    ]


async def history(session: AsyncSession, feedback_id: str) -> list[HistoryEntry]:
    """The public history of a complaint, oldest first."""
    rows = await repository.entries(session, feedback_id)
    return [
        HistoryEntry(
            kind=r.kind,
            previous_status=r.previous_status,
            status=r.status,
            message=r.message,
            previous_category=r.previous_category,
            category=r.category,
            previous_resolution_due=r.previous_resolution_due,
            resolution_due=r.resolution_due,
            at=r.at,
        )
        for r in rows
    ]


async def load_complaint(
    session: AsyncSession, feedback_id: str, *, lock: bool = False
) -> Feedback:
    """A complaint by feedback id; 404 when there is none (or it was withdrawn)."""
    found = await repository.submission(session, feedback_id, lock=lock)
    if found is None or not found.is_complaint or found.withdrawn_at is not None:
        raise ResourceNotFound("no such complaint")
    return found


async def view(session: AsyncSession, feedback: Feedback, now: datetime) -> ComplaintView:
    """The staff view of a complaint."""
    assert feedback.first_response_due is not None
    assert feedback.resolution_due is not None
    return ComplaintView(
        feedback_id=feedback.id,
        unit_id=feedback.unit_id,
        service_point_id=feedback.service_point_id,
        employee_id=feedback.employee_id,
        handler_employee_id=feedback.handler_employee_id,
        handler_subject=feedback.handler_subject,
        category=feedback.complaint_category or "",
        status=feedback.complaint_status or "",
        first_response_due=feedback.first_response_due,
        resolution_due=feedback.resolution_due,
        overdue=overdue_of(feedback, now),
        duties=duties_of(feedback, now),
        comment_redacted=feedback.comment_redacted,
        has_contact=feedback.contact_encrypted is not None,
        submitted_at=feedback.submitted_at,
        history=await history(session, feedback.id),
    )


async def change_status(
    session: AsyncSession,
    outbox: Outbox,
    *,
    feedback: Feedback,
    target: complaint.ComplaintStatus,
    actor: str,
    message: str | None,
    settings: FeedbackSettings,
    now: datetime,
) -> None:
    """Move a complaint (domain transition table), record it and publish the change.

    Leaving `received` verifies it; reopening starts a new resolution clock from the
    reopening, the old resolution date staying in the history (docs/domain.md, complaints).
    """
    current = complaint.ComplaintStatus(feedback.complaint_status or "")
    try:
        complaint.transition(current, target)
    except complaint.IllegalTransition as exc:
        raise Conflict(str(exc), field="body.status") from exc
    feedback.complaint_status = target
    feedback.updated_at = now
    if current is complaint.ComplaintStatus.RECEIVED and feedback.verified_at is None:
        feedback.verified_at = now
    previous_due = new_due = None
    if target is complaint.ComplaintStatus.REOPENED:
        previous_due = feedback.resolution_due
        new_due = await _resolution_due(session, feedback, settings, clock_from=now)
        feedback.resolution_clock_from = now
        feedback.resolution_due = new_due
    session.add(
        ComplaintEntry(
            feedback_id=feedback.id,
            kind="status",
            previous_status=current,
            status=target,
            message=redact(message).text if message else None,
            previous_resolution_due=previous_due,
            resolution_due=new_due,
            actor=actor,
            at=now,
        )
    )
    assert feedback.first_response_due is not None
    assert feedback.resolution_due is not None
    await session.flush()
    await outbox.add(
        session,
        ComplaintStatusChanged(
            feedback_id=feedback.id,
            unit_id=feedback.unit_id,
            service_point_id=feedback.service_point_id,
            category=feedback.complaint_category or "",
            previous_status=current.value,
            status=target.value,
            first_response_due=feedback.first_response_due,
            resolution_due=feedback.resolution_due,
            overdue=overdue_of(feedback, now),
            changed_at=now,
        ),
    )


async def take_up(
    session: AsyncSession, identity: Identity, feedback: Feedback, now: datetime
) -> None:
    """Check the caller may act on the complaint (unit staff, no conflict of interest, its
    handler or an admin), and make them its handler if it has none yet."""
    access.require_unit_staff(identity, feedback.unit_id)
    await access.refuse_if_conflicted(directory.Hierarchy(session), identity, feedback)
    if feedback.handler_employee_id is None and feedback.handler_subject is None:
        _assign(session, feedback, identity.employee_id, identity, now)
    else:
        access.require_handler_or_admin(identity, feedback)


def _assign(
    session: AsyncSession,
    feedback: Feedback,
    employee_id: str | None,
    actor: Identity,
    now: datetime,
) -> None:
    feedback.handler_employee_id = employee_id
    feedback.handler_subject = None if employee_id else actor.subject
    feedback.updated_at = now
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action="assigned",
            reason=f"handler: {employee_id or actor.subject}",
            actor=actor.subject,
            at=now,
        )
    )


async def assign(
    session: AsyncSession,
    *,
    identity: Identity,
    feedback_id: str,
    employee_id: str | None,
    now: datetime,
) -> ComplaintView:
    """Make an employee of the unit (default: the caller) the complaint's handler.

    Anyone of the unit's staff may take up a complaint nobody handles; only the unit head or
    an admin may hand it to someone else or take it over. Nobody with a conflict of interest
    may assign it or be assigned.
    """
    feedback = await load_complaint(session, feedback_id, lock=True)
    hierarchy = directory.Hierarchy(session)
    access.require_unit_staff(identity, feedback.unit_id)
    await access.refuse_if_conflicted(hierarchy, identity, feedback)
    unassigned = feedback.handler_employee_id is None and feedback.handler_subject is None
    to_self = employee_id is None or employee_id == identity.employee_id
    access.require_assigner(identity, to_self=to_self, unassigned=unassigned)
    if not to_self:
        assert employee_id is not None
        staff = await directory.get_staff(session, employee_id)
        if staff is None or not staff.active or staff.unit_id != feedback.unit_id:
            raise InvalidInput(
                "no active employee of the unit has this id", field="body.employee_id"
            )
        await access.refuse_conflicted_assignee(hierarchy, employee_id, feedback)
    _assign(session, feedback, identity.employee_id if to_self else employee_id, identity, now)
    await session.flush()
    return await view(session, feedback, now)


async def respond(
    session: AsyncSession, *, identity: Identity, feedback_id: str, message: str, now: datetime
) -> ComplaintView:
    """Add a public response of the unit (masked like any published text)."""
    feedback = await load_complaint(session, feedback_id, lock=True)
    await take_up(session, identity, feedback, now)
    session.add(
        ComplaintEntry(
            feedback_id=feedback.id,
            kind="response",
            previous_status=feedback.complaint_status,
            status=feedback.complaint_status or "",
            message=redact(message).text,
            actor=identity.subject,
            at=now,
        )
    )
    if feedback.first_response_at is None:
        feedback.first_response_at = now
    feedback.updated_at = now
    await session.flush()
    return await view(session, feedback, now)


async def _resolution_due(
    session: AsyncSession,
    feedback: Feedback,
    settings: FeedbackSettings,
    *,
    clock_from: datetime,
    category: complaint.ComplaintCategory | None = None,
) -> date:
    calendar = await holidays.working_calendar(session, settings, wita_date(clock_from))
    return complaint.resolution_due(
        category or complaint.ComplaintCategory(feedback.complaint_category or ""),
        clock_from,
        calendar,
        settings.deadline_policy(),
    )


async def reclassify(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    feedback_id: str,
    category: complaint.ComplaintCategory,
    reason: str,
    settings: FeedbackSettings,
    now: datetime,
) -> ComplaintView:
    """Change an open complaint's category: its deadlines are counted again under the new
    category from the receipt (or from the latest reopening, which restarted the resolution
    clock); the change, with its reason, stays in the history (docs/domain.md, complaints)."""
    feedback = await load_complaint(session, feedback_id, lock=True)
    await take_up(session, identity, feedback, now)
    status = complaint.ComplaintStatus(feedback.complaint_status or "")
    if status not in complaint.OPEN_STATUSES:
        raise Conflict(
            f"a {status.value} complaint is closed; reopened, it can be reclassified",
            field="body.category",
        )
    previous = complaint.ComplaintCategory(feedback.complaint_category or "")
    if category is previous:
        raise Conflict(f"the complaint already is a {category.value}", field="body.category")
    calendar = await holidays.working_calendar(session, settings, wita_date(feedback.submitted_at))
    first_due = complaint.first_response_due(
        feedback.submitted_at, calendar, settings.deadline_policy()
    )
    previous_due = feedback.resolution_due
    new_due = await _resolution_due(
        session,
        feedback,
        settings,
        clock_from=feedback.resolution_clock_from or feedback.submitted_at,
        category=category,
    )
    feedback.complaint_category = category
    feedback.first_response_due = first_due
    feedback.resolution_due = new_due
    feedback.updated_at = now
    session.add(
        ComplaintEntry(
            feedback_id=feedback.id,
            kind="reclassified",
            previous_status=status,
            status=status,
            message=redact(reason).text,
            previous_category=previous,
            category=category,
            previous_resolution_due=previous_due,
            resolution_due=new_due,
            actor=identity.subject,
            at=now,
        )
    )
    await session.flush()
    await outbox.add(
        session,
        ComplaintReclassified(
            feedback_id=feedback.id,
            unit_id=feedback.unit_id,
            service_point_id=feedback.service_point_id,
            previous_category=previous.value,
            category=category.value,
            first_response_due=first_due,
            resolution_due=new_due,
            overdue=overdue_of(feedback, now),
            reclassified_at=now,
        ),
    )
    return await view(session, feedback, now)


async def read_contact(
    session: AsyncSession, secrets: Secrets, *, identity: Identity, feedback_id: str, now: datetime
) -> ContactView:
    """Decrypt the contact for the complaint's assigned handler only; every read is logged."""
    feedback = await load_complaint(session, feedback_id)
    access.require_unit_staff(identity, feedback.unit_id)
    await access.refuse_if_conflicted(directory.Hierarchy(session), identity, feedback)
    access.require_contact_reader(identity, feedback)
    plain = secrets.decrypt(feedback.contact_encrypted, what="contact", feedback_id=feedback.id)
    if plain is None:
        raise ResourceNotFound("the citizen left no contact")
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action="contact_read",
            reason=None,
            actor=identity.subject,
            at=now,
        )
    )
    return ContactView(feedback_id=feedback.id, **json.loads(plain))


async def list_complaints(
    session: AsyncSession,
    *,
    identity: Identity,
    unit_id: str | None,
    status: str | None,
    overdue: bool | None,
    limit: int,
    now: datetime,
) -> list[ComplaintView]:
    """Complaints of the caller's unit (bkpsdm_admin: any unit or all), newest first; with
    `overdue`, only those that are (or are not) overdue."""
    access.require_staff(identity)
    rows = await repository.complaints(
        session, unit_id=access.visible_unit(identity, unit_id), status=status, limit=limit
    )
    views = [await view(session, f, now) for f in rows]
    if overdue is not None:
        views = [v for v in views if bool(v.overdue) == overdue]
    return views


async def get(
    session: AsyncSession, *, identity: Identity, feedback_id: str, now: datetime
) -> ComplaintView:
    """A complaint with its history and deadlines, for staff of its unit."""
    feedback = await load_complaint(session, feedback_id)
    access.require_unit_staff(identity, feedback.unit_id)
    return await view(session, feedback, now)


async def move(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    feedback_id: str,
    target: complaint.ComplaintStatus,
    message: str | None,
    settings: FeedbackSettings,
    now: datetime,
) -> ComplaintView:
    """Staff who may handle the complaint (taking it up if nobody does) move it through its
    lifecycle (change_status)."""
    feedback = await load_complaint(session, feedback_id, lock=True)
    await take_up(session, identity, feedback, now)
    await change_status(
        session,
        outbox,
        feedback=feedback,
        target=target,
        actor=identity.subject,
        message=message,
        settings=settings,
        now=now,
    )
    return await view(session, feedback, now)
