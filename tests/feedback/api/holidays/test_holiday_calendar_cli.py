"""The holiday calendar in the database: filled by the migration, extended by
`kinerja-feedback holidays load`, and the calendar settings deploy/ sets."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlmodel import col
from typer.testing import CliRunner

from kinerja_feedback.cli import app as cli
from kinerja_feedback.models import Holiday
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.db import create_engine
from support.common import ROOT

LIST_2028 = """# region: ID-BA
# year: 2028
# source: Surat Edaran Gubernur Bali (test)
date,kind,name,confirmed
2028-03-08,provincial,Hari Raya Galungan,yes
2028-03-18,provincial,Hari Raya Kuningan,yes
"""


def rows(url: str, **where: object) -> list[tuple]:
    async def read() -> list[tuple]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                stmt = select(col(Holiday.region), col(Holiday.day), col(Holiday.name))
                stmt = stmt.order_by(col(Holiday.region), col(Holiday.day))
                for name, value in where.items():
                    stmt = stmt.where(getattr(Holiday, name) == value)
                return list((await conn.execute(stmt)).all())
        finally:
            await engine.dispose()

    return asyncio.run(read())


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'calendar.db'}"
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    return url


def test_the_migration_loads_the_shipped_holidays(migrated: str) -> None:
    national_2026 = rows(migrated, region="ID", year=2026)
    assert len(national_2026) == 25
    assert ("ID-BA", date(2026, 6, 17), "Hari Raya Galungan") in rows(migrated, region="ID-BA")


def test_loading_a_new_years_list_adds_it_and_loading_it_again_changes_nothing(
    migrated: str, tmp_path: Path
) -> None:
    path = tmp_path / "ID-BA-2028.csv"
    path.write_text(LIST_2028)
    first = CliRunner().invoke(cli, ["holidays", "load", str(path)])
    assert first.exit_code == 0, first.output
    assert "ID-BA 2028: 2 holidays loaded (0 replaced" in first.output
    loaded = rows(migrated, year=2028)
    again = CliRunner().invoke(cli, ["holidays", "load", str(path)])
    assert again.exit_code == 0, again.output
    assert "(2 replaced" in again.output
    assert rows(migrated, year=2028) == loaded
    assert len(loaded) == 2


def test_a_list_with_a_date_of_another_year_is_refused_and_loads_nothing(
    migrated: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(LIST_2028 + "2029-01-01,provincial,Tahun Baru,yes\n")
    before = rows(migrated)
    result = CliRunner().invoke(cli, ["holidays", "load", str(path)])
    assert result.exit_code == 2
    assert "2029-01-01 is not in 2028" in result.output
    assert "nothing was loaded" in result.output
    assert rows(migrated) == before


def feedback_env_of_compose() -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    return {k: str(v) for k, v in compose["x-feedback-env"].items() if k.startswith("FEEDBACK_")}


def config_map() -> dict[str, str]:
    config = yaml.safe_load((ROOT / "deploy" / "k8s" / "base" / "configmap.yaml").read_text())
    return {k: str(v) for k, v in config["data"].items() if k.startswith("FEEDBACK_")}


@pytest.mark.parametrize("source", [feedback_env_of_compose, config_map])
def test_deploy_sets_the_complaint_calendar_explicitly(
    source, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = source()
    for name in (
        "FEEDBACK_COMPLAINT_WORKING_WEEKDAYS",
        "FEEDBACK_COMPLAINT_HOLIDAY_REGIONS",
        "FEEDBACK_COMPLAINT_RESOLUTION_COUNTING",
        "FEEDBACK_HOLIDAYS",
    ):
        monkeypatch.setenv(name, env[name])
    settings = FeedbackSettings()
    assert settings.complaint_working_weekdays == [1, 2, 3, 4, 5]
    assert settings.complaint_holiday_regions == ["ID", "ID-BA"]
    assert settings.complaint_resolution_counting == "working_days"
    assert settings.holidays == []
