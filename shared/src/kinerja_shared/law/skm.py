"""The nine unsur of the Survei Kepuasan Masyarakat and their score scale (PermenPANRB 14/2017).

docs/domain.md, "Elements (unsur)": each unsur is one question answered with a score from
1 to 4; feedback asks them, reporting computes the IKM from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

MIN_SCORE = 1
MAX_SCORE = 4


class Unsur(StrEnum):
    """One of the nine SKM elements (unsur), in the order of the regulation."""

    U1 = "U1"
    U2 = "U2"
    U3 = "U3"
    U4 = "U4"
    U5 = "U5"
    U6 = "U6"
    U7 = "U7"
    U8 = "U8"
    U9 = "U9"

    @property
    def label(self) -> str:
        """Return the Indonesian name of the element, e.g. 'Persyaratan'."""
        return _UNSUR_LABELS[self]

    @property
    def position(self) -> int:
        """Return the zero-based position of the element (U1 is 0)."""
        return int(self.value[1:]) - 1


#: The values of `Unsur` as event payloads name them.
UnsurValue = Literal["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]

_UNSUR_LABELS: Mapping[Unsur, str] = MappingProxyType(
    {
        Unsur.U1: "Persyaratan",
        Unsur.U2: "Sistem, mekanisme, prosedur",
        Unsur.U3: "Waktu penyelesaian",
        Unsur.U4: "Biaya/tarif",
        Unsur.U5: "Produk spesifikasi jenis pelayanan",
        Unsur.U6: "Kompetensi pelaksana",
        Unsur.U7: "Perilaku pelaksana",
        Unsur.U8: "Sarana dan prasarana",
        Unsur.U9: "Penanganan pengaduan, saran, masukan",
    }
)


class InvalidScore(ValueError):
    """Raised when an answer is not an integer score from 1 to 4."""


def is_score(value: object) -> bool:
    """Tell whether `value` is an integer score from 1 to 4 (`True` is not a 1)."""
    # bool is an int subclass; True must not pass as a score of 1.
    return (
        isinstance(value, int) and not isinstance(value, bool) and MIN_SCORE <= value <= MAX_SCORE
    )


def validate_score(score: object) -> int:
    """Return the score if it is an integer from 1 to 4, else raise InvalidScore."""
    if isinstance(score, bool) or not isinstance(score, int):
        raise InvalidScore(f"an SKM score must be an integer from 1 to 4, got {score!r}")
    if not is_score(score):
        raise InvalidScore(f"an SKM score must be from 1 to 4, got {score}")
    return score
