"""``knutepunkt check``: validate the content without building."""

from __future__ import annotations

from pathlib import Path

import click

from hub.commands import CONTENT, report
from hub.content.errors import ContentErrors


@click.command("check")
@CONTENT
@click.option("--format", "fmt", type=click.Choice(["text", "github", "gitlab", "json"]), default="text",
              show_default=True,
              help="github: workflow annotations; gitlab: Code Quality report; json: for other tools.")
def command(content: Path, fmt: str) -> None:
    """Check the content folder and report every error (file:line: field: message)."""
    from hub.content.loader import load

    try:
        portal = load(content, lazy=True)
    except ContentErrors as exc:
        report(exc, fmt)
    if fmt in ("json", "gitlab"):
        click.echo("[]")
    elif fmt == "text":
        n = sum(len(d.services) + len(d.events) + len(d.pages) + len(d.news) + len(d.plans) for d in portal.districts)
        n += len(portal.shared) + len(portal.shared_plans)
        click.echo(f"OK: {len(portal.districts)} kommunedeler, {n} filer, ingen feil.")
