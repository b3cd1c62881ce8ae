"""The appraisal service's ASGI app: `kinerja_appraisal.main:app`."""

from __future__ import annotations

from fastapi import FastAPI

from kinerja_appraisal.routes import EXCEPTION_HANDLERS, ROUTERS
from kinerja_appraisal.runtime import create_runtime
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.app import create_service_app


def create_app(settings: AppraisalSettings | None = None) -> FastAPI:
    """Build the appraisal service app (tests pass their own settings)."""
    settings = settings or AppraisalSettings()
    app = create_service_app(
        create_runtime(settings),
        title="Kinerja appraisal",
        description=(
            "Organisation, employees, periods, SKP plans, realisations, assessments,"
            " predikat, objections and the audit trail (PermenPANRB 6/2022)."
        ),
        routers=ROUTERS,
        prefix=PREFIX,
        body_limits={f"{PREFIX}/imports/": settings.max_import_bytes},
    )
    for error, handler in EXCEPTION_HANDLERS.items():
        app.add_exception_handler(error, handler)
    return app


app = create_app()
