"""The employee and organisation predikat scales (PermenPANRB 6/2022), every value."""

from __future__ import annotations

from typing import get_args

import pytest

from kinerja_shared.law.predikat import (
    PredikatOrganisasi,
    PredikatOrganisasiValue,
    PredikatPegawai,
    PredikatPegawaiValue,
    count_predikat,
)

SB, B, BP, K, SK = (
    PredikatPegawai.SANGAT_BAIK,
    PredikatPegawai.BAIK,
    PredikatPegawai.BUTUH_PERBAIKAN,
    PredikatPegawai.KURANG,
    PredikatPegawai.SANGAT_KURANG,
)


def test_employee_predikat_values_are_the_stable_wire_names() -> None:
    assert [predikat.value for predikat in PredikatPegawai] == [
        "sangat_baik",
        "baik",
        "butuh_perbaikan",
        "kurang",
        "sangat_kurang",
    ]


def test_employee_predikat_have_indonesian_labels() -> None:
    assert [predikat.label for predikat in PredikatPegawai] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]


def test_employee_predikat_rank_follows_the_regulation_order_best_first() -> None:
    assert [predikat.rank for predikat in PredikatPegawai] == [5, 4, 3, 2, 1]


def test_organisation_predikat_have_indonesian_labels_and_stable_values() -> None:
    assert [org.label for org in PredikatOrganisasi] == [
        "Istimewa",
        "Baik",
        "Butuh Perbaikan",
        "Kurang",
        "Sangat Kurang",
    ]
    assert [org.value for org in PredikatOrganisasi] == [
        "istimewa",
        "baik",
        "butuh_perbaikan",
        "kurang",
        "sangat_kurang",
    ]


@pytest.mark.parametrize(
    ("scale", "values"),
    [(PredikatPegawai, PredikatPegawaiValue), (PredikatOrganisasi, PredikatOrganisasiValue)],
)
def test_the_event_literal_names_the_same_values_as_the_scale(scale: type, values: object) -> None:
    assert get_args(values) == tuple(item.value for item in scale)


def test_counting_a_list_gives_every_predikat_zero_when_absent() -> None:
    assert count_predikat([SB, SB, B, "kurang"]) == {SB: 2, B: 1, BP: 0, K: 1, SK: 0}


def test_counting_counts_fills_in_the_missing_predikat() -> None:
    assert count_predikat({BP: 3}) == {SB: 0, B: 0, BP: 3, K: 0, SK: 0}


def test_counting_refuses_an_unknown_predikat() -> None:
    with pytest.raises(ValueError, match="cukup"):
        count_predikat(["cukup"])
    with pytest.raises(ValueError, match="cukup"):
        count_predikat({"cukup": 1})  # type: ignore[dict-item]


def test_counting_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        count_predikat({SB: -1})
