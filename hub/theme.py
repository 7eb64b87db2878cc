"""Where themes live, and how a municipality's own theme is laid over the default one.

A module of its own, so a build that finds nothing changed loads no Flask.

The themes that ship with the tool are the package ``hub.themes`` (``themes/`` in the repository,
see setup.py), found through :mod:`importlib.resources`, so an installed tool finds them wherever
it is installed. A content folder may hold a ``theme/`` folder of its own: each of its files
replaces the file of the same name in the default theme (as MkDocs' ``custom_dir`` does), and
everything else still comes from the installed theme, so an upgrade of the tool reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.content.errors import ContentError

#: The folder in a content folder whose files override the default theme's, file by file.
OWN = "theme"
#: What a theme folder holds.
PARTS = ("templates", "static", "fonts")
#: The prefix under which an override template reaches the default theme's template it replaces
#: (``{% extends "default/base.html" %}``), to change a block or two instead of copying the file.
BASE_PREFIX = "default"


def shipped_themes() -> Path:
    """The folder of the themes installed with the tool."""
    found = files("hub.themes")
    if not isinstance(found, Path):  # a zipped install: Flask and Jinja read templates from folders
        raise RuntimeError("knutepunkt must be installed unpacked (pip install, pipx install), not run from a zip")
    return found


def find_theme(theme: str | Path) -> Path:
    """A theme given as a folder, or by name among the installed themes."""
    return Path(theme) if Path(theme).is_dir() else shipped_themes() / str(theme)


@dataclass(frozen=True)
class Theme:
    """A base theme with the content folder's ``theme/`` (if there is one) laid over it."""

    base: Path
    own: Path | None = None

    @classmethod
    def of(cls, theme: str | Path = "default", content: Path | None = None) -> Theme:
        # Absolute: Flask reads a relative folder as relative to the package, not to the working directory.
        return cls(find_theme(theme).absolute(), Path(content).absolute() / OWN if content is not None else None)

    @property
    def layers(self) -> tuple[Path, ...]:
        """The theme folders, the one that wins first (the content's own while it exists)."""
        return (self.own, self.base) if self.own is not None and self.own.is_dir() else (self.base,)

    def templates(self) -> list[Path]:
        """The template folders to search, the one that wins first (a missing one is passed over)."""
        return [p / "templates" for p in (self.own, self.base) if p is not None]

    def file(self, name: str) -> Path | None:
        """A theme file (``static/css/site.css``, ``fonts/DejaVuSans.ttf``) from the first layer that has it."""
        for layer in self.layers:
            path = layer / name
            if path.is_file():
                return path
        return None

    def static_files(self) -> list[str]:
        """Every static file's name (relative to ``static/``) in any layer."""
        names = {p.relative_to(layer / "static").as_posix() for layer in self.layers
                 for p in (layer / "static").rglob("*") if p.is_file()}
        return sorted(names)

    def template_error(self, exc: BaseException, content: Path | None) -> ContentError | None:
        """The line of a template of the site's own (its ``theme/`` folder, or a theme folder given
        with ``--theme``) where making a page stopped, as a content error: ``check`` reads templates
        but makes no pages, so the build and the preview are where this shows first. None when it
        stopped elsewhere (a shipped template or the tool itself: a bug of ours, shown as one)."""
        import traceback

        import flask
        import jinja2

        from hub.content.errors import ContentError, ErrorLog

        shipped = shipped_themes().resolve()
        own = [t.resolve() for t in self.templates() if t.is_dir()]
        # The innermost frame that is not Jinja's or Flask's own (undefined names, loaders) decides.
        libraries = [Path(m.__file__).parent.resolve() for m in (jinja2, flask) if m.__file__]
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not any(Path(f.filename).resolve().is_relative_to(lib) for lib in libraries)]
        if not frames:
            return None
        frame = frames[-1]
        path = Path(frame.filename).resolve()
        if not any(path.is_relative_to(t) for t in own) or path.is_relative_to(shipped):
            return None
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"finner ikke malen {exc.name!r} (i theme/templates/ eller temaet)"
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"malen bruker noe som ikke finnes: {jinja_message(exc)}"
        else:
            message = f"malen stoppet med en feil: {type(exc).__name__}: {exc}"
        where = ErrorLog(content).rel(Path(frame.filename)) if content is not None else frame.filename
        return ContentError(where, frame.lineno or 0, "", message)

    def css_variables(self) -> dict[str, str]:
        """The colours the stylesheet sets (``--brand``, ``--bg`` …), for share cards and contrast checks."""
        css = self.file("static/css/site.css")
        return dict(_css_variables(css, css.stat().st_mtime_ns)) if css is not None else {}


