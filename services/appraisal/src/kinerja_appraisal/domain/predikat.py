"""Ratings, the Predikat Kinerja Pegawai matrix and the BerAKHLAK values (PermenPANRB 6/2022).

Hasil Kerja (results) and Perilaku Kerja (behaviour) are each rated on three levels; the
3x3 matrix turns the pair into the employee's predikat. The helpers that derive a rating
from individual results or values only *propose*: the pejabat penilai gives the rating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from kinerja_appraisal.domain.errors import AppraisalRuleError
from kinerja_shared.law.predikat import PredikatPegawai

#: Default "small part" of main results that may be below expectation for Sesuai Ekspektasi.
DEFAULT_SMALL_PART = Fraction(1, 3)


class Rating(StrEnum):
    """A rating of Hasil Kerja or Perilaku Kerja: above, as or below expectation."""

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"

    @property
    def label(self) -> str:
        """Return the Indonesian label, e.g. 'Di Atas Ekspektasi'."""
        return _RATING_LABELS[self]


_RATING_LABELS: Mapping[Rating, str] = MappingProxyType(
    {
        Rating.DI_ATAS: "Di Atas Ekspektasi",
        Rating.SESUAI: "Sesuai Ekspektasi",
        Rating.DI_BAWAH: "Di Bawah Ekspektasi",
    }
)


#: The Predikat Kinerja Pegawai matrix, keyed by (Hasil Kerja rating, Perilaku Kerja rating).
PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], PredikatPegawai] = MappingProxyType(
    {
        (Rating.DI_ATAS, Rating.DI_BAWAH): PredikatPegawai.KURANG,
        (Rating.DI_ATAS, Rating.SESUAI): PredikatPegawai.BAIK,
        (Rating.DI_ATAS, Rating.DI_ATAS): PredikatPegawai.SANGAT_BAIK,
        (Rating.SESUAI, Rating.DI_BAWAH): PredikatPegawai.KURANG,
        (Rating.SESUAI, Rating.SESUAI): PredikatPegawai.BAIK,
        (Rating.SESUAI, Rating.DI_ATAS): PredikatPegawai.BAIK,
        (Rating.DI_BAWAH, Rating.DI_BAWAH): PredikatPegawai.SANGAT_KURANG,
        (Rating.DI_BAWAH, Rating.SESUAI): PredikatPegawai.BUTUH_PERBAIKAN,
        (Rating.DI_BAWAH, Rating.DI_ATAS): PredikatPegawai.BUTUH_PERBAIKAN,
    }
)


def predikat_for(hasil: Rating, perilaku: Rating) -> PredikatPegawai:
    """Return the predikat for a Hasil Kerja and a Perilaku Kerja rating (the 3x3 matrix)."""
    return PREDIKAT_MATRIX[(hasil, perilaku)]


# ---------------------------------------------------------------------------- Hasil Kerja


def _is_most(part: int, whole: int) -> bool:
    """Tell whether `part` is "most" of `whole`, i.e. strictly more than half."""
    return part * 2 > whole


def hasil_rating_from_results(
    main_results: Sequence[Rating],
    additional_results: Sequence[Rating] = (),
    *,
    small_part: Fraction = DEFAULT_SMALL_PART,
) -> Rating:
    """Propose a Hasil Kerja rating from the ratings of the individual results (RHK).

    The regulation's wording, checked in this order:

    1. Di Atas: most or all results (main and additional) above expectation and no main
       result below.
    2. Sesuai: most or all results at least as expected (a result above expectation also
       meets it) and only a small part of the main results below: at most `small_part`
       of them (default 1/3; none below also counts).
    3. Di Bawah: otherwise. This covers "most or all below" and also the mixes the
       wording leaves open, where too many main results are below to call it Sesuai.

    "Most" means strictly more than half. All comparisons use exact integer arithmetic.
    The supervisor may give a different rating; this only proposes one.
    """
    if not main_results:
        raise ValueError("a Hasil Kerja rating needs at least one main result (RHK utama)")
    if not 0 <= small_part < 1:
        raise ValueError(f"small_part must be in [0, 1), got {small_part}")
    all_results = [*main_results, *additional_results]
    total = len(all_results)
    above = sum(1 for rating in all_results if rating is Rating.DI_ATAS)
    at_least_expected = sum(1 for rating in all_results if rating is not Rating.DI_BAWAH)
    main_below = sum(1 for rating in main_results if rating is Rating.DI_BAWAH)
    if _is_most(above, total) and main_below == 0:
        return Rating.DI_ATAS
    small_enough = main_below * small_part.denominator <= small_part.numerator * len(main_results)
    if _is_most(at_least_expected, total) and small_enough:
        return Rating.SESUAI
    return Rating.DI_BAWAH


# ------------------------------------------------------------------------- Perilaku Kerja


class BerAkhlak(StrEnum):
    """The seven BerAKHLAK core values on which Perilaku Kerja is judged."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan"
    AKUNTABEL = "akuntabel"
    KOMPETEN = "kompeten"
    HARMONIS = "harmonis"
    LOYAL = "loyal"
    ADAPTIF = "adaptif"
    KOLABORATIF = "kolaboratif"

    @property
    def label(self) -> str:
        """Return the Indonesian name of the value, e.g. 'Berorientasi Pelayanan'."""
        return _BERAKHLAK_TEXT[self][0]

    @property
    def description(self) -> str:
        """Return the behaviours looked for under this value."""
        return _BERAKHLAK_TEXT[self][1]


