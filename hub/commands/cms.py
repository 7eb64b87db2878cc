"""``knutepunkt cms``: write ``admin/`` — Decap CMS configured from the content models."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hub.commands import CONTENT, WROTE_NOTHING, refuse, report


@click.command("cms")
@CONTENT
@click.option("--out", type=click.Path(path_type=Path), default=Path("admin"), show_default=True,
              help="Folder for the admin page (give it to build and serve with --admin).")
@click.option("--backend", type=click.Choice(["github", "gitlab", "local"]), default="github", show_default=True,
              help="Where Decap saves: the repository host (with merge requests), or a local folder only.")
@click.option("--repo", default=None, help="owner/name of the repository (github, gitlab).")
@click.option("--branch", default="main", show_default=True)
@click.option("--local-port", type=int, default=None,
              help="Also allow editing through decap-server on this port (local_backend).")
def command(content: Path, out: Path, backend: str, repo: str | None, branch: str, local_port: int | None) -> None:
    """Write the Decap CMS admin page for this content folder (npm fetches Decap once)."""
    from hub.content.errors import ContentErrors
    from hub.content.loader import load
    from hub.editor.admin import MARKER, AdminError, write
    from hub.publish import OutputRefused, check_output

    if backend in ("github", "gitlab") and not repo:
        raise click.UsageError("--repo owner/name is needed for the github and gitlab backends")
    try:  # it writes its files over what the folder holds: only into a folder of its own
        check_output(out, {"innholdsmappen": content}, marker=MARKER)
    except OutputRefused as exc:
        refuse("cms", exc)
    try:
        portal = load(content, lazy=True)
    except ContentErrors as exc:
        report(exc, outcome=WROTE_NOTHING)
    settings = {"name": "git-gateway"} if backend == "local" else {"name": backend, "repo": repo, "branch": branch}
    if backend == "local" and local_port is None:
        local_port = 8081
    root = _repo_root(content)
    try:
        written = write(out, content, root, settings, portal.site.name, local_port, root / ".knutepunkt-cache")
    except AdminError as exc:
        click.echo(f"knutepunkt cms: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Skrev {len(written)} filer til {out}/ (Decap CMS, konfigurert fra innholdsmodellene)", err=True)


def _repo_root(content: Path) -> Path:
    """The repository the content lives in (paths in Decap's configuration are relative to it)."""
    for folder in [content.resolve(), *content.resolve().parents]:
        if (folder / ".git").exists():
            return folder
    return content.resolve().parent
