"""Spec, in a real browser: Norwegian search across all districts and within one, with filters, accessible."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import WCAG
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def search(browser, url: str):
    """Open a search page and wait until it has said its last word (corrections included)."""
    page = browser.new_page()
    page.goto(url)
    expect(page.locator("#search")).to_have_attribute("aria-busy", "false", timeout=15000)
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"))
    return page


def results(page) -> list[dict[str, str]]:
    out = []
    for li in page.locator(".search-results > li").all():
        out.append({"title": li.locator("h2").inner_text(), "href": li.locator("a").first.get_attribute("href"),
                    "meta": li.locator(".meta").inner_text() if li.locator(".meta").count() else "",
                    "text": li.inner_text()})
    return out


def show_all(page) -> None:
    """Press "show more" until every result is listed, waiting for each press to be rendered."""
    items = page.locator(".search-results > li")
    while page.locator("button.more").is_visible():
        before = items.count()
        page.locator("button.more").click()
        expect(items).not_to_have_count(before)


def test_helsestasjon_on_the_index_finds_several_districts_and_the_filter_narrows(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=helsestasjon")
    show_all(page)
    found = results(page)
    districts = {r["meta"].split(" · ")[0] for r in found if r["href"].count("/") > 3}
    assert len(districts) >= 2, found
    page.select_option("#filter-district", "Bragernes og Øren")
    expect(page.locator(".search-results .meta").first).to_have_text(re.compile("^Bragernes og Øren"))
    expect(page.locator(".search-status")).not_to_have_text(f"{len(found)} treff")
    narrowed = results(page)
    assert narrowed and len(narrowed) < len(found)
    assert all("/bragernes/" in r["href"] for r in narrowed)
    page.close()


def test_typing_a_query_updates_the_shareable_url(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=bibliotek")
    page.fill("#q", "frivillig")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r".*\?q=frivillig$"))
    expect(page.locator(".search-results h2").first).to_contain_text("Frivillig")
    page.close()


@pytest.mark.parametrize("query, expected_word", [("vaksinene", "vaksine"), ("barnehager", "barnehage")])
def test_norwegian_stemming(browser, site_url, query, expected_word):
    page = search(browser, f"{site_url}/sok/?q={query}")
    found = results(page)
    assert found, query
    assert any(expected_word in r["text"].lower() for r in found)
    page.close()


def test_compound_tail_stasjon_finds_the_helsestasjon_pages(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=stasjon")
    show_all(page)
    hrefs = [r["href"] for r in results(page)]
    assert sum("/tjenester/helsestasjon/" in h for h in hrefs) >= 5
    page.close()


def test_compound_tail_tjenester_finds_helsetjenester(browser, site_url, demo_site):
    page = search(browser, f"{site_url}/sok/?q=tjenester")
    show_all(page)
    found = results(page)
    with_word = [r for r in found if "helsetjenester" in (demo_site / r["href"].strip("/") / "index.html").read_text("utf-8")]
    assert with_word, [r["href"] for r in found]
    page.close()


def test_excerpts_do_not_show_the_hidden_word_list(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=stasjon")
    found = results(page)
    for r in found:
        assert "barne bestilling" not in r["text"]
    # a match found only through the compound list shows the service's summary instead
    assert any("Helsestasjon for barn 0–5 år" in r["text"] for r in found)
    page.close()


def test_the_same_query_on_a_district_page_returns_only_that_district(browser, site_url):
    page = search(browser, f"{site_url}/bragernes/sok/?q=helsestasjon")
    show_all(page)
    found = results(page)
    assert found
    assert all(r["href"].startswith("/bragernes/") for r in found)
    assert all(r["meta"].startswith("Bragernes og Øren") for r in found)
    assert page.locator("#filter-district").count() == 0
    page.close()


@pytest.mark.parametrize("day, line", [
    ((2026, 11, 23), "I dag: 12.00–14.00"),  # the build's day, a Monday: building-permit advice Mon 12–14
    ((2026, 11, 24), "I dag: stengt"),
    ((2026, 11, 30), "I dag: 12.00–14.00"),  # the next week
    # The days run from Monday 16 November (the four-week run holding the build's day: Mjøndalen,
    # sixth of the districts, starts its runs a week after the first) to 14 days past the run's last
    # day, Sunday 13 December: at least 14 days after any build.
    ((2026, 12, 14), "I dag: 12.00–14.00"),
    ((2026, 12, 21), "I dag: 12.00–14.00"),
    ((2026, 12, 28), None),  # past them: the result says nothing rather than something old
])
def test_service_results_show_todays_hours(browser, site_url, day, line):
    page = browser.new_page()
    import datetime as dt
    from zoneinfo import ZoneInfo

    page.clock.set_fixed_time(dt.datetime(*day, 12, 0, tzinfo=ZoneInfo("Europe/Oslo")))
    page.goto(f"{site_url}/mjondalen/sok/?q=byggesak")
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"), timeout=15000)
    metas = [r["meta"] for r in results(page) if "Byggesak" in r["title"]]
    assert metas
    if line:
        assert any(line in m for m in metas), metas
    else:
        assert not any("I dag" in m for m in metas), metas
    page.close()


@pytest.mark.parametrize("path", ["/sok/?q=helsestasjon", "/bragernes/sok/?q=helsestasjon"])
@pytest.mark.parametrize("width", [375, 1280])
def test_search_pages_have_no_axe_violations_with_results_shown(browser, site_url, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + path)
    page.wait_for_selector(".search-results li")
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    page.close()


def test_without_javascript_the_search_page_says_so_and_links_to_services(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{site_url}/sok/?q=helse")
    assert page.get_by_text("Søket trenger JavaScript").is_visible()
    page.locator(".search-nojs").get_by_role("link", name="tjenester A–Å").click()
    assert page.url.endswith("/tjenester/index.html")
    ctx.close()


#: A word glued to the next: "HvorSvelvik", "FamilierKontakt", "example.noTimebestilling", "rådhus.Åpent".
GLUED = re.compile(r"[a-zæøå0-9)][A-ZÆØÅ]|[a-zæøå]{2}[.,:;][A-Za-zÆØÅæøå]{2}")


@pytest.mark.parametrize("query", ["helsestasjon", "bibliotek", "nav", "frivillig", "svelvik"])
def test_result_excerpts_read_as_words(browser, site_url, query):
    page = search(browser, f"{site_url}/sok/?q={query}")
    show_all(page)
    texts = [p.inner_text() for p in page.locator(".search-results > li p").all()]
    assert texts, query
    glued = [word for t in texts for word in t.split() if GLUED.search(word)
             and not re.fullmatch(r"(\S+@\S+\.[a-z]+|https?://\S+|[\w.-]+\.(no|com))[.,;:]?", word)]
    assert glued == [], glued
    page.close()


def test_no_page_type_asks_for_anything_that_is_missing(browser, site_url):
    """Lighthouse's "errors in console": no 404 (favicon included) and no console error on any page type."""
    from test_quality import PAGE_TYPES

    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    for path in [*PAGE_TYPES.values(), "/sok/?q=helsestasjon", "/bragernes/sok/?q=kafe"]:
        if path == "/404.html":
            continue  # its own status is the point of it; what it loads must still be there
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(site_url + "/404.html")
    page.wait_for_load_state("networkidle")
    assert failed == []
    page.close()


