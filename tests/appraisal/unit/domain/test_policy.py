"""Local policies: awards, development plans and the settings object."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pydantic
import pytest

from kinerja_appraisal.domain.policy import (
    AppraisalPolicy,
    development_plan_due_on,
    is_award_candidate,
    needs_development_plan,
)
from kinerja_shared.law.kurva import CurveRounding
from kinerja_shared.law.predikat import PredikatPegawai

SB, B, BP, K, SK = (
    PredikatPegawai.SANGAT_BAIK,
    PredikatPegawai.BAIK,
    PredikatPegawai.BUTUH_PERBAIKAN,
    PredikatPegawai.KURANG,
    PredikatPegawai.SANGAT_KURANG,
)


def test_the_defaults_are_the_documented_policies() -> None:
    policy = AppraisalPolicy()

    assert policy.objection_window_days == 14
    assert policy.award_required_years == 2
    assert policy.development_plan_threshold is BP
    assert policy.hasil_small_part == Fraction(1, 3)
    assert policy.objection_statement_days == 7
    assert policy.kurva_rounding is CurveRounding.EXACT
    assert policy.kurva_small_unit_threshold == 4


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param([SB, SB], True, id="sangat baik in both of the last two years"),
        pytest.param([SB, SB, BP], True, id="older years do not matter"),
        pytest.param([SB, B], False, id="baik the year before"),
        pytest.param([B, SB], False, id="baik last year"),
        pytest.param([SB], False, id="only one annual period so far"),
        pytest.param([], False, id="no annual period yet"),
        pytest.param([SB, None, SB], False, id="no annual predikat the year before"),
    ],
)
def test_an_award_candidate_has_sangat_baik_in_the_last_two_annual_periods(
    history: list[PredikatPegawai | None], expected: bool
) -> None:
    assert is_award_candidate(history) is expected


def test_the_award_can_require_more_years() -> None:
    assert not is_award_candidate([SB, SB, B], required=3)
    assert is_award_candidate([SB, SB, SB], required=3)


def test_an_award_requiring_no_years_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        is_award_candidate([SB], required=0)


@pytest.mark.parametrize(
    ("predikat", "expected"), [(SB, False), (B, False), (BP, True), (K, True), (SK, True)]
)
def test_butuh_perbaikan_or_lower_opens_a_development_plan(
    predikat: PredikatPegawai, expected: bool
) -> None:
    assert needs_development_plan(predikat) is expected


def test_the_development_plan_threshold_can_be_lowered() -> None:
    assert not needs_development_plan(BP, threshold=K)
    assert needs_development_plan(K, threshold=K)


def test_the_policy_object_applies_its_own_settings() -> None:
    policy = AppraisalPolicy(award_required_years=1, development_plan_threshold=B)

    assert policy.is_award_candidate([SB, B])
    assert policy.needs_development_plan(B)
    assert not policy.needs_development_plan(SB)


def test_the_policy_reads_settings_from_plain_values() -> None:
    policy = AppraisalPolicy.model_validate(
        {
            "objection_window_days": "21",
            "development_plan_threshold": "kurang",
            "hasil_small_part": "1/4",
        }
    )

    assert policy.objection_window_days == 21
    assert policy.development_plan_threshold is K
    assert policy.hasil_small_part == Fraction(1, 4)


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({"objection_window_days": 0}, id="no objection window"),
        pytest.param({"award_required_years": 0}, id="award after no years"),
        pytest.param({"hasil_small_part": Fraction(1)}, id="small part of everything"),
        pytest.param({"hasil_small_part": Fraction(-1, 3)}, id="negative small part"),
        pytest.param({"development_plan_threshold": "cukup"}, id="unknown predikat"),
        pytest.param({"award_years": 2}, id="misspelt setting"),
    ],
)
def test_the_policy_refuses_meaningless_settings(settings: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        AppraisalPolicy.model_validate(settings)


def test_the_policy_cannot_be_changed_once_built() -> None:
    policy = AppraisalPolicy()
    with pytest.raises(pydantic.ValidationError):
        policy.objection_window_days = 30  # type: ignore[misc]


@pytest.mark.parametrize(
    ("finalised_at", "due_on"),
    [
        pytest.param(datetime(2026, 3, 31, 15, 59, tzinfo=UTC), date(2026, 6, 29), id="23:59 WITA"),
        pytest.param(datetime(2026, 3, 31, 16, 0, tzinfo=UTC), date(2026, 6, 30), id="00:00 WITA"),
    ],
)
def test_a_development_plan_falls_due_counting_from_the_wita_date(
    finalised_at: datetime, due_on: date
) -> None:
    assert development_plan_due_on(finalised_at, 90) == due_on
