"""A synthetic history of Kota Denpasar for the reporting benchmarks, as real event payloads.

Deterministic (seeded): UNITS units (a tree of dinas with kelurahan under them), POINTS_PER_UNIT
service points each, EMPLOYEES employees, a few final assessments per employee, and N
feedback.submitted events spread over 2025 and 2026, a third of them naming an employee.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    EmployeeUpserted,
    UnitUpserted,
)
from kinerja_shared.events.types.feedback import FeedbackSubmitted, ServicePointUpserted

UNITS = 60
POINTS_PER_UNIT = 3
EMPLOYEES = 3000
ASSESSED_EMPLOYEES = 500
FIRST_DAY = date(2025, 1, 1)
DAYS = 700  # through 2026-12-01


def unit_id(n: int) -> str:
    return f"unit-{n:03d}"


def point_id(unit: int, k: int) -> str:
    return f"sp-{unit:03d}-{k}"


def employee_id(n: int) -> str:
    return f"emp-{n:05d}"


def directory() -> list[EventPayload]:
    """Units (10 dinas, the rest kelurahan under them), service points, employees."""
    events: list[EventPayload] = []
    for n in range(UNITS):
        parent = None if n < 10 else unit_id(n % 10)
        events.append(
            UnitUpserted(
                unit_id=unit_id(n),
                code=f"U{n:03d}",
                name=f"Unit {n}",
                kind="dinas" if n < 10 else "kelurahan",
                parent_id=parent,
            )
        )
        for k in range(POINTS_PER_UNIT):
            events.append(
                ServicePointUpserted(
                    service_point_id=point_id(n, k),
                    slug=f"layanan-{n}-{k}",
                    name=f"Layanan {n}/{k}",
                    unit_id=unit_id(n),
                    service_types=["KTP"],
                    active=True,
                )
            )
    for e in range(EMPLOYEES):
        events.append(
            EmployeeUpserted(
                employee_id=employee_id(e),
                staff_code=f"S{e:05d}",
                kind="pns",
                position="Staf",
                unit_id=unit_id(e % UNITS),
            )
        )
    return events


def assessments() -> list[EventPayload]:
    """Final assessments of the first ASSESSED_EMPLOYEES employees: 2023, 2024, 2025."""
    rng = random.Random(11)
    events: list[EventPayload] = []
    for e in range(ASSESSED_EMPLOYEES):
        for year in (2023, 2024, 2025):
            events.append(
                AssessmentFinalized(
                    assessment_id=f"as-{e}-{year}",
                    employee_id=employee_id(e),
                    unit_id=unit_id(e % UNITS),
                    appraiser_id=employee_id((e + 1) % EMPLOYEES),
                    period_id=f"p-{year}",
                    period_key=str(year),
                    period_kind="annual",
                    hasil=rng.choice(["di_atas", "sesuai", "sesuai", "di_bawah"]),
                    perilaku=rng.choice(["di_atas", "sesuai", "sesuai"]),
                    predikat=rng.choice(["sangat_baik", "baik", "baik", "butuh_perbaikan"]),
                    finalized_at=datetime(year + 1, 1, 20, tzinfo=UTC),
                )
            )
    return events


def feedback(count: int, seed: int = 7) -> Iterator[FeedbackSubmitted]:
    """``count`` submissions; about one in 25 not counted (held as suspicious)."""
    rng = random.Random(seed)
    for _ in range(count):
        unit = rng.randrange(UNITS)
        visit = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        answers = {
            f"U{i}": rng.choice((2, 3, 3, 4, 4))
            for i in range(1, 10)
            if i != 9 or rng.random() < 0.8
        }
        named = (
            employee_id(rng.randrange(EMPLOYEES // UNITS) * UNITS + unit)
            if rng.random() < 0.33
            else None
        )
        yield FeedbackSubmitted(
            feedback_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            service_point_id=point_id(unit, rng.randrange(POINTS_PER_UNIT)),
            unit_id=unit_id(unit),
            employee_id=named,
            staff_code=None,
            channel="app",
            visit_date=visit,
            answers=answers,
            overall_rating=rng.randint(1, 5),
            counted=rng.random() > 0.04,
            submitted_at=datetime.combine(visit, datetime.min.time(), UTC) + timedelta(hours=9),
        )


def history(count: int) -> Iterator[EventPayload]:
    """The whole history in a plausible order: directory, assessments, then the feedback."""
    yield from directory()
    yield from assessments()
    yield from feedback(count)
