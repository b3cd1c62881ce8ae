"""Every Kinerja event type, one module per producing service; importing this registers them."""

from kinerja_shared.events.types import appraisal, feedback, reporting

__all__ = ["appraisal", "feedback", "reporting"]
