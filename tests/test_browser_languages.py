"""Spec, in a real browser: pages in the languages residents read — Arabic reads right to left with its
hours in order, every version links to the others, and the Polish search finds the Polish pages."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import WCAG
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARABIC = "/ar/bragernes/tjenester/helsestasjon/"


def box(page, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.bounding_box()
    return found


def text_x(page, selector: str, text: str) -> float:
    """Where on the screen a piece of an element's text starts (left edge), by the browser's own layout."""
    return page.evaluate("""([selector, text]) => {
        const el = document.querySelector(selector);
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(text);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                return range.getBoundingClientRect().left;
            }
        }
        throw new Error("not found: " + text);
    }""", [selector, text])


@pytest.mark.parametrize("width", [375, 1280])
def test_the_arabic_page_reads_right_to_left_with_its_layout_mirrored_and_its_hours_in_order(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    # The build's Monday: the table shows every day of its two weeks (the browser hides those passed).
    page.clock.set_fixed_time(dt.datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Oslo")))
    page.goto(site_url + ARABIC)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    main = box(page, "main")
    h1 = box(page, "main h1")
    # The heading starts at the right: its right edge on the main column's, with room on its left.
    assert abs((h1["x"] + h1["width"]) - (main["x"] + main["width"] - 16)) < 2
    # In the hours table the day stands right of its hours; the brand is on the right, search on the left.
    row = "table.week tbody tr:nth-child(2)"
    assert box(page, f"{row} th")["x"] > box(page, f"{row} td")["x"]
    if width >= 1280:
        assert box(page, ".brand")["x"] > box(page, ".searchbox")["x"]
    # "08:30–15:30" reads left to right: the opening time is left of the closing time.
    cell = f"{row} td"
    hours = page.locator(cell).inner_text()
    assert re.fullmatch(r"\d\d:\d\d–\d\d:\d\d(, \d\d:\d\d–\d\d:\d\d)?", hours), hours
    opens, closes = hours[:5], hours[6:11]
    assert text_x(page, cell, opens) < text_x(page, cell, closes)
    # The same on the Norwegian page: the layout is not mirrored there.
    page.goto(site_url + "/bragernes/tjenester/helsestasjon/")
    assert box(page, f"{row} th")["x"] < box(page, f"{row} td")["x"]
    page.close()


def test_the_arabic_screenshot_is_mirrored(browser, site_url, tmp_path):
    """For a person to look at (the test keeps it in its folder): the whole Arabic page at phone width."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site_url + ARABIC)
    shot = tmp_path / "ar.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_the_language_switcher_links_both_ways_with_hreflang(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/bragernes/tjenester/helsestasjon/")
    switcher = page.locator("nav.languages")
    expect(switcher.locator("a[aria-current=page]")).to_have_text("Norsk bokmål")
    arabic = switcher.locator("a[hreflang=ar]")
    assert (arabic.get_attribute("lang"), arabic.inner_text()) == ("ar", "العربية")
    arabic.click()
    page.wait_for_url(re.compile(r".*/ar/bragernes/tjenester/helsestasjon/(index\.html)?$"))
    expect(page.locator("h1")).to_contain_text("مركز صحة الطفل")
    back = page.locator("nav.languages a[hreflang=nb]")
    assert back.get_attribute("lang") == "nb"
    back.click()
    page.wait_for_url(re.compile(r".*/bragernes/tjenester/helsestasjon/(index\.html)?$"))
    assert "/ar/" not in page.url
    polish = page.locator("nav.languages a[hreflang=pl]")
    polish.click()
    page.wait_for_url(re.compile(r".*/pl/bragernes/tjenester/helsestasjon/(index\.html)?$"))
    expect(page.locator("h1")).to_have_text("Przychodnia dla dzieci (helsestasjon)")
    hreflangs = page.locator("link[rel=alternate][hreflang]").evaluate_all("ls => ls.map(l => l.hreflang).sort()")
    assert hreflangs == ["ar", "en", "nb", "pl"]
    page.close()


def test_the_polish_search_page_finds_the_polish_health_station_and_offers_the_norwegian_results(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/pl/sok/?q=szczepienia")
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"), timeout=15000)
    first = page.locator(".search-results > li a").first
    expect(first).to_have_text("Przychodnia dla dzieci (helsestasjon)")
    assert re.search(r"/pl/(bragernes|konnerud)/tjenester/helsestasjon/", first.get_attribute("href") or "")
    also = page.locator("#search-also")
    expect(also.locator(".search-also-status")).to_have_text("Brak wyników po norwesku.", timeout=15000)
    page.fill("#q", "helsestasjon")
    page.press("#q", "Enter")
    expect(also.locator("ol > li a").first).to_have_text(re.compile("Helsestasjon"), timeout=15000)
    expect(also.locator(".search-also-all")).to_have_attribute("href", re.compile(r"sok/(index\.html)?\?q=helsestasjon$"))
    assert also.locator("ol").get_attribute("lang") == "nb"
    assert page.locator(".search-results > li a").first.inner_text() == "Przychodnia dla dzieci (helsestasjon)"
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    page.close()


def test_a_services_languages_filter_the_norwegian_search(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/sok/?q=helsestasjon")
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"), timeout=15000)
    page.select_option("#filter-language", "polsk")
    expect(page.locator(".search-results .meta").first).to_have_text(re.compile("^Bragernes og Øren"))
    hrefs = page.locator(".search-results > li h2 a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all("bragernes/tjenester/helsestasjon" in h for h in hrefs)
    page.close()
