"""A minimal service for the latency benchmark: one small JSON route under the appraisal prefix."""

from fastapi import FastAPI

app = FastAPI(openapi_url=None)


@app.get("/api/v1/appraisal/ping")
async def ping() -> dict[str, object]:
    """A small JSON body, like a typical read."""
    return {"status": "ok", "items": [{"id": i, "name": f"item {i}"} for i in range(10)]}
