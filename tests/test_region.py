"""Spec: a region portal built from what three municipalities publish, served from three origins.

Each member keeps its own content, build and host; the region reads their manifests over HTTP and
never silently loses one: an unreachable member is shown from its last good copy with its date, a
member never fetched stops the build, a hostile manifest is refused and nothing of it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import DEMO, EPOCH, ROOT, WCAG, serve
from playwright.sync_api import expect
from test_browser_search import show_all

from hub.pipeline.steps import build

EXAMPLES = ROOT / "examples/region"


def _serve(folder: Path) -> tuple[str, object]:
    """A member's web server, with the CORS header the region's search needs; its URL ends in "/"."""
    url, server = serve(folder, cors=True)
    return url + "/", server


def region(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", "region", "build", *args], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    """Drammen (the demo), Nordvik and Sørvik built from content, each on an origin of its own."""
    root = tmp_path_factory.mktemp("members")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(DEMO, root / "drammen")
        build(EXAMPLES / "nordvik/content", root / "nordvik")
        build(EXAMPLES / "sorvik/content", root / "sorvik")
    served = {name: _serve(root / name) for name in ("drammen", "nordvik", "sorvik")}
    yield root, {name: url for name, (url, _) in served.items()}
    for _, server in served.values():
        server.shutdown()


def _region_file(folder: Path, urls: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "region.yaml"
    path.write_text("name: Testregionen\nbase_url: https://region.example.no/\nmembers:\n"
                    + "".join(f"  - {{slug: {n}, source: '{u}'}}\n" for n, u in urls.items()), "utf-8")
    return path


@pytest.fixture(scope="module")
def region_site(members, tmp_path_factory):
    _, urls = members
    folder = tmp_path_factory.mktemp("region")
    r = region(str(_region_file(folder, urls)), "--out", str(folder / "site"), "--cache", str(folder / "cache"))
    assert r.returncode == 0, r.stderr
    url, server = _serve(folder / "site")
    yield folder / "site", url
    server.shutdown()


@pytest.mark.browser
def test_the_region_front_page_lists_every_member_and_its_hubs(browser, region_site):
    _, url = region_site
    page = browser.new_page()
    page.goto(url + "index.html")
    names = page.locator("section.member h2").all_inner_texts()
    assert names == ["Drammen kommune", "Nordvik kommune", "Sørvik kommune"]
    expect(page.locator("section.member").nth(1)).to_contain_text("Nordvik sentrum knutepunkt, Torget 1, 9990 Nordvik")
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("when, expected", [
    ("2026-11-23T10:00", "Åpent nå – stenger 15.30"),      # Monday, Bragernes kvartal 08:30–15:30
    ("2026-11-27T14:30", "Stengt – åpner mandag 08.30"),   # Friday after 14:00, the weekend closed
    ("2026-12-20T12:00", ""),                               # past the member's 14 days: no badge, not a guess
])
def test_the_region_badge_reads_each_members_days_at_the_regions_clock(browser, region_site, when, expected):
    _, url = region_site
    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/Oslo")))
    page.goto(url + "index.html")
    bragernes = page.locator("section.member").first.locator("li", has_text="Bragernes").locator(".badge")
    assert (bragernes.inner_text() if bragernes.is_visible() else "") == expected
    page.close()


@pytest.mark.browser
def test_a_service_page_compares_every_member_that_offers_it_with_capacity(browser, region_site):
    _, url = region_site
    page = browser.new_page()
    page.goto(url + "tjenester/barnehage/index.html")
    rows = page.locator("table.compare tbody tr")
    municipalities = [r.locator("td").first.inner_text() for r in rows.all()]
    assert set(municipalities) == {"Drammen kommune", "Nordvik kommune", "Sørvik kommune"}
    first = rows.first.inner_text()
    assert "Nordvik kommune" in first and "ja, fra 1. desember 2026 til 31. juli 2027" in first  # open comes first
    assert "nei" in rows.last.inner_text() or "ikke oppgitt" in rows.last.inner_text()
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.goto(url + "tjenester/index.html")
    expect(page.get_by_text(re.compile(r"Helsestasjon — 3 kommuner, 14 steder"))).to_be_visible()
    page.close()


@pytest.mark.browser
def test_the_capacity_board_shows_status_and_period_per_member(browser, region_site):
    _, url = region_site
    page = browser.new_page(viewport={"width": 375, "height": 800})  # readable on a phone
    page.goto(url + "kapasitet/index.html")
    board = page.locator("section", has=page.get_by_role("heading", name="Barnehageveiledning"))
    text = board.inner_text()
    assert re.search(r"Nordvik kommune\s.*?\bja\b.*?fra 1\. desember 2026 til 31\. juli 2027", text, re.S)
    assert re.search(r"Sørvik kommune\s.*?\bnei\b.*?til 1\. august 2027", text, re.S)
    assert re.search(r"Drammen kommune\s.*?Mjøndalen.*?\bnei\b", text, re.S)
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.close()


@pytest.mark.browser
def test_region_search_finds_a_service_from_each_member_and_the_filter_narrows(browser, region_site):
    _, url = region_site
    page = browser.new_page()
    page.goto(url + "sok/index.html?q=bibliotek")
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\d+ treff"), timeout=20000)
    show_all(page)
    hrefs = [a.get_attribute("href") for a in page.locator(".search-results h2 a").all()]
    origins = {re.match(r"http://127\.0\.0\.1:\d+/", h).group(0) for h in hrefs if h.startswith("http")}
    assert len(origins) == 3, hrefs  # a result from each member, linking to the member's own site
    page.select_option("#filter-municipality", "Nordvik kommune")
    # Wait for the narrowed list itself: the first link may already be a member's before the filter applies.
    page.wait_for_function("""() => {
        const links = [...document.querySelectorAll('.search-results h2 a')].map(a => a.getAttribute('href'));
        return links.length > 0 && links.every(h => /^http/.test(h) && new URL(h).origin === new URL(links[0]).origin);
    }""")
    narrowed = [a.get_attribute("href") for a in page.locator(".search-results h2 a").all()]
    assert narrowed and len({re.match(r"http://127\.0\.0\.1:\d+/", h).group(0) for h in narrowed}) == 1
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.close()


HEARINGS = re.compile(r'<li class="plan-item plan-open">\s*<a href="([^"]+)">([^<]+)</a>\s*'
                      r'<span class="plan-meta">([^<·]+?) ·.*?<span class="deadline[^>]*>([^<]+)</span>', re.S)


def test_the_region_shows_the_open_hearings_of_all_three_members_soonest_first(members, region_site):
    _, urls = members
    site, _ = region_site
    found = HEARINGS.findall((site / "horinger/index.html").read_text("utf-8"))
    # The deadline's date; the count of days left is the reader's browser's (as on the members' pages).
    assert [(title, town, text) for _, title, town, text in found] == [
        ("Detaljregulering for Torget nord", "Nordvik kommune", "Frist for innspill: 7. desember 2026"),
        ("Detaljregulering for Bragernes kvartal", "Drammen kommune", "Frist for innspill: 16. desember 2026"),
        ("Områderegulering for gang- og sykkelvei Konnerud–Bragernes", "Drammen kommune",
         "Frist for innspill: 18. desember 2026"),
        ("Områderegulering for Kaia", "Sørvik kommune", "Frist for innspill: 11. januar 2027"),
    ]
    town_of = {"Nordvik kommune": "nordvik", "Drammen kommune": "drammen", "Sørvik kommune": "sorvik"}
    assert all(href.startswith(urls[town_of[town]]) and "/planer/" in href for href, _, town, _ in found)


@pytest.mark.browser
def test_the_hearings_page_links_to_the_members_own_plan_pages_and_passes_axe(browser, region_site):
    _, url = region_site
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(url + "index.html")
    page.get_by_role("link", name="Høringer i regionen").click()
    page.get_by_role("link", name="Områderegulering for Kaia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Områderegulering for Kaia")  # on Sørvik's own site
    page.go_back()
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.close()


def _nordvik_changed(root: Path, folder: Path, change) -> tuple[str, object]:
    """A copy of Nordvik's published portal whose manifest ``change`` edited, served on an origin of its own."""
    shutil.copytree(root / "nordvik", folder)
    manifest = json.loads((folder / "apne-data/portal.json").read_text("utf-8"))
    change(manifest)
    (folder / "apne-data/portal.json").write_text(json.dumps(manifest), "utf-8")
    return _serve(folder)


