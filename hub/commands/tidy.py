"""``knutepunkt tidy``: delete now what builds replaced, before CI archives the cache folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("tidy")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder whose cache (.knutepunkt-cache beside it) to tidy.")
def command(out: Path) -> None:
    """Delete what earlier builds replaced (.knutepunkt-cache/trash), now and not in the background,
    and what interrupted builds left beside the output: run it before a CI cache saves the output
    and .knutepunkt-cache, so the archive holds neither, and no file is deleted while it is read."""
    from babel.numbers import format_decimal

    from hub.publish import TRASH, empty_trash, tidy

    root = out.resolve().parent / ".knutepunkt-cache"
    files, left = empty_trash(root / TRASH)
    tidy(out, root)  # its staging folders and replaced outputs go at once, not through the trash
    click.echo(f"Slettet {format_decimal(files, locale='nb')} filer som tidligere bygg hadde erstattet"
               f" ({root / TRASH})." if files else f"Ingenting å slette i {root / TRASH}.")
    if left:
        click.echo(f"knutepunkt tidy: {left} ting i {root / TRASH} ble ikke borte innen to minutter "
                   "(bygger en annen kjøring nå?); arkiver ikke mappen før den er tom.", err=True)
