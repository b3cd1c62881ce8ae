"""What the rebuild endpoints answer: the progress of the last rebuild."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class RebuildProgress:
    """Where a rebuild stands: events to replay, replayed so far, time and rate."""

    state: str = "idle"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    events_total: int = 0
    events_replayed: int = 0
    events_failed: int = 0
    seconds: float = 0.0
    events_per_second: float = 0.0
    error: str | None = None
    _started: float = field(default=0.0, repr=False)

    def public(self) -> dict[str, Any]:
        """The progress as JSON-able data."""
        data = asdict(self)
        data.pop("_started")
        return data

    def tick(self) -> None:
        """Update the elapsed time and the rate."""
        self.seconds = round(time.monotonic() - self._started, 3)
        self.events_per_second = (
            round(self.events_replayed / self.seconds, 1) if self.seconds else 0
        )
