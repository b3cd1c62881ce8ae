"""The holiday lists shipped with the service (holidays/data/<REGION>-<YEAR>.csv)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kinerja_feedback.domain.holiday_list import HolidayList, HolidayListError, parse_holiday_list


def read_holiday_file(path: Path) -> HolidayList:
    """Parse a holiday file from disk; HolidayListError names what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayListError(f"cannot read {path}: {exc}") from None
    return parse_holiday_list(text)


def shipped_lists() -> list[HolidayList]:
    """Every holiday list in the package's data folder, in file-name order."""
    folder = resources.files("kinerja_feedback.holidays") / "data"
    return [
        parse_holiday_list(entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".csv")
    ]
