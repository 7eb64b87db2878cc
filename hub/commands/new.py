"""``knutepunkt new district|service|event|plan``: a valid, commented starting file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from hub.commands import CONTENT
from hub.content import scaffold


def _refuse(path: Path) -> None:
    click.echo(f"{path}: finnes allerede; ingenting ble skrevet", err=True)
    sys.exit(1)


def _district_dir(content: Path, district: str) -> Path:
    folder = content / "districts" / district
    if not (folder / "district.yaml").is_file():
        click.echo(f"{folder}: ukjent kommunedel (fant ikke district.yaml)", err=True)
        sys.exit(1)
    return folder


def _write_doc(content: Path, district: str, folder: str, name: str, text: str) -> None:
    path = _district_dir(content, district) / folder / f"{scaffold.slugify(name)}.md"
    try:
        scaffold.write_new(path, text)
    except FileExistsError:
        _refuse(path)
    click.echo(path)


@click.group("new")
def command() -> None:
    """Create a new district, service, event or plan from a commented template."""


@command.command("district")
@CONTENT
@click.argument("name")
def district(content: Path, name: str) -> None:
    """A new district folder with district.yaml and index.md."""
    folder = content / "districts" / scaffold.slugify(name)
    if folder.exists():
        _refuse(folder)
    for rel, text in scaffold.district(name).items():
        scaffold.write_new(folder / rel, text)
    click.echo(folder / "district.yaml")


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
