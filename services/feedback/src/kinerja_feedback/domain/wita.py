"""Denpasar local time (WITA, UTC+8): every date the feedback rules speak of is a WITA date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8), "WITA")
"""Waktu Indonesia Tengah, the time zone of Denpasar (UTC+8, no daylight saving)."""


def to_wita(moment: datetime) -> datetime:
    """Convert an aware datetime to WITA; naive datetimes are refused as ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no time zone; pass an aware datetime")
    return moment.astimezone(WITA)


def wita_date(moment: datetime) -> date:
    """Return the calendar date in Denpasar of an aware datetime."""
    return to_wita(moment).date()


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or date-time from a query, as an aware datetime.

    A time without an offset is read as WITA (the city's clock, as a citizen means it); a
    bare date is the start of that WITA day, or with `end_of_day` the start of the next one
    (so "until 2026-01-31" includes the whole of the 31st). ValueError for anything else.
    """
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        start = datetime(day.year, day.month, day.day, tzinfo=WITA)
        return start + timedelta(days=1) if end_of_day else start
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=WITA)
    return moment
