"""Where themes live. A module of its own, so a build that finds nothing changed loads no Flask.

The themes that ship with the tool are the package ``hub.themes`` (``themes/`` in the repository,
see setup.py), found through :mod:`importlib.resources`, so an installed tool finds them wherever
it is installed.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped_themes() -> Path:
    """The folder of the themes installed with the tool."""
    found = files("hub.themes")
    if not isinstance(found, Path):  # a zipped install: Flask and Jinja read templates from folders
        raise RuntimeError("knutepunkt must be installed unpacked (pip install, pipx install), not run from a zip")
    return found


def find_theme(theme: str | Path) -> Path:
    """A theme given as a folder, or by name among the installed themes."""
    return Path(theme) if Path(theme).is_dir() else shipped_themes() / str(theme)
