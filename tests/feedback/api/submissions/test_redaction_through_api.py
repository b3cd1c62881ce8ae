"""Personal data in comments is masked in what is stored for publication and returned."""

from __future__ import annotations

import pytest
from feedback.fixtures import create_point, submission, submit
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import Feedback, metadata


@pytest.mark.parametrize(
    ("comment", "published"),
    [
        ("WA saya +62 812-3456-7890", "WA saya [telepon disembunyikan]"),
        ("Telp kantor (0361) 223344 mati", "Telp kantor [telepon disembunyikan] mati"),
        ("Kirim ke budi.santoso@mail.co.id ya", "Kirim ke [email disembunyikan] ya"),
        ("NIK 5171 0123 4567 8901 ditolak", "NIK [NIK disembunyikan] ditolak"),
        ("Biaya Rp 150.000 tanpa kuitansi", "Biaya Rp 150.000 tanpa kuitansi"),
        ("Datang tgl 02.10.2026 jam 08.00", "Datang tgl 02.10.2026 jam 08.00"),
    ],
)
async def test_comments_are_masked_before_publication(
    client: AsyncClient, comment: str, published: str
) -> None:
    await create_point(client)
    response = await submit(client, submission(comment=comment))
    assert response.status_code == 201
    assert response.json()["comment_redacted"] == published
    async with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        row = (await session.scalars(select(Feedback))).one()
    assert row.comment_redacted == published
    assert row.comment_encrypted is not None
    assert comment not in row.comment_encrypted


async def test_creating_a_point_queues_service_point_upserted(client: AsyncClient) -> None:
    point = await create_point(client)
    async with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        rows = (await session.execute(select(metadata.tables["outbox"]))).all()
    assert [(r.event_type, r.key) for r in rows] == [
        ("id.denpasar.kinerja.service_point.upserted.v1", point["id"])
    ]
