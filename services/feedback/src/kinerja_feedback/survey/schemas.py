"""Response models of the SKM questionnaire as the API serves it."""

from __future__ import annotations

from pydantic import BaseModel

from kinerja_shared.law.skm import MAX_SCORE, MIN_SCORE


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
    min_score: int = MIN_SCORE
    max_score: int = MAX_SCORE
    elements: list[ElementDefinition]
    profile: dict[str, list[ProfileOption]]
    channels: list[str]
