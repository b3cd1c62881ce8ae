"""Local policy: units that need improvement."""

from decimal import Decimal

import pytest

from kinerja_reporting.domain.flags import (
    IkmObservation,
    ReasonCode,
    improvement_reasons,
    needs_improvement,
)
from kinerja_reporting.domain.ikm import ElementTotals, MutuPelayanan, compute_ikm
from kinerja_reporting.domain.sample import sample_adequacy
from kinerja_shared.law.skm import Unsur


def observed(ikm: str, adequate: bool | None = True) -> IkmObservation:
    return IkmObservation(
        ikm=Decimal(ikm), respondents=300, required_sample=278, sample_adequate=adequate
    )


@pytest.mark.parametrize(
    ("previous", "flagged"),
    [("85.00", True), ("84.99", False), ("90.00", True), ("80.00", False)],
)
def test_drop_of_five_points_or_more_with_adequate_samples_is_flagged(
    previous: str, flagged: bool
) -> None:
    reasons = improvement_reasons(observed("80.00"), observed(previous))
    assert [r.code for r in reasons] == ([ReasonCode.IKM_DROP] if flagged else [])


def test_drop_reason_carries_the_numbers_behind_it() -> None:
    (reason,) = improvement_reasons(observed("80.00"), observed("85.00"))
    assert reason.current_ikm == Decimal("80.00")
    assert reason.previous_ikm == Decimal("85.00")
    assert reason.drop == Decimal("5.00")
    assert reason.threshold_drop == Decimal(5)
    assert reason.current_band is MutuPelayanan.B
    assert reason.previous_band is MutuPelayanan.B
    assert reason.current_respondents == 300
    assert reason.previous_required_sample == 278
    assert "85.00" in reason.explanation
    assert "80.00" in reason.explanation


@pytest.mark.parametrize(
    ("current_adequate", "previous_adequate"),
    [(False, True), (True, False), (None, True), (True, None), (False, False)],
)
def test_drop_without_adequate_samples_in_both_periods_is_not_flagged(
    current_adequate: bool | None, previous_adequate: bool | None
) -> None:
    reasons = improvement_reasons(
        observed("80.00", current_adequate), observed("90.00", previous_adequate)
    )
    assert reasons == []


@pytest.mark.parametrize(
    ("ikm", "flagged"),
    [("76.61", False), ("76.60", True), ("65.00", True), ("64.99", True), ("88.31", False)],
)
def test_band_c_or_d_is_flagged_at_the_exact_boundary(ikm: str, flagged: bool) -> None:
    reasons = improvement_reasons(observed(ikm), None)
    assert [r.code for r in reasons] == ([ReasonCode.LOW_BAND] if flagged else [])


def test_low_band_is_flagged_even_when_the_sample_is_inadequate() -> None:
    (reason,) = improvement_reasons(observed("60.00", adequate=False), None)
    assert reason.code is ReasonCode.LOW_BAND
    assert reason.current_band is MutuPelayanan.D
    assert reason.current_sample_adequate is False


def test_low_band_and_drop_are_both_reported() -> None:
    reasons = improvement_reasons(observed("70.00"), observed("80.00"))
    assert [r.code for r in reasons] == [ReasonCode.LOW_BAND, ReasonCode.IKM_DROP]


@pytest.mark.parametrize(("threshold", "flagged"), [(3, True), (Decimal("3.01"), False)])
def test_drop_threshold_is_a_parameter(threshold: Decimal | int, flagged: bool) -> None:
    assert needs_improvement(observed("80.00"), observed("83.00"), threshold) is flagged


def test_flagged_bands_are_a_parameter() -> None:
    reasons = improvement_reasons(
        observed("80.00"), None, flagged_bands={MutuPelayanan.B, MutuPelayanan.C}
    )
    assert [r.code for r in reasons] == [ReasonCode.LOW_BAND]


def test_no_index_this_period_means_no_flag() -> None:
    assert improvement_reasons(None, observed("90.00")) == []


def test_observation_is_built_from_an_ikm_result_and_its_adequacy() -> None:
    totals = ElementTotals.from_answers([{u.value: 2 for u in Unsur}] * 80)
    observation = IkmObservation.of(compute_ikm(totals), sample_adequacy(80, 100))
    assert observation == IkmObservation(
        ikm=Decimal("50.00"), respondents=80, required_sample=80, sample_adequate=True
    )
    assert IkmObservation.of(compute_ikm(ElementTotals()), sample_adequacy(0, 100)) is None


def test_non_positive_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        improvement_reasons(observed("80.00"), observed("85.00"), 0)
