"""Spec: the built demo is valid, reproducible, light, CSP-clean and accessible; hostile content stays inert."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import DEMO, EPOCH, WCAG, errors_of, tree_digest
from tools import npm_package

from hub.pipeline.steps import build


def _vnu() -> Path:
    """The Nu HTML Checker: $VNU_JAR, else npm's vnu-jar, pinned (it runs on the machine's Java)."""
    if "VNU_JAR" in os.environ:
        return Path(os.environ["VNU_JAR"])
    return npm_package("vnu-jar", "26.9.27") / "build/dist/vnu.jar"


#: One page of every type (search with results is in test_browser_search.py).
PAGE_TYPES = {
    "index": "/", "services A–Å": "/tjenester/", "service across districts": "/tjenester/helsestasjon/",
    "combined programme": "/program/", "district home": "/konnerud/", "service": "/bragernes/tjenester/helsestasjon/",
    "programme": "/bragernes/program/", "event": "/solbergelva/program/foredrag-sov/",
    "page": "/bragernes/medvirkning/", "news": "/bragernes/nyheter/knutepunktet-apner/", "404": "/404.html",
    "accessibility": "/tilgjengelighet/", "search (empty)": "/sok/",
    "find your hub": "/finn/", "streets on a letter": "/finn/k/", "postcode": "/finn/postnummer/3046/",
    "poster": "/konnerud/plakat/", "poster, four weeks": "/konnerud/plakat/maned/",
    "plan": "/bragernes/planer/bragernes-kvartal/", "plans and hearings": "/planer/",
}
PAGE_TYPES["event"] = "/solbergelva/program/foredrag-sovn/"
# Pages in the demo's translation languages (their chrome from the pl and ar catalogs; English's exists).
PAGE_TYPES.update({
    "service in Polish": "/pl/bragernes/tjenester/helsestasjon/", "service in Arabic": "/ar/bragernes/tjenester/helsestasjon/",
    "service in English": "/en/konnerud/tjenester/nav-veiledning/", "event in Arabic": "/ar/konnerud/program/sprakkafe/",
    "district home in Arabic": "/ar/bragernes/", "district home in Polish": "/pl/konnerud/",
    "plan in English": "/en/bragernes/planer/bragernes-kvartal/", "information in Arabic": "/ar/",
    "information in Polish": "/pl/", "search in Arabic (empty)": "/ar/sok/"})


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# --- valid HTML ----------------------------------------------------------------

def test_every_page_passes_the_nu_html_checker(demo_site):
    vnu = _vnu()
    pages = html_pages(demo_site)
    r = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "gnu", *map(str, pages)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr[:3000]
    assert len(pages) > 200


# --- reproducible ----------------------------------------------------------------

def test_two_builds_of_the_same_content_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(DEMO, tmp_path / "a")
    build(DEMO, tmp_path / "b")
    a, b = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert any("pagefind" in k for k in a)  # the search bundles are compared too
    assert a == b


# --- weight ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["bragernes/index.html", "index.html", "finn/index.html"])
def test_pages_with_their_css_js_and_data_are_under_40_kb_gzip(demo_site, path):
    """The budget holds for a district home, the front page and the finder, map and finder data included."""
    home = demo_site / path
    html = home.read_text("utf-8")
    assert "districtmap" in html or path == "finn/index.html"
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    files = [home] + [(home.parent / a).resolve() for a in assets]
    if "data-finder" in html:
        files.append(demo_site / "finn/steder.json")  # fetched as soon as the page runs
    assert len(files) >= 3
    total = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    assert total <= 40 * 1024, total


# --- CSP, in the browser -------------------------------------------------------------

CSP_HOOK = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/bragernes/", "/bragernes/tjenester/helsestasjon/", "/sok/?q=helsestasjon",
                                  "/bragernes/sok/?q=vaksine"])
def test_pages_load_with_zero_csp_violations(browser, site_url, path):
    page = browser.new_page()
    page.add_init_script(CSP_HOOK)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site_url + path)
    if "sok" in path:
        page.wait_for_selector(".search-results li", timeout=15000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert console == []
    assert "script-src 'self' 'wasm-unsafe-eval'" in page.locator(
        "meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    page.close()


def test_no_inline_script_or_style_in_any_page(demo_site):
    for page in html_pages(demo_site):
        html = page.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))", html), page
        assert "<style" not in html and " style=" not in html and not re.search(r" on[a-z]+=", html), page


# --- accessibility -----------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_every_page_type_has_zero_axe_violations(browser, site_url, kind, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + PAGE_TYPES[kind])
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    page.close()


@pytest.mark.browser
def test_keyboard_skip_link_visible_focus_and_logical_order(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/bragernes/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Hopp til hovedinnhold"
    assert skip.bounding_box()["x"] >= 0  # moved on screen when focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    order = []
    page.goto(site_url + "/bragernes/")
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert order[:4] == ["Hopp til hovedinnhold", "Drammen kommune Bragernes og Øren", "site-q", "Søk"]
    assert order[4:] == ["Forside", "Åpent hus-program"]
    page.close()


# --- hostile content -------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=/media/x.png onerror=alert(2)>", "<svg onload=alert(3)>",
    "\"><script>alert(4)</script>", "javascript:alert(5)", "<a href=\"javascript:alert(6)\">x</a>",
    "<iframe src=\"data:text/html,<script>alert(7)</script>\"></iframe>", "&lt;script&gt;alert(8)&lt;/script&gt;",
    "<a href=\"JaVaScRiPt:alert(9)\">y</a>", "<details open ontoggle=alert(10)>", "</title><script>alert(11)</script>",
    "<math><mtext><table><mglyph><style><img src=/media/x.png onerror=alert(12)>", "{{ 7*7 }}<b>{% raw %}x{% endraw %}</b>",
    "[klikk](javascript:alert(13))", "<a href=\"&#106;avascript:alert(14)\">z</a>", "<object data=\"x.svg\"></object>",
]


def hostile_tree(tree) -> None:
    tree.write("media/x.png", b"\x89PNG\r\n\x1a\n")  # a picture from elsewhere is refused: the payloads use an uploaded one
    body = "\n\n".join(PAYLOADS)
    one_line = " ".join(p.replace('"', "'") for p in PAYLOADS)
    tree.write("districts/nordby/services/helsestasjon.md", f'''---
title: "Helse {one_line}"
category: helse
summary: "{one_line}"
audience: ["{PAYLOADS[1].replace('"', "'")}"]
keywords: ["{PAYLOADS[0]}"]
location:
  name: "{PAYLOADS[3].replace('"', "'")}"
  address: "{PAYLOADS[2]}"
---
{body}
''')
    tree.write("districts/nordby/pages/om.md", f"---\ntitle: \"{PAYLOADS[10]}\"\n---\n{body}\n")
    tree.write("districts/nordby/programme/babytreff.md", f'''---
title: "{PAYLOADS[1]}"
summary: "{one_line}"
date: 2026-11-24
start: "12:00"
end: "13:00"
organiser: "{PAYLOADS[0]}"
---
{body}
''')


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag as the browser's parser sees it (escaped text is text, not a tag)."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    P().feed(html)
    return found


def test_hostile_urls_in_fields_are_rejected_with_a_clear_error(tree):
    tree.write("districts/nordby/services/helsestasjon.md",
               '---\ntitle: x\ncategory: helse\nsummary: x\nbooking_url: "javascript:alert(1)"\n'
               'contact: {url: "data:text/html,<script>alert(1)</script>"}\n---\n')
    assert errors_of(tree.root) == [
        "content/districts/nordby/services/helsestasjon.md:5: booking_url: lenken må begynne med https://, http://, "
        "mailto: eller tel:",
        "content/districts/nordby/services/helsestasjon.md:6: contact.url: lenken må begynne med https://, http://, "
        "mailto: eller tel:",
    ]


@pytest.mark.browser
def test_no_payload_executes_in_the_browser(browser, tree, tmp_path):
    from conftest import serve

    hostile_tree(tree)
    out = tmp_path / "site"
    build(tree.root, out)
    for page_file in html_pages(out):
        for tag, attrs in parsed_tags(page_file.read_text("utf-8")):
            names = dict(attrs)
            if tag == "svg":  # only the theme's own drawings: the district map and the posters' QR codes
                assert set(names) == {"viewbox", "aria-hidden", "focusable"} or (
                    set(names) == {"role", "aria-label", "viewbox", "class"} and names["class"] == "qr"), (page_file, attrs)
                continue
            assert tag not in {"iframe", "object", "math", "details", "style"}, (page_file, tag)
            if tag == "img":  # only the uploaded picture, without its handler (checked below)
                assert (names.get("src") or "").endswith("media/x.png"), (page_file, attrs)
            if tag == "script":
                assert names.get("src", "").endswith(".js") or names.get("type") == "application/ld+json", page_file
            assert not [n for n in names if n.startswith("on")], (page_file, tag, attrs)
            for n in ("href", "src", "action"):
                assert not (names.get(n) or "").strip().lower().startswith(("javascript", "data")), (page_file, attrs)
    url, server = serve(out)
    page = browser.new_page()
    page.add_init_script("""
      window.__fired = 0;
      for (const f of ['alert', 'confirm', 'prompt']) window[f] = () => { window.__fired++; };
      new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
        if (n.nodeName === 'SCRIPT' && !n.src && n.type !== 'application/ld+json') window.__fired++;
      }))).observe(document, {childList: true, subtree: true});
    """)
    for rel in ["nordby/", "nordby/tjenester/helsestasjon/", "nordby/om/", "nordby/program/babytreff/",
                "nordby/program/", "tjenester/helsestasjon/", "", "nordby/sok/?q=helse"]:
        page.goto(f"{url}/{rel}")
        page.wait_for_load_state("networkidle")
        for link in page.locator("a[href]").all()[:80]:
            assert not (link.get_attribute("href") or "").lower().strip().startswith(("javascript", "data"))
        assert page.evaluate("window.__fired") == 0, rel
    page.close()
    server.shutdown()
    summary = (out / "nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert "{{ 7*7 }}" in summary and "<b>{% raw %}" not in summary  # content is never a template, and escaped


# --- bad input corpus through the real CLI ------------------------------------------------------

BAD = {
    "malformed YAML": ("districts/nordby/district.yaml", "name: [x\n", "content/districts/nordby/district.yaml:1: ugyldig YAML"),
    "tab indentation": ("districts/nordby/district.yaml", "name: x\nhub:\n\tname: y\n",
                        "content/districts/nordby/district.yaml:3: tabulator brukt som innrykk"),
    "non-UTF-8 bytes": ("districts/nordby/pages/a.md", b"---\ntitle: \xe5pent\n---\n",
                        "content/districts/nordby/pages/a.md:2: filen er ikke UTF-8"),
    "empty file": ("districts/nordby/pages/a.md", "", "content/districts/nordby/pages/a.md:1: filen er tom"),
    "alias bomb": ("districts/nordby/district.yaml",
                   "a: &a [x,x,x,x,x,x,x,x]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i-1}'}]*9\n"
                                                          .replace("]*9", ", *" + ('a' if i == 0 else f'b{i-1}') + "]")
                                                          for i in range(30)),
                   "YAML-ankere og -aliaser"),
    "huge file": ("districts/nordby/pages/a.md", "---\ntitle: x\n---\n" + "tekst " * 250_000,
                  "content/districts/nordby/pages/a.md: filen er for stor"),
    "bad folder name": ("districts/Nord By/district.yaml", "name: x\n", "content/districts/Nord By: mappenavnet"),
    "unclosed front matter": ("districts/nordby/pages/a.md", "---\ntitle: x\n", "front matter er ikke lukket"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A good build to be left untouched by every bad one."""
    import shutil

    from conftest import DISTRICT, SERVICE, SITE, Tree

    root = tmp_path_factory.mktemp("bad")
    t = Tree(root / "content")
    t.write("site.yaml", SITE)
    t.write("districts/nordby/district.yaml", DISTRICT)
    t.write("districts/nordby/services/helsestasjon.md", SERVICE)
    out = root / "site"
    build(t.root, out, search=False)
    pristine = root / "pristine"
    shutil.copytree(t.root, pristine)
    return t, out, pristine, tree_digest(out)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_fails_with_a_message_and_leaves_the_site_alone(published, case):
    import shutil
    import sys
    import time

    t, out, pristine, before = published
    shutil.rmtree(t.root)
    shutil.copytree(pristine, t.root)
    rel, data, expected = BAD[case]
    t.write(rel, data)
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(t.root), "--out", str(out),
                        "--no-search"], capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - started < 30
    assert r.returncode == 1, r.stderr
    assert expected in r.stderr, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert tree_digest(out) == before


def test_symlink_pointing_outside_content_is_refused(published, tmp_path):
    import shutil
    import sys

    t, out, pristine, before = published
    shutil.rmtree(t.root)
    shutil.copytree(pristine, t.root)
    secret = tmp_path / "passwd.md"
    secret.write_text("---\ntitle: hemmelig\n---\n")
    (t.root / "districts/nordby/pages").mkdir(exist_ok=True)
    (t.root / "districts/nordby/pages/lenke.md").symlink_to(secret)
    r = subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(t.root), "--out", str(out),
                        "--no-search"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "content/districts/nordby/pages/lenke.md: symbolske lenker er ikke tillatt" in r.stderr
    assert tree_digest(out) == before
