"""Command line of the appraisal service."""

import typer

app = typer.Typer(help="Kinerja appraisal service", no_args_is_help=True)
