"""The predikat matrix, the Hasil Kerja and Perilaku Kerja proposals and the annual proposal."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

import pytest

from kinerja_appraisal.domain.predikat import (
    PREDIKAT_MATRIX,
    BerAkhlak,
    IncompletePerilaku,
    MissingPerilakuNotes,
    Rating,
    hasil_rating_from_results,
    missing_perilaku_notes,
    perilaku_rating,
    predikat_for,
    propose_annual_predikat,
    validate_perilaku_notes,
)
from kinerja_shared.law.predikat import PredikatPegawai

ATAS, SESUAI, BAWAH = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
SB, B, BP, K, SK = (
    PredikatPegawai.SANGAT_BAIK,
    PredikatPegawai.BAIK,
    PredikatPegawai.BUTUH_PERBAIKAN,
    PredikatPegawai.KURANG,
    PredikatPegawai.SANGAT_KURANG,
)

# ------------------------------------------------------------------------------ matrix


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (ATAS, BAWAH, K),
        (ATAS, SESUAI, B),
        (ATAS, ATAS, SB),
        (SESUAI, BAWAH, K),
        (SESUAI, SESUAI, B),
        (SESUAI, ATAS, B),
        (BAWAH, BAWAH, SK),
        (BAWAH, SESUAI, BP),
        (BAWAH, ATAS, BP),
    ],
)
def test_the_matrix_gives_the_regulation_predikat(
    hasil: Rating, perilaku: Rating, expected: PredikatPegawai
) -> None:
    assert predikat_for(hasil, perilaku) is expected


def test_the_matrix_has_exactly_the_nine_cells() -> None:
    assert set(PREDIKAT_MATRIX) == set(itertools.product(Rating, Rating))


def test_only_both_ratings_above_expectation_give_sangat_baik() -> None:
    cells = [pair for pair, predikat in PREDIKAT_MATRIX.items() if predikat is SB]
    assert cells == [(ATAS, ATAS)]


def test_rating_values_are_the_stable_wire_names() -> None:
    assert [rating.value for rating in Rating] == ["di_atas", "sesuai", "di_bawah"]


def test_ratings_have_indonesian_labels() -> None:
    assert [rating.label for rating in Rating] == [
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
        "Di Bawah Ekspektasi",
    ]


# ------------------------------------------------------------------------- Hasil Kerja


@pytest.mark.parametrize(
    ("main", "additional", "expected"),
    [
        pytest.param([ATAS, ATAS, ATAS], [], ATAS, id="all above"),
        pytest.param([ATAS, ATAS, SESUAI], [], ATAS, id="most above, none below"),
        pytest.param([ATAS, ATAS, SESUAI, SESUAI], [], SESUAI, id="exactly half above"),
        pytest.param([ATAS, ATAS, ATAS, BAWAH], [], SESUAI, id="most above but a main below"),
        pytest.param([SESUAI, SESUAI, SESUAI], [], SESUAI, id="all as expected"),
        pytest.param([ATAS, SESUAI, SESUAI], [], SESUAI, id="most as expected"),
        pytest.param([SESUAI, SESUAI, BAWAH], [], SESUAI, id="1 of 3 main below is small"),
        pytest.param([SESUAI, SESUAI, SESUAI, BAWAH, BAWAH], [], BAWAH, id="2 of 5 main below"),
        pytest.param([SESUAI, BAWAH], [], BAWAH, id="1 of 2 main below is not small"),
        pytest.param([BAWAH, BAWAH, SESUAI], [], BAWAH, id="most below"),
        pytest.param([BAWAH], [], BAWAH, id="all below"),
        pytest.param([ATAS, SESUAI], [ATAS, ATAS], ATAS, id="additional results count for most"),
        pytest.param([ATAS, ATAS], [BAWAH], ATAS, id="an additional below does not block above"),
        pytest.param([SESUAI, BAWAH], [ATAS], BAWAH, id="additional do not excuse main below"),
        pytest.param([SESUAI], [BAWAH, BAWAH], BAWAH, id="most results below"),
    ],
)
def test_hasil_rating_is_proposed_from_the_results(
    main: list[Rating], additional: list[Rating], expected: Rating
) -> None:
    assert hasil_rating_from_results(main, additional) is expected


def test_a_larger_small_part_allows_more_main_results_below() -> None:
    main = [SESUAI, SESUAI, SESUAI, BAWAH, BAWAH]

    assert hasil_rating_from_results(main) is BAWAH
    assert hasil_rating_from_results(main, small_part=Fraction(2, 5)) is SESUAI


def test_a_small_part_of_zero_allows_no_main_result_below() -> None:
    assert hasil_rating_from_results([SESUAI, SESUAI, BAWAH], small_part=Fraction(0)) is BAWAH
    assert hasil_rating_from_results([SESUAI, SESUAI, SESUAI], small_part=Fraction(0)) is SESUAI


def test_hasil_rating_needs_at_least_one_main_result() -> None:
    with pytest.raises(ValueError, match="main result"):
        hasil_rating_from_results([], [ATAS])


@pytest.mark.parametrize("small_part", [Fraction(-1, 3), Fraction(1), Fraction(3, 2)])
def test_hasil_rating_refuses_a_small_part_outside_zero_to_one(small_part: Fraction) -> None:
    with pytest.raises(ValueError, match="small_part"):
        hasil_rating_from_results([SESUAI], small_part=small_part)


# ---------------------------------------------------------------------- Perilaku Kerja


def _perilaku(above: int = 0, below: int = 0) -> dict[BerAkhlak, Rating]:
    """Rate the first `above` values above, the next `below` below, the rest as expected."""
    ratings = [ATAS] * above + [BAWAH] * below
    ratings += [SESUAI] * (len(BerAkhlak) - len(ratings))
    return dict(zip(BerAkhlak, ratings, strict=True))


def test_berakhlak_has_the_seven_values_with_labels_and_descriptions() -> None:
    assert [value.label for value in BerAkhlak] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    assert all(value.description for value in BerAkhlak)
    assert "Pancasila" in BerAkhlak.LOYAL.description


def test_the_supervisors_overall_perilaku_rating_stands_whatever_the_values_say() -> None:
    assert perilaku_rating(_perilaku(above=7), overall=SESUAI) is SESUAI
    assert perilaku_rating(_perilaku(below=7), overall=ATAS) is ATAS


@pytest.mark.parametrize(
    ("above", "below", "expected"),
    [
        pytest.param(7, 0, ATAS, id="all above"),
        pytest.param(4, 0, ATAS, id="4 of 7 above"),
        pytest.param(3, 0, SESUAI, id="3 of 7 above"),
        pytest.param(5, 1, SESUAI, id="most above but one below"),
        pytest.param(0, 0, SESUAI, id="all as expected"),
        pytest.param(0, 3, SESUAI, id="3 of 7 below"),
        pytest.param(0, 4, BAWAH, id="4 of 7 below"),
        pytest.param(3, 4, BAWAH, id="most below, rest above"),
    ],
)
def test_without_an_overall_rating_perilaku_is_proposed_by_majority(
    above: int, below: int, expected: Rating
) -> None:
    assert perilaku_rating(_perilaku(above=above, below=below)) is expected


def test_perilaku_rating_refuses_when_a_value_is_not_rated() -> None:
    ratings = _perilaku()
    del ratings[BerAkhlak.LOYAL]
    del ratings[BerAkhlak.ADAPTIF]

    with pytest.raises(IncompletePerilaku, match="Loyal, Adaptif") as caught:
        perilaku_rating(ratings, overall=SESUAI)

    assert caught.value.missing == (BerAkhlak.LOYAL, BerAkhlak.ADAPTIF)


def test_values_rated_as_expected_need_no_note() -> None:
    validate_perilaku_notes(_perilaku(), {})


def test_a_value_rated_above_or_below_without_a_note_is_refused() -> None:
    ratings = _perilaku(above=1, below=1)  # Berorientasi Pelayanan above, Akuntabel below

    with pytest.raises(MissingPerilakuNotes, match="Berorientasi Pelayanan, Akuntabel") as caught:
        validate_perilaku_notes(ratings, {BerAkhlak.KOMPETEN: "not needed"})

    assert caught.value.missing == (BerAkhlak.BERORIENTASI_PELAYANAN, BerAkhlak.AKUNTABEL)


def test_a_blank_note_counts_as_missing() -> None:
    ratings = _perilaku(below=1)

    assert missing_perilaku_notes(ratings, {BerAkhlak.BERORIENTASI_PELAYANAN: "  \n"}) == [
        BerAkhlak.BERORIENTASI_PELAYANAN
    ]


def test_notes_for_every_value_off_expectation_pass() -> None:
    ratings = _perilaku(above=2, below=1)
    notes = {
        BerAkhlak.BERORIENTASI_PELAYANAN: "Handled the queue backlog alone.",
        BerAkhlak.AKUNTABEL: "Documented every budget item.",
        BerAkhlak.KOMPETEN: "Missed two trainings.",
    }

    validate_perilaku_notes(ratings, notes)
    assert missing_perilaku_notes(ratings, notes) == []


# --------------------------------------------------------------------- annual predikat


def test_a_single_periodic_predikat_is_the_annual_proposal() -> None:
    assert propose_annual_predikat([(1, BP)]) is BP


def test_the_most_frequent_periodic_predikat_is_proposed() -> None:
    periodic = [(1, B), (2, SB), (3, B), (4, SB), (5, B), (6, K)]

    assert propose_annual_predikat(periodic) is B


def test_a_tie_goes_to_the_predikat_of_the_latest_period() -> None:
    assert propose_annual_predikat([(1, SB), (2, B), (3, SB), (4, B)]) is B
    assert propose_annual_predikat([(1, B), (2, SB), (3, B), (4, SB)]) is SB


def test_a_tie_goes_to_the_tied_predikat_seen_latest_when_the_last_period_is_not_tied() -> None:
    periodic = [(1, SB), (2, B), (3, B), (4, SB), (5, K)]

    assert propose_annual_predikat(periodic) is SB


def test_a_three_way_tie_goes_to_the_latest() -> None:
    assert propose_annual_predikat([(1, K), (2, BP), (3, B)]) is B


def test_the_annual_proposal_orders_by_key_not_by_input_order() -> None:
    periodic = [
        (date(2025, 4, 1), SB),
        (date(2025, 1, 1), B),
        (date(2025, 10, 1), B),
        (date(2025, 7, 1), SB),
    ]

    assert propose_annual_predikat(periodic) is B


def test_the_annual_proposal_accepts_year_month_tuples_as_keys() -> None:
    assert propose_annual_predikat([((2025, 12), BP), ((2025, 2), B)]) is BP


def test_the_annual_proposal_needs_at_least_one_periodic_predikat() -> None:
    with pytest.raises(ValueError, match="at least one"):
        propose_annual_predikat([])


def test_the_annual_proposal_refuses_two_predikat_for_one_period() -> None:
    with pytest.raises(ValueError, match="share the period key 2"):
        propose_annual_predikat([(1, B), (2, SB), (2, B)])
