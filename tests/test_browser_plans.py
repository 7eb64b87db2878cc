"""Spec, in a real browser on the demo: a resident finds the plan next door, sees where it is in the
process and by when to write, reads the documents, sees the area — with nothing from other origins,
no accessibility violations, and the one door in's list and filters working without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import WCAG
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
OSLO = ZoneInfo("Europe/Oslo")
HEARING = "/bragernes/planer/bragernes-kvartal/"


def test_a_plan_on_hearing_is_two_clicks_from_its_districts_front_page(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/bragernes/")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Høringer og planer").click()
    page.get_by_role("link", name="Detaljregulering for Bragernes kvartal").click()
    assert page.url.endswith("/bragernes/planer/bragernes-kvartal/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Detaljregulering for Bragernes kvartal"
    page.goto(f"{site_url}/bragernes/")  # and in one, from the front page's "Planer på høring nå"
    section = page.get_by_role("region", name="Planer på høring nå")
    section.get_by_role("link", name="Detaljregulering for Bragernes kvartal").click()
    assert page.url.endswith("/bragernes/planer/bragernes-kvartal/index.html")
    page.close()


def test_the_timeline_marks_the_current_step_and_reads_in_order_without_css(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + HEARING)
    steps = page.locator("ol.timeline > li")
    assert steps.count() == 4
    current = page.locator('ol.timeline > li[aria-current="step"]')
    assert current.count() == 1
    assert "Høring og offentlig ettersyn" in current.inner_text()
    assert [steps.nth(i).locator("p.step-state").inner_text() for i in range(4)] == ["FERDIG", "NÅ", "KOMMER",
                                                                                        "KOMMER"]
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    text = page.locator("ol.timeline").inner_text()  # without the style sheet, the list still says it in order
    assert text.index("Ferdig") < text.index("Varsel om oppstart") < text.index("Nå") < text.index("Høring") < \
        text.index("Kommer") < text.index("Vedtak")
    page.close()


@pytest.mark.parametrize("day, expected", [
    ("2026-11-23", "Frist for innspill: 16. desember 2026 – 23 dager igjen"),   # the demo's today, weeks before
    ("2026-12-16", "Frist for innspill: 16. desember 2026 – fristen er i dag"),  # the deadline day itself
    ("2026-12-17", "Fristen for innspill gikk ut 16. desember 2026"),            # the day after: no countdown
])
def test_the_deadline_text_is_right_on_three_fixed_days(browser, site_url, day, expected):
    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), OSLO))
    page.goto(site_url + HEARING)
    assert page.locator(".deadline-box .deadline").inner_text() == expected
    page.goto(f"{site_url}/bragernes/")
    assert page.locator("#plans-h ~ ul .deadline").first.inner_text() == expected
    page.close()


def test_without_javascript_the_build_days_text_stands(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.clock.set_fixed_time(dt.datetime(2027, 3, 1, 9, tzinfo=OSLO))  # no script: the build's today decides
    page.goto(site_url + HEARING)
    # The date, without a count of days left that would be wrong from the day after the build.
    assert page.locator(".deadline-box .deadline").inner_text() == "Frist for innspill: 16. desember 2026"
    ctx.close()


def test_documents_say_their_type_and_size_and_open(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + HEARING)
    links = page.locator("ul.documents > li > a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert names[0] == "Plankart (PDF, 776 byte)"
    assert all(re.fullmatch(r".+ \(PDF, \d+ (byte|kB|MB)\)", n) for n in names), names
    response = page.request.get(links.first.evaluate("a => a.href"))
    assert response.ok and response.body().startswith(b"%PDF-1.4") and len(response.body()) == 776
    page.close()


def test_the_area_is_drawn_on_the_district_map(browser, site_url):
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(site_url + HEARING)
    areas = page.locator("figure.planmap svg path.plan-area")
    assert areas.count() == 2  # close up and in the whole municipality
    close_up = areas.first.bounding_box()
    assert close_up and close_up["width"] > 20 and close_up["height"] > 10  # drawn, large enough to see
    assert page.locator("figure.planmap svg circle.plan-ring").count() == 1  # the small one gets a ring
    assert page.locator("figure.planmap svg").first.get_attribute("aria-hidden") == "true"
    assert "Planområdet er markert med rødt" in page.locator("figure.planmap figcaption").inner_text()
    page.close()


@pytest.mark.parametrize("path", [HEARING, "/konnerud/planer/konnerud-sentrum-b3/", "/planer/",
                                  "/planer/sykkelvei-konnerud-bragernes/", "/bragernes/planer/",
                                  "/planer/kommunedel/konnerud/status/1/"])
def test_plan_pages_make_no_request_to_another_origin_and_have_no_axe_violations(browser, site_url, path):
    page = browser.new_page(viewport={"width": 375, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    own = urlsplit(site_url).netloc
    assert requests and all(urlsplit(u).netloc == own for u in requests), [u for u in requests if own not in u]
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    page.close()


def test_the_one_door_ins_list_and_its_filters_work_without_javascript(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(site_url + "/")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Høringer og planer").click()
    titles = page.locator("ul.plans > li > a")
    assert [titles.nth(i).inner_text() for i in range(titles.count())] == [
        "Detaljregulering for Bragernes kvartal",                      # open, deadline 16 December
        "Områderegulering for gang- og sykkelvei Konnerud–Bragernes",  # open, deadline 18 December
        "Detaljregulering for Konnerud sentrum, felt B3",              # adopted
    ]
    filters = page.get_by_role("navigation", name="Filtrer planene")
    filters.get_by_role("link", name="Konnerud").click()
    assert page.url.endswith("/planer/kommunedel/konnerud/index.html")
    assert titles.count() == 2 and "Bragernes kvartal" not in page.locator("main").inner_text()
    filters.get_by_role("link", name="Endelig vedtatt arealplan").click()
    assert page.url.endswith("/planer/kommunedel/konnerud/status/3/index.html")
    assert [titles.nth(i).inner_text() for i in range(titles.count())] == [
        "Detaljregulering for Konnerud sentrum, felt B3"]
    assert filters.locator('a[aria-current="page"]').all_inner_texts() == ["Konnerud", "Endelig vedtatt arealplan"]
    filters.get_by_role("link", name="Alle").first.click()  # all districts, still adopted plans only
    assert page.url.endswith("/planer/status/3/index.html")
    ctx.close()


def test_search_finds_plans_and_narrows_to_them_by_their_own_type(browser, site_url):
    from test_browser_search import results, search, show_all

    page = search(browser, f"{site_url}/sok/?q=regulering")
    show_all(page)
    assert "Plan" in page.locator("#filter-type option").all_inner_texts()
    page.select_option("#filter-type", "Plan")
    expect_titles = {"Detaljregulering for Bragernes kvartal", "Detaljregulering for Konnerud sentrum, felt B3",
                     "Områderegulering for gang- og sykkelvei Konnerud–Bragernes"}
    expect(page.locator(".search-results > li")).to_have_count(3)
    found = results(page)
    assert {r["title"] for r in found} == expect_titles
    page.close()
