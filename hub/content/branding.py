"""The municipality's own look, checked with the content: its logo, its colour, its ``theme/`` folder.

A colour that people cannot read against is refused with the ratio it reaches (WCAG 2.1 AA asks
4.5:1 for text), a logo must be a picture in the content folder with nothing in it that runs or
loads from elsewhere, and every template in ``theme/templates/`` must replace one the default
theme has (a misspelt name would otherwise be silently ignored).
"""

from __future__ import annotations

import difflib
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jinja2

from hub.content.errors import ContentError, ErrorLog
from hub.content.model import Logo, SiteConfig
from hub.content.source import LINKED, symlinks_in
from hub.theme import OWN, PARTS, Theme, jinja_message, template_names

#: WCAG 2.1 AA, success criterion 1.4.3: text and images of text.
MIN_CONTRAST = 4.5

#: Where the default theme puts the primary colour, and with what: the stylesheet's variable
#: (``themes/default/static/css/site.css``, or the content's own) and its value if it has none.
USES = (
    ("on-brand", "#ffffff", "mot hvit tekst på fargen (toppfeltet og knappene)"),
    ("bg", "#ffffff", "som lenker på sidebakgrunnen"),
    ("soft", "#f2f5f8", "som lenker i kort og bunnfeltet"),
    ("info-bg", "#e8f1fa", "som lenker i informasjonsmeldinger"),
)

_SVG = "{http://www.w3.org/2000/svg}"
#: The default theme's templates for a region's site (``knutepunkt region build``), not a portal's.
REGION = "region/"
_UNSAFE_TAGS = {"script", "foreignObject", "iframe", "embed", "object"}


def ratio_text(ratio: float) -> str:
    """A contrast ratio as people quote it, never rounded up past the limit: 4.49 → "4.4:1"."""
    return f"{math.floor(ratio * 10) / 10:.1f}:1"


def contrast_problem(colour: str, variables: dict[str, str]) -> str | None:
    """Why ``colour`` cannot be the primary colour (its lowest contrast with what it meets), or None."""
    from coloraide import Color  # half a second to import: only for a site that sets a colour

    ratio, what = min((Color(colour).contrast(variables.get(name, fallback)), what)
                      for name, fallback, what in USES)
    if ratio >= MIN_CONTRAST:
        return None
    return (f"fargen {colour} gir {ratio_text(ratio)} {what}, trenger minst {MIN_CONTRAST}:1 (WCAG 2.1 AA); "
            "velg en mørkere farge")


def _svg_problem(path: Path) -> str | None:
    try:
        root = ET.parse(path).getroot()  # expat refuses entity expansion attacks (billion laughs)
    except (ET.ParseError, OSError) as exc:
        return f"SVG-filen kan ikke leses ({exc})"
    if root.tag != f"{_SVG}svg":
        return "filen er ikke en SVG-tegning (mangler <svg xmlns=\"http://www.w3.org/2000/svg\">)"
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in _UNSAFE_TAGS:
            return f"SVG-filen har <{tag}>; en logo kan bare være en tegning"
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1]
            if name.lower().startswith("on"):
                return f"SVG-filen har {name}=…; en logo kan ikke kjøre skript"
            if name == "href" and not value.startswith(("#", "data:image/")):
                return f"SVG-filen henter {value!r}; en logo kan ikke laste noe fra andre steder"
    return None


def _logo_problem(root: Path, logo: Logo) -> str | None:
    path = root / logo.file
    if not path.is_file():
        return f"fant ikke {logo.file} i innholdsmappen"
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        return "logoen må være en fil i innholdsmappen, ikke en lenke"
    if logo.kind == "svg":
        return _svg_problem(path)
    from PIL import Image  # only for a PNG logo (0.02 s of every build otherwise)

    try:
        with Image.open(path) as img:
            if img.format != "PNG":
                return f"filen er {img.format}, ikke PNG"
    except Exception:  # noqa: BLE001 - UnidentifiedImageError, OSError, and more for a cut header ("P1": ValueError)
        return "filen er ikke et PNG-bilde"
    return None


def _templates(own: Path, base: Path, log: ErrorLog) -> None:
    """Each override template must have a namesake in the default theme, and must parse."""
    known = {name for name in template_names(base / "templates") if not name.startswith(REGION)}
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for name in sorted(template_names(own / "templates")):
        path = own / "templates" / name
        if name.startswith(REGION):
            log.add(path, 0, "", f"malene i {REGION} lager en regions nettsted, ikke kommunens portal, "
                    "og brukes ikke her")
            continue
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (mente du {close[0]}?)" if close else ""
            log.add(path, 0, "", f"standardtemaet har ingen mal som heter {name}; en mal i {OWN}/templates/ "
                    f"erstatter malen med samme navn{hint}")
            continue
        try:
            env.parse(path.read_text("utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            log.add(path, exc.lineno, "", f"malen kan ikke leses: {jinja_message(exc)}")
        except (OSError, UnicodeDecodeError):
            log.add(path, 0, "", "filen kan ikke leses som UTF-8")


def check(site: SiteConfig, root: Path, theme: str | Path, log: ErrorLog, line: Callable[[str], int]) -> None:
    """Add every problem with the site's look to ``log`` (``line`` finds a field in ``site.yaml``)."""
    site_file = root / "site.yaml"
    look = Theme.of(theme, root)
    links = ([look.own] if look.own.is_symlink() else symlinks_in(look.own)) if look.own is not None else []
    for link in links:  # its files are published: none from outside the content folder
        log.add(link, 0, "", LINKED)
    if look.own is not None and look.own.is_dir() and not links:
        for entry in sorted(look.own.iterdir()):
            if entry.name not in PARTS and not entry.name.startswith("."):
                log.add(entry, 0, "", f"ukjent mappe i {OWN}/; et tema har bare {', '.join(PARTS)}")
        _templates(look.own, look.base, log)
    if site.logo is not None and (problem := _logo_problem(root, site.logo)):
        log.add(site_file, line("logo"), "logo.file", problem)
    if site.primary_color is not None and (problem := contrast_problem(site.primary_color, look.css_variables())):
        log.add(site_file, line("primary_color"), "primary_color", problem)


#: A site's icon, twice: modern browsers take the SVG, older ones and /favicon.ico the ICO.
ICONS = ("static/img/favicon.svg", "static/img/favicon.ico")


def icon_advice(root: Path, theme: str | Path = "default") -> list[ContentError]:
    """A warning when the content's own theme replaces one of the two icons: the other is still the
    default theme's, the municipality's icon in one place and Knutepunkt's in another."""
    own = Theme.of(theme, root).own
    have = [name for name in ICONS if own is not None and (own / name).is_file()]
    if own is None or len(have) != 1:
        return []
    other = next(name for name in ICONS if name not in have).rsplit("/", 1)[1]
    log = ErrorLog(root)
    log.add(own / have[0], 0, "", f"{other} er fortsatt temaets ikon, ikke kommunens (eldre nettlesere og "
            f"/favicon.ico viser det); legg kommunens egen {other} ved siden av")
    return log.errors
