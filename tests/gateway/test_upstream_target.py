"""The target the proxy sends upstream: the caller's path and query as httpx reads them, the
same whether or not the check of that target was remembered from an earlier request."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from kinerja_gateway.proxy import _upstream_target
from kinerja_shared.problems import InvalidInput


def _request(raw_path: bytes, query: bytes = b"") -> Request:
    return Request(
        {
            "type": "http",
            "path": raw_path.decode("latin-1"),
            "raw_path": raw_path,
            "query_string": query,
            "headers": [],
        }
    )


@pytest.mark.parametrize("repeat", [1, 2])
def test_a_target_is_sent_as_the_caller_sent_it_with_what_a_url_cannot_hold_quoted(
    repeat: int,
) -> None:
    for _ in range(repeat):
        assert _upstream_target(_request(b"/api/v1/reporting/a%20b", b"x=%C3%A9")) == (
            b"/api/v1/reporting/a%20b?x=%C3%A9"
        )
        assert _upstream_target(_request(b"/api/v1/reporting/a b")) == b"/api/v1/reporting/a%20b"
        long = b"/api/v1/appraisal/" + b"x" * 400
        assert _upstream_target(_request(long, b"q= 1")) == long + b"?q=%201"


def test_a_target_that_is_no_url_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(InvalidInput):
            _upstream_target(_request(b"/api/v1/appraisal/a\x01b"))
