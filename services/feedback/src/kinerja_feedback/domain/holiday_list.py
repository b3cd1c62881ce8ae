"""A year's holiday list of one region, as shipped in holidays/data/ or loaded by
`kinerja-feedback holidays load` (docs/domain.md, complaints: the holiday calendar).

The file is CSV with three header comments and a header row::

    # region: ID-BA
    # year: 2026
    # source: the decree the dates come from
    date,kind,name,confirmed
    2026-06-17,provincial,Hari Raya Galungan,no

`confirmed` says whether the date was checked against the decree (`yes`) or estimated
(`no`); both count as holidays until a confirmed list replaces the year.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

REGION_PATTERN = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
"""ISO 3166-1 or 3166-2 codes: ID for the whole country, ID-BA for the Province of Bali."""
COLUMNS = ["date", "kind", "name", "confirmed"]
MAX_NAME = 200
MAX_SOURCE = 2000


class HolidayKind(StrEnum):
    """Why a day is off."""

    NATIONAL = "national"
    CUTI_BERSAMA = "cuti_bersama"
    PROVINCIAL = "provincial"


@dataclass(frozen=True, slots=True)
class Holiday:
    """One day off in a region."""

    day: date
    kind: HolidayKind
    name: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class HolidayList:
    """All holidays of one region in one year, with the decree they come from."""

    region: str
    year: int
    source: str
    holidays: tuple[Holiday, ...]


class HolidayListError(ValueError):
    """A holiday file that cannot be loaded; the message names the line."""


def parse_holiday_list(text: str) -> HolidayList:
    """Read and validate a holiday file: region, year and source given, every date in that
    year, a kind and a name on every line, no date twice. HolidayListError otherwise."""
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in {"region", "year", "source"}:
                meta[key.strip()] = value.strip()
            continue
        body.append(line)
    region = meta.get("region", "")
    if not REGION_PATTERN.match(region):
        raise HolidayListError("the header needs '# region: <ISO 3166 code>', e.g. ID or ID-BA")
    try:
        year = int(meta.get("year", ""))
    except ValueError:
        raise HolidayListError("the header needs '# year: <YYYY>'") from None
    if not 1900 <= year <= 9999:
        raise HolidayListError(f"the year {year} is out of range")
    source = meta.get("source", "")
    if not source or len(source) > MAX_SOURCE:
        raise HolidayListError("the header needs '# source: <the decree the dates come from>'")
    return HolidayList(region, year, source, _rows(body, year))


def _rows(lines: list[str], year: int) -> tuple[Holiday, ...]:
    rows = [r for r in csv.reader(io.StringIO("\n".join(lines))) if any(c.strip() for c in r)]
    if not rows or [c.strip() for c in rows[0]] != COLUMNS:
        raise HolidayListError(f"the first row must be the header {','.join(COLUMNS)}")
    seen: dict[date, int] = {}
    holidays: list[Holiday] = []
    for number, row in enumerate(rows[1:], start=2):
        where = f"row {number}"
        if len(row) != len(COLUMNS):
            raise HolidayListError(f"{where}: expected {len(COLUMNS)} columns, got {len(row)}")
        text_day, text_kind, name, text_confirmed = (c.strip() for c in row)
        try:
            day = date.fromisoformat(text_day)
        except ValueError:
            raise HolidayListError(f"{where}: {text_day!r} is not a date (YYYY-MM-DD)") from None
        if day.year != year:
            raise HolidayListError(f"{where}: {day} is not in {year}")
        if day in seen:
            raise HolidayListError(f"{where}: {day} is listed twice (first in row {seen[day]})")
        seen[day] = number
        try:
            kind = HolidayKind(text_kind)
        except ValueError:
            kinds = ", ".join(k.value for k in HolidayKind)
            raise HolidayListError(f"{where}: kind must be one of {kinds}") from None
        if not name or len(name) > MAX_NAME:
            raise HolidayListError(f"{where}: a name of 1 to {MAX_NAME} characters is needed")
        if text_confirmed not in {"yes", "no"}:
            raise HolidayListError(f"{where}: confirmed must be yes or no")
        holidays.append(Holiday(day, kind, name, text_confirmed == "yes"))
    if not holidays:
        raise HolidayListError("the file lists no holiday")
    return tuple(sorted(holidays, key=lambda h: h.day))
