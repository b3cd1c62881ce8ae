"""Turning the appraiser's ratings into Hasil, Perilaku and predikat (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kinerja_appraisal.assessment.schemas import AssessmentRatings
from kinerja_appraisal.domain import (
    BerAkhlak,
    Rating,
    hasil_rating_from_results,
    perilaku_rating,
    predikat_for,
    validate_perilaku_notes,
)
from kinerja_shared.law.predikat import PredikatPegawai
from kinerja_shared.problems import FieldError, InvalidInput


@dataclass(frozen=True)
class Rated:
    """The outcome of a set of ratings."""

    hasil: Rating
    perilaku: Rating
    perilaku_values: dict[str, Any]
    predikat: PredikatPegawai


def unit_head_hasil(organisation_predikat: str, mapping: Mapping[str, str]) -> Rating:
    """A unit head's Hasil Kerja: the unit's result, mapped from its organisation predikat."""
    return Rating(mapping[organisation_predikat])


def proposed_hasil(
    rhk_ratings: Mapping[str, Rating], rhk_kinds: Mapping[str, str], small_part: Fraction
) -> Rating:
    """Propose Hasil Kerja from the rating of every RHK of the plan (main and additional)."""
    unknown = sorted(set(rhk_ratings) - set(rhk_kinds))
    missing = sorted(set(rhk_kinds) - set(rhk_ratings))
    if unknown or missing:
        raise InvalidInput(
            "rhk_ratings must rate every RHK of the approved plan, and only those",
            errors=[
                FieldError(field=f"body.rhk_ratings.{rhk}", detail="not an RHK of the plan")
                for rhk in unknown
            ]
            + [FieldError(field=f"body.rhk_ratings.{rhk}", detail="not rated") for rhk in missing],
        )
    main = [rating for rhk, rating in rhk_ratings.items() if rhk_kinds[rhk] == "utama"]
    extra = [rating for rhk, rating in rhk_ratings.items() if rhk_kinds[rhk] != "utama"]
    try:
        return hasil_rating_from_results(main, extra, small_part=small_part)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="body.rhk_ratings") from exc


def rate(ratings: AssessmentRatings, *, unit_hasil: Rating | None) -> Rated:
    """Validate the ratings and derive the predikat from the matrix.

    `unit_hasil` is the unit's result when the assessed employee heads the unit; their
    Hasil Kerja is then not the appraiser's to give.
    """
    if unit_hasil is not None and ratings.hasil is not None:
        raise InvalidInput(
            "the head of a unit takes the unit's result as Hasil Kerja; omit hasil",
            field="body.hasil",
        )
    hasil = unit_hasil if unit_hasil is not None else ratings.hasil
    if hasil is None:
        raise InvalidInput(
            "hasil (the Hasil Kerja rating) or rhk_ratings is required", field="body.hasil"
        )
    values = {value: item.rating for value, item in ratings.perilaku_values.items()}
    notes = {value: item.note or "" for value, item in ratings.perilaku_values.items()}
    validate_perilaku_notes(values, notes)
    perilaku = perilaku_rating(values, overall=ratings.perilaku)
    return Rated(
        hasil=hasil,
        perilaku=perilaku,
        perilaku_values={
            value.value: {"rating": values[value].value, "note": notes[value] or None}
            for value in BerAkhlak
        },
        predikat=predikat_for(hasil, perilaku),
    )
