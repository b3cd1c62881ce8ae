"""The kinerja-appraisal command line: migrate, seed-demo, import (on a SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_appraisal.cli import app


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at a fresh SQLite file."""
    monkeypatch.setenv("APPRAISAL_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def test_migrate_seed_and_import_from_the_command_line(sqlite_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    seeded = runner.invoke(app, ["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert "employees" in seeded.output
    assert "nothing seeded" in runner.invoke(app, ["seed-demo"]).output
    units = sqlite_env / "units.csv"
    units.write_text("code,name,kind,parent_code\nNEWU,Unit Baru,other,SETDA\nBAD X,x,dinas,\n")
    refused = runner.invoke(app, ["import", "units", str(units)])
    assert refused.exit_code == 1
    assert "line 3" in refused.output
    imported = runner.invoke(app, ["import", "units", str(units), "--import-valid"])
    assert imported.exit_code == 0, imported.output
    assert "created 1" in imported.output
