"""``knutepunkt check``: validate the content without building."""

from __future__ import annotations

import os
from pathlib import Path

import click

from hub.commands import CONTENT, report
from hub.content.errors import ContentErrors


@click.command("check")
@CONTENT
@click.option("--format", "fmt", type=click.Choice(["text", "github", "gitlab", "json"]), default="text",
              show_default=True,
              help="github: workflow annotations; gitlab: Code Quality report; json: for other tools.")
@click.option("--strict", is_flag=True,
              help="Placeholders from 'knutepunkt new' still to fill count as errors (before going live).")
def command(content: Path, fmt: str, strict: bool) -> None:
    """Check the content folder and report every error (file:line: field: message).

    Placeholders that 'knutepunkt new' wrote and nobody has filled in yet are named as warnings:
    the portal builds with them, so a new site can be tried at once. So are translations older than
    their source, plain-language advice (LIX, long sentences, link texts, headings, images) and an
    icon the content's theme replaces only in one of its two formats: these never fail, not even
    with --strict.
    """
    from hub.content.branding import icon_advice
    from hub.content.freshness import stale_translations
    from hub.content.loader import load
    from hub.content.readability import portal_advice
    from hub.content.scaffold import unfilled

    try:
        portal = load(content, lazy=True)
    except ContentErrors as exc:
        report(exc, fmt)
    todo = unfilled(portal)
    if strict and todo:
        report(ContentErrors(todo), fmt)
    stale, advice, look = stale_translations(portal), portal_advice(portal), icon_advice(content)
    warnings = sorted(todo + stale) + look + advice
    if fmt != "text":
        click.echo(ContentErrors([]).render(fmt, warnings))
        return
    if warnings:
        click.echo(ContentErrors([]).render(fmt, warnings))
    n = _files_read(content, portal.site.logo.file if portal.site.logo else None)
    left = [_count(len(todo), "plassholder", "plassholdere") + " er ikke fylt inn"] if todo else []
    left += [_count(len(stale), "oversettelse", "oversettelser") + " er eldre enn originalen"] if stale else []
    left += [f"{len(advice)} råd om klarspråk"] if advice else []
    left += ["ett ikon er bare delvis byttet"] if look else []
    rest = f"; {', '.join(left)} (se over)" if left else ""
    click.echo(f"OK: {_count(len(portal.districts), 'kommunedel', 'kommunedeler')}, {_count(n, 'fil', 'filer')}, "
               f"ingen feil{rest}.")


#: The content folder's files and folders that :func:`hub.content.loader.load` reads (``theme/``: the
#: site's own look, checked with it); anything else there (grunnkretser.yaml for 'import', a README)
#: is not the portal's. The logo may lie anywhere in the folder: it is counted where it is.
READ = ("site.yaml", "capacity.yaml", "districts.geojson", "districts", "services", "planer", "media", "theme")


def _files_read(content: Path, logo: str | None) -> int:
    """The files a passing check has read: every one in the folders it reads (it refuses any it does not
    know there), hidden ones left out as the loader leaves them, the known files at the top, the logo."""
    n = 0
    for name in READ:
        path = content / name
        if path.is_file():
            n += 1
        for _, folders, files in os.walk(path):
            folders[:] = [f for f in folders if not f.startswith(".")]
            n += sum(not f.startswith(".") for f in files)
    if logo is not None and Path(logo).parts[0] not in READ:
        n += 1
    return n


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
