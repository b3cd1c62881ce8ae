"""The nine SKM unsur and the score scale of PermenPANRB 14/2017 (docs/domain.md, Elements)."""

from __future__ import annotations

from typing import get_args

import pytest

from kinerja_shared.law.skm import (
    MAX_SCORE,
    MIN_SCORE,
    InvalidScore,
    Unsur,
    UnsurValue,
    is_score,
    validate_score,
)

NAMES = [
    "Persyaratan",
    "Sistem, mekanisme, prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Sarana dan prasarana",
    "Penanganan pengaduan, saran, masukan",
]


def test_there_are_exactly_the_nine_unsur_in_order() -> None:
    assert [unsur.value for unsur in Unsur] == [f"U{n}" for n in range(1, 10)]


def test_each_unsur_has_the_name_of_the_regulation() -> None:
    assert [unsur.label for unsur in Unsur] == NAMES


def test_each_unsur_knows_its_position() -> None:
    assert [unsur.position for unsur in Unsur] == list(range(9))


def test_the_event_literal_names_the_same_unsur() -> None:
    assert get_args(UnsurValue) == tuple(unsur.value for unsur in Unsur)


def test_an_unknown_unsur_code_is_refused() -> None:
    for code in ("U0", "U10", "u1"):
        with pytest.raises(ValueError, match="not a valid Unsur"):
            Unsur(code)


def test_the_scale_runs_from_one_to_four() -> None:
    assert (MIN_SCORE, MAX_SCORE) == (1, 4)


@pytest.mark.parametrize("score", [0, 5, -1, True, False, 2.0, 2.5, "3", None])
def test_a_score_outside_one_to_four_is_refused(score: object) -> None:
    assert not is_score(score)
    with pytest.raises(InvalidScore):
        validate_score(score)


@pytest.mark.parametrize("score", [1, 2, 3, 4])
def test_a_score_from_one_to_four_is_accepted(score: int) -> None:
    assert is_score(score)
    assert validate_score(score) == score
