"""Open311 GeoReport v2 over the same data, with the spec's field names."""

from __future__ import annotations

from feedback.fixtures import create_point
from httpx import AsyncClient

OPEN311 = "/api/v1/open311"


async def test_services_and_a_service_definition(client: AsyncClient) -> None:
    await create_point(client)
    services = (await client.get(f"{OPEN311}/services.json")).json()
    assert set(services[0]) >= {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert services[0]["service_code"] == "lurah-dauh-puri"
    definition = (await client.get(f"{OPEN311}/services/lurah-dauh-puri.json")).json()
    assert definition["service_code"] == "lurah-dauh-puri"
    assert [a["code"] for a in definition["attributes"]] == [f"U{i}" for i in range(1, 10)]
    assert (await client.get(f"{OPEN311}/services/nope.json")).status_code == 404


async def test_a_request_is_posted_form_encoded_and_read_back(client: AsyncClient) -> None:
    await create_point(client)
    created = await client.post(
        f"{OPEN311}/requests.json",
        data={
            "service_code": "lurah-dauh-puri",
            "lat": "-8.6563",
            "long": "115.2090",
            "description": "Lampu ruang tunggu mati",
            "email": "warga@example.id",
            "attribute[U8]": "1",
        },
    )
    assert created.status_code == 201, created.text
    [receipt] = created.json()
    assert set(receipt) == {"service_request_id", "service_notice", "account_id", "tracking_code"}
    rid = receipt["service_request_id"]
    [one] = (await client.get(f"{OPEN311}/requests/{rid}.json")).json()
    assert set(one) >= {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "lat",
        "long",
        "media_url",
    }
    assert one["status"] == "open"
    assert one["lat"] == -8.6563
    assert one["agency_responsible"] == "Kelurahan Dauh Puri"
    assert one["description"] is None  # not moderated yet
    listed = (await client.get(f"{OPEN311}/requests.json", params={"status": "open"})).json()
    assert [r["service_request_id"] for r in listed] == [rid]
    closed = (await client.get(f"{OPEN311}/requests.json", params={"status": "closed"})).json()
    assert closed == []


async def test_a_bad_request_names_the_field(client: AsyncClient) -> None:
    await create_point(client)
    bad = await client.post(
        f"{OPEN311}/requests.json",
        data={
            "service_code": "lurah-dauh-puri",
            "description": "x",
            "attribute[U1]": "9",
            "lat": "x",
        },
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"body.attribute[U1]", "body.lat"}


async def test_a_json_request_with_an_idempotency_key_is_stored_once(client: AsyncClient) -> None:
    await create_point(client)
    body = {
        "service_code": "lurah-dauh-puri",
        "description": "Antrean panjang",
        "phone": "081234567890",
    }
    headers = {"Idempotency-Key": "6f1c1d2e-8d4b-4e44-9a43-2f0c3c1f6a10"}
    first = await client.post(f"{OPEN311}/requests.json", json=body, headers=headers)
    again = await client.post(f"{OPEN311}/requests.json", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    listed = (await client.get(f"{OPEN311}/requests.json")).json()
    assert len(listed) == 1
    unknown = await client.post(
        f"{OPEN311}/requests.json", json={"service_code": "nope", "description": "x"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.service_code"