def test_a_member_still_on_version_1_is_read_and_shows_no_hearings(members, tmp_path):
    root, urls = members
    url, server = _nordvik_changed(root, tmp_path / "older", lambda m: [m.update(manifest_version=1), m.pop("plans")])
    try:
        folder = tmp_path / "r"
        r = region(str(_region_file(folder, {**urls, "nordvik": url})), "--out", str(folder / "site"),
                   "--cache", str(folder / "cache"))
        assert r.returncode == 0, r.stderr
        titles = [title for _, title, _, _ in HEARINGS.findall((folder / "site/horinger/index.html").read_text("utf-8"))]
        assert "Detaljregulering for Torget nord" not in titles and "Områderegulering for Kaia" in titles
        assert "Nordvik kommune" in (folder / "site/index.html").read_text("utf-8")
    finally:
        server.shutdown()


def test_an_unreachable_member_is_shown_from_its_last_good_copy_with_its_date(members, tmp_path):
    root, urls = members
    folder = tmp_path / "r"
    assert region(str(_region_file(folder, urls)), "--out", str(folder / "site"),
                  "--cache", str(folder / "cache")).returncode == 0
    gone = {**urls, "sorvik": "http://127.0.0.1:9/"}  # nothing listens there: as if its host were down
    path = _region_file(folder, gone)
    shutil.copytree(folder / "cache/sorvik", folder / "cache/sorvik-keep")
    r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"), "--timeout", "1")
    assert r.returncode == 0 and "advarsel: medlemmet 'sorvik' vises fra kopien hentet" in r.stderr
    front = (folder / "site/index.html").read_text("utf-8")
    assert "Sørvik kommune kunne ikke oppdateres; vises slik den var" in front and "Havna knutepunkt" in front


