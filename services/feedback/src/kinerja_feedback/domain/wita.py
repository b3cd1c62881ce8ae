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
