"""A minimal service for the gateway benchmarks: a small JSON read under the appraisal prefix
and a small JSON write under the feedback prefix (what a submission's answer looks like)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI(openapi_url=None)


@app.get("/api/v1/appraisal/ping")
async def ping() -> dict[str, object]:
    """A small JSON body, like a typical read."""
    return {"status": "ok", "items": [{"id": i, "name": f"item {i}"} for i in range(10)]}


@app.post("/api/v1/feedback/feedback")
async def submit(request: Request) -> JSONResponse:
    """Reads the body and answers 201 with a small JSON body, like a feedback submission."""
    body = await request.body()
    return JSONResponse(
        {"tracking_code": "SKM-2026-ABCD-EFGH", "status": "received", "bytes": len(body)},
        status_code=201,
        headers={"Location": "/api/v1/feedback/feedback/SKM-2026-ABCD-EFGH"},
    )
