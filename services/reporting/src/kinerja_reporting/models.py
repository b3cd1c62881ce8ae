"""Read models of the reporting service; every row is derived from events and can be rebuilt.

Element totals (respondents, and per SKM element the sum of scores ``sN`` and the number of
respondents who answered it ``nN``) are kept as plain integer columns so handlers can update
them with arithmetic UPDATEs and queries never touch raw feedback.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Table, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.messaging import messaging_tables

ELEMENTS = range(1, 10)
#: The counters of a totals row (``ikm_totals``, ``staff_totals``): respondents, then per
#: element N the sum of its scores ``sN`` and the respondents who answered it ``nN``.
TOTALS_COLUMNS = ("respondents", *(f"{x}{e}" for e in ELEMENTS for x in "sn"))


class Base(SQLModel, registry=registry()):
    """Base of the reporting tables (own metadata)."""


class Unit(Base, table=True):
    """A unit of the organisation as the appraisal service last described it."""

    __tablename__ = "unit"
    unit_id: str = Field(primary_key=True, max_length=64)
    code: str = Field(max_length=64)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    parent_id: str | None = Field(default=None, max_length=64, index=True)
    head_employee_id: str | None = Field(default=None, max_length=64)
    active: bool = True


class DirectoryVersion(Base, table=True):
    """A token replaced whenever a part of the directory changes (``name``: ``unit_tree``).

    Processes cache the unit tree and compare this token to know whether their copy is still
    the tree in the database (see ``directory/tree_cache.py``). Random tokens, never counters:
    a rebuild empties the table and must not bring back a value a process has cached.
    """

    __tablename__ = "directory_version"
    name: str = Field(primary_key=True, max_length=32)
    version: str = Field(max_length=32)


class Employee(Base, table=True):
    """An employee (by id and public staff code; never the NIP, never the name)."""

    __tablename__ = "employee"
    employee_id: str = Field(primary_key=True, max_length=64)
    staff_code: str = Field(max_length=64)
    unit_id: str = Field(max_length=64, index=True)
    supervisor_id: str | None = Field(default=None, max_length=64)
    active: bool = True


class ServicePoint(Base, table=True):
    """A service point citizens rate."""

    __tablename__ = "service_point"
    service_point_id: str = Field(primary_key=True, max_length=64)
    slug: str = Field(max_length=200)
    name: str = Field(max_length=300)
    unit_id: str = Field(max_length=64, index=True)
    active: bool = True


class ServiceUsers(Base, table=True):
    """Service users a unit reported for a period: the population of its SKM sample."""

    __tablename__ = "service_users"
    unit_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)
    service_users: int


class AppraisalPeriod(Base, table=True):
    """An appraisal period opened (and perhaps closed) by BKPSDM."""

    __tablename__ = "appraisal_period"
    period_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(max_length=10, index=True)
    kind: str = Field(max_length=10)
    year: int
    closed: bool = False


class FeedbackEntry(Base, table=True):
    """One feedback, compact: its scores and state, to subtract it later and stay idempotent.

    A row may exist before its scores arrive (``has_scores`` false) when a moderation, a
    review of its scores or a withdrawal is seen first; the scores are then applied with that
    later state. ``included`` says whether the row is currently counted in the IKM totals of
    its service point and unit; ``staff_included`` whether it is counted in the named
    employee's totals too: when included and its attribution to the employee counts
    (``staff_counted``, false while the anti-stuffing rules hold it). ``reviewed``: a
    moderator decided on its scores (feedback.scores_reviewed), which wins over the
    submission's flags. ``applied_at``: when the consumer's transaction applied the
    feedback's scores, the first time (null until the submission is seen): with the time the
    feedback service accepted it, the lag of the projection (``bench/``); no report reads it.
    """

    __tablename__ = "feedback_entry"
    feedback_id: str = Field(primary_key=True, max_length=64)
    service_point_id: str = Field(max_length=64)
    unit_id: str = Field(max_length=64)
    employee_id: str | None = Field(default=None, max_length=64)
    visit_date: date | None = None
    u1: int | None = None
    u2: int | None = None
    u3: int | None = None
    u4: int | None = None
    u5: int | None = None
    u6: int | None = None
    u7: int | None = None
    u8: int | None = None
    u9: int | None = None
    overall_rating: int | None = None
    has_scores: bool = False
    counted: bool = False
    staff_counted: bool = True
    moderated: bool = False
    reviewed: bool = False
    withdrawn: bool = False
    included: bool = False
    staff_included: bool = False
    applied_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )


class _ElementColumns(Base):
    respondents: int = 0
    s1: int = 0
    s2: int = 0
    s3: int = 0
    s4: int = 0
    s5: int = 0
    s6: int = 0
    s7: int = 0
    s8: int = 0
    s9: int = 0
    n1: int = 0
    n2: int = 0
    n3: int = 0
    n4: int = 0
    n5: int = 0
    n6: int = 0
    n7: int = 0
    n8: int = 0
    n9: int = 0


class IkmTotals(_ElementColumns, table=True):
    """Element totals of a scope (``point`` or ``unit``) for a month, quarter or year."""

    __tablename__ = "ikm_totals"
    scope: str = Field(primary_key=True, max_length=8)
    scope_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)


class StaffTotals(_ElementColumns, table=True):
    """Totals of the feedback naming one employee in a period (``respondents`` = responses)."""

    __tablename__ = "staff_totals"
    employee_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)
    overall_sum: int = 0
    overall_count: int = 0


class UnitFlag(Base, table=True):
    """A unit's "needs improvement" flag for a period, with its evidence."""

    __tablename__ = "unit_flag"
    unit_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)
    active: bool = False
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    ikm: str | None = Field(default=None, max_length=10)
    band: str | None = Field(default=None, max_length=1)
    respondents: int = 0
    changed_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class Assessment(Base, table=True):
    """A final assessment, with the final predikat after an objection decision.

    A row may come from ``objection.decided`` before its ``assessment.finalized``
    (``finalized`` false); the finalized event then fills in the rest and keeps the decision.
    """

    __tablename__ = "assessment"
    assessment_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(max_length=64, index=True)
    unit_id: str = Field(max_length=64, index=True)
    appraiser_id: str | None = Field(default=None, max_length=64, index=True)
    period_key: str = Field(max_length=10, index=True)
    period_kind: str | None = Field(default=None, max_length=10)
    hasil: str | None = Field(default=None, max_length=10)
    perilaku: str | None = Field(default=None, max_length=10)
    predikat: str | None = Field(default=None, max_length=20)
    final_predikat: str = Field(max_length=20)
    objection: str | None = Field(default=None, max_length=10)
    finalized: bool = False


