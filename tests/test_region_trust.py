"""Spec: the region's trust boundary. A member's manifest is someone else's data: it decides nothing
about what runs on the region's pages, a slow member costs the build at most its own time budget,
and every way a manifest can be wrong ends as one line naming that member and the field — never a
traceback, never the loss of the member's last good copy, never the manifest's values in the log.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EPOCH
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from test_browser_search import show_all
from test_region import EXAMPLES, _region_file, _serve, region

from hub.commands.region import command as region_command
from hub.pipeline.steps import build
from hub.region.reading import MAX_DEPTH, MemberError, read

MANIFEST = "apne-data/portal.json"


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    """Nordvik and Sørvik built from content (small portals: two districts each)."""
    root = tmp_path_factory.mktemp("portals")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in ("nordvik", "sorvik"):
            build(EXAMPLES / f"{name}/content", root / name)
    return root


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text("utf-8"))


# --- a slow member -------------------------------------------------------------------------------

class Trickle(BaseHTTPRequestHandler):
    """A server that answers, but a byte at a time: the headers (``/headers/``) or the body."""

    gap = 0.05

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        body = b"{" + b" " * 99_998 + b"}"
        slow_head = self.path.startswith("/headers/")
        try:
            for i, byte in enumerate(head + body):
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if slow_head or i >= len(head):
                    time.sleep(self.gap)
        except OSError:
            pass  # the region gave up: what the test wants

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trickling():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("slow", ["body", "headers"])
def test_a_member_that_trickles_costs_the_build_its_budget_and_is_shown_from_its_last_good_copy(
        portals, tmp_path, trickling, slow):
    good, server = _serve(portals / "sorvik")
    try:
        folder = tmp_path / "r"
        urls = {"nordvik": _serve(portals / "nordvik")[0], "sorvik": good}
        assert region(str(_region_file(folder, urls)), "--out", str(folder / "site"),
                      "--cache", str(folder / "cache")).returncode == 0
        budget = 4
        path = _region_file(folder, {**urls, "sorvik": f"{trickling}/{'headers/' if slow == 'headers' else ''}"})
        started = time.monotonic()
        r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"), "--timeout", str(budget))
        took = time.monotonic() - started
    finally:
        server.shutdown()
    assert r.returncode == 0, r.stderr
    assert took < budget + 10, took  # the budget, Python's start and the rendering; the server would go on for 80 min
    assert "medlemmet 'sorvik' vises fra kopien hentet" in r.stderr and f"innen {budget} s" in r.stderr
    front = (folder / "site/index.html").read_text("utf-8")
    assert "Sørvik kommune kunne ikke oppdateres; vises slik den var" in front and "Nordvik kommune" in front


def test_a_trickling_member_never_fetched_stops_the_build_within_its_budget(portals, tmp_path, trickling):
    folder = tmp_path / "r"
    path = _region_file(folder, {"nordvik": _serve(portals / "nordvik")[0], "sorvik": trickling + "/"})
    started = time.monotonic()
    r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"), "--timeout", "3")
    assert r.returncode == 1 and time.monotonic() - started < 3 + 10
    assert "knutepunkt region: medlemmet 'sorvik' er aldri hentet" in r.stderr and "innen 3 s" in r.stderr
    assert "Traceback" not in r.stderr and not (folder / "site").exists()


def test_slow_members_are_fetched_side_by_side_each_within_its_own_budget(tmp_path, trickling):
    folder = tmp_path / "r"
    path = _region_file(folder, {f"treg{i}": f"{trickling}/{i}/" for i in range(4)})
    started = time.monotonic()
    r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"), "--timeout", "4")
    took = time.monotonic() - started
    assert r.returncode == 1 and r.stderr.count("er aldri hentet") == 4 == len(r.stderr.splitlines()), r.stderr
    assert took < 2 * 4 + 4, took  # one after the other would take 16 s and more


# --- redirects -----------------------------------------------------------------------------------

def _redirecting(to: str):
    """A server that answers every request with a redirect to ``to`` ({self}: itself, {path}: the path asked)."""
    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            here = f"http://127.0.0.1:{self.server.server_address[1]}"
            self.send_header("Location", to.replace("{self}", here).replace("{path}", self.path))
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def test_a_member_that_moved_is_followed_and_its_new_origin_is_its_own(portals, tmp_path):
    target, site = _serve(portals / "sorvik")
    moved, server = _redirecting(target.rstrip("/") + "{path}")
    try:
        folder = tmp_path / "r"
        r = region(str(_region_file(folder, {"sorvik": moved + "/"})), "--out", str(folder / "site"),
                   "--cache", str(folder / "cache"))
    finally:
        server.shutdown()
        site.shutdown()
    assert r.returncode == 0, r.stderr
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', (folder / "site/sok/index.html")
                       .read_text("utf-8")).group(1)
    assert target.rstrip("/") in policy and moved not in policy  # its bundles are where it was found
    assert target.rstrip("/") in (folder / "site/tjenester/index.html").read_text("utf-8")


@pytest.mark.parametrize("to, message", [
    ("http://example.invalid{path}", "omdirigert til en adresse som ikke er https://"),  # never to plain http
    ("{self}{path}", "for mange omdirigeringer"),  # a loop: at most three
    ("{site}index.html", "ikke er portalens manifest"),  # a portal's front page is no manifest
])
def test_a_redirect_the_region_does_not_follow_is_the_members_error(portals, tmp_path, to, message):
    site, portal = _serve(portals / "sorvik")
    here, server = _redirecting(to.replace("{site}", site))
    try:
        folder = tmp_path / "r"
        r = region(str(_region_file(folder, {"m": here + "/"})), "--out", str(folder / "site"),
                   "--cache", str(folder / "cache"), "--timeout", "5")
    finally:
        server.shutdown()
        portal.shutdown()
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


# --- malformed manifests ---------------------------------------------------------------------------

def _refused_keeps_the_last_good_copy(portals: Path, tmp_path: Path, raw: bytes) -> str:
    """Build with a good Sørvik, then with ``raw`` as its manifest: exit 0, the old copy shown; the warning."""
    member = tmp_path / "sorvik"
    shutil.copytree(portals / "sorvik", member)
    url, server = _serve(member)
    try:
        folder = tmp_path / "r"
        path = _region_file(folder, {"sorvik": url})
        assert region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache")).returncode == 0
        (member / MANIFEST).write_bytes(raw)
        later = time.time() + 5  # If-Modified-Since counts whole seconds: a change in the same second would be a 304
        os.utime(member / MANIFEST, (later, later))
        r = region(str(path), "--out", str(folder / "site"), "--cache", str(folder / "cache"))
    finally:
        server.shutdown()
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    lines = [x for x in r.stderr.splitlines() if "'sorvik'" in x]
    assert len(lines) == 1 and "vises fra kopien hentet" in lines[0], r.stderr
    assert "Sørvik kommune kunne ikke oppdateres" in (folder / "site/index.html").read_text("utf-8")
    return lines[0]


@pytest.mark.parametrize("raw, field", [
    (b"[" * 200_000 + b"]" * 200_000, "(hele manifestet): nøstet dypere enn"),  # Python's parser: RecursionError
    (b'{"manifest_version": 1, "x": ' + b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5) + b"}", "x[0][0]"),
    (b"[]", "(hele manifestet): skal være et JSON-objekt"),
    (b'"portal"', "(hele manifestet): skal være et JSON-objekt"),
    (b"null", "(hele manifestet): skal være et JSON-objekt"),
    (lambda m: {**m, "municipality": [], "districts": {}}, "municipality: skal være et objekt (og 1 feil til)"),
    (lambda m: {**m, "search": "https://sorvik.example.no/pagefind/"}, "search: skal være en liste"),
    (b'{"manifest_version": [1]}', "manifest_version: ukjent versjon"),
    (b'{"manifest_version": 1, "generated": NaN}', "ikke gyldig JSON"),
    (b"\xff\xfe{", "ikke gyldig JSON"),
    # a field named with someone else's text holding broken text: named by where it is, never by its name
    (b'{"\\u00abx\\u00bb": "a\\ud800"}', "(hele manifestet): et felt med et navn som ikke er et feltnavn har tekst "
     "med ugyldige tegn"),
])
def test_deep_nesting_and_wrong_types_at_the_top_keep_the_last_good_copy(portals, tmp_path, raw, field):
    if callable(raw):
        raw = json.dumps(raw(_manifest(portals / "sorvik"))).encode()
    assert field in _refused_keeps_the_last_good_copy(portals, tmp_path, raw)


def _mutated(manifest: dict[str, Any], change) -> bytes:
    bad = copy.deepcopy(manifest)
    change(bad)
    return json.dumps(bad).replace('"\\u00ab1e999\\u00bb"', "1e999").encode()  # JSON's number for infinity


@pytest.mark.parametrize("change, line", [
    (lambda m: m["municipality"].update(timezone="Europe/Nowhere"), "municipality.timezone: ukjent tidssone"),
    (lambda m: m["municipality"].update(organization_number="921234555"),
     "municipality.organization_number: ugyldig organisasjonsnummer"),
    (lambda m: m["municipality"].update(language="se"), "municipality.language: ugyldig verdi"),
    (lambda m: m["districts"][0]["hours"]["days"].update({"2026-02-30": []}), "hours.days.2026-02-30 (nøkkelen): ingen virkelig dato"),
    (lambda m: m["districts"][0]["hours"]["days"].update({"2026-11-24": [["24:00", "08:00"]]}),
     "districts[0].hours.days.2026-11-24[0]: et tidsrom begynner før 24:00"),
    (lambda m: m["districts"][0]["hub"].update(lat="«1e999»"), "districts[0].hub.lat: skal være et endelig tall"),
    (lambda m: m["districts"][0]["hub"].update(lon=-181), "districts[0].hub.lon: utenfor gyldig område"),
    (lambda m: m["programme"][0].update(start="2026-11-24T10:00:00"), "programme[0].start: mangler tidssone"),
    (lambda m: m["programme"][0].update(end="2020-01-01T10:00:00+01:00"), "programme[0]: slutter før den begynner"),
    (lambda m: m["services"][0].update(title="Svømming\x1b[2J"), "services[0].title: kontrolltegn"),
])
def test_fields_are_checked_for_meaning_not_only_shape(portals, tmp_path, change, line):
    manifest = _manifest(portals / "sorvik")
    if not manifest["programme"]:
        pytest.skip("Sørvik has no programme")
    assert line in _refused_keeps_the_last_good_copy(portals, tmp_path, _mutated(manifest, change))


def test_links_to_another_host_are_kept_with_a_warning_naming_the_host(portals):
    m = _manifest(portals / "sorvik")
    m["services"][0]["offers"][0]["url"] = "https://booking.example.org/svomming"
    m["districts"][1]["url"] = "https://booking.example.org/"
    reading = read(json.dumps(m).encode())
    assert reading.manifest.services[0].offers[0].url == "https://booking.example.org/svomming"
    assert reading.notes == ("2 lenker går til booking.example.org, ikke til medlemmets egen adresse "
                             "https://sorvik.example.no (først districts[1].url)",)


def test_a_search_bundle_on_another_origin_is_left_out(portals):
    m = _manifest(portals / "sorvik")
    m["search"] = ["https://cdn.example.org/pagefind/", *m["search"]]
    reading = read(json.dumps(m).encode())
    assert list(reading.manifest.search) == _manifest(portals / "sorvik")["search"]
    assert any(n.startswith("search[0]: søkeindeksen på cdn.example.org") for n in reading.notes)


def test_the_region_reads_only_the_contract_versions_it_knows(portals):
    m = _manifest(portals / "sorvik")
    for version in (3, "1", True, None):
        m["manifest_version"] = version
        with pytest.raises(MemberError, match=r"^manifest_version: (ukjent versjon|mangler) \(denne regionen leser "
                                              r"versjon 1, 2\)$"):
            read(json.dumps(m).encode())


# --- the property: whatever a manifest holds -------------------------------------------------------

CANARY = "«KANARI»"  # never a plain field name (the log may name those), so never in the log at all


def _paths(data: object, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*path, i))
    return out


def _dotted(path: tuple) -> str:
    text = ""
    for p in path:
        text += f"[{p}]" if isinstance(p, int) else ("." if text else "") + p
    return text


texts = st.builds(lambda a, b: a + CANARY + b, st.text(max_size=20),
                  st.sampled_from(["", "<script>alert(1)</script>", "\ud800", "\u202e", "\x1b[31m", "😀", "ø" * 3000]))
HUGE = "«HUGE»"  # stands for a number of 5,000 digits, more than Python's parser takes
HUGE_DIGITS = "9" * 5000
values = st.one_of(
    texts, st.integers(-2 ** 70, 2 ** 70), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.just(HUGE), st.lists(texts, max_size=3), st.dictionaries(texts, texts, max_size=2),
    st.lists(st.integers(), min_size=3000, max_size=3000))
mutations = st.one_of(
    st.tuples(st.just("swap"), values),
    st.tuples(st.just("remove"), st.none()),
    st.tuples(st.just("nest"), st.integers(2, 3000)),
)


NEST = "«NEST»"


def _mutate(doc: Any, path: tuple, kind: str, value: Any) -> bytes:
    """``doc`` changed at ``path`` as JSON bytes. Deep nesting is written as text (Python's own writer
    recurses); :data:`HUGE` goes in as the number it stands for."""
    nested = ""
    if kind == "nest":
        inner = doc
        for p in path:
            inner = inner[p]
        nested = "[" * value + json.dumps(inner) + "]" * value
        value, kind = NEST, "swap"
    if not path:
        doc = {} if kind == "remove" else value
    else:
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        if kind == "remove":
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    return json.dumps(doc).replace(json.dumps(NEST), nested).replace(json.dumps(HUGE), HUGE_DIGITS).encode()


@pytest.fixture(scope="module")
def sorvik(portals):
    raw = (portals / "sorvik" / MANIFEST).read_bytes()
    return raw, json.loads(raw), sorted(_paths(json.loads(raw)), key=lambda p: [str(x) for x in p])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), had_copy=st.booleans(), mutation=mutations)
def test_whatever_a_manifest_holds_the_member_gets_one_line_and_keeps_its_last_good_copy(sorvik, data, had_copy,
                                                                                         mutation):
    good, manifest, paths = sorvik
    path = paths[data.draw(st.integers(0, len(paths) - 1), label="path")]
    kind, value = mutation
    if kind == "remove" and path and isinstance(path[-1], int):
        kind = "swap"  # removing from a list shifts the rest: the field named would be a neighbour
        value = None
    raw = _mutate(copy.deepcopy(manifest), path, kind, value)
    with tempfile.TemporaryDirectory(prefix="knutepunkt-prop-") as tmp:
        work = Path(tmp)
        (work / "m" / "apne-data").mkdir(parents=True)
        (work / "m" / MANIFEST).write_bytes(raw)
        (work / "region.yaml").write_text("name: Regionen\nbase_url: https://region.example.no/\n"
                                          "members:\n  - {slug: m, source: m}\n", "utf-8")
        if had_copy:
            (work / "cache/m").mkdir(parents=True)
            (work / "cache/m/portal.json").write_bytes(good)
            (work / "cache/m/meta.json").write_text('{"fetched": "2026-11-22T03:00:00+00:00"}', "utf-8")
        result = CliRunner().invoke(region_command, ["build", str(work / "region.yaml"), "--out", str(work / "site"),
                                                     "--cache", str(work / "cache")])
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1) and isinstance(result.exception, (SystemExit, type(None))), output
        assert CANARY not in output and HUGE_DIGITS[:20] not in output and "Traceback" not in output
        if isinstance(value, int) and abs(value) >= 10 ** 6:
            assert str(value) not in output
        about = [line for line in result.stderr.splitlines() if "'m'" in line]
        refused = [line for line in about if "vises fra kopien" in line or "aldri hentet" in line]
        event(f"mutation: {kind}; " + ("refused, " + ("last good copy shown" if had_copy else "exit 1")
                                         if refused else "still valid, shown"))
        if refused:
            assert len(refused) == 1 == len(about), result.stderr  # one line for the member
            line = refused[0]
            named = ["(hele manifestet)", "manifest_version"] + [_dotted(path[:k]) for k in range(1, len(path) + 1)]
            assert any(n in line for n in named), (line, _dotted(path))
            if had_copy:
                assert result.exit_code == 0
                pages = "".join(p.read_text("utf-8") for p in (work / "site").rglob("*.html"))
                assert "Sørvik kommune kunne ikke oppdateres" in pages and CANARY not in pages
            else:
                assert result.exit_code == 1 and "aldri hentet" in line and not (work / "site").exists()
        else:
            assert result.exit_code == 0, output  # still a valid manifest: shown as it is now
            assert (work / "site/index.html").is_file()


# --- a member's manifest decides nothing about what runs on the region's pages ---------------------

class Recording(BaseHTTPRequestHandler):
    """A third origin: serves a Pagefind bundle whose code would mark the page, and remembers every request."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Recording.seen.append(self.path)
        body = b"window.__thirdOrigin = true; export const options = async () => {};"
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.browser
def test_a_bundle_on_a_third_origin_never_reaches_the_regions_pages(browser, portals, tmp_path):
    third = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=third.serve_forever, daemon=True).start()
    evil = f"127.0.0.1:{third.server_address[1]}"
    hostile = tmp_path / "nordvik"
    shutil.copytree(portals / "nordvik", hostile)
    manifest = _manifest(hostile)
    manifest["search"] = [f"http://{evil}/pagefind/", *manifest["search"]]  # first: the one the search used to import
    (hostile / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    served = [_serve(hostile), _serve(portals / "sorvik")]
    folder = tmp_path / "r"
    try:
        r = region(str(_region_file(folder, {"nordvik": served[0][0], "sorvik": served[1][0]})),
                   "--out", str(folder / "site"), "--cache", str(folder / "cache"))
        assert r.returncode == 0, r.stderr
        assert f"advarsel: medlemmet 'nordvik': search[0]: søkeindeksen på {evil} er ikke på medlemmets egen " \
               "adresse" in r.stderr
        for page in (folder / "site").rglob("*.html"):
            policy = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"',
                                             page.read_text("utf-8")).group(1))
            assert evil not in policy and "script-src 'self' 'wasm-unsafe-eval';" in policy, policy
        assert evil not in "".join(p.read_text("utf-8") for p in (folder / "site").rglob("*.html"))
        url, site = _serve(folder / "site")
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda req: requests.append(req.url))
            page.goto(url + "sok/index.html?q=bibliotek")
            expect(page.locator(".search-status")).to_have_text(re.compile(r"\d+ treff"), timeout=20000)
            show_all(page)
            hrefs = [a.get_attribute("href") for a in page.locator(".search-results h2 a").all()]
            origins = {re.match(r"http://127\.0\.0\.1:\d+/", h).group(0) for h in hrefs if h.startswith("http")}
            assert origins == {served[0][0], served[1][0]}, hrefs  # both members found, hostile one included
            page.select_option("#filter-municipality", "Sørvik kommune")
            expect(page.locator(".search-results h2 a").first).to_have_attribute("href", re.compile(served[1][0]))
            assert page.evaluate("window.__thirdOrigin") is None  # no script from it ran
            scripts = [u for u in requests if u.endswith(".js")]
            assert scripts and all(u.startswith(url) for u in scripts), scripts  # every script from the region
            assert any(u.startswith(served[0][0]) and "pf_" in u for u in requests)  # members' bundles: data
            page.close()
        finally:
            site.shutdown()
    finally:
        third.shutdown()
        for _, server in served:
            server.shutdown()
    assert not [u for u in requests if evil in u] and Recording.seen == []  # not one request went there
