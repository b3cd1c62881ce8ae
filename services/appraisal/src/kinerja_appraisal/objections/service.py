"""Use cases of objections: filing within the window, the reviewer's final decision."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment.development import open_if_needed
from kinerja_appraisal.assessment.distribution import final_counts, record_exception
from kinerja_appraisal.assessment.service import aware, get_assessment
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import (
    AssessmentState,
    ObjectionAction,
    ObjectionState,
    Rating,
    can_file_objection,
    next_objection_state,
    objection_deadline,
    predikat_for,
)
from kinerja_appraisal.models import Assessment, AssessmentVersion, Employee, Objection
from kinerja_appraisal.objections import repository
from kinerja_appraisal.objections.schemas import DecisionIn
from kinerja_appraisal.organisation.service import get_employee
from kinerja_appraisal.periods.service import get_period, organisation_predikat
from kinerja_appraisal.results.repository import take_numbers
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import Identity
from kinerja_shared.events.types import appraisal as events
from kinerja_shared.law.kurva import check_distribution
from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


async def get_objection(session: AsyncSession, *, objection_id: str) -> Objection:
    """An objection by id (404 when unknown)."""
    objection = await session.get(Objection, objection_id)
    if objection is None:
        raise ResourceNotFound(f"objection {objection_id!r} does not exist")
    return objection


async def file_objection(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    assessment_id: str,
    reasons: str,
    now: datetime,
) -> Objection:
    """The employee objects to a final assessment within the window; it goes to the reviewer."""
    assessment = await get_assessment(session, assessment_id=assessment_id)
    employee = await get_employee(session, employee_id=assessment.employee_id)
    access.require_self(actor, employee)
    if assessment.state == AssessmentState.DRAFT or assessment.finalized_at is None:
        raise Conflict("only a final assessment can be objected to")
    finalized_at = aware(assessment.finalized_at)
    assert finalized_at is not None
    window = settings.policy.objection_window_days
    if not can_file_objection(finalized_at, now, window):
        deadline = objection_deadline(finalized_at, window)
        raise Conflict(
            f"the objection window of {window} days closed on {deadline.isoformat()} (WITA)",
            extra={"deadline": deadline.isoformat()},
        )
    taken = await repository.objection_id_of(session, assessment_id=assessment.id)
    if taken is not None:
        raise Conflict("an objection to this assessment was already filed")
    appraiser = await session.get(Employee, assessment.appraiser_id)
    if appraiser is None or appraiser.supervisor_id is None:
        raise Conflict("the appraiser has no supervisor to hear an objection")
    objection = Objection(
        assessment_id=assessment.id,
        employee_id=employee.id,
        reviewer_id=appraiser.supervisor_id,
        reasons=reasons,
        state=ObjectionState.FILED,
        filed_at=now,
        statement_due_at=now + timedelta(days=settings.policy.objection_statement_days),
    )
    session.add(objection)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="objection.filed",
        entity_type="objection",
        entity_id=objection.id,
        assessment_id=assessment.id,
        before=None,
        after=as_dict(objection),
        outbox=outbox,
        event=events.ObjectionFiled(
            objection_id=objection.id,
            assessment_id=assessment.id,
            employee_id=employee.id,
            reviewer_id=objection.reviewer_id,
            filed_at=now,
        ),
    )
    return objection


async def add_statement(
    session: AsyncSession, *, actor: Identity, objection_id: str, statement: str, now: datetime
) -> Objection:
    """The appraiser gives their side while the objection awaits a decision."""
    objection = await get_objection(session, objection_id=objection_id)
    assessment = await get_assessment(session, assessment_id=objection.assessment_id)
    access.require_appraiser(actor, assessment.appraiser_id)
    if objection.state != ObjectionState.FILED:
        raise Conflict(f"the objection is already decided ({objection.state})")
    before = as_dict(objection)
    objection.appraiser_statement = statement
    objection.appraiser_statement_at = now
    await record_change(
        session,
        actor=actor,
        action="objection.statement",
        entity_type="objection",
        entity_id=objection.id,
        assessment_id=assessment.id,
        before=before,
        after=as_dict(objection),
    )
    return objection


async def decide(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    objection_id: str,
    data: DecisionIn,
    now: datetime,
) -> Objection:
    """The reviewer upholds or changes the result; final, versioned, original kept."""
    objection = await get_objection(session, objection_id=objection_id)
    access.require_objection_reviewer(actor, objection)
    action = ObjectionAction.UPHOLD if data.decision == "upheld" else ObjectionAction.CHANGE
    state = next_objection_state(ObjectionState(objection.state), action)
    assessment = await get_assessment(session, assessment_id=objection.assessment_id)
    await _require_both_sides(session, settings, actor, objection, now)
    original = PredikatPegawai(assessment.final_predikat or assessment.predikat)
    before = {"objection": as_dict(objection), "assessment": _result(assessment)}
    counts_before = await final_counts(
        session, unit_id=assessment.unit_id, period_id=assessment.period_id
    )
    if action is ObjectionAction.CHANGE:
        if data.hasil is None or data.perilaku is None:
            raise InvalidInput(
                "changing the result needs the new hasil and perilaku",
                field="body.hasil" if data.hasil is None else "body.perilaku",
            )
        hasil, perilaku = data.hasil, data.perilaku
    else:
        if data.hasil is not None or data.perilaku is not None:
            raise InvalidInput("upholding keeps the ratings; send none", field="body.hasil")
        hasil = Rating(assessment.final_hasil or assessment.hasil)
        perilaku = Rating(assessment.final_perilaku or assessment.perilaku)
    final = predikat_for(hasil, perilaku)
    objection.state, objection.decision_reasons, objection.decided_at = (
        state,
        data.reasons,
        now,
    )
    if action is ObjectionAction.CHANGE:
        assessment.final_hasil, assessment.final_perilaku = hasil, perilaku
        assessment.final_predikat = final
        assessment.change_seq = (await take_numbers(session, 1))[0]
        assessment.updated_at = now
        session.add(
            AssessmentVersion(
                assessment_id=assessment.id,
                version=2,
                hasil=hasil,
                perilaku=perilaku,
                predikat=final,
                reason=data.reasons,
                decided_by=str(actor.employee_id),
            )
        )
    period = await get_period(session, period_id=assessment.period_id)
    await record_change(
        session,
        actor=actor,
        action=f"objection.{data.decision}",
        entity_type="objection",
        entity_id=objection.id,
        assessment_id=assessment.id,
        before=before,
        after={"objection": as_dict(objection), "assessment": _result(assessment)},
        outbox=outbox,
        event=events.ObjectionDecided(
            objection_id=objection.id,
            assessment_id=assessment.id,
            employee_id=assessment.employee_id,
            unit_id=assessment.unit_id,
            period_key=period.key,
            decision=data.decision,
            original_predikat=original.value,
            final_predikat=final.value,
            final_hasil=hasil.value,
            final_perilaku=perilaku.value,
            decided_by=str(actor.employee_id),
            decided_at=now,
        ),
    )
    await open_if_needed(
        session,
        outbox=outbox,
        settings=settings,
        actor=actor,
        assessment=assessment,
        predikat=final,
        now=now,
    )
    if action is ObjectionAction.CHANGE:
        await _record_curve_exception(
            session,
            outbox=outbox,
            settings=settings,
            actor=actor,
            objection=objection,
            assessment=assessment,
            counts_before=counts_before,
            now=now,
        )
    return objection


async def _require_both_sides(
    session: AsyncSession,
    settings: AppraisalSettings,
    actor: Identity,
    objection: Objection,
    now: datetime,
) -> None:
    """Refuse a decision before the appraiser was heard or their time to answer ran out.

    docs/domain.md, "Objections": the reviewer hears both sides (PP 30/2019); when the
    appraiser gave no statement within `policy.objection_statement_days`, the decision
    records "no answer", with when, in the objection and the audit trail.
    """
    if objection.appraiser_statement is not None:
        return
    filed_at = aware(objection.filed_at)
    assert filed_at is not None
    due = aware(objection.statement_due_at) or filed_at + timedelta(
        days=settings.policy.objection_statement_days
    )
    assert due is not None
    if now < due:
        raise Conflict(
            "the appraiser has not given their statement and has until"
            f" {due.isoformat()} to do so; the reviewer decides after hearing both sides",
            field="appraiser_statement",
            extra={"statement_due_at": due.isoformat()},
        )
    before = as_dict(objection)
    objection.statement_due_at = due
    objection.appraiser_no_answer_at = now
    await record_change(
        session,
        actor=actor,
        action="objection.no_statement",
        entity_type="objection",
        entity_id=objection.id,
        assessment_id=objection.assessment_id,
        before=before,
        after=as_dict(objection),
    )


async def _record_curve_exception(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    objection: Objection,
    assessment: Assessment,
    counts_before: Counter[PredikatPegawai],
    now: datetime,
) -> None:
    """Record the decision as a reasoned exception when it breaks the unit's kurva further.

    The decision is final by law, so it stands; the constraints it breaks (or breaks by
    more employees than before) are recorded with the objection and its reasons.
    """
    org = await organisation_predikat(
        session, unit_id=assessment.unit_id, period_id=assessment.period_id
    )
    if org is None:
        return
    organisation = PredikatOrganisasi(org.predikat)
    rounding = settings.policy.kurva_rounding
    counts = await final_counts(session, unit_id=assessment.unit_id, period_id=assessment.period_id)
    earlier = {
        v.code: v.employees_to_change
        for v in check_distribution(organisation, counts_before, rounding)
    }
    worse = [
        v
        for v in check_distribution(organisation, counts, rounding)
        if v.employees_to_change > earlier.get(v.code, 0)
    ]
    if not worse:
        return
    await record_exception(
        session,
        outbox=outbox,
        settings=settings,
        actor=actor,
        period=await get_period(session, period_id=assessment.period_id),
        unit_id=assessment.unit_id,
        organisation=organisation,
        kind="objection_decision",
        employees=sum(counts.values()),
        violations=worse,
        reason=objection.decision_reasons or "",
        objection_id=objection.id,
        now=now,
    )


def _result(assessment: Assessment) -> dict[str, str | None]:
    return {
        "final_hasil": assessment.final_hasil,
        "final_perilaku": assessment.final_perilaku,
        "final_predikat": assessment.final_predikat,
    }


async def list_objections(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    state: str | None = None,
    employee_id: str | None = None,
) -> tuple[Sequence[Objection], int]:
    """Objections the caller files or reviews (BKPSDM and analysts: all), optionally only those
    one employee filed."""
    return await repository.objections_page(
        session,
        page=page,
        party=access.objections_visible_to(actor),
        state=state,
        employee_id=employee_id,
    )


async def read_objection(session: AsyncSession, *, actor: Identity, objection_id: str) -> Objection:
    """An objection, for the employee, the reviewer, BKPSDM and analysts."""
    objection = await get_objection(session, objection_id=objection_id)
    access.require_objection_reader(actor, objection)
    return objection
