"""The outbox and inbox tables every service database carries.

They are SQLAlchemy Core tables built on a service's own metadata, so each service owns its
copy and its migrations create them (see `kinerja_shared.migrations`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    text,
)

#: Outbox rows are spread over lanes by key; a relay claims whole lanes, so events of one key
#: are always published by one relay at a time, in order, while several relays share the work.
LANES = 16


def lane_of(key: str) -> int:
    """The lane of a message key (stable across processes and versions)."""
    return zlib.crc32(key.encode()) % LANES


@dataclass(frozen=True)
class MessagingTables:
    """The outbox, its lanes and the inbox on one metadata."""

    outbox: Table
    outbox_lane: Table
    inbox: Table


def messaging_tables(metadata: MetaData) -> MessagingTables:
    """Define (once per metadata) the outbox, outbox_lane and inbox tables."""
    if "outbox" in metadata.tables:
        return MessagingTables(
            metadata.tables["outbox"], metadata.tables["outbox_lane"], metadata.tables["inbox"]
        )
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("lane", SmallInteger, nullable=False),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
    )
    Index(
        "ix_outbox_pending",
        outbox.c.lane,
        outbox.c.id,
        postgresql_where=text("sent_at IS NULL"),
        sqlite_where=text("sent_at IS NULL"),
    )
    outbox_lane = Table(
        "outbox_lane",
        metadata,
        Column("lane", SmallInteger, primary_key=True, autoincrement=False),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("source", String(200), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    return MessagingTables(outbox=outbox, outbox_lane=outbox_lane, inbox=inbox)
