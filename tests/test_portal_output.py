"""Spec: the demo builds into a complete portal: every page there, no broken links, nothing third-party."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import DEMO

from hub.content.loader import load
from hub.pipeline.linkcheck import check
from hub.pipeline.search import STOCK_UI


def read(site, rel: str) -> str:
    return (site / rel).read_text("utf-8")


def test_every_district_service_event_page_and_news_is_rendered(demo_site):
    portal = load(DEMO)
    assert len(portal.districts) == 10
    assert (demo_site / "index.html").is_file()
    for d in portal.districts:
        base = demo_site / d.slug
        assert (base / "index.html").is_file()
        assert (base / "program/index.html").is_file()
        for s in portal.services_of(d):
            assert s.meta.title in read(demo_site, f"{d.slug}/tjenester/{s.slug}/index.html")
        for e in d.events:
            assert e.meta.title in read(demo_site, f"{d.slug}/program/{e.slug}/index.html")
            assert (base / f"program/{e.slug}.ics").is_file()
        for p in d.pages:
            assert p.meta.title in read(demo_site, f"{d.slug}/{p.slug}/index.html")
        for n in d.news:
            assert n.meta.title in read(demo_site, f"{d.slug}/nyheter/{n.slug}/index.html")
    for kind in portal.kinds:
        assert (demo_site / f"tjenester/{kind}/index.html").is_file()


def test_no_broken_internal_links_and_no_third_party_assets(demo_site):
    report = check(demo_site)
    assert report.pages > 200
    assert report.broken == []
    assert report.external_assets == []
    assert all(u.startswith("https://") for u in report.external)


def test_district_folder_stands_alone_for_its_own_pages_and_assets(demo_site):
    html = read(demo_site, "bragernes/tjenester/helsestasjon/index.html")
    assert 'href="../../static/css/site.css"' in html  # bragernes/static, not the root's
    assert (demo_site / "bragernes/static/css/site.css").is_file()


def test_every_search_bundle_holds_what_pagefind_js_loads_and_none_of_pagefinds_stock_ui(demo_site):
    """The pages drive ``pagefind.js`` with the theme's own script (test_browser_search checks that no
    page asks for a file that is missing), so Pagefind's stock interfaces are not published."""
    bundles = sorted(e.parent for e in demo_site.glob("**/pagefind/pagefind-entry.json"))
    assert len(bundles) == 1 + 10 + 3  # the one door in's, each district's, each translation language's
    for folder in bundles:
        languages = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))["languages"]
        loaded = ["pagefind.js", "pagefind-worker.js", *(f"wasm.{lang}.pagefind" for lang in languages)]
        assert all((folder / name).is_file() for name in loaded), folder
        assert [name for name in STOCK_UI if (folder / name).exists()] == [], folder


def test_one_door_in_lists_districts_hours_services_and_programme(demo_site):
    html = read(demo_site, "index.html")
    assert '<html lang="nb">' in html
    for name in ("Mjøndalen", "Krokstadelva", "Bragernes og Øren", "Svelvik", "Konnerud"):
        assert name in html
    assert "I dag: 08.30–15.30" in html  # Bragernes kvartal on Monday 23 November
    assert 'href="tjenester/helsestasjon/index.html">Helsestasjon</a>' in html
    assert "Programmet denne uken" in html and "NAV på knutepunktet" in html


def test_service_kind_page_lists_every_district_offering_it(demo_site):
    portal = load(DEMO)
    html = read(demo_site, "tjenester/helsestasjon/index.html")
    offering = [d for d, _ in portal.kinds["helsestasjon"]]
    assert len(offering) >= 2
    for d in offering:
        assert f'href="../../{d.slug}/tjenester/helsestasjon/index.html">{d.name}</a>' in html


def test_district_home_has_hub_card_hours_table_and_categories(demo_site):
    html = read(demo_site, "bragernes/index.html")
    assert "Bragernes torg 2, 3017 Drammen" in html
    assert "openstreetmap.org/?mlat=59.7441" in html
    assert "<caption>Åpningstider denne uka og neste</caption>" in html
    assert "<h3>Helse</h3>" in html and "Legevakt" in html  # municipality-wide services on every portal


def test_cancelled_occurrence_stays_visible_as_cancelled(demo_site):
    html = read(demo_site, "solbergelva/program/index.html")
    assert "Foredrag om søvn for småbarnsforeldre" in html
    i = html.index("Foredrag om søvn")
    assert "Avlyst" in html[i:i + 200]


def test_notice_banner_within_validity_window(demo_site):
    assert "stengt grunnet vannlekkasje til fredag" in read(demo_site, "konnerud/index.html")
    assert "vannlekkasje til fredag" not in read(demo_site, "bragernes/index.html")


def test_404_sitemap_robots(demo_site):
    assert "Fant ikke siden" in read(demo_site, "404.html")
    urls = [e.text for e in ET.fromstring(read(demo_site, "sitemap.xml")).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://knutepunkt.example.no/bragernes/tjenester/helsestasjon/" in urls
    assert len(urls) == len(set(urls)) > 200
    assert "Sitemap: https://knutepunkt.example.no/sitemap.xml" in read(demo_site, "robots.txt")


def test_accessibility_statement_linked_from_every_portal(demo_site):
    for d in load(DEMO).districts:
        assert 'href="https://uustatus.no/nb/erklaringer/publisert/example-knutepunkt"' in read(
            demo_site, f"{d.slug}/index.html")
