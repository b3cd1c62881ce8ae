"""Follow-up plans (rencana tindak lanjut) of SKM results: how an action's status and its
progress percentage fit together (docs/domain.md, "Publication of results and follow-up plans
(rencana tindak lanjut)")."""

from __future__ import annotations

from enum import StrEnum


class FollowUpStatus(StrEnum):
    """Where an action of a follow-up plan stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class InvalidProgress(ValueError):
    """A status and a percentage that contradict each other."""


def progress_percent(status: FollowUpStatus, percent: int | None, *, current: int) -> int:
    """The percentage an action stands at after a progress update.

    Planned is 0 % and done is 100 %; in progress is 0-99 %, and keeps the current figure
    (at most 99) when the update gives none. A percentage that contradicts the status is
    refused rather than corrected.
    """
    if status is FollowUpStatus.PLANNED:
        if percent not in (None, 0):
            raise InvalidProgress("a planned action stands at 0 %")
        return 0
    if status is FollowUpStatus.DONE:
        if percent not in (None, 100):
            raise InvalidProgress("a done action stands at 100 %")
        return 100
    if percent is None:
        return min(current, 99)
    if not 0 <= percent <= 99:
        raise InvalidProgress("an action in progress stands at 0-99 %; at 100 % it is done")
    return percent
