"""``knutepunkt schema``: JSON Schema for editor autocompletion and validation."""

from __future__ import annotations

from pathlib import Path

import click

from hub.commands import CONTENT


@click.command("schema")
@CONTENT
@click.option("--out", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True)
def command(content: Path, out: Path) -> None:
    """Write JSON Schema for every content file type (with the content's categories and services)."""
    from hub.content import schema

    for path in schema.write(out, content):
        click.echo(path)
