"""How far a follow-up plan has come (docs/domain.md, "Publication of results and follow-up
plans (rencana tindak lanjut)")."""

from __future__ import annotations

from collections.abc import Sequence


def plan_progress(action_percents: Sequence[int]) -> int:
    """The plan's progress: the mean of its actions' percentages, rounded down, so a plan
    shows 100 % only when every action is done (0 for a plan without actions)."""
    if not action_percents:
        return 0
    return sum(action_percents) // len(action_percents)
