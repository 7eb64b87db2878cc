"""Where themes live. A module of its own, so a build that finds nothing changed loads no Flask."""

from __future__ import annotations

from pathlib import Path

THEMES = Path(__file__).resolve().parent.parent / "themes"


def find_theme(theme: str | Path) -> Path:
    """A theme given as a folder, or by name under ``themes/``."""
    return Path(theme) if Path(theme).is_dir() else THEMES / str(theme)
