"""Use cases of the holiday calendar: load a year's list, build the working calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.domain.holiday_list import HolidayList
from kinerja_feedback.domain.working_days import WorkingCalendar
from kinerja_feedback.holidays import repository
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
    before = await repository.days_of_year(session, region, year)
    await repository.replace_year(
        session,
        region,
        year,
        (
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
        ),
    )
    return Loaded(region, year, len(holiday_list.holidays), len(before))


async def working_calendar(
    session: AsyncSession, settings: FeedbackSettings, since: date
) -> WorkingCalendar:
    """The working calendar of the complaint deadlines from a day on: the configured working
    weekdays, the loaded holidays of the configured regions and FEEDBACK_HOLIDAYS."""
    loaded = await repository.days_since(session, settings.complaint_holiday_regions, since)
    return WorkingCalendar(
        working_weekdays=frozenset(settings.complaint_working_weekdays),
        holidays=loaded | frozenset(settings.holidays),
    )
