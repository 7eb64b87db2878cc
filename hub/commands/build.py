"""``knutepunkt build``: content → static portal, published atomically."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from ..build import build
from ..errors import ContentErrors
from . import CONTENT, report


@click.command("build")
@CONTENT
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder (replaced only when the build succeeds).")
@click.option("--theme", default="default", show_default=True, help="Theme name or folder.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@click.option("--district", default=None, help="Build only this district, as a site of its own (for its own host).")
@click.option("--timings", is_flag=True, help="Print the seconds spent loading, freezing and indexing (JSON).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes that freeze districts in parallel (default: one per CPU core).")
def command(content: Path, out: Path, theme: str, no_search: bool, district: str | None, jobs: int | None,
            timings: bool) -> None:
    """Build the portal: one folder per district plus the one-door-in index."""
    started = time.perf_counter()
    try:
        result = build(content, out, theme, search=not no_search, district=district, jobs=jobs or os.cpu_count() or 1)
    except ContentErrors as exc:
        report(exc)
    took = time.perf_counter() - started
    if result.unchanged:
        click.echo(f"Ingen endringer siden forrige bygg; {result.out} er uendret ({took:.2f} s).")
        return
    if timings:
        click.echo(json.dumps({k: round(v, 3) for k, v in result.seconds.items()}), err=True)
    indexed = sum(result.indexed.values())
    click.echo(f"Bygget {result.pages} filer til {result.out} på {took:.1f} s"
               + (f" ({indexed} sider i søket)." if result.indexed else "."))
