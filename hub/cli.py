"""``knutepunkt`` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import click

from hub.commands import build, check, cms, importer, new, region, schema, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="knutepunkt")
def main() -> None:
    """Static district portals from Markdown and YAML."""


main.add_command(build.command)
main.add_command(check.command)
main.add_command(cms.command)
main.add_command(importer.command)
main.add_command(new.command)
main.add_command(region.command)
main.add_command(schema.command)
main.add_command(serve.command)
