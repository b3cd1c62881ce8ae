"""The SKM questionnaire, served so the app renders the form from the API."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_feedback.survey import service
from kinerja_feedback.survey.schemas import SurveyDefinition

router = APIRouter(tags=["survey"])


@router.get("/survey", summary="The SKM questionnaire (nine elements, Indonesian labels)")
async def survey_definition() -> SurveyDefinition:
    """Public: the current questionnaire and the optional respondent profile fields."""
    return service.definition()
