"""``knutepunkt new site|district|service|event|plan``: a valid, commented start, never overwriting."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from hub.commands import CONTENT
from hub.content import scaffold
from hub.content.names import slugify


def _refuse(path: Path) -> None:
    click.echo(f"{path}: finnes allerede; ingenting ble skrevet", err=True)
    sys.exit(1)


def _slug(name: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """The file or folder name NAME gives, or exit 2: a name of no letters would write ``.md``."""
    slug = slugify(name)
    if not slug:
        click.echo(f"{name!r}: navnet må ha minst én bokstav eller ett tall. Ingenting ble skrevet", err=True)
        sys.exit(2)
    if slug in reserved:
        click.echo(f"{name!r}: {slug!r} er reservert i portalens adresser; velg et annet navn. Ingenting ble skrevet",
                   err=True)
        sys.exit(2)
    return slug


def _district_dir(content: Path, district: str) -> Path:
    folder = content / "districts" / district
    if not (folder / "district.yaml").is_file():
        from hub.content.errors import unknown_district
        from hub.content.loader import MISSING_CONTENT
        from hub.pipeline.incremental import district_folders

        if not content.is_dir():
            click.echo(f"{content}: {MISSING_CONTENT}", err=True)
        else:
            known = [p.name for p in district_folders(content) if (p / "district.yaml").is_file()]
            click.echo(f"{folder}: {unknown_district(district, known)}", err=True)
        sys.exit(1)
    return folder


def _write_doc(content: Path, district: str, folder: str, name: str, text: str) -> None:
    path = _district_dir(content, district) / folder / f"{_slug(name)}.md"
    try:
        scaffold.write_new(path, text)
    except FileExistsError:
        _refuse(path)
    click.echo(path)


@click.group("new")
def command() -> None:
    """Create a new content repository, district, service, event or plan from a commented template."""


@command.command("site")
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder to write (default: the name as a folder name, e.g. nordvik-kommune).")
@click.option("--ci", type=click.Choice(sorted(scaffold.CI_FILES)), default=None,
              help="Also write the CI pipeline that checks and publishes the portal.")
def site(name: str, folder: Path | None, ci: str | None) -> None:
    """A new content repository for the municipality NAME ("Nordvik kommune"): builds at once."""
    from importlib.resources import files

    from hub.content import schema

    folder = folder if folder is not None else Path(slugify(name) or "portal")
    todo = {folder / rel: text for rel, text in scaffold.site(name).items()}
    if ci is not None:
        todo[folder / scaffold.CI_FILES[ci]] = (files("hub.ci") / scaffold.CI_TEMPLATES[ci]).read_text("utf-8")
    there = [p for p in [*todo, folder / "schemas"] if p.exists() or p.is_symlink()]
    if there:  # all or nothing: a half-written repository would not build
        for path in there:
            click.echo(f"{path}: finnes allerede", err=True)
        click.echo("Ingenting ble skrevet.", err=True)
        sys.exit(1)
    for path, text in todo.items():
        scaffold.write_new(path, text)
    schema.write(folder / "schemas", folder / "content")
    click.echo(f"{folder}/ er klar: {len(todo)} filer og schemas/ for editoren.")
    click.echo(f"Neste steg: cd {folder} && knutepunkt check && knutepunkt build")


@command.command("district")
@CONTENT
@click.argument("name")
def district(content: Path, name: str) -> None:
    """A new district folder with district.yaml and index.md."""
    from hub.content.loader import DISTRICT_RESERVED

    folder = content / "districts" / _slug(name, reserved=DISTRICT_RESERVED)
    if folder.exists():
        _refuse(folder)
    for rel, text in scaffold.district(name).items():
        scaffold.write_new(folder / rel, text)
        click.echo(folder / rel)


@command.command("service")
@CONTENT
@click.argument("district")
@click.argument("name")
def service(content: Path, district: str, name: str) -> None:
    """A new service in DISTRICT."""
    try:
        site = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
        category = site["categories"][0]["slug"]
    except (OSError, KeyError, IndexError, TypeError, yaml.YAMLError):
        category = "helse"
    _write_doc(content, district, "services", name, scaffold.service(name, category))


@command.command("event")
@CONTENT
@click.argument("district")
@click.argument("name")
def event(content: Path, district: str, name: str) -> None:
    """A new weekly session (or event) in DISTRICT's Open House programme."""
    _write_doc(content, district, "programme", name, scaffold.event(name))


@command.command("plan")
@CONTENT
@click.argument("district")
@click.argument("name")
def plan(content: Path, district: str, name: str) -> None:
    """A new plan (zoning plan, hearing) in DISTRICT."""
    _write_doc(content, district, "planer", name, scaffold.plan(name))
