"""Demo data: service points for the directory's units and a few hundred submissions, made
through the same service functions as the API (so their events flow)."""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from datetime import UTC, datetime, timedelta

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.models import ServicePoint
from kinerja_feedback.service_points import service as point_service
from kinerja_feedback.service_points.schemas import ServicePointCreate
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.submissions import service as submissions
from kinerja_feedback.submissions.schemas import FeedbackCreate
from kinerja_shared.problems import DomainError
from kinerja_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

KINDS = {"kelurahan": "kelurahan_office", "school": "school", "dinas": "licensing_counter"}
SERVICE_TYPES = {
    "kelurahan_office": ["KTP", "KK", "Surat Keterangan Domisili"],
    "school": ["Penerimaan Siswa Baru", "Legalisir Ijazah"],
    "licensing_counter": ["Izin Usaha", "PBG"],
}
COMMENTS = [
    "Pelayanan cepat dan ramah.",
    "Antrean terlalu lama, mohon ditambah loket.",
    "Petugas sangat membantu, terima kasih.",
    "Ruang tunggu panas, AC tidak berfungsi.",
]


async def _wait_for_units(runtime: ServiceRuntime, timeout: float) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with runtime.sessions() as session:
            units = await directory.list_units(session)
        if units or asyncio.get_running_loop().time() >= deadline:
            return len(units)
        await asyncio.sleep(1.0)


async def _create_points(runtime: ServiceRuntime, now: datetime) -> list[ServicePoint]:
    """A point for every unit of a served kind that has none yet (units arrive one by one)."""
    created: list[ServicePoint] = []
    async with runtime.sessions() as session, session.begin():
        served = await point_service.units_served(session)
        for unit in await directory.list_units(session):
            kind = KINDS.get(unit.kind)
            if kind is None or unit.unit_id in served:
                continue
            staff = await directory.staff_of_unit(session, unit.unit_id)
            rng = random.Random(unit.unit_id)
            point = await point_service.create_service_point(
                session,
                runtime.outbox,
                identity=None,
                data=ServicePointCreate(
                    name=f"Layanan {unit.name}",
                    unit_id=unit.unit_id,
                    kind=kind,
                    latitude=-8.65 + rng.uniform(-0.05, 0.05),
                    longitude=115.22 + rng.uniform(-0.05, 0.05),
                    service_types=SERVICE_TYPES[kind],
                    staff_codes=sorted(s.staff_code for s in staff)[:5],
                ),
                now=now,
            )
            created.append(point)
    return created


async def _submit_for(
    runtime: ServiceRuntime,
    settings: FeedbackSettings,
    secrets: Secrets,
    point: ServicePoint,
    now: datetime,
) -> int:
    """The demo submissions of one point (idempotency keys named after its unit: a second
    run replays them)."""
    rng = random.Random(point.unit_id)
    made = 0
    for n in range(settings.seed_demo_submissions_per_point):
        complaint = rng.random() < 0.1
        body = FeedbackCreate(
            service_point=point.id,
            service_type=rng.choice(point.service_types) if point.service_types else None,
            staff_code=rng.choice(point.staff_codes) if point.staff_codes else None,
            visit_date=wita_date(now) - timedelta(days=rng.randint(0, 60)),
            answers={f"U{i}": rng.choices([1, 2, 3, 4], [1, 2, 6, 4])[0] for i in range(1, 10)},
            overall_rating=rng.randint(2, 5),
            comment=rng.choice(COMMENTS) if complaint or rng.random() < 0.3 else None,
            channel=rng.choice(["app", "kiosk", "web"]),
            is_complaint=complaint,
        )
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"kinerja-demo-{point.unit_id}-{n}")
        try:
            await submissions.submit_feedback(
                runtime.group_commit,
                runtime.outbox,
                settings=settings,
                secrets=secrets,
                body=body,
                idempotency_key=str(key),
                origin=submissions.Origin(device_id=f"demo-device-{key}", client_address=None),
                now=now,
            )
            made += 1
        except DomainError as exc:
            log.info("demo submission %s skipped: %s", n, exc.detail)
    return made


async def seed_arrived_units(
    runtime: ServiceRuntime, settings: FeedbackSettings, secrets: Secrets
) -> int:
    """One round: a service point for each unit that arrived since the last round, and that
    point's demo submissions; returns how many submissions were made."""
    now = datetime.now(UTC)
    made = 0
    for point in await _create_points(runtime, now):
        made += await _submit_for(runtime, settings, secrets, point, now)
    return made


async def seed_demo(
    runtime: ServiceRuntime,
    settings: FeedbackSettings,
    secrets: Secrets,
    *,
    follow_seconds: float | None = 0.0,
) -> int:
    """Wait for the first unit, then give every unit of the directory a service point with
    demo submissions, and keep doing so for units arriving later: for `follow_seconds` more
    (None: until cancelled, as the background seed at start-up does). Units come one event at
    a time, so no moment tells that the directory is complete; each unit is seeded as it
    arrives. Returns how many submissions were made."""
    if not await _wait_for_units(runtime, settings.seed_demo_wait_seconds):
        log.warning("no units arrived from the appraisal service; no demo data")
        return 0
    loop = asyncio.get_running_loop()
    until = None if follow_seconds is None else loop.time() + follow_seconds
    made = 0
    while True:
        new = await seed_arrived_units(runtime, settings, secrets)
        if new:
            log.info("demo data: %s submissions for newly arrived units", new)
        made += new
        if until is not None and loop.time() >= until:
            return made
        await asyncio.sleep(settings.seed_demo_poll_seconds)