@lru_cache(maxsize=8)
def _css_variables(stylesheet: Path, mtime: int) -> tuple[tuple[str, str], ...]:
    """``--name: #hex`` custom properties of a stylesheet, first definition of each (read again when it changes)."""
    found: dict[str, str] = {}
    for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\b", stylesheet.read_text("utf-8")):
        found.setdefault(name, value)
    return tuple(found.items())


def template_names(folder: Path) -> set[str]:
    """The template names a template folder provides (``base.html``, ``region/index.html``)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


#: Jinja's words for the mistakes a template of the site's own makes most, and how they read in bokmål.
_UNKNOWN_TAG = re.compile(r"^Encountered unknown tag '(?P<tag>[^']+)'\.")
_LOOKING_FOR = re.compile(r"(?:Jinja was looking for the following tags:|currently looking for) (?P<tags>'[^.]+')\.")
_CLOSE = re.compile(r"The innermost block that needs to be closed is '(?P<block>[^']+)'\.")
_NO_ATTRIBUTE = re.compile(r"^'(?P<owner>.+?)(?: object)?' has no attribute '(?P<name>[^']+)'$")
_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_TAGS = ("block", "endblock", "if", "elif", "else", "endif", "for", "endfor", "set", "endset", "include",
         "extends", "import", "from", "macro", "endmacro", "call", "endcall", "filter", "endfilter", "with",
         "endwith", "trans", "endtrans", "pluralize", "raw", "endraw")


def jinja_message(exc: BaseException) -> str:
    """A Jinja error in bokmål, with the name meant where one is close (``endblok`` → ``endblock``,
    ``site.nmae`` → ``name``); a message it has no words for is given as Jinja wrote it. What a
    template uses and nothing has is named alone (``feltet 'nmae' på SiteConfig``), for
    :meth:`Theme.template_error` to say."""
    import difflib

    text = getattr(exc, "message", None) or str(exc)
    wanted = [t.strip("'") for t in m["tags"].split(" or ")] if (m := _LOOKING_FOR.search(text)) else []
    ends = [t for t in wanted if t.startswith("end")]  # what closes the open block (elif, else do not)
    block = _CLOSE.search(text)
    if m := _UNKNOWN_TAG.match(text):
        tag = m["tag"]
        if tag in _TAGS:  # a tag Jinja knows, where it cannot stand
            return f"'{tag}' står der den ikke kan stå" + (
                f": '{block['block']}' må lukkes først (med {' eller '.join(ends)})" if block and ends else "")
        close = difflib.get_close_matches(tag, [*wanted, *_TAGS], n=1)
        return f"ukjent tagg '{tag}'" + (f" (mente du «{close[0]}»?)" if close else "")
    if text.startswith("Unexpected end of template") and block:
        return f"malen slutter før '{block['block']}' er lukket (med {' eller '.join(ends) or 'end' + block['block']})"
    if m := _NO_ATTRIBUTE.match(text):
        fields = _fields_of(m["owner"])
        close = difflib.get_close_matches(m["name"], fields, n=1)
        owner = f" på {m['owner'].rsplit('.', 1)[-1]}" if fields else ""  # a model's name, not Python's types
        return f"feltet '{m['name']}'{owner}" + (f" (mente du «{close[0]}»?)" if close else "")
    if m := _UNDEFINED.match(text):
        return f"'{m['name']}'"
    if m := re.match(r"^unexpected '(?P<what>[^']+)'$", text):
        return f"uventet '{m['what']}'"
    return text


def _fields_of(owner: str) -> list[str]:
    """The fields of a content model named in Jinja's message (``hub.content.model.SiteConfig``)."""
    import importlib

    module, _, name = owner.rpartition(".")
    if not module.startswith("hub.content."):
        return []
    try:
        model = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return []
    return list(getattr(model, "model_fields", {}))