def test_a_member_never_fetched_stops_the_build_with_a_clear_message(members, tmp_path):
    _, urls = members
    folder = tmp_path / "r"
    (folder / "site").mkdir(parents=True)
    (folder / "site/index.html").write_text("published before", "utf-8")
    (folder / "site/.knutepunkt-build").write_text("region\n", "utf-8")  # an earlier region build's output
    path = _region_file(folder, {**urls, "sorvik": "http://127.0.0.1:9/"})
    r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"), "--timeout", "1")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "medlemmet 'sorvik' er aldri hentet" in r.stderr and "kunne ikke hentes" in r.stderr
    assert (folder / "site/index.html").read_text("utf-8") == "published before"  # nothing was published


@pytest.mark.parametrize("attack, message", [
    (lambda m: m["services"][0].update(title="<img src=x onerror=alert(1)>"), "HTML er ikke tillatt"),
    (lambda m: m["districts"][0].update(url="javascript:alert(1)"), "http(s)-adresse"),
    (lambda m: m.update(manifest_version=99), "manifest_version"),
])
def test_a_hostile_manifest_is_refused_and_nothing_of_it_reaches_the_pages(members, tmp_path, attack, message):
    root, urls = members
    url, server = _nordvik_changed(root, tmp_path / "hostile", attack)
    try:
        folder = tmp_path / "r"
        r = region(str(_region_file(folder, {**urls, "nordvik": url})), "--out", str(folder / "site"),
                   "--cache", str(folder / "cache"))
        assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr
        assert not (folder / "site").exists()
        # With a good copy from before, the region is built from that copy and says so.
        good = _region_file(folder, urls)
        assert region(str(good), "--out", str(folder / "site"), "--cache", str(folder / "cache")).returncode == 0
        r = region(str(_region_file(folder, {**urls, "nordvik": url})), "--out", str(folder / "site"),
                   "--cache", str(folder / "cache"))
        assert r.returncode == 0 and message in r.stderr
        pages = "".join(p.read_text("utf-8") for p in (folder / "site").rglob("*.html"))
        assert "onerror" not in pages and "javascript:" not in pages and "Nordvik kommune" in pages
    finally:
        server.shutdown()


def test_the_region_calendar_holds_every_members_programme(region_site):
    site, _ = region_site
    ics = (site / "kalender.ics").read_text("utf-8")
    assert "SUMMARY:Babytreff" in ics and "SUMMARY:Drop-in på helsestasjonen" in ics
    assert "BEGIN:VTIMEZONE" in ics and "RDATE" not in ics


