"""Command line of the gateway service."""

from __future__ import annotations

from typing import Annotated

import typer

from kinerja_gateway.secrets_hashing import hash_secret
from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.auth import Role, issue_token
from kinerja_shared.gateway_keys import new_key_pair
from kinerja_shared.serving import serve as serve_app

app = typer.Typer(help="Kinerja gateway service", no_args_is_help=True)


@app.command()
def serve() -> None:
    """Run the gateway (GATEWAY_HOST, GATEWAY_PORT)."""
    # Without uvicorn's proxy headers: the gateway reads X-Forwarded-For itself
    # (GATEWAY_TRUSTED_PROXIES).
    serve_app("kinerja_gateway.main:app", GatewaySettings())


@app.command()
def token(
    role: Annotated[list[Role], typer.Option("--role", help="Repeat for several roles.")],
    subject: Annotated[str, typer.Option("--subject")],
    employee_id: Annotated[str | None, typer.Option("--employee-id")] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Space-separated scopes.")] = None,
    ttl: Annotated[int, typer.Option("--ttl", help="Lifetime in seconds.")] = 8 * 3600,
) -> None:
    """Print a development token signed with the local key (refused in production)."""
    settings = GatewaySettings()
    if settings.environment == "production" or settings.auth.jwks_url:
        typer.echo("tokens are minted only in development (no JWKS, not production)", err=True)
        raise typer.Exit(code=2)
    typer.echo(
        issue_token(
            settings.auth,
            subject=subject,
            roles=[r.value for r in role],
            scopes=(scope or "").split(),
            employee_id=employee_id,
            unit_code=unit,
            ttl_seconds=ttl,
        )
    )


@app.command("hash-secret")
def hash_secret_command(
    secret: Annotated[str, typer.Option(prompt=True, hide_input=True)],
) -> None:
    """Print the hash of an OAuth2 client secret for GATEWAY_OAUTH_CLIENTS."""
    typer.echo(hash_secret(secret))


@app.command("assertion-keys")
def assertion_keys(
    env: Annotated[
        bool, typer.Option("--env", help="As two environment-file lines (newlines as \\n).")
    ] = False,
) -> None:
    """Print a new Ed25519 key pair for gateway assertions: the private key (PEM) for
    GATEWAY_ASSERTION_PRIVATE_KEY, then the public key to add to
    KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS (of every service and of the gateway)."""
    private, public = new_key_pair()
    if env:
        for name, pem in (
            ("GATEWAY_ASSERTION_PRIVATE_KEY", private),
            ("KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS", public),
        ):
            escaped = pem.strip().replace("\n", "\\n")
            typer.echo(f"{name}={escaped}")
        return
    typer.echo(private, nl=False)
    typer.echo(public, nl=False)
