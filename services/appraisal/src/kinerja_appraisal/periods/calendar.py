"""Period keys and their calendar spans (2026, 2026-Q1, 2026-03)."""

from __future__ import annotations

import calendar
from datetime import date


def period_key(kind: str, year: int, number: int | None) -> str:
    """The key of a period: YYYY, YYYY-Qn or YYYY-MM."""
    if kind == "annual":
        return str(year)
    if kind == "quarterly":
        return f"{year}-Q{number}"
    return f"{year}-{number:02d}"


def period_span(kind: str, year: int, number: int | None) -> tuple[date, date]:
    """The first and last day a period covers."""
    if kind == "annual":
        return date(year, 1, 1), date(year, 12, 31)
    assert number is not None
    first_month, last_month = (
        (3 * number - 2, 3 * number) if kind == "quarterly" else (number, number)
    )
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)
