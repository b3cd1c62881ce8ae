"""Strict validation of a submission: every field, good and bad, and nothing stored on 422."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from feedback.fixtures import PREFIX, create_point, submission, submit
from httpx import AsyncClient


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unknown": 1}, "body.unknown"),
        ({"answers": {"U1": 5}}, "body.answers.U1"),
        ({"answers": {"U1": 0}}, "body.answers.U1"),
        ({"answers": {"U1": "3"}}, "body.answers.U1"),
        ({"answers": {"U1": True}}, "body.answers.U1"),
        ({"answers": {"U10": 3}}, "body.answers.U10.[key]"),
        ({"overall_rating": 6}, "body.overall_rating"),
        ({"channel": "fax"}, "body.channel"),
        ({"visit_date": "2026-03-05"}, "body.visit_date"),
        ({"visit_date": "2025-11-01"}, "body.visit_date"),
        ({"visit_date": "not a date"}, "body.visit_date"),
        ({"comment": "x" * 2001}, "body.comment"),
        ({"comment": "Cepat\x00 sekali"}, "body.comment"),
        ({"contact": {"name": "Made\x00", "phone": "0812 3456 7890"}}, "body.contact.name"),
        ({"service_point": "no-such-point"}, "body.service_point"),
        ({"service_type": "Paspor"}, "body.service_type"),
        ({"staff_code": "SN-001"}, "body.staff_code"),
        ({"respondent": {"sex": "X"}}, "body.respondent.sex"),
        ({"respondent": {"age_band": "18_25", "hobby": "x"}}, "body.respondent.hobby"),
        ({"contact": {"name": "Made"}}, "body.contact"),
        ({"contact": {"email": "not-an-email"}}, "body.contact.email"),
        ({"is_complaint": True}, "body"),
        ({"complaint_category": "dispute"}, "body"),
        ({"answers": {}, "overall_rating": None}, "body"),
    ],
)
async def test_a_bad_field_is_a_422_naming_it_and_stores_nothing(
    client: AsyncClient, change: dict[str, Any], field: str
) -> None:
    await create_point(client)
    response = await submit(client, submission(**change))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = [e["field"] for e in response.json()["errors"]]
    assert any(f == field or f.startswith(field) for f in fields), fields
    track = await client.get(f"{PREFIX}/moderation/queue", headers={})
    assert track.status_code == 401


async def test_an_unpaired_surrogate_in_a_comment_is_a_422_naming_it(client: AsyncClient) -> None:
    await create_point(client)
    # JSON can carry "\ud800" as an escape; UTF-8 (and so any database) cannot store it.
    response = await client.post(
        f"{PREFIX}/feedback",
        content=json.dumps(submission(comment="Cepat \ud800 sekali")),
        headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.comment"]


@pytest.mark.parametrize(
    "change",
    [
        {"answers": {"U1": 1, "U9": 4}},
        {"overall_rating": 1, "answers": {}},
        {"visit_date": "2026-03-04"},
        {"visit_date": "2025-12-05"},
        {"service_type": "KTP", "staff_code": "DP-001"},
        {
            "respondent": {
                "age_band": "26_35",
                "sex": "P",
                "education": "D4-S1",
                "occupation": "SWASTA",
            }
        },
        {"contact": {"email": "warga@example.id"}, "comment": "Mohon dihubungi"},
        {"is_complaint": True, "comment": "Antre 3 jam", "complaint_category": "dispute"},
        {"channel": "kiosk"},
    ],
)
async def test_good_fields_are_stored_and_returned(
    client: AsyncClient, change: dict[str, Any]
) -> None:
    await create_point(client)
    response = await submit(client, submission(**change))
    assert response.status_code == 201, response.text
    receipt = response.json()
    if "answers" in change:
        assert receipt["answers"] == change["answers"]
    assert receipt["visit_date"] == change.get("visit_date", "2026-03-03")


@pytest.mark.parametrize("key", [None, "not-a-uuid"])
async def test_the_idempotency_key_must_be_a_uuid(client: AsyncClient, key: str | None) -> None:
    await create_point(client)
    headers = {"Idempotency-Key": key} if key else {}
    response = await client.post(f"{PREFIX}/feedback", json=submission(), headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
