"""``knutepunkt build``: content → static portal, published atomically."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from hub.commands import CONTENT, PUBLISHED_NOTHING, refuse, report
from hub.content.errors import ContentErrors
from hub.pipeline import incremental
from hub.publish import OutputRefused, tidy

PHASES = {"load": "Leser innhold", "freeze": "Lager sider", "index": "Lager søk"}


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress display on stderr, or nothing."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield report


@click.command("build")
@CONTENT
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder (replaced only when the build succeeds).")
@click.option("--theme", default="default", show_default=True, help="Theme name or folder.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@click.option("--district", default=None, help="Build only this district, as a site of its own (for its own host).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress (default: on a terminal, never in CI).")
@click.option("--timings", is_flag=True, help="Print the seconds spent loading, freezing and indexing (JSON).")
@click.option("--full", is_flag=True, help="Rebuild everything, even what an earlier build could lend.")
@click.option("--admin", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Publish this folder (made by 'knutepunkt cms') at /admin/.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes that freeze districts in parallel (default: one per CPU core).")
def command(content: Path, out: Path, theme: str, no_search: bool, district: str | None, jobs: int | None,
            progress: bool | None, timings: bool, full: bool, admin: Path | None) -> None:
    """Build the portal: one folder per district plus the one-door-in index."""
    started = time.perf_counter()
    if district is not None and click.get_current_context().get_parameter_source("out") is ParameterSource.DEFAULT:
        refuse("build", ValueError(f"--district lager et eget nettsted for én kommunedel: oppgi hvor med --out "
                                   f"(f.eks. --out build-{district}), så portalen i {out}/ ikke erstattes"))
    now = incremental.inputs_for(content, theme, search=not no_search, district=district, admin=admin)
    if not full and incremental.unchanged(out, now, standalone=district is not None):  # before loading Flask
        tidy(out, incremental.Cache(out.resolve()).root)
        took = time.perf_counter() - started
        click.echo(f"Ingen endringer siden forrige bygg; {out.resolve()} er uendret ({took:.2f} s).")
        return
    from hub.pipeline.steps import build

    if progress is None:
        progress = sys.stderr.isatty() and not os.environ.get("CI")
    try:
        with _progress(progress) as tick:
            result = build(content, out, theme, search=not no_search, district=district,
                           jobs=jobs or os.cpu_count() or 1, progress=tick, reuse=not full, inputs=now, admin=admin)
    except ContentErrors as exc:
        report(exc, outcome=PUBLISHED_NOTHING)
    except OutputRefused as exc:
        refuse("build", exc)
    took = time.perf_counter() - started
    if timings:
        click.echo(json.dumps({k: round(v, 3) for k, v in result.seconds.items()}), err=True)
    click.echo(f"Bygget {result.pages} filer til {result.out} på {took:.1f} s"
               + (f" ({result.searchable} sider i søket)." if result.searchable else "."))
    if result.rebuilt is not None:
        changed = ", ".join(sorted(result.rebuilt)) or "ingen"
        click.echo(f"Bare endringene ble bygget på nytt (kommunedeler: {changed}; forsidene); resten er gjenbrukt.")
