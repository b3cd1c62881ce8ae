"""The rate counters and the abuse context are read in one statement; it must give what the
standalone abuse query gives, for every combination of parts, and count like before."""

from __future__ import annotations

import itertools
from datetime import timedelta

from feedback.fixtures import NOW, create_point, submission, submit
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import Feedback
from kinerja_feedback.submissions import repository


async def test_combined_statement_matches_the_standalone_abuse_query(client: AsyncClient) -> None:
    await create_point(client)
    for n in range(5):  # three from one address, two from another; device "dup" twice
        response = await submit(
            client,
            submission(comment=f"ke-{n}"),
            device="dup" if n < 2 else f"dev-{n}",
            address="198.51.100.1" if n < 3 else "198.51.100.2",
        )
        assert response.status_code == 201
    sessions = client.app.state.runtime.sessions  # type: ignore[attr-defined]
    async with sessions() as session:
        stored = (
            await session.execute(select(Feedback.address_hash, Feedback.duplicate_key))
        ).all()
    addresses = [*sorted({a for a, _ in stored if a}), "not-seen", None]
    duplicates = [*sorted({d for _, d in stored if d}), "not-seen", None]
    windows = [(NOW - timedelta(hours=1), NOW + timedelta(hours=1)), (NOW, NOW + timedelta(1))]
    checked = 0
    for address, duplicate, (since, until), limit in itertools.product(
        addresses, duplicates, windows, [2, 100]
    ):
        query = repository.AbuseQuery(address, since, until, limit, duplicate)
        keys = [("device", "d-x", NOW)]
        if address:
            keys.append(("address", f"x-{address[:20]}", NOW))
        async with sessions() as session, session.begin():
            expected = await repository.abuse_context(session, query)
            counts, *context = await repository.bump_counters(session, keys, query)
            again, *_ = await repository.bump_counters(session, keys, query)
            await session.rollback()
        assert tuple(context) == expected, (address, duplicate, since, limit)
        assert counts == {scope: 1 for scope, _, _ in keys}
        assert again == {scope: 2 for scope, _, _ in keys}
        checked += 1
    assert checked == len(addresses) * len(duplicates) * 4


async def test_the_grid_has_nonzero_contexts(client: AsyncClient) -> None:
    await create_point(client)
    first = await submit(client, submission(), device="dup", address="198.51.100.1")
    assert first.status_code == 201
    sessions = client.app.state.runtime.sessions  # type: ignore[attr-defined]
    async with sessions() as session:
        address, duplicate = (
            await session.execute(select(Feedback.address_hash, Feedback.duplicate_key))
        ).one()
    query = repository.AbuseQuery(
        address, NOW - timedelta(hours=1), NOW + timedelta(hours=1), 100, duplicate
    )
    async with sessions() as session, session.begin():
        _, recent, taken = await repository.bump_counters(session, [("address", "a", NOW)], query)
        await session.rollback()
    assert (recent, taken) == (1, True)
