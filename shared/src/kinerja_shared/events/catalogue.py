"""The event catalogue: one pydantic model per event type, registered by type name.

Producers and consumers share these definitions. A type name is `<aggregate>.<verb>` in the
past tense plus a version; the CloudEvents `type` is `id.denpasar.kinerja.<name>.v<version>`.
Within a version, fields may only be added (optional, with defaults); a breaking change
needs a new version registered next to the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from kinerja_shared.events.envelope import CloudEvent, new_event_id, utcnow

TYPE_PREFIX = "id.denpasar.kinerja."


class EventPayload(BaseModel):
    """Base class of event payloads. Unknown fields are ignored so old consumers keep working."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_name: ClassVar[str]
    event_version: ClassVar[int]
    topic: ClassVar[str]
    key_field: ClassVar[str]
    aggregate: ClassVar[str]

    @classmethod
    def cloudevents_type(cls) -> str:
        """The full, versioned CloudEvents type of this payload."""
        return f"{TYPE_PREFIX}{cls.event_name}.v{cls.event_version}"

    def key(self) -> str:
        """The Kafka message key: the aggregate id, so an aggregate's events stay in order."""
        return str(getattr(self, self.key_field))

    def to_event(self, *, source: str, time: datetime | None = None) -> CloudEvent:
        """Wrap the payload in a new CloudEvents envelope."""
        return CloudEvent(
            id=new_event_id(),
            source=source,
            type=self.cloudevents_type(),
            subject=f"{self.aggregate}/{self.key()}",
            time=time or utcnow(),
            data=self.model_dump(mode="json"),
        )


@dataclass(frozen=True)
class EventType:
    """A registered event type."""

    name: str
    version: int
    topic: str
    model: type[EventPayload]

    @property
    def type(self) -> str:
        """The CloudEvents type string."""
        return f"{TYPE_PREFIX}{self.name}.v{self.version}"


class Catalogue:
    """The registry of every event type, keyed by CloudEvents type."""

    def __init__(self) -> None:
        self._types: dict[str, EventType] = {}

    def register(self, entry: EventType) -> None:
        """Add a type; registering the same type twice is an error."""
        if entry.type in self._types and self._types[entry.type].model is not entry.model:
            raise ValueError(f"event type {entry.type} is already registered")
        self._types[entry.type] = entry

    def get(self, type_: str) -> EventType | None:
        """The registered type for a CloudEvents type string, if any."""
        return self._types.get(type_)

    def parse(self, event: CloudEvent) -> EventPayload:
        """Validate an envelope's data against its registered model."""
        entry = self._types.get(event.type)
        if entry is None:
            raise KeyError(f"unknown event type {event.type}")
        return entry.model.model_validate(event.data)

    def __iter__(self) -> Iterator[EventType]:
        return iter(sorted(self._types.values(), key=lambda e: (e.topic, e.name, e.version)))

    def __len__(self) -> int:
        return len(self._types)


CATALOGUE = Catalogue()

P = TypeVar("P", bound=EventPayload)


def event_type(
    name: str, *, version: int, topic: str, key: str, aggregate: str
) -> Callable[[type[P]], type[P]]:
    """Class decorator registering a payload model in the catalogue."""

    def decorate(model: type[P]) -> type[P]:
        model.event_name = name
        model.event_version = version
        model.topic = topic
        model.key_field = key
        model.aggregate = aggregate
        if key not in model.model_fields:
            raise TypeError(f"{model.__name__} has no key field {key!r}")
        CATALOGUE.register(EventType(name=name, version=version, topic=topic, model=model))
        return model

    return decorate


def example_data(model: type[EventPayload]) -> dict[str, Any]:
    """The first example of a payload's JSON schema (used for generated documentation)."""
    examples = model.model_config.get("json_schema_extra") or {}
    if isinstance(examples, dict):
        found = examples.get("examples")
        if isinstance(found, list) and found and isinstance(found[0], dict):
            return dict(found[0])
    return {}
