"""The event types of the catalogue by the names subscriptions use for them."""

from __future__ import annotations

from kinerja_shared.events import types as _types  # noqa: F401 - registers every type
from kinerja_shared.events.catalogue import CATALOGUE, EventType
from kinerja_shared.events.topics import topic_owner
from kinerja_webhooks.domain.event_types import EventName


def name_of(entry: EventType) -> EventName:
    """The names of a catalogue entry."""
    return EventName(
        name=entry.name, service=topic_owner(entry.topic) or "", cloudevents_type=entry.type
    )


def of_type(cloudevents_type: str) -> EventName | None:
    """The names of a CloudEvents type, if the catalogue knows it."""
    entry = CATALOGUE.get(cloudevents_type)
    return None if entry is None else name_of(entry)


def known() -> list[EventName]:
    """Every event type of the catalogue (read when called: types registered later count)."""
    return [name_of(entry) for entry in CATALOGUE]
