"""The theme as the app serves it: the content folder's own files before the default theme's.

Templates are looked up in the content's ``theme/templates/`` first, then in the installed theme
(Jinja's ``FileSystemLoader`` with two search paths, as MkDocs' ``custom_dir``); an override may
extend the template it replaces as ``default/<name>`` and change only a block. Static files are
laid over the same way. ``primary_color`` in ``site.yaml`` becomes a small stylesheet of its own.
"""

from __future__ import annotations

import contextlib

import jinja2
from flask import Response, current_app, send_from_directory
from werkzeug.exceptions import NotFound

from hub.theme import BASE_PREFIX, Theme

#: How much darker than the primary colour a link is under the pointer (the default theme's
#: ``--brand-dark`` is its ``--brand`` at this share of black).
HOVER_DARKER = 0.27


def theme_loader(look: Theme) -> jinja2.BaseLoader:
    """The content folder's own templates before the default theme's, file by file; an override
    reaches the template it replaces as ``default/<name>`` (to extend it and change a block)."""
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(look.templates()),
                                jinja2.PrefixLoader({BASE_PREFIX: jinja2.FileSystemLoader(look.base / "templates")})])


def send_theme_file(filename: str) -> Response:
    """A static file of the theme: the content folder's own if it has one, else the default theme's."""
    look: Theme = current_app.config["THEME"]
    for layer in look.layers:
        with contextlib.suppress(NotFound):
            return send_from_directory(layer / "static", filename)
    raise NotFound()


def colour_css(primary: str) -> str:
    """The stylesheet that gives the theme the municipality's primary colour (and its hover shade)."""
    from coloraide import Color  # half a second to import: only for a site that sets a colour

    dark = Color(primary).mix("black", HOVER_DARKER, space="srgb").convert("srgb").to_string(hex=True)
    return f":root{{--brand:{primary};--brand-dark:{dark}}}\n"
