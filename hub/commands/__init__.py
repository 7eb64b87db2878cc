"""One module per CLI verb, as in MkDocs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from hub.content.errors import ContentErrors

CONTENT = click.option("--content", "content", type=click.Path(path_type=Path), default=Path("content"),
                       show_default=True, help="Content folder.")


PUBLISHED_NOTHING = "Ingenting ble publisert."
WROTE_NOTHING = "Ingenting ble skrevet."


def report(exc: ContentErrors, fmt: str = "text", outcome: str = "") -> None:
    """Print every content error and exit 1: never a traceback for bad content."""
    click.echo(exc.render(fmt, outcome=outcome), err=fmt == "text")
    sys.exit(1)


def refuse(command: str, exc: Exception) -> NoReturn:
    """Print why the command will not write where it was asked to, and exit 2 (a usage error)."""
    click.echo(f"knutepunkt {command}: {exc}", err=True)
    sys.exit(2)
