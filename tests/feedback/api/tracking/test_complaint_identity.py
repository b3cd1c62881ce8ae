"""Complaint identity: public listings grant nothing, the tracking code is a secret that only
its holder can use, look-ups are limited, and no listing crashes on a naive date."""

from __future__ import annotations

from feedback.fixtures import (
    ADMIN,
    PREFIX,
    UNIT_HEAD,
    create_point,
    submission,
    submit,
    track,
    withdraw,
)
from httpx import AsyncClient

from kinerja_feedback.domain.tracking import new_tracking_code

OPEN311 = "/api/v1/open311"


async def open311_complaint(client: AsyncClient, **fields: str) -> dict:
    form = {
        "service_code": "lurah-dauh-puri",
        "description": "Lampu ruang tunggu mati",
        "phone": "081234567890",
        **fields,
    }
    created = await client.post(f"{OPEN311}/requests.json", data=form)
    assert created.status_code == 201, created.text
    return dict(created.json()[0])


def secret_of(receipt: dict) -> str:
    """What the submitter alone should hold (before the fix, the listed id was the code)."""
    return str(receipt.get("tracking_code") or receipt["service_request_id"])


async def test_a_public_listing_never_shows_a_tracking_code(client: AsyncClient) -> None:
    await create_point(client)
    receipt = await open311_complaint(client)
    listing = await client.get(f"{OPEN311}/requests.json")
    assert listing.status_code == 200
    assert secret_of(receipt) not in listing.text
    one = await client.get(f"{OPEN311}/requests/{receipt['service_request_id']}.json")
    assert secret_of(receipt) not in one.text


async def test_what_a_listing_shows_cannot_withdraw_or_reopen_a_complaint(
    client: AsyncClient,
) -> None:
    await create_point(client)
    await open311_complaint(client)
    [listed] = (await client.get(f"{OPEN311}/requests.json")).json()
    public = listed["service_request_id"]
    attempts = [
        await client.post(f"{PREFIX}/track/withdraw", json={"tracking_code": public}),
        await client.post(f"{PREFIX}/track/{public}/withdraw"),
        await client.post(
            f"{PREFIX}/track/reopen", json={"tracking_code": public, "reason": "iseng"}
        ),
    ]
    assert all(a.status_code in (404, 405, 422) for a in attempts), [a.text for a in attempts]
    [complaint] = (await client.get(f"{PREFIX}/complaints", headers=ADMIN)).json()
    assert complaint["has_contact"] is True
    assert complaint["comment_redacted"] == "Lampu ruang tunggu mati"


async def test_a_citizens_exact_location_is_never_listed(client: AsyncClient) -> None:
    await create_point(client, latitude=None, longitude=None)
    await open311_complaint(client, lat="-8.6563421", long="115.2090187")
    [listed] = (await client.get(f"{OPEN311}/requests.json")).json()
    assert (listed["lat"], listed["long"]) == (-8.66, 115.21)


async def test_staff_views_never_show_the_tracking_code(client: AsyncClient) -> None:
    await create_point(client)
    receipt = (
        await submit(client, submission(is_complaint=True, comment="Antrean kacau sekali"))
    ).json()
    code, fid = receipt["tracking_code"], receipt["feedback_id"]
    for path in ("/complaints", f"/complaints/{fid}", "/moderation/queue"):
        seen = await client.get(f"{PREFIX}{path}", headers=UNIT_HEAD)
        assert seen.status_code == 200, seen.text
        assert code not in seen.text
        assert code.replace("-", "") not in seen.text.replace("-", "")


async def test_a_tracking_code_carries_at_least_128_bits_and_a_lookup_takes_one_code(
    client: AsyncClient,
) -> None:
    await create_point(client)
    code = (await submit(client, submission())).json()["tracking_code"]
    body = code.removeprefix("KNJ-").replace("-", "")
    assert len(body) >= 27  # 27 random symbols of 31, and a check character
    two = await track(client, f"{code},{new_tracking_code()}")
    assert two.status_code == 422
    assert two.headers["content-type"] == "application/problem+json"
    assert two.json()["errors"][0]["field"] == "body.tracking_code"


async def test_unknown_codes_from_one_address_are_limited_and_others_are_not(
    client: AsyncClient,
) -> None:
    await create_point(client)
    code = (await submit(client, submission())).json()["tracking_code"]
    guesses = [await track(client, new_tracking_code(), address="198.51.100.9") for _ in range(10)]
    assert {g.status_code for g in guesses} == {404}
    refused = await track(client, new_tracking_code(), address="198.51.100.9")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    # Even a real code: the guesser is refused for the rest of the window ...
    assert (await track(client, code, address="198.51.100.9")).status_code == 429
    # ... while other citizens are not.
    assert (await track(client, code, address="192.0.2.44")).status_code == 200


async def test_open311_listings_ask_for_few_ids_at_once(client: AsyncClient) -> None:
    many = ",".join(f"id-{i}" for i in range(60))
    response = await client.get(f"{OPEN311}/requests.json", params={"service_request_id": many})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.service_request_id"


async def test_dates_without_a_zone_are_read_as_wita_and_nonsense_is_a_422(
    client: AsyncClient,
) -> None:
    await create_point(client)
    await open311_complaint(client)  # submitted at 10:00 WITA on 2026-03-04
    for value, found in (
        ("2026-01-01", 1),
        ("2026-03-04", 1),
        ("2026-03-04T09:59:00", 1),
        ("2026-03-04T10:01:00", 0),
        ("2026-03-04T02:01:00Z", 0),
        ("2026-03-05", 0),
    ):
        listed = await client.get(f"{OPEN311}/requests.json", params={"start_date": value})
        assert listed.status_code == 200, (value, listed.text)
        assert len(listed.json()) == found, value
    ended = await client.get(f"{OPEN311}/requests.json", params={"end_date": "2026-03-04"})
    assert len(ended.json()) == 1  # a bare end date includes its whole day
    for bad in ("yesterday", "2026-13-01", "2026-03-04T25:00"):
        refused = await client.get(f"{OPEN311}/requests.json", params={"start_date": bad})
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["field"] == "query.start_date"


async def test_withdrawing_with_the_code_still_works_for_its_holder(client: AsyncClient) -> None:
    await create_point(client)
    receipt = await open311_complaint(client)
    assert (await withdraw(client, receipt["tracking_code"])).json()["withdrawn"] is True
    [listed] = (await client.get(f"{OPEN311}/requests.json")).json()
    assert listed["status"] == "closed"
    assert listed["status_notes"] == "withdrawn"
