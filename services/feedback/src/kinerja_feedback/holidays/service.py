"""Use cases of the holiday calendar: load a year's list, build the working calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.domain.holiday_list import HolidayList
from kinerja_feedback.domain.working_days import WorkingCalendar
from kinerja_feedback.models import Holiday
from kinerja_feedback.settings import FeedbackSettings


@dataclass(frozen=True, slots=True)
class Loaded:
    """What loading a list did: the days it holds and the days it replaced."""

    region: str
    year: int
    days: int
    replaced: int


async def load_list(session: AsyncSession, holiday_list: HolidayList, *, now: datetime) -> Loaded:
    """Make the list the region's holidays for its year, replacing what was loaded for that
    region and year before (loading the same list again changes nothing)."""
    region, year = holiday_list.region, holiday_list.year
    before = (
        await session.scalars(
            select(col(Holiday.day)).where(col(Holiday.region) == region, col(Holiday.year) == year)
        )
    ).all()
    await session.execute(
        delete(Holiday).where(col(Holiday.region) == region, col(Holiday.year) == year)
    )
    session.add_all(
        Holiday(
            region=region,
            day=h.day,
            year=year,
            kind=h.kind.value,
            name=h.name,
            confirmed=h.confirmed,
            source=holiday_list.source,
            loaded_at=now,
        )
        for h in holiday_list.holidays
    )
    await session.flush()
    return Loaded(region, year, len(holiday_list.holidays), len(before))


async def holidays_of(session: AsyncSession, regions: list[str], since: date) -> frozenset[date]:
    """The holidays of the regions from a day on."""
    if not regions:
        return frozenset()
    days = await session.scalars(
        select(col(Holiday.day)).where(col(Holiday.region).in_(regions), col(Holiday.day) >= since)
    )
    return frozenset(days)


async def working_calendar(
    session: AsyncSession, settings: FeedbackSettings, since: date
) -> WorkingCalendar:
    """The working calendar of the complaint deadlines from a day on: the configured working
    weekdays, the loaded holidays of the configured regions and FEEDBACK_HOLIDAYS."""
    loaded = await holidays_of(session, settings.complaint_holiday_regions, since)
    return WorkingCalendar(
        working_weekdays=frozenset(settings.complaint_working_weekdays),
        holidays=loaded | frozenset(settings.holidays),
    )
