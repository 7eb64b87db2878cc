"""Check a built site offline: every internal link and asset resolves; external links are listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if tag == "base" and name == "href":
                self.base = value
            elif name in ("href", "src") or (name in ("data-bundle", "data-merge") and tag == "div"):
                for v in value.split() if name == "data-merge" else [value]:
                    self.refs.append((tag, name, v))


@dataclass
class LinkReport:
    pages: int = 0
    broken: list[tuple[str, str]] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    external_assets: list[tuple[str, str]] = field(default_factory=list)


def _target(site: Path, page: Path, ref: str, base: str | None) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("#") or not parts.path:
        return None
    path = unquote(parts.path)
    start = site / base.lstrip("/") if base is not None else page.parent
    target = (site / path.lstrip("/")) if path.startswith("/") else (start / path)
    return target / "index.html" if path.endswith("/") else target


def check(site: Path) -> LinkReport:
    report = LinkReport()
    site = site.resolve()
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.relative_to(site).parts:
            continue
        report.pages += 1
        parser = _Refs()
        parser.feed(page.read_text("utf-8"))
        for tag, attr, ref in parser.refs:
            scheme = urlsplit(ref).scheme
            if scheme in ("http", "https"):
                report.external.add(ref)
                if tag in ("script", "img", "iframe") or (tag == "link" and attr == "href" and ref.endswith(".css")):
                    report.external_assets.append((str(page.relative_to(site)), ref))
                continue
            if scheme in ("mailto", "tel"):
                continue
            target = _target(site, page, ref, parser.base)
            if target is None:
                continue
            if attr in ("data-bundle", "data-merge"):  # a Pagefind bundle folder
                target = target.with_name("pagefind.js")
            if not target.resolve().is_relative_to(site) or not target.exists():
                report.broken.append((str(page.relative_to(site)), ref))
    return report
