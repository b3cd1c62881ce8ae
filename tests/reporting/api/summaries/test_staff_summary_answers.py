"""A staff summary shows each figure only from the minimum answers to it (docs/domain.md,
reporting: citizen feedback summary per employee)."""

from __future__ import annotations

import httpx
from reporting.conftest import token
from reporting.feeding import Feeder, feedback, service_point, unit
from reporting.projections.test_flags import published

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.runtime import ServiceRuntime

URL = "/api/v1/reporting/summaries/employees/e1"


async def _five_responses_one_answering_u6(feeder: Feeder) -> None:
    """Five responses name e1; only the first answers U6 (with 1), all answer U7 and rate."""
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(
        feedback("sp1", "u1", {"U6": 1, "U7": 4}, employee_id="e1", overall=5),
        *[feedback("sp1", "u1", {"U7": 3}, employee_id="e1", overall=4) for _ in range(4)],
    )


async def test_an_element_answered_fewer_times_than_the_minimum_has_no_mean(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await _five_responses_one_answering_u6(feeder)
    own = token(settings, "employee", employee_id="e1")
    body = (await client.get(URL, params={"period": "2026"}, headers=own)).json()
    assert (body["responses"], body["sufficient"], body["u6_mean"]) == (5, True, None)
    assert body["u6_answers"] == 1
    assert (body["u7_mean"], body["u7_answers"]) == ("3.20", 5)
    assert (body["overall_rating_mean"], body["overall_ratings"]) == ("4.20", 5)
    assert body["too_few_answers"] == ["u6_mean"]


async def test_the_index_leaves_out_elements_with_too_few_answers(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await _five_responses_one_answering_u6(feeder)
    own = token(settings, "employee", employee_id="e1")
    body = (await client.get(URL, params={"period": "2026"}, headers=own)).json()
    # Over U7 alone: 3.20 x 25 = 80.00 (with U6's single 1 it would be 52.50).
    assert body["satisfaction_index"] == "80.00"


async def test_an_overall_rating_given_fewer_times_than_the_minimum_has_no_mean(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(
        *[
            feedback("sp1", "u1", {"U6": 3, "U7": 3}, employee_id="e1", overall=rating)
            for rating in (5, None, None, None, None)
        ]
    )
    own = token(settings, "employee", employee_id="e1")
    body = (await client.get(URL, params={"period": "2026"}, headers=own)).json()
    assert body["overall_rating_mean"] is None
    assert body["overall_ratings"] == 1
    assert body["too_few_answers"] == ["overall_rating_mean"]
    assert body["u6_mean"] == "3.00"


async def test_the_appraiser_is_not_sent_a_mean_of_too_few_answers(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    await _five_responses_one_answering_u6(feeder)
    events = await published(runtime, "feedback_summary.published")
    latest = next(e for e in reversed(events) if e["period_key"] == "2026")
    assert latest["responses"] == 5
    assert latest["u6_mean"] is None
    assert latest["u7_mean"] == "3.20"
