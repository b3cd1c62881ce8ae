"""Where deliveries may go: no SSRF in production (docs/domain.md, Webhooks)."""

from __future__ import annotations

import ipaddress

import pytest

from kinerja_webhooks.domain.targets import address_refusal, first_refusal, url_refusal

PUBLIC = "93.184.216.34"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "not a globally reachable"),
    ],
)
def test_production_refuses_addresses_that_are_not_public(address: str, kind: str) -> None:
    refusal = address_refusal(address, production=True)
    assert refusal is not None
    assert kind in refusal


def test_production_allows_a_public_address() -> None:
    assert address_refusal(PUBLIC, production=True) is None


def test_the_allow_list_lets_the_citys_own_network_through() -> None:
    city = [ipaddress.ip_network("10.20.0.0/16")]
    assert address_refusal("10.20.3.4", production=True, allowed=city) is None
    assert address_refusal("10.21.3.4", production=True, allowed=city) is not None


def test_outside_production_any_address_may_be_tried() -> None:
    assert address_refusal("127.0.0.1", production=False) is None


def test_one_refused_address_refuses_the_host() -> None:
    assert first_refusal([PUBLIC, "10.0.0.1"], production=True) == "10.0.0.1 is a private address"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/hook", "https"),
        ("ftp://example.org/hook", "http(s)"),
        ("https:///hook", "no host"),
        ("https://user:pw@example.org/", "credentials"),
        ("https://example.org:99999/", "not a URL"),
    ],
)
def test_production_refuses_urls_by_their_form(url: str, reason: str) -> None:
    refusal = url_refusal(url, production=True)
    assert refusal is not None
    assert reason in refusal


def test_development_allows_plain_http_to_this_machine() -> None:
    assert url_refusal("http://127.0.0.1:9000/", production=False) is None
