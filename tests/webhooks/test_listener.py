"""`kinerja-webhooks listen`: a tiny receiver that verifies signatures with the library and
prints deliveries (a wrong signature is answered and printed as 401)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from kinerja_webhooks.listener import create_listener
from kinerja_webhooks.signing import new_secret, signed_headers
from support.servers import serve

BODY = '{"id": "e1", "type": "id.denpasar.kinerja.unit.upserted.v1", "subject": "unit/u1"}'


async def post_to_listener(secret: str, headers: dict[str, str]) -> tuple[int, list[str]]:
    printed: list[str] = []
    listener = create_listener(secret, printed.append)
    async with serve(listener) as url, httpx.AsyncClient() as client:  # type: ignore[arg-type]
        response = await client.post(url + "/", content=BODY, headers=headers)
    return response.status_code, printed


async def test_the_listener_prints_a_delivery_whose_signature_verifies() -> None:
    secret = new_secret()
    headers = signed_headers(secret, message_id="d1", at=datetime.now(UTC), body=BODY)
    status, printed = await post_to_listener(secret, headers)
    assert status == 204
    assert printed[0].startswith("delivery d1: id.denpasar.kinerja.unit.upserted.v1 unit/u1")


async def test_the_listener_answers_and_prints_401_for_a_wrong_signature() -> None:
    headers = signed_headers(new_secret(), message_id="d1", at=datetime.now(UTC), body=BODY)
    status, printed = await post_to_listener(new_secret(), headers)
    assert status == 401
    assert printed == ["401 refused d1: No matching signature found"]


async def test_the_listener_refuses_an_old_timestamp() -> None:
    secret = new_secret()
    old = datetime.now(UTC) - timedelta(minutes=10)
    status, printed = await post_to_listener(
        secret, signed_headers(secret, message_id="d1", at=old, body=BODY)
    )
    assert status == 401
    assert printed == ["401 refused d1: Message timestamp too old"]
