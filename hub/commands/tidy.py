"""``knutepunkt tidy``: delete now what builds replaced, before CI archives the cache folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("tidy")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder whose cache (.knutepunkt-cache beside it) to tidy.")
def command(out: Path) -> None:
    """Delete what earlier builds replaced (.knutepunkt-cache/trash), now and not in the background,
    and what interrupted builds left beside the output: run it before a CI cache saves the output
    and .knutepunkt-cache, so the archive holds neither, and no file is deleted while it is read.

    Exit code 1 when something could not be deleted: the folder should not be archived then."""
    from babel.numbers import format_decimal

    from hub.pipeline.incremental import Cache
    from hub.publish import TRASH, empty_trash, tidy

    root = Cache(out.resolve()).root  # where the build keeps it
    try:
        files, left = empty_trash(root / TRASH)
        tidy(out, root)  # its staging folders and replaced outputs go at once, not through the trash
    except OSError as exc:
        click.echo(f"knutepunkt tidy: {exc}; arkiver ikke {root} slik den er nå.", err=True)
        sys.exit(1)
    click.echo(f"Slettet {format_decimal(files, locale='nb')} filer som tidligere bygg hadde erstattet"
               f" ({root / TRASH})." if files else f"Ingenting å slette i {root / TRASH}.")
    if left:
        click.echo(f"knutepunkt tidy: {left} ting i {root / TRASH} ble ikke borte innen to minutter "
                   "(bygger en annen kjøring nå?); arkiver ikke mappen før den er tom.", err=True)
        sys.exit(1)
