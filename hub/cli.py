"""``knutepunkt`` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import importlib

import click

#: Each command's module (``hub.commands.<module>``), imported when the command runs or help lists it:
#: a nightly build does not load the preview, the importer or the scaffolding (0.05 s a run).
COMMANDS = {"build": "build", "check": "check", "cms": "cms", "import": "importer", "new": "new",
            "region": "region", "schema": "schema", "serve": "serve"}


class _Commands(click.Group):
    """Click's lazily loading group (its documentation's "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command: click.Command = importlib.import_module(f"hub.commands.{COMMANDS[cmd_name]}").command
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="knutepunkt")
def main() -> None:
    """Static district portals from Markdown and YAML."""
