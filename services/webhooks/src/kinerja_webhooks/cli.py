"""Command line of the webhooks service."""

from __future__ import annotations

from pathlib import Path

import typer

from kinerja_shared.serving import serve as serve_app
from kinerja_webhooks.settings import WebhooksSettings

app = typer.Typer(help="Kinerja webhooks service", no_args_is_help=True)

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@app.command()
def migrate() -> None:
    """Bring the database to the latest migration (alembic upgrade head)."""
    from kinerja_shared.alembic_env import upgrade_head

    upgrade_head(str(ALEMBIC_INI), WebhooksSettings().database_url)
    typer.echo("webhooks database migrated")


@app.command()
def serve() -> None:
    """Run the HTTP service (uvicorn) on the configured host and port."""
    serve_app("kinerja_webhooks.main:app", WebhooksSettings())


@app.command("secret-key")
def secret_key() -> None:
    """Print a new key for WEBHOOKS_SECRET_KEYS (list it first; keep the old one after it
    until `kinerja-webhooks` has re-signed nothing with it)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())


@app.command()
def listen(
    secret: str = typer.Option(..., help="The subscription's signing secret (whsec_...)."),
    port: int = typer.Option(9000, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
) -> None:
    """Run a tiny receiver that verifies signatures and prints each delivery."""
    import uvicorn

    from kinerja_webhooks.listener import create_listener

    def echo(line: str) -> None:
        typer.echo(line)

    typer.echo(f"listening on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(create_listener(secret, echo), host=host, port=port, log_level="warning")
