"""The inbox rows a batch records through the driver are the rows SQLAlchemy would store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from kinerja_shared.consumer import _inbox_insert_sql, record_in_inbox
from kinerja_shared.db import create_engine
from kinerja_shared.events.envelope import CloudEvent
from support.notes_service import NoteAdded, tables

INBOX = tables.inbox


def events(count: int) -> list[CloudEvent]:
    return [
        NoteAdded(note_id=f"n{i}", seq=i).to_event(source=f"/testsvc/é{i % 3}")
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 28, 9, 30, 1, 7, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),  # no microseconds
    ],
)
async def test_bulk_inbox_rows_equal_sqlalchemys_rows(database_url: str, at: datetime) -> None:
    engine = create_engine(database_url)
    batch = events(25)
    try:
        # The driver path is the one taken on both databases (no silent fallback).
        assert _inbox_insert_sql(engine.dialect, INBOX) is not None
        async with engine.connect() as conn:
            await conn.begin()
            reference = [
                {
                    "consumer": "reference",
                    "source": e.source,
                    "event_id": e.id,
                    "event_type": e.type,
                    "processed_at": at,
                }
                for e in batch
            ]
            await conn.execute(insert(INBOX), reference)
            await conn.commit()
        async with async_sessionmaker(engine)() as session, session.begin():
            await record_in_inbox(session, INBOX, "bulk", batch, at=at)
            await record_in_inbox(session, INBOX, "single", batch[:1], at=at)
        columns = "source, event_id, event_type, processed_at"
        async with engine.connect() as conn:
            # As stored (the driver's own reading, no SQLAlchemy conversion) ...
            stored = {
                consumer: (
                    await conn.exec_driver_sql(
                        f"SELECT {columns} FROM inbox WHERE consumer = '{consumer}' "
                        "ORDER BY event_id"
                    )
                ).all()
                for consumer in ("reference", "bulk", "single")
            }
            # ... and as SQLAlchemy reads it back.
            read = {
                consumer: (
                    await conn.execute(
                        select(INBOX.c.source, INBOX.c.event_id, INBOX.c.processed_at)
                        .where(INBOX.c.consumer == consumer)
                        .order_by(INBOX.c.event_id)
                    )
                ).all()
                for consumer in ("reference", "bulk")
            }
    finally:
        await engine.dispose()
    assert len(stored["bulk"]) == len(batch)
    assert stored["bulk"] == stored["reference"]
    assert stored["single"] == [r for r in stored["reference"] if r[1] == batch[0].id]
    assert read["bulk"] == read["reference"]
    assert {row.processed_at.replace(tzinfo=UTC) for row in read["bulk"]} == {at}
