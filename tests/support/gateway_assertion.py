"""Calling a service directly in a test as the gateway does: every request carries a gateway
assertion signed with the development key (which services accept outside production)."""

from __future__ import annotations

from kinerja_shared.gateway_assertion import AssertionSigner, GatewayAssertionAuth
from kinerja_shared.settings import DEV_GATEWAY_PRIVATE_KEY

#: The caller's address the assertions name unless a test chooses one (TEST-NET-3).
TEST_CLIENT_ADDRESS = "203.0.113.7"
DEV_SIGNER = AssertionSigner(DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=30)


class AsGateway(GatewayAssertionAuth):
    """httpx auth for a client of `service`: each request signed as the development gateway
    would sign it, naming `client_address` as the caller (`client.post(..., auth=AsGateway(
    "feedback", client_address="198.51.100.9"))` for one request from another address)."""

    def __init__(self, service: str, *, client_address: str | None = TEST_CLIENT_ADDRESS) -> None:
        super().__init__(DEV_SIGNER, service=service, client_address=client_address)
