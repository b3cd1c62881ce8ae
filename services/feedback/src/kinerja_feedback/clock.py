"""The service's notion of now, as a dependency that tests override."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends


async def current_time() -> datetime:
    """The current moment (aware, UTC); async so FastAPI does not hand it to a thread."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(current_time)]
