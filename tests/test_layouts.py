"""Spec: the portal works served at /, under a subpath, and a district alone at its own root."""

from __future__ import annotations

import re
import shutil
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import DEMO, serve
from playwright.sync_api import expect

from hub.pipeline.steps import build


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def crawl(start: str) -> tuple[set[str], set[str]]:
    """Follow every link from ``start`` on the same host; returns (pages fetched, external links)."""
    host = urlsplit(start).netloc
    todo, seen, external, broken = [start], set(), set(), []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                body = r.read()
                kind = r.headers.get_content_type()
        except OSError as exc:
            broken.append(f"{url}: {exc}")
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urljoin(url, link).split("#")[0]
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.netloc != host:
                external.add(target)
            elif target not in seen:
                todo.append(target)
    assert broken == []
    return seen, external


def test_served_at_the_root(demo_site):
    url, server = serve(demo_site)
    try:
        pages, _ = crawl(url + "/")
    finally:
        server.shutdown()
    assert len([p for p in pages if p.endswith(".html")]) > 200


def test_served_under_a_subpath(demo_site, tmp_path):
    shutil.copytree(demo_site, tmp_path / "kommune/knutepunkt")
    url, server = serve(tmp_path)
    try:
        pages, _ = crawl(url + "/kommune/knutepunkt/")
    finally:
        server.shutdown()
    assert all(urlsplit(p).path.startswith("/kommune/knutepunkt/") for p in pages)
    assert len(pages) > 250


def test_a_district_alone_at_its_own_root(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795402800")
    out = tmp_path / "bragernes"
    build(DEMO, out, district="bragernes")
    assert (out / "index.html").is_file() and (out / "pagefind/pagefind.js").is_file()
    assert not (out / "fjell").exists()
    url, server = serve(out)
    try:
        pages, external = crawl(url + "/")
    finally:
        server.shutdown()
    assert len(pages) > 25
    leaving = {e for e in external if e.startswith("https://knutepunkt.example.no/")}
    assert "https://knutepunkt.example.no/" in leaving  # "all districts" goes to the main portal
    assert any(re.search(r"/fjell/tjenester/", e) for e in leaving)


@pytest.mark.browser
def test_search_works_under_a_subpath(browser, demo_site, tmp_path):
    shutil.copytree(demo_site, tmp_path / "kommune/knutepunkt")
    url, server = serve(tmp_path)
    page = browser.new_page()
    page.goto(url + "/kommune/knutepunkt/sok/?q=helsestasjon")
    expect(page.locator(".search-results li").first).to_be_visible(timeout=15000)
    hrefs = [a.get_attribute("href") for a in page.locator(".search-results h2 a").all()]
    assert hrefs and all(h.startswith("/kommune/knutepunkt/") for h in hrefs)
    page.goto(url + hrefs[0])
    assert page.locator("h1").count() == 1
    page.close()
    server.shutdown()
