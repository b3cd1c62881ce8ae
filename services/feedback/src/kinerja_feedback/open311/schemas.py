"""The Open311 GeoReport v2 request form, read as a citizen's submission (a complaint)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from kinerja_feedback.domain.survey import SURVEY
from kinerja_feedback.submissions.schemas import FeedbackCreate
from kinerja_shared.problems import FieldError, InvalidInput

#: The submission's field names as an Open311 client sent them.
OPEN311_FIELDS = {"body.service_point": "body.service_code", "body.comment": "body.description"}


def request_body(
    form: dict[str, Any], today: date
) -> tuple[FeedbackCreate, tuple[float, float] | None]:
    """The submission an Open311 form (or JSON object) asks for, and its location if given;
    422 naming every field at fault."""
    errors: list[FieldError] = []
    known = {
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "jurisdiction_id",
    }
    answers: dict[str, int] = {}
    for key, value in form.items():
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute[") : -1]
            if code not in SURVEY.codes or str(value) not in {"1", "2", "3", "4"}:
                errors.append(
                    FieldError(field=f"body.{key}", detail="an SKM element U1..U9 with 1..4")
                )
            else:
                answers[code] = int(value)
        elif key not in known:
            errors.append(FieldError(field=f"body.{key}", detail="unknown field"))
    location = None
    try:
        if form.get("lat") not in (None, "") or form.get("long") not in (None, ""):
            lat, lon = float(form["lat"]), float(form["long"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
            location = (lat, lon)
    except (KeyError, TypeError, ValueError):
        errors.append(FieldError(field="body.lat", detail="lat and long must be valid coordinates"))
    if not form.get("service_code"):
        errors.append(FieldError(field="body.service_code", detail="required"))
    if errors:
        raise InvalidInput(f"{len(errors)} field(s) are invalid", errors=errors)
    email, phone = form.get("email") or None, form.get("phone") or None
    name = " ".join(str(form[k]) for k in ("first_name", "last_name") if form.get(k)) or None
    payload = {
        "service_point": str(form["service_code"]),
        "visit_date": today.isoformat(),
        "answers": answers,
        "comment": form.get("description") or None,
        "channel": "web",
        "is_complaint": True,
        "contact": {"name": name, "phone": phone, "email": email} if (email or phone) else None,
    }
    try:
        return FeedbackCreate.model_validate(payload), location
    except ValidationError as exc:
        raise InvalidInput(
            "the request is invalid",
            errors=[
                FieldError(
                    field="body." + ".".join(str(p) for p in e["loc"]) if e["loc"] else "body",
                    detail=e["msg"],
                )
                for e in exc.errors()
            ],
        ) from exc
