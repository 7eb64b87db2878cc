"""``knutepunkt import adresser FILE.csv``: each district's streets from Kartverket's address data."""

from __future__ import annotations

from pathlib import Path

import click

from hub.commands import CONTENT, WROTE_NOTHING, report


@click.group("import")
def command() -> None:
    """Fill content from open data."""


@command.command("adresser")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@CONTENT
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Grunnkrets → district (default: CONTENT/grunnkretser.yaml).")
def adresser(csv_file: Path, content: Path, mapping: Path | None) -> None:
    """Write districts/<district>/streets.yaml from Matrikkelen – Adresse (CSV, one municipality).

    Nothing is written unless the whole file and the mapping are free of errors.
    """
    from hub.atomic import write_atomic
    from hub.content.errors import ContentErrors, ErrorLog
    from hub.content.matrikkel import read_addresses, read_mapping, render
    from hub.pipeline.incremental import district_folders

    log = ErrorLog(content)
    base = content / "districts"
    districts = {p.name for p in district_folders(content)}  # never through a link to elsewhere
    if not districts:
        log.add(base, 0, "", "fant ingen kommunedeler å fordele gatene på")
    circuits = read_mapping(mapping or content / "grunnkretser.yaml", districts, log)
    found = read_addresses(csv_file, circuits, log) if not log else None
    if log or found is None:
        report(ContentErrors(log.sorted()), outcome=WROTE_NOTHING)
        return
    for district in sorted(districts):
        entries = found.by_district.get(district, [])
        write_atomic(base / district / "streets.yaml", render(entries, csv_file.name).encode("utf-8"))
        click.echo(f"{district}: {len(entries)} {'gate eller gatedel' if len(entries) == 1 else 'gater og gatedeler'}")
    if found.unmapped:
        listed = ", ".join(f"{k} ({v})" for k, v in found.unmapped.items())
        click.echo(f"advarsel: {sum(found.unmapped.values())} adresser i grunnkretser uten kommunedel: {listed}. "
                   "Før dem opp i grunnkretser.yaml.", err=True)
    click.echo(f"Leste {found.addresses} adresser. Kjør `knutepunkt check` og se over endringene før du publiserer.")
