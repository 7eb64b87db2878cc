"""``knutepunkt region build REGION.yaml --out DIR``: the region's one door in, from what members publish."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click


@click.group("region")
def command() -> None:
    """A region of municipalities, each publishing its own portal."""


@command.command("build")
@click.argument("region_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path), default=Path("build-region"), show_default=True)
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="Last good copy of each member (default: .knutepunkt-cache/region beside the output).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Seconds per member: connecting, headers and body of every try together.")
def build(region_file: Path, out: Path, cache: Path | None, timeout: float) -> None:
    """Fetch every member's manifest and build the region portal (exit 1 if a member was never fetched)."""
    from hub.commands import PUBLISHED_NOTHING, refuse
    from hub.content.errors import ContentErrors
    from hub.publish import OutputRefused
    from hub.region.build import RegionError, build_region

    try:
        result = build_region(region_file, out, cache or out.resolve().parent / ".knutepunkt-cache" / "region",
                              timeout=timeout, now=_now())
    except ContentErrors as exc:
        click.echo(exc.render("text", outcome=PUBLISHED_NOTHING), err=True)
        sys.exit(1)
    except RegionError as exc:
        for message in exc.messages:
            click.echo(f"knutepunkt region: {message}", err=True)
        sys.exit(1)
    except OutputRefused as exc:
        refuse("region build", exc)
    for warning in result.warnings:
        click.echo(f"advarsel: {warning}", err=True)
    click.echo(f"Bygget regionen til {out} ({result.pages} filer, {len(result.members)} medlemmer).")


def _now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
