"""IKM formula, bands, unanswered elements and the incremental accumulator."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja_reporting.domain.ikm import (
    ElementTotals,
    InvalidAnswers,
    MutuPelayanan,
    TotalsUnderflow,
    band_for,
    compute_ikm,
)
from kinerja_shared.law.skm import Unsur


def all_elements(score: int) -> dict[str, int]:
    return {u.value: score for u in Unsur}


def scores(*values: int) -> dict[str, int]:
    return {u.value: v for u, v in zip(Unsur, values, strict=True)}


@pytest.mark.parametrize(
    ("score", "expected"),
    [(4, Decimal("100.00")), (3, Decimal("75.00")), (2, Decimal("50.00")), (1, Decimal("25.00"))],
)
def test_uniform_answers_give_score_times_25(score: int, expected: Decimal) -> None:
    totals = ElementTotals.from_answers([all_elements(score)] * 3)
    assert compute_ikm(totals).ikm == expected


def test_perfect_score_is_exactly_100_because_the_weight_is_exactly_one_ninth() -> None:
    result = compute_ikm(ElementTotals.from_answers([all_elements(4)]))
    assert result.weight == Fraction(1, 9)
    assert result.ikm_exact == 100
    assert result.band is MutuPelayanan.A
    assert result.band_label == "Sangat Baik"


def test_mixed_case_matches_hand_computation() -> None:
    """Three respondents.

    R1 all 4; R2 all 3; R3 = 3,2,4,3,3,3,4,2,1.
    Sums U1..U9 = 10,9,11,10,10,10,11,9,8 (total 88), so NRR = sum/3, shown as
    3.33, 3.00, 3.67, 3.33, 3.33, 3.33, 3.67, 3.00, 2.67.
    IKM = (88/3) x 1/9 x 25 = 2200/27 = 81.481... -> 81.48, band B (Baik).
    """
    totals = ElementTotals.from_answers(
        [all_elements(4), all_elements(3), scores(3, 2, 4, 3, 3, 3, 4, 2, 1)]
    )
    result = compute_ikm(totals)
    assert result.respondents == 3
    assert result.ikm_exact == Fraction(2200, 27)
    assert result.ikm == Decimal("81.48")
    assert result.band is MutuPelayanan.B
    assert result.band_label == "Baik"
    assert [str(e.nrr) for e in result.elements] == [
        "3.33", "3.00", "3.67", "3.33", "3.33", "3.33", "3.67", "3.00", "2.67",
    ]  # fmt: skip
    u3 = result.nrr_of(Unsur.U3)
    assert u3 is not None
    assert u3.nrr_exact == Fraction(11, 3)
    assert result.complete


def test_ikm_rounds_an_exact_half_up() -> None:
    """Eight respondents: seven all 1s, one all 2s; total 81.

    IKM = 81 / 8 / 9 x 25 = 2025/72 = 28.125 exactly -> 28.13 (half up, not half even).
    """
    totals = ElementTotals.from_answers([all_elements(1)] * 7 + [all_elements(2)])
    result = compute_ikm(totals)
    assert result.ikm_exact == Fraction(225, 8)
    assert result.ikm == Decimal("28.13")


@pytest.mark.parametrize(
    ("ikm", "band"),
    [
        ("100.00", MutuPelayanan.A),
        ("88.31", MutuPelayanan.A),
        ("88.30", MutuPelayanan.B),
        ("76.61", MutuPelayanan.B),
        ("76.60", MutuPelayanan.C),
        ("65.00", MutuPelayanan.C),
        ("64.99", MutuPelayanan.D),
        ("25.00", MutuPelayanan.D),
    ],
)
def test_band_boundaries_are_compared_on_the_two_decimal_value(
    ikm: str, band: MutuPelayanan
) -> None:
    assert band_for(Decimal(ikm)) is band


#: The bands as PermenPANRB 14/2017 prints them: inclusive ranges of two-decimal IKM values.
_REGULATION_BANDS = (
    (Decimal("88.31"), Decimal("100.00"), MutuPelayanan.A),
    (Decimal("76.61"), Decimal("88.30"), MutuPelayanan.B),
    (Decimal("65.00"), Decimal("76.60"), MutuPelayanan.C),
    (Decimal("25.00"), Decimal("64.99"), MutuPelayanan.D),
)


def test_every_two_decimal_ikm_from_25_to_100_falls_in_the_regulations_range() -> None:
    wrong = []
    for hundredths in range(2500, 10001):
        ikm = Decimal(hundredths).scaleb(-2)
        (expected,) = [band for low, high, band in _REGULATION_BANDS if low <= ikm <= high]
        if band_for(ikm) is not expected:
            wrong.append((ikm, band_for(ikm), expected))
    assert wrong == []


@pytest.mark.parametrize(
    ("ikm", "band"),
    [("88.305", MutuPelayanan.A), ("88.3049", MutuPelayanan.B), ("64.995", MutuPelayanan.C)],
)
def test_band_of_an_unrounded_value_uses_its_rounded_two_decimals(
    ikm: str, band: MutuPelayanan
) -> None:
    assert band_for(Decimal(ikm)) is band


@pytest.mark.parametrize(
    ("band", "label"),
    [
        (MutuPelayanan.A, "Sangat Baik"),
        (MutuPelayanan.B, "Baik"),
        (MutuPelayanan.C, "Kurang Baik"),
        (MutuPelayanan.D, "Tidak Baik"),
    ],
)
def test_every_band_has_its_indonesian_label(band: MutuPelayanan, label: str) -> None:
    assert band.label == label


@pytest.mark.parametrize("score", [4, 3])
def test_unanswered_element_is_left_out_and_a_perfect_score_is_still_uniform(score: int) -> None:
    answers = {u.value: score for u in Unsur if u is not Unsur.U9}
    result = compute_ikm(ElementTotals.from_answers([answers, answers]))
    assert result.missing == (Unsur.U9,)
    assert not result.complete
    assert result.weight == Fraction(1, 8)
    assert result.ikm == Decimal(score * 25).quantize(Decimal("0.01"))
    assert result.nrr_of(Unsur.U9) is None


def test_partially_answered_element_divides_by_its_own_respondents() -> None:
    """R1 answers all nine with 4; R2 answers only U1 with 2.

    NRR U1 = 6/2 = 3, others 4. IKM = (3 + 8 x 4) / 9 x 25 = 875/9 = 97.22.
    """
    totals = ElementTotals.from_answers([all_elements(4), {"U1": 2}])
    result = compute_ikm(totals)
    assert result.respondents == 2
    assert result.missing == ()
    assert result.ikm == Decimal("97.22")


def test_no_answered_element_gives_no_index() -> None:
    result = compute_ikm(ElementTotals())
    assert result.ikm is None
    assert result.band is None
    assert result.band_label is None
    assert result.missing == tuple(Unsur)


@pytest.mark.parametrize(
    "answers",
    [{}, {"U10": 3}, {"U1": 0}, {"U1": 5}, {"U1": True}, {"U1": 2.5}, {"u1": 3}],
)
def test_invalid_answers_are_refused(answers: dict[str, object]) -> None:
    with pytest.raises(InvalidAnswers):
        ElementTotals().add(answers)  # type: ignore[arg-type]


def test_add_then_subtract_returns_to_the_original() -> None:
    original = ElementTotals.from_answers([all_elements(3), {"U2": 1, "U7": 4}])
    extra = scores(1, 2, 3, 4, 1, 2, 3, 4, 1)
    assert original.add(extra).subtract(extra) == original


def test_subtracting_from_empty_totals_is_refused() -> None:
    with pytest.raises(TotalsUnderflow):
        ElementTotals().subtract({"U1": 3})


def test_subtracting_an_answer_never_added_is_refused() -> None:
    totals = ElementTotals.from_answers([{"U1": 4}])
    with pytest.raises(TotalsUnderflow):
        totals.subtract({"U2": 4})


def test_merge_equals_the_sum_of_the_parts() -> None:
    part_a = [all_elements(4), {"U1": 2, "U9": 1}]
    part_b = [all_elements(2), scores(1, 1, 2, 2, 3, 3, 4, 4, 1)]
    merged = ElementTotals.from_answers(part_a).merge(ElementTotals.from_answers(part_b))
    assert merged == ElementTotals.from_answers(part_a + part_b)
    assert (
        ElementTotals.combine(
            [ElementTotals.from_answers(part_a), ElementTotals.from_answers(part_b)]
        )
        == merged
    )


def test_roll_up_pools_respondents_rather_than_averaging_unit_indices() -> None:
    """Unit A: one respondent all 4s (100). Unit B: three respondents all 1s (25).

    Pooled: NRR = (4 + 3) / 4 = 1.75 per element, IKM = 43.75, not (100 + 25) / 2.
    """
    unit_a = ElementTotals.from_answers([all_elements(4)])
    unit_b = ElementTotals.from_answers([all_elements(1)] * 3)
    assert compute_ikm(unit_a.merge(unit_b)).ikm == Decimal("43.75")


def test_totals_from_stored_counters_read_respondents_and_each_unsur_s_and_n() -> None:
    counters = {"respondents": 3} | {f"s{i}": 6 + i % 3 for i in range(1, 9)} | {"s9": 5}
    counters |= {f"n{i}": 3 for i in range(1, 9)} | {"n9": 2}
    totals = ElementTotals.from_counters(counters)
    assert totals.respondents == 3
    assert (totals.of(Unsur.U1).score_sum, totals.of(Unsur.U1).answered) == (7, 3)
    assert (totals.of(Unsur.U9).score_sum, totals.of(Unsur.U9).answered) == (5, 2)
