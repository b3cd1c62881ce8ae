"""No input produces a 500: every endpoint with unknown ids, empty and malformed bodies."""

from __future__ import annotations

import re

from appraisal.helpers import Finalised, World
from httpx import AsyncClient

BODIES: list[dict[str, object]] = [
    {"json": {}},
    {"content": b"{not json", "headers_extra": {"content-type": "application/json"}},
    {"json": {"year": 10**20, "number": -1, "kind": "annual", "hasil": "x", "rhk": []}},
]


async def test_no_endpoint_answers_500_to_bad_input(client: AsyncClient, world: World) -> None:
    state = await Finalised.build(world)
    document = (await client.get("/openapi.json")).json()
    # One id that exists for assessment routes, one that exists nowhere.
    real_ids = [state.assessments["a"], "nope"]
    crashes: list[str] = []
    for template, operations in document["paths"].items():
        path = template.removeprefix("/api/v1/appraisal")
        for method in operations:
            for identifier in real_ids:
                concrete = re.sub(r"\{[^}]+\}", identifier, path)
                for body in BODIES if method != "get" else []:
                    kwargs = {k: v for k, v in body.items() if k != "headers_extra"}
                    headers = {**world.admin, **body.get("headers_extra", {})}  # type: ignore[dict-item]
                    response = await client.request(
                        method.upper(),
                        concrete,
                        headers=headers,
                        params={"employee_id": state.team.a["id"], "year": "2026"},
                        **kwargs,  # type: ignore[arg-type]
                    )
                    if response.status_code >= 500:
                        crashes.append(f"{method.upper()} {concrete} {body}: {response.text}")
                garbage = await client.request(
                    method.upper(),
                    concrete,
                    headers=world.admin,
                    params={"limit": "0", "offset": "-1", "year": "x", "after": "-5"},
                )
                if garbage.status_code >= 500:
                    crashes.append(f"{method.upper()} {concrete} garbage query: {garbage.text}")
    assert crashes == []
