"""The build: load → freeze → index → atomic publish.

The new site is written to a staging folder beside the output and swapped in
only when complete, so a failed build leaves the published site untouched.
"""

from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_frozen import Freezer, MissingURLGeneratorWarning

from .app import create_app
from .errors import ContentError, ContentErrors
from .loader import load
from .search import index_site
from .structure import Portal
from .urls import district_urls, site_urls, static_files


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    indexed: dict[str, int]


def freeze(portal: Portal, dest: Path, theme: str | Path = "default", *, standalone: str | None = None) -> int:
    """Render every URL of the portal into ``dest``; returns the number of files.

    With ``standalone``, only that district is rendered, and its links to the
    rest of the portal point to ``base_url``: the folder is a site of its own.
    """
    app = create_app(portal, theme)
    app.config.update(
        FREEZER_DESTINATION=str(dest), FREEZER_RELATIVE_URLS=False, RELATIVE_URLS=True, STANDALONE=standalone,
        FREEZER_REMOVE_EXTRA_FILES=False, FREEZER_IGNORE_404_NOT_FOUND=False,
        FREEZER_SKIP_EXISTING=False, FREEZER_IGNORE_MIMETYPE_WARNINGS=True)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    statics = static_files(app.config["THEME_STATIC"])

    @freezer.register_generator
    def _urls():  # type: ignore[no-untyped-def]
        if standalone is None:
            yield from site_urls(portal)
            for name in statics:
                yield "static", {"filename": name}
        for d in portal.districts:
            if standalone not in (None, d.slug):
                continue
            yield from district_urls(portal, d)
            for name in statics:
                yield "district.static", {"district": d.slug, "filename": name}

    with warnings.catch_warnings():  # endpoints left out on purpose (standalone, preview-only) are no error
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return len(freezer.freeze())


def publish(staging: Path, out: Path) -> None:
    """Swap the finished staging folder in place of ``out``."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)


def build(content: Path, out: Path, theme: str | Path = "default", *, search: bool = True,
          district: str | None = None) -> BuildResult:
    """Build the whole portal from ``content`` into ``out`` (raises ContentErrors on bad content).

    With ``district``, build only that district portal, as the root of ``out``,
    for publishing on a host of its own.
    """
    portal = load(content)
    if district is not None and portal.district(district) is None:
        raise ContentErrors([ContentError(str(content), 0, "", f"ukjent kommunedel {district!r}")])
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        pages = freeze(portal, staging, theme, standalone=district)
        if district is not None:  # the district folder becomes the site root
            inner = staging.with_name(staging.name + "-inner")
            (staging / district).rename(inner)
            shutil.rmtree(staging)
            inner.rename(staging)
            indexed = index_site(staging, [], root_glob="**/*.html") if search else {}
        else:
            indexed = index_site(staging, [d.slug for d in portal.districts]) if search else {}
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, pages, indexed)