class OrganisationPredikat(Base, table=True):
    """The organisation predikat BKPSDM set for a unit and period (selects the kurva)."""

    __tablename__ = "organisation_predikat"
    unit_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)
    predikat: str = Field(max_length=20)


class FollowUpPlan(Base, table=True):
    """A unit's follow-up plan (rencana tindak lanjut) of its SKM result for a period, from
    follow_up_plan.recorded events."""

    __tablename__ = "follow_up_plan"
    plan_id: str = Field(primary_key=True, max_length=64)
    unit_id: str = Field(max_length=64, index=True)
    period_key: str = Field(max_length=10)
    recorded_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class FollowUpAction(Base, table=True):
    """An action of a follow-up plan, where it stands, and its progress history (oldest first:
    status, progress_percent, note, at)."""

    __tablename__ = "follow_up_action"
    action_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(max_length=64, index=True)
    position: int
    element: str = Field(max_length=2)
    description: str = Field(sa_column=Column(Text, nullable=False))
    owner_employee_id: str = Field(max_length=64)
    due_date: date
    status: str = Field(max_length=16)
    progress_percent: int
    history: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


metadata = Base.metadata
messaging = messaging_tables(metadata)


def table(name: str) -> Table:
    """A table of this metadata by name (for Core statements)."""
    return metadata.tables[name]


UNIT = table("unit")
DIRECTORY_VERSION = table("directory_version")
EMPLOYEE = table("employee")
SERVICE_POINT = table("service_point")
SERVICE_USERS = table("service_users")
APPRAISAL_PERIOD = table("appraisal_period")
FEEDBACK = table("feedback_entry")
IKM_TOTALS = table("ikm_totals")
STAFF_TOTALS = table("staff_totals")
UNIT_FLAG = table("unit_flag")
ASSESSMENT = table("assessment")
ORGANISATION_PREDIKAT = table("organisation_predikat")
FOLLOW_UP_PLAN = table("follow_up_plan")
FOLLOW_UP_ACTION = table("follow_up_action")

#: Every read model: what a rebuild empties.
READ_MODELS: tuple[Table, ...] = (
    UNIT,
    DIRECTORY_VERSION,
    EMPLOYEE,
    SERVICE_POINT,
    SERVICE_USERS,
    APPRAISAL_PERIOD,
    FEEDBACK,
    IKM_TOTALS,
    STAFF_TOTALS,
    UNIT_FLAG,
    ASSESSMENT,
    ORGANISATION_PREDIKAT,
    FOLLOW_UP_PLAN,
    FOLLOW_UP_ACTION,
)

#: ``ikm_totals.scope``: the totals of one service point, or of one unit's own service points.
SCOPE_POINT = "point"
SCOPE_UNIT = "unit"
#: The ``directory_version`` row of the unit tree (``directory/tree_cache.py``).
UNIT_TREE = "unit_tree"
