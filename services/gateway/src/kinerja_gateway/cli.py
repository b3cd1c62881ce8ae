"""Command line of the gateway service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from kinerja_gateway.secrets_hashing import hash_secret
from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.auth import Role, issue_token
from kinerja_shared.gateway_keys import new_key_pair
from kinerja_shared.serving import serve as serve_app
from kinerja_shared.token_keys import jwks_json, new_signing_key, public_keys_of

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
    ttl: Annotated[
        int | None,
        typer.Option("--ttl", help="Seconds (KINERJA_AUTH_MAX_TOKEN_LIFETIME_SECONDS at most)."),
    ] = None,
) -> None:
    """Print a development token signed with GATEWAY_TOKEN_SIGNING_KEY (development and test
    only; production tokens come from the OIDC provider or the token endpoint)."""
    settings = GatewaySettings()
    if not settings.environment.allows_development_credentials:
        _refuse(f"tokens are minted only in development and test, not in {settings.environment}")
    signer = settings.token_signer()
    if signer is None or signer.key_id not in settings.auth.key_ids():
        _refuse("KINERJA_AUTH_JWKS does not list the key of GATEWAY_TOKEN_SIGNING_KEY")
    assert signer is not None
    longest = settings.auth.max_token_lifetime_seconds
    if ttl is not None and ttl > longest:
        _refuse(f"--ttl {ttl}: at most {longest} s (KINERJA_AUTH_MAX_TOKEN_LIFETIME_SECONDS)")
    typer.echo(
        issue_token(
            settings.auth,
            subject=subject,
            roles=[r.value for r in role],
            scopes=(scope or "").split(),
            employee_id=employee_id,
            unit_code=unit,
            ttl_seconds=longest if ttl is None else ttl,
            signer=signer,
        )
    )


def _refuse(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


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


@app.command("token-keys")
def token_keys(
    env: Annotated[
        bool, typer.Option("--env", help="As two environment-file lines (newlines as \\n).")
    ] = False,
) -> None:
    """Print a new Ed25519 key for tokens: the private key (PEM) for GATEWAY_TOKEN_SIGNING_KEY,
    then the JWKS of its public key for KINERJA_AUTH_JWKS (of every service and the gateway)."""
    private, public_jwks = new_signing_key()
    if env:
        escaped = private.strip().replace("\n", "\\n")
        one_line = json.dumps(json.loads(public_jwks), separators=(",", ":"))
        typer.echo(f"GATEWAY_TOKEN_SIGNING_KEY={escaped}")
        typer.echo(f"KINERJA_AUTH_JWKS={one_line}")
        return
    typer.echo(private, nl=False)
    typer.echo(public_jwks)


@app.command()
def jwks(
    keys: Annotated[
        list[Path], typer.Argument(help="PEM files: private or public keys, one or more.")
    ],
) -> None:
    """Print the JWKS of the public keys in PEM files, for KINERJA_AUTH_JWKS: while rotating,
    of the current key and the next one."""
    try:
        found = [k for path in keys for k in public_keys_of(path.read_text())]
    except (OSError, ValueError) as exc:
        _refuse(str(exc))
    typer.echo(jwks_json(found))
