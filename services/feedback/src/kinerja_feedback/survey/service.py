"""The SKM questionnaire, as the app renders the form from it (no storage: the questionnaire
is domain/survey.py)."""

from __future__ import annotations

from kinerja_feedback.domain.survey import SURVEY, AgeBand, Education, Occupation, Sex
from kinerja_feedback.survey.schemas import (
    AnswerOption,
    ElementDefinition,
    ProfileOption,
    SurveyDefinition,
)


def definition() -> SurveyDefinition:
    """The current questionnaire and the optional respondent profile fields."""
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
