"""Predikat of employees and of organisations, as reporting reads them (PermenPANRB 6/2022)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum


class Predikat(StrEnum):
    """Predikat Kinerja Pegawai, best first."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        """Indonesian label."""
        return _PREDIKAT_LABELS[self]


_PREDIKAT_LABELS: dict[Predikat, str] = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}

BAIK_OR_BETTER: frozenset[Predikat] = frozenset({Predikat.SANGAT_BAIK, Predikat.BAIK})
BELOW_BAIK: frozenset[Predikat] = frozenset(
    {Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG}
)


class PredikatOrganisasi(StrEnum):
    """Organisation predikat set by BKPSDM for a period; it selects the distribution curve."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


def count_predikat(ratings: Iterable[Predikat] | Mapping[Predikat, int]) -> dict[Predikat, int]:
    """Counts per predikat (every predikat present, zero when absent)."""
    if isinstance(ratings, Mapping):
        counts = {p: int(ratings.get(p, 0)) for p in Predikat}
        unknown = set(ratings) - set(Predikat)
        if unknown:
            raise ValueError(f"unknown predikat {sorted(map(str, unknown))}")
    else:
        tally = Counter(Predikat(r) for r in ratings)
        counts = {p: tally.get(p, 0) for p in Predikat}
    if any(c < 0 for c in counts.values()):
        raise ValueError("predikat counts must not be negative")
    return counts
