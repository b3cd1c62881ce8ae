"""The CloudEvents 1.0 JSON envelope every Kinerja event travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode; `data` is the catalogue payload."""

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(description="Unique per event; consumers deduplicate by source + id.")
    source: str = Field(description="The producing service, e.g. /kinerja/feedback.")
    type: str = Field(description="Versioned type, e.g. id.denpasar.kinerja.feedback.submitted.v1")
    subject: str = Field(description="The aggregate the event is about; also the Kafka key.")
    time: datetime = Field(description="When the event happened, UTC.")
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]

    def to_json(self) -> bytes:
        """Serialise for the wire."""
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        """Parse from the wire; raises pydantic.ValidationError on a malformed envelope."""
        return cls.model_validate_json(raw)


def new_event_id() -> str:
    """A fresh event id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current time in UTC (aware)."""
    return datetime.now(UTC)
