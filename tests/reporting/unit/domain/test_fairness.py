"""Appraiser rating patterns compared with the unit and with citizens."""

from decimal import Decimal

import pytest

from kinerja_reporting.domain.fairness import (
    CitizenScore,
    FairnessFlagCode,
    assess_appraiser,
)
from kinerja_shared.law.predikat import PredikatPegawai as Predikat

SB = Predikat.SANGAT_BAIK
B = Predikat.BAIK
BP = Predikat.BUTUH_PERBAIKAN
K = Predikat.KURANG


def ratings(*predikat: Predikat, prefix: str = "a") -> dict[str, Predikat]:
    return {f"{prefix}{i}": p for i, p in enumerate(predikat)}


def scores(values: dict[str, str], responses: int = 5) -> dict[str, CitizenScore]:
    return {k: CitizenScore(responses=responses, score=Decimal(v)) for k, v in values.items()}


def codes(report: object) -> list[FairnessFlagCode]:
    return [f.code for f in report.flags]  # type: ignore[attr-defined]


def test_shares_are_compared_with_the_unit_in_percentage_points() -> None:
    """Appraiser: 3 SB, 1 B of 4 (75% SB). Unit: 12 staff, 4 SB, 6 B (33.33% SB, 83.33% >= B).

    SB difference 75 - 33.33 = 41.67 points; Baik-or-better 100 - 83.33 = 16.67 points.
    """
    mine = ratings(SB, SB, SB, B)
    unit = {**mine, **ratings(SB, B, B, B, B, B, BP, K, prefix="u")}
    report = assess_appraiser(mine, unit, {})
    assert report.sangat_baik.appraiser_percent == Decimal("75.00")
    assert report.sangat_baik.unit_percent == Decimal("33.33")
    assert report.sangat_baik.difference_points == Decimal("41.67")
    assert report.baik_or_better.appraiser_percent == Decimal("100.00")
    assert report.baik_or_better.unit_percent == Decimal("83.33")
    assert report.baik_or_better.difference_points == Decimal("16.67")
    assert report.flags == ()


def _unit_with(mine: dict[str, Predikat]) -> tuple[dict[str, Predikat], dict[str, CitizenScore]]:
    others = ratings(B, B, B, B, prefix="u")
    citizen = scores({"u0": "80", "u1": "82", "u2": "84", "u3": "86"})
    return {**mine, **others}, citizen


@pytest.mark.parametrize(("sangat_baik", "flagged"), [(4, True), (3, False)])
def test_generous_flag_needs_80_percent_sangat_baik_and_low_citizen_median(
    sangat_baik: int, flagged: bool
) -> None:
    mine = ratings(*([SB] * sangat_baik + [B] * (5 - sangat_baik)))
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "60", "a1": "62", "a2": "64"})
    report = assess_appraiser(mine, unit, citizen)
    assert (FairnessFlagCode.GENEROUS_VS_CITIZENS in codes(report)) is flagged


def test_generous_flag_carries_its_numbers_and_an_explanation() -> None:
    """Unit scores (enough responses): 60, 62, 64, 80, 82, 84, 86 -> median 80.

    Appraiser's scored staff: 60, 62, 64 -> median 62, below 80.
    """
    mine = ratings(SB, SB, SB, SB, SB)
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "60", "a1": "62", "a2": "64"})
    (generous, uniform) = assess_appraiser(mine, unit, citizen).flags
    assert generous.code is FairnessFlagCode.GENEROUS_VS_CITIZENS
    assert generous.share_percent == Decimal("100.00")
    assert generous.threshold_percent == 80
    assert generous.scored_staff == 3
    assert generous.staff_median == Decimal("62")
    assert generous.unit_scored_staff == 7
    assert generous.unit_median == Decimal("80")
    assert "below the unit median" in generous.explanation
    assert uniform.code is FairnessFlagCode.UNIFORM_RATINGS


def test_generous_flag_is_not_raised_when_citizens_agree() -> None:
    mine = ratings(SB, SB, SB, SB, B)
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "90", "a1": "92"})
    assert assess_appraiser(mine, unit, citizen).flags == ()


def test_staff_with_too_few_responses_are_left_out_of_the_medians() -> None:
    mine = ratings(SB, SB, SB, SB, B)
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "10", "a1": "12"}, responses=4)
    report = assess_appraiser(mine, unit, citizen)
    assert report.scored_staff == 0
    assert report.staff_median is None
    assert report.unit_scored_staff == 4
    assert report.flags == ()


@pytest.mark.parametrize(("below_baik", "flagged"), [(4, True), (3, False)])
def test_harsh_flag_mirrors_generous(below_baik: int, flagged: bool) -> None:
    mine = ratings(*([BP] * (below_baik - 1) + [K] + [B] * (5 - below_baik)))
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "95", "a1": "96"})
    report = assess_appraiser(mine, unit, citizen)
    assert (FairnessFlagCode.HARSH_VS_CITIZENS in codes(report)) is flagged


@pytest.mark.parametrize(("staff", "flagged"), [(5, True), (4, False)])
def test_uniform_ratings_are_flagged_from_five_identical_ratings(staff: int, flagged: bool) -> None:
    mine = ratings(*([B] * staff))
    report = assess_appraiser(mine, mine, {})
    assert (FairnessFlagCode.UNIFORM_RATINGS in codes(report)) is flagged


def test_varied_ratings_are_not_uniform() -> None:
    mine = ratings(B, B, B, B, B, SB)
    assert assess_appraiser(mine, mine, {}).flags == ()


def test_thresholds_are_parameters() -> None:
    mine = ratings(SB, SB, SB, B, B)
    unit, citizen = _unit_with(mine)
    citizen |= scores({"a0": "60"})
    report = assess_appraiser(mine, unit, citizen, generous_share_percent=60)
    assert codes(report) == [FairnessFlagCode.GENEROUS_VS_CITIZENS]


def test_an_appraiser_with_no_ratings_gets_no_flags() -> None:
    report = assess_appraiser({}, ratings(B, SB), scores({"a0": "70"}))
    assert report.rated_staff == 0
    assert report.sangat_baik.appraiser_percent == Decimal("0.00")
    assert report.flags == ()
