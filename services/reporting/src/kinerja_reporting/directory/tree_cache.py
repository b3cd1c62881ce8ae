"""The unit tree cached per process, checked against the directory version on every use.

Reports read the whole unit tree on nearly every request, and it changes only when a
``unit.upserted`` event is applied. ``record_directory`` (``projections/directory.py``) replaces
a random token in ``directory_version`` in the same transaction as the unit, so a process
(any replica) knows its copy is current when the token it read with the tree is still the
one in the database. One statement reads the tree and its token together, so the pair is
consistent; a check is one tiny query, or a column of a query the report makes anyway
(``tree_version`` in ``directory/repository.py``).

Without a token (a rebuild or a test emptied the tables) nothing is cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.directory.repository import current_tree_version, unit_rows_with_version
from kinerja_reporting.directory.tree import UnitTree


@dataclass(frozen=True)
class VersionedTree:
    """A unit tree and the directory version it was read with (None: no version stored)."""

    tree: UnitTree
    version: str | None


_trees: WeakKeyDictionary[Engine, VersionedTree] = WeakKeyDictionary()


def _engine(session: AsyncSession) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def cached_tree(session: AsyncSession) -> VersionedTree | None:
    """The tree this process cached for the session's database, not yet checked."""
    return _trees.get(_engine(session))


def is_current(cached: VersionedTree, version: str | None) -> bool:
    """Whether a cached tree is the tree of a version just read from the database."""
    return version is not None and version == cached.version


async def read_tree(session: AsyncSession) -> VersionedTree:
    """Read the whole tree and its version in one statement, and cache them when versioned."""
    rows = await unit_rows_with_version(session)
    found = VersionedTree(
        tree=UnitTree(
            parents={r.unit_id: r.parent_id for r in rows},
            names={r.unit_id: r.name for r in rows},
        ),
        version=rows[0].version if rows else None,
    )
    if found.version is not None:
        _trees[_engine(session)] = found
    return found


async def load_tree(session: AsyncSession) -> UnitTree:
    """The whole unit tree (a city has hundreds of units, not millions): the cached copy
    when the database still holds its version, else read again."""
    cached = cached_tree(session)
    if cached is not None and is_current(cached, await current_tree_version(session)):
        return cached.tree
    return (await read_tree(session)).tree
