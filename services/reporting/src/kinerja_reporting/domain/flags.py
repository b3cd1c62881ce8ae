"""Local policy: when a unit "needs improvement" on citizen satisfaction.

A unit is flagged when its IKM band is in ``flagged_bands`` (default C and D), or when its
IKM falls by ``threshold_drop`` points or more (default 5.00) against the previous period
of the same kind and the samples of both periods are adequate. Both rules are compared on
the reported two-decimal IKM values. An unknown adequacy (population not known) counts as
not adequate for the drop rule, so no drop flag is raised on it. The band rule does not
depend on sample adequacy; each reason carries the sample numbers so a view can mark an
inadequate sample. Both thresholds are parameters so they can come from settings.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kinerja_reporting.domain.ikm import IkmResult, MutuPelayanan, band_for
from kinerja_reporting.domain.rounding import round_half_up
from kinerja_reporting.domain.sample import Adequacy

DEFAULT_THRESHOLD_DROP = Decimal(5)
DEFAULT_FLAGGED_BANDS: frozenset[MutuPelayanan] = frozenset({MutuPelayanan.C, MutuPelayanan.D})


class ReasonCode(StrEnum):
    """Why a unit needs improvement."""

    LOW_BAND = "low_band"
    IKM_DROP = "ikm_drop"


@dataclass(frozen=True, slots=True)
class IkmObservation:
    """A unit's reported IKM for one period with its sample numbers."""

    ikm: Decimal
    respondents: int
    required_sample: int | None
    sample_adequate: bool | None

    @property
    def band(self) -> MutuPelayanan:
        """Quality band of this IKM."""
        return band_for(self.ikm)

    @classmethod
    def of(cls, result: IkmResult, adequacy: Adequacy) -> IkmObservation | None:
        """Build an observation from an IKM result; ``None`` when there is no index."""
        if result.ikm is None:
            return None
        return cls(
            ikm=result.ikm,
            respondents=result.respondents,
            required_sample=adequacy.required,
            sample_adequate=adequacy.adequate,
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a unit needs improvement, with the numbers behind it."""

    code: ReasonCode
    explanation: str
    current_ikm: Decimal
    current_band: MutuPelayanan
    current_respondents: int
    current_required_sample: int | None
    current_sample_adequate: bool | None
    previous_ikm: Decimal | None = None
    previous_band: MutuPelayanan | None = None
    previous_respondents: int | None = None
    previous_required_sample: int | None = None
    previous_sample_adequate: bool | None = None
    drop: Decimal | None = None
    threshold_drop: Decimal | None = None


def improvement_reasons(
    current: IkmObservation | None,
    previous: IkmObservation | None,
    threshold_drop: Decimal | int = DEFAULT_THRESHOLD_DROP,
    *,
    flagged_bands: Collection[MutuPelayanan] = DEFAULT_FLAGGED_BANDS,
) -> list[Reason]:
    """Reasons the unit needs improvement this period; an empty list means no flag."""
    threshold = Decimal(threshold_drop)
    if threshold <= 0:
        raise ValueError(f"threshold_drop must be positive, got {threshold_drop}")
    if current is None:
        return []
    current_ikm = round_half_up(current.ikm, 2)
    band = current.band
    reasons: list[Reason] = []
    if band in flagged_bands:
        reasons.append(
            Reason(
                code=ReasonCode.LOW_BAND,
                explanation=(
                    f"IKM {current_ikm} is in band {band.value} ({band.label}), "
                    f"one of the bands flagged for improvement."
                ),
                current_ikm=current_ikm,
                current_band=band,
                current_respondents=current.respondents,
                current_required_sample=current.required_sample,
                current_sample_adequate=current.sample_adequate,
            )
        )
    if previous is None:
        return reasons
    previous_ikm = round_half_up(previous.ikm, 2)
    drop = previous_ikm - current_ikm
    both_adequate = current.sample_adequate is True and previous.sample_adequate is True
    if drop >= threshold and both_adequate:
        reasons.append(
            Reason(
                code=ReasonCode.IKM_DROP,
                explanation=(
                    f"IKM fell {drop} points, from {previous_ikm} to {current_ikm} "
                    f"(threshold {threshold} points), with adequate samples in both periods."
                ),
                current_ikm=current_ikm,
                current_band=band,
                current_respondents=current.respondents,
                current_required_sample=current.required_sample,
                current_sample_adequate=current.sample_adequate,
                previous_ikm=previous_ikm,
                previous_band=previous.band,
                previous_respondents=previous.respondents,
                previous_required_sample=previous.required_sample,
                previous_sample_adequate=previous.sample_adequate,
                drop=drop,
                threshold_drop=threshold,
            )
        )
    return reasons


def needs_improvement(
    current: IkmObservation | None,
    previous: IkmObservation | None,
    threshold_drop: Decimal | int = DEFAULT_THRESHOLD_DROP,
    *,
    flagged_bands: Collection[MutuPelayanan] = DEFAULT_FLAGGED_BANDS,
) -> bool:
    """True when at least one improvement reason applies."""
    return bool(improvement_reasons(current, previous, threshold_drop, flagged_bands=flagged_bands))
