"""``knutepunkt`` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import importlib
import inspect
import sys

import click

from hub.i18n import translations

#: The command line's words in bokmål (``hub/locale/nb/LC_MESSAGES/cli.po``).
_BOKMAL = translations("nb", "cli")


def say(text: str) -> str:
    """A help text in bokmål: written in English in the code, as the pages' words are in the templates."""
    return _BOKMAL.gettext(inspect.cleandoc(text))


def _click_in_bokmal() -> None:
    """Click's own words (Usage:, Options, Error: …) from the same catalog. Click looks each up with
    gettext's ``gettext`` and ``ngettext``, bound by name in each of its modules; without a compiled
    ``.mo`` on disk for gettext to find, they are bound to the catalog's here, before any command is
    made (``version_option`` reads its words when it decorates)."""
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            for word, ours in (("_", _BOKMAL.gettext), ("ngettext", _BOKMAL.ngettext)):
                if callable(getattr(module, word, None)):
                    setattr(module, word, ours)


def _in_bokmal(command: click.Command) -> click.Command:
    """The command's help, its options' and its subcommands', in bokmål (in place: once is enough, and a
    text already in bokmål is no message id, so it stays)."""
    command.help = say(command.help) if command.help else command.help
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = say(param.help)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _in_bokmal(sub)
    return command


_click_in_bokmal()

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
        return _in_bokmal(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="knutepunkt")
def main() -> None:
    """Static district portals from Markdown and YAML."""


_in_bokmal(main)
