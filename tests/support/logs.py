"""What the JSON log handler (kinerja_shared.logging.configure_logging) wrote during a block."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pythonjsonlogger.json import JsonFormatter


@contextmanager
def json_log_lines() -> Iterator[list[dict[str, Any]]]:
    """The lines the root's JSON handler writes inside the block, parsed (filled at its end).

    The handler keeps its formatter and filters; only its stream is swapped, so the lines are
    exactly what a service writes to stderr."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        if previous is not None:
            handler.setStream(previous)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines() if line.strip())
