"""Command line of the gateway service."""

import typer

app = typer.Typer(help="Kinerja gateway service", no_args_is_help=True)
