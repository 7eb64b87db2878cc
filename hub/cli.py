"""``knutepunkt`` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import gc
import gettext
import importlib
import inspect
import sys
from functools import cache

import click


@cache
def _bokmal() -> gettext.NullTranslations:
    """The command line's words in bokmål (``hub/locale/nb/LC_MESSAGES/cli.po``), compiled once a run,
    when click first names something (its path type, as the commands' options are made): about 1 ms
    beside the pages' catalog, whose Babel a build and ``check`` load anyway."""
    from hub.i18n import translations

    return translations("nb", "cli")


def _gettext(message: str) -> str:
    return _bokmal().gettext(message)


def say(text: str) -> str:
    """A help text in bokmål: written in English in the code, as the pages' words are in the templates."""
    return _gettext(inspect.cleandoc(text))


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _bokmal().ngettext(singular, plural, n)


def _click_in_bokmal() -> None:
    """Click's own words (Usage:, Options, Error: …) from the same catalog. Click looks each up with
    gettext's ``gettext`` and ``ngettext``, bound by name in each of its modules; without a compiled
    ``.mo`` on disk for gettext to find, they are bound to the catalog's here, before any command is made."""
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            for word, ours in (("_", _gettext), ("ngettext", _ngettext)):
                if callable(getattr(module, word, None)):
                    setattr(module, word, ours)


def _in_bokmal(command: click.Command) -> click.Command:
    """The command's help, its options' and its subcommands', in bokmål (in place: once is enough, and a
    text already in bokmål is no message id, so it stays)."""
    command.help = say(command.help) if command.help else command.help
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = say(param.help)
    for sub in command.commands.values() if isinstance(command, click.Group) else ():
        _in_bokmal(sub)
    return command


_click_in_bokmal()

#: Each command's module (``hub.commands.<module>``), imported when the command runs or help lists it:
#: a nightly build does not load the preview, the importer or the scaffolding (0.05 s a run).
COMMANDS = {"build": "build", "check": "check", "cms": "cms", "import": "importer", "new": "new",
            "region": "region", "schema": "schema", "serve": "serve", "tidy": "tidy"}


_OWN_PROCESS = False  # set by run(): the process is the command's own


class _Commands(click.Group):
    """Click's lazily loading group (its documentation's "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        collecting = gc.isenabled() and _OWN_PROCESS
        if collecting:  # the collector's passes found nothing to free among the modules: 30 ms of a build
            gc.disable()
        try:
            command: click.Command = importlib.import_module(f"hub.commands.{COMMANDS[cmd_name]}").command
        finally:
            if collecting:
                gc.freeze()  # the modules last as long as the process: later passes skip them
                gc.enable()
        return _in_bokmal(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="knutepunkt")
def main() -> None:
    """Static district portals from Markdown and YAML."""


_in_bokmal(main)



def run(args: list[str] | None = None) -> None:
    """``knutepunkt`` as a process of its own (the installed command, ``python -m hub``, build.py).

    A build holds the whole portal in memory, and the interpreter's last full collection walks all of it
    on the way out only to find what exiting frees anyway: 0.2 s of an edit at 220 districts. Frozen
    (:func:`gc.freeze`), it is skipped: every exit handler still runs, and what is left the system frees
    with the process.
    Not in :func:`main`, which tests call in their own process; nor is the command's module imported
    with the collector paused and then frozen (:meth:`_Commands.get_command`).
    """
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        main(args)
    finally:
        gc.freeze()
