"""IKM through the API against hand-computed cases."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from reporting.conftest import token
from reporting.feeding import (
    Feeder,
    all_nine,
    feedback,
    service_point,
    service_users,
    unit,
)

from kinerja_reporting.settings import ReportingSettings

URL = "/api/v1/reporting/ikm"


async def test_unit_ikm_is_the_weighted_nrr_sum_times_25(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    # NRR U1..U9 = (4+3)/2 = 3.5 each -> IKM = 3.5 * 25 = 87.50, band B
    await feeder.send(feedback("sp1", "u1", all_nine(4)), feedback("sp1", "u1", all_nine(3)))
    response = await client.get(f"{URL}/units/u1", params={"period": "2026-03"}, headers=analyst)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["respondents"] == 2
    assert Decimal(body["ikm"]) == Decimal("87.50")
    assert body["band"] == "B"
    assert body["weight"] == "1/9"
    assert [Decimal(e["nrr"]) for e in body["elements"]] == [Decimal("3.50")] * 9


def _scores(count: int, total: int) -> list[int]:
    """``count`` scores of 1..4 that add up to ``total``."""
    scores = [1] * count
    rest = total - count
    for i in range(count):
        step = min(3, rest)
        scores[i] += step
        rest -= step
    assert rest == 0
    return scores


def _respondents(u1: tuple[int, int], u2: tuple[int, int]) -> list[dict[str, int]]:
    """Answers where U1 has (answered, sum) and U2 has (answered, sum)."""
    first, second = _scores(*u1), _scores(*u2)
    rows: list[dict[str, int]] = [{} for _ in range(max(len(first), len(second)))]
    for i, score in enumerate(first):
        rows[i]["U1"] = score
    for i, score in enumerate(second):
        rows[i]["U2"] = score
    return rows


@pytest.mark.parametrize(
    ("u1", "u2", "ikm", "band"),
    [
        ((7, 24), (11, 40), "88.31", "A"),  # 12.5 * (24/7 + 40/11) = 88.3116..
        ((10, 37), (11, 37), "88.30", "B"),
        ((7, 17), (10, 37), "76.61", "B"),
        ((3, 8), (13, 45), "76.60", "C"),
        ((1, 2), (5, 16), "65.00", "C"),
        ((4, 4), (4, 4), "25.00", "D"),
    ],
)
async def test_band_boundaries_are_compared_on_two_decimals(
    client: httpx.AsyncClient,
    feeder: Feeder,
    analyst: dict[str, str],
    u1: tuple[int, int],
    u2: tuple[int, int],
    ikm: str,
    band: str,
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(*[feedback("sp1", "u1", a) for a in _respondents(u1, u2)])
    body = (
        await client.get(f"{URL}/units/u1", params={"period": "2026-03"}, headers=analyst)
    ).json()
    assert body["ikm"] == ikm
    assert body["band"] == band
    assert body["missing_elements"] == [f"U{i}" for i in range(3, 10)]
    assert body["weight"] == "1/2"


async def test_unanswered_elements_neither_lower_nor_raise_the_index(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    # U1 answered 4 and 2 (NRR 3), U2 answered once with 4 (NRR 4): IKM = (3+4)/2*25 = 87.50
    await feeder.send(feedback("sp1", "u1", {"U1": 4, "U2": 4}), feedback("sp1", "u1", {"U1": 2}))
    body = (
        await client.get(f"{URL}/service-points/sp1", params={"period": "2026"}, headers=analyst)
    ).json()
    assert body["respondents"] == 2
    assert {e["element"]: e["answered"] for e in body["elements"]} == {"U1": 2, "U2": 1}
    assert Decimal(body["ikm"]) == Decimal("87.50")


async def test_sample_adequacy_uses_the_units_reported_service_users(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"), service_users("u1", "2026-Q1", 100))
    await feeder.send(*[feedback("sp1", "u1", all_nine(4)) for _ in range(80)])
    body = (
        await client.get(f"{URL}/units/u1", params={"period": "2026-Q1"}, headers=analyst)
    ).json()
    assert body["sample"] == {
        "service_users": 100,
        "required": 80,
        "respondents": 80,
        "state": "adequate",
    }
    month = (
        await client.get(f"{URL}/units/u1", params={"period": "2026-03"}, headers=analyst)
    ).json()
    assert month["sample"]["state"] == "unknown"
    listed = (
        await client.get(f"{URL}/units", params={"period": "2026-Q1"}, headers=analyst)
    ).json()
    assert listed["items"][0]["sample"] == body["sample"]


async def test_a_unit_rolls_up_its_subunits_by_pooling_respondents(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    # Feedback first, tree later: roll-up happens at query time.
    await feeder.send(feedback("spa", "child", all_nine(4)))
    await feeder.send(*[feedback("spb", "parent", all_nine(2)) for _ in range(3)])
    await feeder.send(unit("parent"), unit("child", "parent"))
    body = (
        await client.get(f"{URL}/units/parent", params={"period": "2026-03"}, headers=analyst)
    ).json()
    # pooled NRR = (4 + 2*3)/4 = 2.5 -> 62.50, band D (not the mean of 100 and 50)
    assert body["respondents"] == 4
    assert Decimal(body["ikm"]) == Decimal("62.50")
    assert body["band"] == "D"
    own = (
        await client.get(
            f"{URL}/units/parent",
            params={"period": "2026-03", "subunits": "false"},
            headers=analyst,
        )
    ).json()
    assert Decimal(own["ikm"]) == Decimal("50.00")


async def test_trend_compares_with_the_previous_period(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    from datetime import date

    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(feedback("sp1", "u1", all_nine(4), visit=date(2026, 2, 1)))
    await feeder.send(feedback("sp1", "u1", all_nine(3), visit=date(2026, 3, 1)))
    body = (
        await client.get(f"{URL}/units/u1", params={"period": "2026-03"}, headers=analyst)
    ).json()
    assert body["trend"] == {
        "previous_period_key": "2026-02",
        "previous_ikm": "100.00",
        "previous_respondents": 1,
        "change": "-25.00",
    }
    svg = await client.get(
        f"{URL}/units/u1/trend",
        params={"period": "2026-03", "count": 3, "format": "svg"},
        headers=analyst,
    )
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<polyline" in svg.text


async def test_a_malformed_period_is_a_422_naming_the_field(
    client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    response = await client.get(f"{URL}/units/u1", params={"period": "2026-13"}, headers=analyst)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.period"


async def test_service_points_are_listed_within_a_units_subtree(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await feeder.send(unit("d1"), unit("k1", "d1"), unit("d2"))
    await feeder.send(service_point("a", "k1"), service_point("b", "d2"))
    await feeder.send(feedback("a", "k1", all_nine(4)), feedback("b", "d2", all_nine(1)))
    head = token(settings, "unit_head", unit_code="d1")
    body = (
        await client.get(f"{URL}/service-points", params={"period": "2026"}, headers=head)
    ).json()
    assert [(i["scope_id"], i["ikm"]) for i in body["items"]] == [("a", "100.00")]
    refused = await client.get(
        f"{URL}/service-points", params={"period": "2026", "unit_id": "d2"}, headers=head
    )
    assert refused.status_code == 403
