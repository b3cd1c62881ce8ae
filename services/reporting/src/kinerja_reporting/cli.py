"""Command line of the reporting service."""

import typer

app = typer.Typer(help="Kinerja reporting service", no_args_is_help=True)
