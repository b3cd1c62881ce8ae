"""Predikat Kinerja Pegawai and Predikat Kinerja Organisasi (PermenPANRB 6/2022).

docs/domain.md, "Predikat matrix" and "Distribution curve": the employee's predikat, best
first, and the organisation predikat BKPSDM sets for a unit and period, which selects the
unit's kurva distribusi (`kinerja_shared.law.kurva`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Literal


class PredikatPegawai(StrEnum):
    """Predikat Kinerja Pegawai, the employee's overall performance outcome, best first."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        """Return the Indonesian label, e.g. 'Kurang/Misconduct'."""
        return _PEGAWAI_LABELS[self]

    @property
    def rank(self) -> int:
        """Return the order from 5 (Sangat Baik, best) down to 1 (Sangat Kurang, worst)."""
        return _PEGAWAI_RANKS[self]


#: The values of `PredikatPegawai` as event payloads name them.
PredikatPegawaiValue = Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]

_PEGAWAI_LABELS: Mapping[PredikatPegawai, str] = MappingProxyType(
    {
        PredikatPegawai.SANGAT_BAIK: "Sangat Baik",
        PredikatPegawai.BAIK: "Baik",
        PredikatPegawai.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        PredikatPegawai.KURANG: "Kurang/Misconduct",
        PredikatPegawai.SANGAT_KURANG: "Sangat Kurang",
    }
)

# The regulation lists the predikat in this order, best first.
_PEGAWAI_RANKS: Mapping[PredikatPegawai, int] = MappingProxyType(
    {predikat: len(PredikatPegawai) - index for index, predikat in enumerate(PredikatPegawai)}
)


class PredikatOrganisasi(StrEnum):
    """Predikat Kinerja Organisasi, set by BKPSDM for a unit and period; it selects the kurva."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        """Return the Indonesian label, e.g. 'Istimewa'."""
        return _ORGANISASI_LABELS[self]


#: The values of `PredikatOrganisasi` as event payloads name them.
PredikatOrganisasiValue = Literal["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]

_ORGANISASI_LABELS: Mapping[PredikatOrganisasi, str] = MappingProxyType(
    {
        PredikatOrganisasi.ISTIMEWA: "Istimewa",
        PredikatOrganisasi.BAIK: "Baik",
        PredikatOrganisasi.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        PredikatOrganisasi.KURANG: "Kurang",
        PredikatOrganisasi.SANGAT_KURANG: "Sangat Kurang",
    }
)


def count_predikat(
    predikat: Iterable[PredikatPegawai | str] | Mapping[PredikatPegawai, int],
) -> dict[PredikatPegawai, int]:
    """Count employees per predikat, every predikat present (zero when absent).

    Takes one predikat per employee, or counts already made; refuses (ValueError) an
    unknown predikat and a negative count.
    """
    if isinstance(predikat, Mapping):
        unknown = set(predikat) - set(PredikatPegawai)
        if unknown:
            raise ValueError(f"unknown predikat {sorted(map(str, unknown))}")
        counts = {item: int(predikat.get(item, 0)) for item in PredikatPegawai}
    else:
        tally = Counter(PredikatPegawai(item) for item in predikat)
        counts = {item: tally.get(item, 0) for item in PredikatPegawai}
    if any(count < 0 for count in counts.values()):
        raise ValueError("predikat counts cannot be negative")
    return counts