# --- search that forgives: "Mente du", synonyms, words that exist ---------------------------

def _settled(page, pattern: str) -> None:
    expect(page.locator(".search-status")).to_have_text(re.compile(pattern), timeout=15000)


def _axe_clean(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()


def test_a_confident_correction_shows_its_results_and_links_to_what_was_typed(browser, site_url):
    """"bibliotk" is no word of the portal and one letter from "bibliotek", the only word that near."""
    page = search(browser, f"{site_url}/sok/?q=bibliotk")
    said = "Viser treff for «bibliotek». Søk i stedet etter «bibliotk»."
    _settled(page, re.escape(said))
    expect(page.locator(".search-results h2").first).to_have_text("Bibliotekfilial")
    expect(page.locator(".search-suggest")).to_have_text(said)
    link = page.locator(".search-suggest a")
    expect(link).to_have_text("bibliotk")
    expect(link).to_have_attribute("href", "?q=bibliotk&exact=1")
    _axe_clean(page)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?q=bibliotk&exact=1$"))
    _settled(page, "^Ingen treff på «bibliotk»\\. Mente du «bibliotek»\\?$")
    expect(page.locator(".search-results li")).to_have_count(0)
    expect(page.locator("#q")).to_have_value("bibliotk")
    page.close()
    page = search(browser, f"{site_url}/sok/?q=bibliotk&exact=1")  # a real link: opened on its own, the same
    _settled(page, "^Ingen treff på «bibliotk»")
    page.close()


@pytest.mark.parametrize("path", ["/sok/", "/bragernes/sok/"])
def test_a_typo_that_partly_matches_shows_the_corrected_results_not_the_prefix_matches(browser, site_url, path):
    """Pagefind finds "helse-" pages for "helstasjon" (Tildelingskontoret for helse- og omsorgstjenester
    came first); the page shows the helsestasjon pages instead, and says so."""
    page = search(browser, f"{site_url}{path}?q=helstasjon")
    _settled(page, re.escape("Viser treff for «helsestasjon». Søk i stedet etter «helstasjon»."))
    titles = page.locator(".search-results h2").all_inner_texts()
    assert titles[0] == "Helsestasjon", titles
    assert not [t for t in titles if "Tildelingskontoret" in t], titles
    page.close()


@pytest.mark.parametrize("typo, meant, title", [("nva", "nav", "NAV-veiledning"),  # too short to be sure
                                                ("kfe", "kafé", "Åpent hus-kafé")])
def test_a_correction_that_is_not_sure_is_a_did_you_mean_link(browser, site_url, typo, meant, title):
    page = search(browser, f"{site_url}/sok/?q={typo}")
    _settled(page, f"^Ingen treff på «{typo}»\\. Mente du «{meant}»\\?$")
    link = page.locator(".search-suggest a")
    expect(link).to_have_text(meant)
    _axe_clean(page)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*\?q={quote(meant)}$"))
    expect(page.locator(".search-results h2").first).to_have_text(title)
    expect(page.locator(".search-suggest")).to_be_hidden()
    page.close()


@pytest.mark.parametrize("path", ["/sok/", "/bragernes/sok/"])
@pytest.mark.parametrize("query, title", [("NAV-veiledning", "NAV-veiledning"), ("nav kontor", "NAV-veiledning"),
                                          ("frivilligsentralen", "Frivilligsentralen")])
def test_a_service_comes_first_for_its_own_name_above_the_pages_that_list_it(browser, site_url, path, query, title):
    """District front pages list every service (and used to come first for "nav kontor"): that list
    is not their own text, so the service's page comes first, on the one door in and on a district."""
    page = search(browser, f"{site_url}{path}?q={quote(query)}")
    first = page.locator(".search-results > li").first
    expect(first.locator("h2")).to_have_text(title)
    assert "/tjenester/" in first.locator("a").first.get_attribute("href")
    page.close()


@pytest.mark.parametrize("query, home", [
    ("Øren", "/bragernes/"), ("Fjellhallen", "/fjell/"), ("Nedre Eiker", "/mjondalen/"),
    ("Åskollen", "/skoger/"),  # only Skoger's bundle has the word; the others fall back to "å"
    ("Konnerud", "/konnerud/"),  # above the plan for a cycle path "Konnerud–Bragernes"
    ("Bragernes kvartal", "/bragernes/"),  # the hub, above the meeting about the plan of the same name
])
def test_a_district_front_page_is_found_first_for_its_names_areas_and_hub(browser, site_url, query, home):
    page = search(browser, f"{site_url}/sok/?q={quote(query)}")
    expect(page.locator(".search-results > li h2 a").first).to_have_attribute("href", home)
    page.close()


def test_a_word_of_another_district_is_no_answer_on_a_districts_own_search(browser, site_url):
    """Building advice is not offered in Bragernes: Pagefind falls back to a word starting with "g",
    which is no answer, so the page says it found nothing."""
    page = search(browser, f"{site_url}/bragernes/sok/?q=garasje")
    _settled(page, "^Ingen treff på «garasje»\\.$")
    expect(page.locator(".search-results li")).to_have_count(0)
    page.close()


def test_a_correction_is_made_at_once_only_when_it_is_clearly_the_word_meant(browser, tree, tmp_path):
    """One edit from one word of the portal: corrected. As near two words ("makurs": matkurs, malkurs),
    or another first letter ("vatkurs"): only suggested, and what was typed is searched."""
    from conftest import serve

    from hub.pipeline.steps import build

    for slug, title in (("matkurs", "Matkurs"), ("malkurs", "Malkurs")):
        tree.write(f"districts/nordby/services/{slug}.md", f"---\ntitle: {title}\nservice: {slug}\ncategory: kultur\n"
                   f"summary: {title} for alle.\n---\nVelkommen.\n")
    build(tree.root, tmp_path / "site")
    url, server = serve(tmp_path / "site")
    try:
        page = search(browser, f"{url}/nordby/sok/?q=matkrus")
        _settled(page, re.escape("Viser treff for «matkurs». Søk i stedet etter «matkrus»."))
        expect(page.locator(".search-results h2").first).to_have_text("Matkurs")
        for typo in ("makurs", "vatkurs"):
            page.goto(f"{url}/nordby/sok/?q={typo}")
            expect(page.locator("#search")).to_have_attribute("aria-busy", "false")
            _settled(page, f"^Ingen treff på «{typo}»\\. Mente du «ma[tl]kurs»\\?$")
        page.close()
    finally:
        server.shutdown()


def test_a_configured_synonym_finds_its_service(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=helsesøster")  # site.yaml: helsesøster → helsesykepleier, helsestasjon
    _settled(page, "Viser også treff for «helsesykepleier, helsestasjon»")
    expect(page.locator(".search-results h2").first).to_have_text("Helsestasjon")
    _axe_clean(page)
    page.close()


def test_a_word_the_index_lacks_is_left_out_and_the_page_says_so(browser, site_url):
    page = search(browser, f"{site_url}/sok/?q=nav%20trampoline")
    _settled(page, "Viser treff for «nav»")
    expect(page.locator(".search-results h2").first).to_contain_text("NAV")
    _axe_clean(page)
    page.close()


def test_two_words_no_page_holds_together_fall_back_to_each_word(browser, tree, tmp_path):
    from conftest import serve

    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/nav.md", "---\ntitle: NAV-veiledning\nservice: nav\ncategory: helse\n"
               "summary: Hjelp med søknader.\n---\nVeiledere fra NAV svarer på spørsmål.\n")
    tree.write("districts/nordby/services/bibliotek.md", "---\ntitle: Bibliotek\nservice: bibliotek\n"
               "category: kultur\nsummary: Lån bøker.\n---\nBibliotekets kontor er i andre etasje.\n")
    build(tree.root, tmp_path / "site")
    url, server = serve(tmp_path / "site")
    try:
        page = search(browser, f"{url}/nordby/sok/?q=nav%20kontor")
        _settled(page, "Ingen sider har alle ordene. Viser treff for «nav» eller «kontor».")
        titles = page.locator(".search-results h2").all_inner_texts()
        assert "NAV-veiledning" in titles and "Bibliotek" in titles
        _axe_clean(page)
        page.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", ["/sok/", "/bragernes/sok/", "/konnerud/sok/"])
def test_the_filter_values_the_build_lists_are_exactly_those_in_the_index(browser, site_url, path):
    """The page lists filter values from the build instead of fetching every bundle's filter files."""
    page = browser.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(site_url + path + "?q=helsestasjon")
    expect(page.locator(".search-results li").first).to_be_visible(timeout=15000)
    assert not [u for u in fetched if u.endswith(".pf_filter")]  # no filter files for a plain query
    listed = page.evaluate("JSON.parse(document.getElementById('search').dataset.filters)")
    bundles = page.evaluate("""async () => {
        const root = document.getElementById('search');
        const pf = await import(new URL(root.dataset.bundle, document.baseURI).pathname + 'pagefind.js');
        await pf.options({basePath: new URL(root.dataset.bundle, document.baseURI).pathname});
        for (const b of (root.dataset.merge || '').split(/\\s+/).filter(Boolean)) {
            await pf.mergeIndex(new URL(b, document.baseURI).pathname);
        }
        const all = await pf.filters();
        return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Object.keys(v).sort()]));
    }""")
    assert {k: sorted(v) for k, v in listed.items()} == {k: v for k, v in bundles.items() if v and (k != "district" or path == "/sok/")}
    page.close()
