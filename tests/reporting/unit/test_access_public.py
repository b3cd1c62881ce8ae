"""Only the explicit public reader reads every unit; a missing identity is not the public."""

from __future__ import annotations

import pytest

from kinerja_reporting.access import PUBLIC, readable_units
from kinerja_reporting.directory.tree import UnitTree


def test_the_public_reader_reads_every_unit() -> None:
    assert readable_units(PUBLIC, UnitTree({})) is None


def test_a_missing_identity_is_not_read_as_the_public() -> None:
    with pytest.raises(AttributeError):
        readable_units(None, UnitTree({}))  # type: ignore[arg-type]
