"""The unit tree: which unit lies under which (units arrive as events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class UnitTree:
    """The unit tree as known now (units arrive as events; unknown parents are roots)."""

    parents: dict[str, str | None]
    names: dict[str, str] = field(default_factory=dict)

    def children(self) -> dict[str, list[str]]:
        """Unit id to its direct children."""
        result: dict[str, list[str]] = {}
        for unit, parent in self.parents.items():
            if parent is not None:
                result.setdefault(parent, []).append(unit)
        return result

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        # Computed once per tree: a process keeps its tree across requests (tree_cache).
        return self.children()

    def subtree(self, unit_id: str) -> set[str]:
        """The unit and every unit below it (cycles in bad data are cut)."""
        kids = self._children
        found: set[str] = set()
        stack = [unit_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(kids.get(current, ()))
        return found

    def ancestors(self, unit_id: str) -> list[str]:
        """The unit's parent, grandparent and so on (nearest first)."""
        chain: list[str] = []
        current = self.parents.get(unit_id)
        while current is not None and current not in chain and current != unit_id:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def within(self, root: str, unit_id: str) -> bool:
        """Whether ``unit_id`` is ``root`` or below it."""
        return unit_id == root or root in self.ancestors(unit_id)
