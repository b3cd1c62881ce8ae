"""The staff gate: held scores count in the unit's IKM but not in the named employee's summary.

A feedback counts for the employee exactly when it counts in the IKM and its attribution to
the employee is not held (``staff_counted`` is not false); a review of the scores decides
both, and wins over the submission's flags whatever order they arrive in.
"""

from __future__ import annotations

import httpx
from reporting.feeding import (
    Feeder,
    all_nine,
    feedback,
    moderated,
    reviewed,
    service_point,
    unit,
    withdrawn,
)
from reporting.projections.test_flags import published

from kinerja_shared.runtime import ServiceRuntime

PERIOD = "2026"


async def _unit_respondents(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get(
        "/api/v1/reporting/ikm/units/u1", params={"period": PERIOD}, headers=headers
    )
    assert response.status_code == 200, response.text
    respondents: int = response.json()["respondents"]
    return respondents


async def _staff_responses(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get(
        "/api/v1/reporting/summaries/employees/e1", params={"period": PERIOD}, headers=headers
    )
    assert response.status_code == 200, response.text
    responses: int = response.json()["responses"]
    return responses


async def _counts(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[int, int]:
    """(respondents in the unit's yearly IKM, responses in e1's yearly summary)."""
    return await _unit_respondents(client, headers), await _staff_responses(client, headers)


async def _summaries_of_e1(runtime: ServiceRuntime) -> list[dict]:
    events = await published(runtime, "feedback_summary.published")
    return [e for e in events if e["employee_id"] == "e1"]


async def test_scores_held_from_the_employee_count_in_the_units_ikm_but_not_in_the_summary(
    feeder: Feeder, runtime: ServiceRuntime, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(feedback("sp1", "u1", all_nine(1), employee_id="e1", staff_counted=False))
    assert await _counts(client, analyst) == (1, 0)
    assert await _summaries_of_e1(runtime) == []


async def test_a_review_counting_held_scores_for_the_employee_counts_and_publishes_them(
    feeder: Feeder, runtime: ServiceRuntime, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    held = feedback("sp1", "u1", all_nine(3), employee_id="e1", overall=4, staff_counted=False)
    await feeder.send(held)
    await feeder.send(reviewed(held, counted=True, staff_counted=True))
    assert await _counts(client, analyst) == (1, 1)
    summaries = await _summaries_of_e1(runtime)
    assert {(e["period_key"], e["responses"]) for e in summaries} == {
        ("2026-03", 1),
        ("2026-Q1", 1),
        ("2026", 1),
    }


async def test_a_review_discarding_the_scores_removes_them_from_the_ikm_and_the_summary(
    feeder: Feeder, runtime: ServiceRuntime, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    fb = feedback("sp1", "u1", all_nine(1), employee_id="e1", staff_counted=True)
    await feeder.send(fb)
    assert await _counts(client, analyst) == (1, 1)
    await feeder.send(reviewed(fb, counted=False, staff_counted=False))
    assert await _counts(client, analyst) == (0, 0)
    latest = (await _summaries_of_e1(runtime))[-3:]
    assert [e["responses"] for e in latest] == [0, 0, 0]


async def test_an_attribution_counted_on_discarded_scores_stays_out_of_the_summary(
    feeder: Feeder, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    fb = feedback("sp1", "u1", all_nine(1), employee_id="e1", counted=False, staff_counted=False)
    await feeder.send(fb, reviewed(fb, counted=False, staff_counted=True))
    assert await _counts(client, analyst) == (0, 0)


async def test_a_review_seen_before_its_submission_gives_the_same_totals(
    feeder: Feeder, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    held = feedback("sp1", "u1", all_nine(2), employee_id="e1", counted=False, staff_counted=False)
    await feeder.send(reviewed(held, counted=True, staff_counted=True))
    assert await _counts(client, analyst) == (0, 0)
    await feeder.send(held)
    assert await _counts(client, analyst) == (1, 1)
    await feeder.send(held)  # a second copy of the submission with a new event id
    assert await _counts(client, analyst) == (1, 1)


async def test_a_moderation_seen_before_its_submission_keeps_the_attribution_held(
    feeder: Feeder, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    """A moderation decides on the comment only: the submission's staff_counted stands."""
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    held = feedback("sp1", "u1", all_nine(2), employee_id="e1", staff_counted=False)
    await feeder.send(moderated(held, counted=True), held)
    assert await _counts(client, analyst) == (1, 0)


async def test_a_submission_without_staff_counted_counts_for_the_employee_as_before(
    feeder: Feeder, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(feedback("sp1", "u1", all_nine(4), employee_id="e1"))
    assert await _counts(client, analyst) == (1, 1)
    suspicious = feedback("sp1", "u1", all_nine(4), employee_id="e1", counted=False)
    await feeder.send(suspicious)
    assert await _counts(client, analyst) == (1, 1)
    await feeder.send(moderated(suspicious, counted=True))  # approved: follows counted
    assert await _counts(client, analyst) == (2, 2)


async def test_an_erased_feedback_leaves_the_ikm_and_the_summary(
    feeder: Feeder, client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    fb = feedback("sp1", "u1", all_nine(4), employee_id="e1", staff_counted=True)
    await feeder.send(fb, withdrawn(fb, reason="erased"))
    assert await _counts(client, analyst) == (0, 0)