_BERAKHLAK_TEXT: Mapping[BerAkhlak, tuple[str, str]] = MappingProxyType(
    {
        BerAkhlak.BERORIENTASI_PELAYANAN: (
            "Berorientasi Pelayanan",
            "understands and meets citizens' needs; friendly, quick, solution-minded,"
            " reliable; keeps improving",
        ),
        BerAkhlak.AKUNTABEL: (
            "Akuntabel",
            "honest, responsible, careful, disciplined, high integrity; uses state assets"
            " well; never abuses authority",
        ),
        BerAkhlak.KOMPETEN: (
            "Kompeten",
            "grows own competence; helps others learn; does tasks to the best quality",
        ),
        BerAkhlak.HARMONIS: (
            "Harmonis",
            "respects everyone; helps others; builds a good workplace",
        ),
        BerAkhlak.LOYAL: (
            "Loyal",
            "true to Pancasila, UUD 1945, NKRI and lawful government; guards the good name"
            " of ASN, leaders, agency, state; keeps official secrets",
        ),
        BerAkhlak.ADAPTIF: (
            "Adaptif",
            "adapts fast; innovates; acts proactively",
        ),
        BerAkhlak.KOLABORATIF: (
            "Kolaboratif",
            "lets others contribute; open to working together; mobilises resources for"
            " common goals",
        ),
    }
)


class IncompletePerilaku(AppraisalRuleError, ValueError):
    """Not every BerAKHLAK value has been rated; `missing` lists the unrated ones."""

    def __init__(self, missing: Sequence[BerAkhlak]) -> None:
        self.missing = tuple(missing)
        names = ", ".join(value.label for value in self.missing)
        super().__init__(f"every BerAKHLAK value must be rated; not rated: {names}")


class MissingPerilakuNotes(AppraisalRuleError, ValueError):
    """A BerAKHLAK value rated other than Sesuai has no note; `missing` lists them."""

    def __init__(self, missing: Sequence[BerAkhlak]) -> None:
        self.missing = tuple(missing)
        names = ", ".join(value.label for value in self.missing)
        super().__init__(
            "a BerAKHLAK value rated above or below expectation needs a note explaining"
            f" the behaviour seen; missing for: {names}"
        )


def _require_all_values(ratings: Mapping[BerAkhlak, Rating]) -> None:
    """Raise `IncompletePerilaku` unless all seven BerAKHLAK values are rated."""
    missing = [value for value in BerAkhlak if value not in ratings]
    if missing:
        raise IncompletePerilaku(missing)


def perilaku_rating(values: Mapping[BerAkhlak, Rating], *, overall: Rating | None = None) -> Rating:
    """Return the Perilaku Kerja rating: the supervisor's overall one, else a proposal.

    The regulation judges Perilaku Kerja as a whole, so the rule is: the supervisor gives
    the overall rating (`overall`), and it stands whatever the per-value ratings are.
    All seven values must be rated in any case. Without `overall`, a rating is proposed
    the same way as for Hasil Kerja: Di Atas when most values (more than half) are above
    and none is below; Di Bawah when most values are below; Sesuai otherwise.
    """
    _require_all_values(values)
    if overall is not None:
        return overall
    total = len(BerAkhlak)
    above = sum(1 for value in BerAkhlak if values[value] is Rating.DI_ATAS)
    below = sum(1 for value in BerAkhlak if values[value] is Rating.DI_BAWAH)
    if _is_most(above, total) and below == 0:
        return Rating.DI_ATAS
    if _is_most(below, total):
        return Rating.DI_BAWAH
    return Rating.SESUAI


def missing_perilaku_notes(
    ratings: Mapping[BerAkhlak, Rating], notes: Mapping[BerAkhlak, str]
) -> list[BerAkhlak]:
    """List the values rated other than Sesuai whose note is absent or blank."""
    return [
        value
        for value in BerAkhlak
        if value in ratings
        and ratings[value] is not Rating.SESUAI
        and not notes.get(value, "").strip()
    ]


def validate_perilaku_notes(
    ratings: Mapping[BerAkhlak, Rating], notes: Mapping[BerAkhlak, str]
) -> None:
    """Raise `MissingPerilakuNotes` unless every value rated other than Sesuai has a note."""
    missing = missing_perilaku_notes(ratings, notes)
    if missing:
        raise MissingPerilakuNotes(missing)


# ------------------------------------------------------------------------ Annual predikat


class _SupportsLessThan(Protocol):
    """Anything ordered with `<`, such as a date, an int or a (year, month) tuple."""

    def __lt__(self, other: Any, /) -> bool:
        """Tell whether this sorts before `other`."""
        ...


PeriodKey = TypeVar("PeriodKey", bound=_SupportsLessThan)


def propose_annual_predikat(
    periodic: Sequence[tuple[PeriodKey, PredikatPegawai]],
) -> PredikatPegawai:
    """Propose the annual predikat from the periodic ones (local policy).

    The most frequent periodic predikat wins; among predikat tied for most frequent, the
    one given in the latest period wins. Each pair is (a key that orders the periods,
    e.g. the period's start date, the predikat); the input order does not matter.
    The appraiser confirms or changes the proposal.
    """
    if not periodic:
        raise ValueError("an annual predikat needs at least one periodic predikat")
    ordered = sorted(periodic, key=lambda pair: pair[0])
    for earlier, later in pairwise(ordered):
        if not earlier[0] < later[0]:
            raise ValueError(f"two periodic predikat share the period key {later[0]!r}")
    counts: dict[PredikatPegawai, int] = {}
    latest_position: dict[PredikatPegawai, int] = {}
    for position, (_, predikat) in enumerate(ordered):
        counts[predikat] = counts.get(predikat, 0) + 1
        latest_position[predikat] = position
    return max(counts, key=lambda predikat: (counts[predikat], latest_position[predikat]))
