"""Spare httpcore a failed import on every upstream request.

httpcore asks which async library is running (`import sniffio`, falling back to asyncio when
that fails) each time it makes a lock, event or cancellation shield: several times per
proxied request. When sniffio is not installed each of those imports searches every entry of
`sys.path` again (~0.2 ms each, ~0.75 ms of CPU per request measured by
`bench/profile_gateway.py`). Python's own way to record "this module does not exist" is a
`None` entry in `sys.modules`; the import then fails at once, with the same ImportError.
"""

from __future__ import annotations

import importlib.util
import sys


def remember_missing_sniffio() -> None:
    """Record once that sniffio is absent, so that later `import sniffio` fails at once."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
