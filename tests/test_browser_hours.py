"""Spec, in a real browser: the "open now" badge is right at any clock time, and pages are complete without JS."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
OSLO = ZoneInfo("Europe/Oslo")


def badge_at(browser, url: str, when: str) -> str:
    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(when).replace(tzinfo=OSLO))
    page.goto(url)
    text = page.locator(".hubcard .badge").inner_text()
    page.close()
    return text


@pytest.mark.parametrize("when, expected", [
    ("2026-11-23T10:00", "Åpent nå – stenger 15.30"),          # Monday, Bragernes kvartal 08:30–15:30
    ("2026-11-23T15:30", "Stengt – åpner tirsdag 08.30"),       # closing minute
    ("2026-11-25T16:00", "Stengt – åpner 17.00"),              # Wednesday's second range, same day
    ("2026-11-27T14:30", "Stengt – åpner mandag 08.30"),        # Friday after 14:00, weekend closed
    ("2026-12-24T09:00", "Stengt – åpner lørdag 10.00"),        # julaften, holidays, romjul, 1 Jan → 2 Jan exception
    ("2027-01-02T11:00", "Åpent nå – stenger 14.00"),           # the dated exception's shorter hours
])
def test_badge_shows_the_right_state_at_fixed_clock_times(browser, site_url, when, expected):
    assert badge_at(browser, f"{site_url}/bragernes/", when) == expected


def test_badge_uses_oslo_time_whatever_the_device_zone(browser, site_url):
    ctx = browser.new_context(timezone_id="America/New_York")
    page = ctx.new_page()
    page.clock.set_fixed_time(dt.datetime(2026, 11, 23, 10, 0, tzinfo=OSLO))  # 04:00 in New York
    page.goto(f"{site_url}/bragernes/")
    assert page.locator(".hubcard .badge").inner_text() == "Åpent nå – stenger 15.30"
    ctx.close()


def test_badge_hides_itself_when_the_page_is_older_than_its_data(browser, site_url):
    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime(2027, 9, 1, 12, 0, tzinfo=OSLO))  # long after the build
    page.goto(f"{site_url}/bragernes/")
    assert page.locator(".hubcard .badge").is_hidden()
    assert page.locator(".hubcard table.week").is_visible()
    page.close()


def test_pages_are_complete_without_javascript(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{site_url}/bragernes/")
    assert page.locator(".hubcard .badge").is_hidden()
    rows = page.locator("table.week tbody tr")
    assert rows.count() == 14  # this week and next, from Monday, every row dated
    assert rows.first.inner_text().split("\t")[-1].strip() == "08.30–15.30"
    assert page.get_by_role("link", name="NAV på knutepunktet").first.is_visible()
    page.goto(f"{site_url}/bragernes/program/")
    assert page.locator("li.occ").count() > 10
    ctx.close()


def test_the_browser_marks_today_and_hides_the_days_that_have_passed(browser, site_url):
    """A district page lists its days from Monday (the build's week); read on Wednesday, the hours
    table, the programme and the front page's next events start on Wednesday, today marked."""
    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO))
    page.goto(f"{site_url}/bragernes/")
    rows = page.locator("table.week tbody tr")
    assert rows.count() == 14
    shown = [r.get_attribute("data-day") for r in rows.all() if r.is_visible()]
    assert shown == [f"2026-{d}" for d in ("11-25", "11-26", "11-27", "11-28", "11-29", "11-30",
                                           "12-01", "12-02", "12-03", "12-04", "12-05", "12-06")]
    assert page.locator("table.week tr.today").get_attribute("data-day") == "2026-11-25"
    upcoming = [x for x in page.locator("ol.days[data-show] li.occ").all() if x.is_visible()]
    assert 0 < len(upcoming) <= 8
    assert all(d.get_attribute("data-day") >= "2026-11-25"
               for d in page.locator("ol.days[data-show] > li").all() if d.is_visible())
    page.goto(f"{site_url}/bragernes/program/")
    days = [d.get_attribute("data-day") for d in page.locator("ol.days > li").all() if d.is_visible()]
    assert days and min(days) == min(d for d in days if d >= "2026-11-25")
    assert all(d >= "2026-11-25" for d in days)
    page.close()


def test_a_services_all_districts_page_shows_the_readers_own_today(browser, site_url):
    """A service's page across the districts is made once a week, as a district's pages are: each
    hub's "I dag" line is the reader's own day, found in the week's data, and the drop-in times
    start today. Read long after its build it says nothing of today rather than a wrong day, and
    without JavaScript it shows no today line and every drop-in day with its date."""
    def read(when: dt.datetime, js: bool = True) -> tuple[str, list[str]]:
        ctx = browser.new_context(java_script_enabled=js)
        page = ctx.new_page()
        page.clock.set_fixed_time(when)
        page.goto(f"{site_url}/tjenester/helsestasjon/")
        line = page.locator("li.card", has=page.get_by_role("link", name="Bragernes og Øren")).locator(".today-hours")
        text = line.inner_text() if line.is_visible() else ""
        days = [d.get_attribute("data-day") for d in page.locator("ol.days > li").all() if d.is_visible()]
        ctx.close()
        return text, days

    # Built on Monday 23 November; Bragernes kvartal: Wednesday 08:30–15:30 and 17:00–20:00, weekends closed.
    text, days = read(dt.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO))
    assert text == "I dag: 08.30–15.30, 17.00–20.00"
    assert days[0] == "2026-11-27"  # the week's first drop-in day still ahead (Friday)
    text, days = read(dt.datetime(2026, 11, 28, 12, 0, tzinfo=OSLO))
    assert (text, days[0]) == ("I dag: stengt", "2026-12-02")  # Friday's drop-in has passed
    assert read(dt.datetime(2027, 9, 1, 12, 0, tzinfo=OSLO))[0] == ""
    text, days = read(dt.datetime(2026, 11, 28, 12, 0, tzinfo=OSLO), js=False)
    assert text == "" and days[0] == "2026-11-27"
