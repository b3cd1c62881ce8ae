"""Command line of the feedback service."""

import typer

app = typer.Typer(help="Kinerja feedback service", no_args_is_help=True)
