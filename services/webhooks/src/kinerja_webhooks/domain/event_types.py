"""Which events a subscription takes: event type patterns and the unit filter.

docs/domain.md, Webhooks. A pattern names an event by its catalogue name (`skp.approved`),
by that name below its service (`appraisal.skp.approved`) or by its full CloudEvents type;
`*` stands for any run of characters, so `appraisal.*` is every event of the appraisal
service and `*` every event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Letters, digits, `_`, `.` and `*` only: a pattern is a name, never a regular expression.
PATTERN = re.compile(r"^[a-z0-9_.*]{1,200}$")


@dataclass(frozen=True)
class EventName:
    """The names an event type answers to."""

    name: str  # the catalogue name, e.g. skp.approved
    service: str  # the owner of its topic, e.g. appraisal
    cloudevents_type: str  # id.denpasar.kinerja.skp.approved.v1

    def names(self) -> tuple[str, str, str]:
        """Every name a pattern may match."""
        return (self.name, f"{self.service}.{self.name}", self.cloudevents_type)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def matches(pattern: str, event: EventName) -> bool:
    """Whether a pattern names the event."""
    compiled = _compiled(pattern)
    return any(compiled.match(name) for name in event.names())


def wanted(patterns: Iterable[str], event: EventName) -> bool:
    """Whether any of the patterns names the event."""
    return any(matches(p, event) for p in patterns)


def unit_of(data: dict[str, Any]) -> str | None:
    """The unit an event's payload is about (its `unit_id`), if it names one."""
    unit = data.get("unit_id")
    return unit if isinstance(unit, str) else None


def in_units(unit_ids: list[str] | None, data: dict[str, Any]) -> bool:
    """Whether the unit filter lets the event through: no filter takes every event; a filter
    takes only events about one of its units."""
    if not unit_ids:
        return True
    unit = unit_of(data)
    return unit is not None and unit in unit_ids


def unknown_patterns(patterns: Iterable[str], known: Iterable[EventName]) -> list[str]:
    """The patterns that name no known event type (a typo would never deliver anything)."""
    events = list(known)
    return [p for p in patterns if not any(matches(p, e) for e in events)]
