"""The SKM questionnaire, served so the app renders the form from the API."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from kinerja_feedback.domain.survey import SURVEY, AgeBand, Education, Occupation, Sex

router = APIRouter(tags=["survey"])


class AnswerOption(BaseModel):
    """One answer of an element: its score and label."""

    score: int
    label: str


class ElementDefinition(BaseModel):
    """One of the nine SKM elements."""

    code: str
    unsur: str
    question: str
    answers: list[AnswerOption]


class ProfileOption(BaseModel):
    """One choice of a respondent profile field."""

    value: str
    label: str


class SurveyDefinition(BaseModel):
    """The questionnaire of PermenPANRB 14/2017 and the respondent profile fields."""

    version: str
    min_score: int = 1
    max_score: int = 4
    elements: list[ElementDefinition]
    profile: dict[str, list[ProfileOption]]
    channels: list[str]


@router.get("/survey", summary="The SKM questionnaire (nine elements, Indonesian labels)")
async def survey_definition() -> SurveyDefinition:
    """Public: the current questionnaire and the optional respondent profile fields."""
    return SurveyDefinition(
        version=SURVEY.version,
        elements=[
            ElementDefinition(
                code=e.code.value,
                unsur=e.unsur,
                question=e.question,
                answers=[
                    AnswerOption(score=i + 1, label=label) for i, label in enumerate(e.labels)
                ],
            )
            for e in SURVEY.elements
        ],
        profile={
            "age_band": [ProfileOption(value=v.value, label=v.label) for v in AgeBand],
            "sex": [ProfileOption(value=v.value, label=v.label) for v in Sex],
            "education": [ProfileOption(value=v.value, label=v.label) for v in Education],
            "occupation": [ProfileOption(value=v.value, label=v.label) for v in Occupation],
        },
        channels=["app", "kiosk", "web"],
    )
