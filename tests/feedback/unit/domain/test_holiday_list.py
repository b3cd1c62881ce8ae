"""Holiday lists: the shipped files and the checks a file passes before it is loaded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kinerja_feedback.domain.holiday_list import (
    HolidayKind,
    HolidayListError,
    parse_holiday_list,
)
from kinerja_feedback.holidays.files import shipped_lists

HEADER = "# region: ID-BA\n# year: 2027\n# source: SE Gubernur Bali\ndate,kind,name,confirmed\n"
GALUNGAN_2025 = date(2025, 4, 23)


def lists() -> dict[tuple[str, int], set[date]]:
    return {(h.region, h.year): {x.day for x in h.holidays} for h in shipped_lists()}


def test_the_repository_ships_national_and_bali_holidays_for_2026_and_2027() -> None:
    assert set(lists()) == {("ID", 2026), ("ID", 2027), ("ID-BA", 2026), ("ID-BA", 2027)}


def test_the_2026_national_list_has_the_skbs_17_holidays_and_8_days_of_cuti_bersama() -> None:
    (national,) = [h for h in shipped_lists() if (h.region, h.year) == ("ID", 2026)]
    kinds = [h.kind for h in national.holidays]
    assert kinds.count(HolidayKind.NATIONAL) == 17
    assert kinds.count(HolidayKind.CUTI_BERSAMA) == 8
    assert all(h.confirmed for h in national.holidays)
    assert "1497 Tahun 2025" in national.source


def test_every_galungan_and_kuningan_follows_the_210_day_pawukon_cycle() -> None:
    listed = [h for h in shipped_lists() if h.region == "ID-BA"]
    galungan = sorted(h.day for x in listed for h in x.holidays if h.name == "Hari Raya Galungan")
    kuningan = sorted(h.day for x in listed for h in x.holidays if h.name == "Hari Raya Kuningan")
    assert galungan == [GALUNGAN_2025 + timedelta(days=210 * n) for n in (2, 3, 4)]
    assert kuningan == [g + timedelta(days=10) for g in galungan]


def test_a_list_names_its_region_year_and_source_and_reads_its_rows() -> None:
    parsed = parse_holiday_list(HEADER + "2027-01-13,provincial,Hari Raya Galungan,no\n")
    assert (parsed.region, parsed.year, parsed.source) == ("ID-BA", 2027, "SE Gubernur Bali")
    assert [(h.day, h.kind, h.confirmed) for h in parsed.holidays] == [
        (date(2027, 1, 13), HolidayKind.PROVINCIAL, False)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "2026-12-31,national,Tahun Baru,yes\n", "2026-12-31 is not in 2027"),
        (HEADER + "2027-01-13,provincial,,no\n", "a name"),
        (
            HEADER + "2027-01-13,provincial,Galungan,no\n2027-01-13,provincial,Galungan,no\n",
            "listed twice",
        ),
        (HEADER + "2027-02-30,national,Nope,yes\n", "is not a date"),
        (HEADER + "2027-01-13,holiday,Galungan,no\n", "kind must be one of"),
        (HEADER + "2027-01-13,provincial,Galungan,maybe\n", "confirmed must be yes or no"),
        (HEADER, "lists no holiday"),
        (HEADER.replace("# year: 2027\n", ""), "year"),
        (HEADER.replace("ID-BA", "Bali"), "region"),
        (HEADER.replace("# source: SE Gubernur Bali\n", ""), "source"),
        (HEADER.replace("date,kind", "day,kind"), "header"),
    ],
)
def test_a_list_with_a_fault_is_refused_naming_it(text: str, message: str) -> None:
    with pytest.raises(HolidayListError, match=message):
        parse_holiday_list(text)