@pytest.mark.browser
def test_region_pages_keep_the_portals_standards(browser, region_site, members, tmp_path):
    """Valid HTML (Nu checker), no console error or CSP violation (search included), same bytes twice."""
    from test_quality import _vnu

    site, url = region_site
    pages = sorted(site.rglob("*.html"))
    r = subprocess.run(["java", "-jar", str(_vnu()), "--errors-only", "--format", "gnu", *map(str, pages)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr[:2000]
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    for path in ("index.html", "tjenester/index.html", "tjenester/helsestasjon/index.html", "kapasitet/index.html",
                 "program/index.html", "sok/index.html?q=helsestasjon"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []
    page.close()
    _, urls = members
    again = tmp_path / "again"
    assert region(str(_region_file(again, urls)), "--out", str(again / "site"),
                  "--cache", str(again / "cache")).returncode == 0
    from conftest import tree_digest

    assert tree_digest(again / "site") == tree_digest(site)


def test_the_region_speaks_nynorsk_and_english_too(members, tmp_path):
    _, urls = members
    for lang, words in (("nn", "Kapasitet for søkjarar"), ("en", "Capacity for applicants")):
        path = _region_file(tmp_path / lang, urls)
        path.write_text(path.read_text("utf-8").replace("members:", f"language: {lang}\nmembers:"), "utf-8")
        assert region(str(path), "--out", str(tmp_path / lang / "site")).returncode == 0
        html = (tmp_path / lang / "site/kapasitet/index.html").read_text("utf-8")
        assert f'<html lang="{lang}">' in html and words in html


@pytest.mark.browser
def test_a_large_region_searches_one_index_of_its_own_made_from_the_manifests(browser, members, tmp_path):
    _, urls = members
    path = _region_file(tmp_path, urls)
    path.write_text(path.read_text("utf-8").replace("members:", "search: index\nmembers:"), "utf-8")
    assert region(str(path), "--out", str(tmp_path / "site")).returncode == 0
    assert (tmp_path / "site/pagefind/pagefind.js").is_file()
    url, server = _serve(tmp_path / "site")
    try:
        page = browser.new_page()
        page.goto(url + "sok/index.html?q=helsestasjon")
        expect(page.locator(".search-status")).to_have_text(re.compile(r"\d+ treff"), timeout=20000)
        policy = re.search(r'Content-Security-Policy" content="([^"]+)"', (tmp_path / "site/sok/index.html")
                           .read_text("utf-8")).group(1)
        assert "127.0.0.1" not in policy  # one bundle of its own: no member origin is allowed
        show_all(page)
        metas = page.locator(".search-results .meta").all_inner_texts()
        assert {m.split(" · ")[0] for m in metas} == {"Drammen kommune", "Nordvik kommune", "Sørvik kommune"}
        links = page.locator(".search-results h2 a").evaluate_all("els => els.map(a => a.href)")
        assert links and all(re.match(r"https?://", h) for h in links)
        assert not any(h.startswith(url) for h in links)  # the members' own pages, never the region's copies
        page.select_option("#filter-municipality", "Sørvik kommune")
        expect(page.locator(".search-results .meta").first).to_contain_text("Sørvik kommune")
        assert Axe().run(page, options=WCAG).violations_count == 0
        page.goto(url + "sok/index.html?q=Fjellhallen")  # a hub's name finds its district
        expect(page.locator(".search-results h2 a").first).to_have_text("Fjell og Austad", timeout=20000)
        page.close()
    finally:
        server.shutdown()


def test_the_regions_own_records_weigh_words_as_a_portals_pages_do():
    """Title as the heading, summary and the service's name above body text (hub.site.searchweight)."""
    from hub.region import index
    from hub.site import searchweight

    home, kind = (index._page(r, "nb") for r in index.own_records("Regionen", ["Nordvik"], [
        ("nav-veiledning", "NAV-veiledning", "Veiledning om arbeid.")]))
    assert ("<h1>NAV-veiledning</h1>"
            f'<p data-pagefind-weight="{searchweight.SUMMARY}">Veiledning om arbeid.</p>'
            f'<p data-pagefind-weight="{searchweight.ABOUT}">nav veiledning</p></body>') in kind
    assert "<h1>Regionen</h1>" in home


@pytest.mark.parametrize("search, members, mode", [
    (None, 9, "members"), (None, 10, "index"),  # the default, auto: the region's own index from ten members
    ("members", 40, "members"), ("index", 2, "index"),  # a setting of its own wins
])
def test_a_region_of_ten_members_or_more_searches_an_index_of_its_own_by_default(search, members, mode):
    from hub.region.config import RegionConfig

    config = RegionConfig.model_validate({
        "name": "Regionen", "base_url": "https://region.example.no/", **({"search": search} if search else {}),
        "members": [{"slug": f"k{n}", "source": f"https://kommune{n}.example.no/"} for n in range(members)]})
    assert config.search_mode == mode
