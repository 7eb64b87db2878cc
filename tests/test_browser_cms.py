"""Spec, in a real browser: a coordinator edits in Decap CMS (local backend), and the portal follows.

Decap is the pinned npm package that ``knutepunkt cms`` fetches; decap-server writes the files.
The forms come from the content models, so what ``check`` refuses the form refuses too.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from conftest import DEMO, EPOCH, serve
from playwright.sync_api import expect
from tools import npm_package

pytestmark = pytest.mark.browser
SERVICE = "content/districts/bragernes/services/helsestasjon.md"
EVENT = "content/districts/bragernes/programme/naerutvalg.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 30, post: bool = False) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data = b'{"action":"info"}' if post else None
            req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, timeout=600)


@pytest.fixture
def cms(tmp_path):
    """A repository with the demo content, its admin page, decap-server and the preview, all on 127.0.0.1."""
    repo = tmp_path / "kommune"
    shutil.copytree(DEMO, repo / "content")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    api, web = _free_port(), _free_port()
    made = _cli("cms", "--backend", "local", "--local-port", str(api), cwd=repo)
    assert made.returncode == 0, made.stderr
    server = npm_package("decap-server", "3.11.3") / "dist/index.js"
    env = {**os.environ, "PORT": str(api), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(repo), "MODE": "fs"}
    log = (tmp_path / "decap-server.log").open("wb")  # read when a save does not come
    proxy = subprocess.Popen(["node", str(server)], env=env, stdout=log, stderr=subprocess.STDOUT)
    preview = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--content", "content", "--admin", "admin",
                                "--port", str(web)], cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    try:
        _wait(f"http://127.0.0.1:{api}/api/v1", post=True)
        _wait(f"http://127.0.0.1:{web}/admin/")
        yield repo, f"http://127.0.0.1:{web}"
    finally:
        for p in (proxy, preview):
            p.terminate()
            p.wait(timeout=10)
        log.close()


def _shot(page, name: str) -> None:
    """Screenshots for docs/koordinator.md, written where KNUTEPUNKT_SCREENSHOTS points (if it is set)."""
    folder = os.environ.get("KNUTEPUNKT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _login(page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Kommunen: innstillinger").first).to_be_visible(timeout=30000)


def _open(page, base: str, collection: str, entry: str, first_field: str = "Tittel") -> None:
    page.goto(f"{base}/admin/#/collections/{collection}/entries/{entry}")
    page.reload()  # a fresh editor: Decap keeps the last entry's form when only the hash changes
    expect(page.get_by_label(first_field).first).to_be_visible(timeout=30000)


def _publish(page) -> None:
    page.get_by_role("button", name=re.compile("^Publiser")).first.click()
    page.get_by_role("menuitem", name="Publiser nå").click()


def test_a_coordinator_edits_a_service_and_adds_a_date_in_the_browser(browser, cms):
    repo, base = cms
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base)
    _shot(page, "decap-samlinger")
    _open(page, base, "bragernes-tjenester", "helsestasjon")
    _shot(page, "decap-tjeneste")
    page.get_by_label("Kort beskrivelse").fill("Vaksiner, veiing og råd for barn 0–5 år.")
    page.locator("[id^=hours-field] [data-testid=expand-button]").first.click()
    page.get_by_label("tirsdag (valgfritt)").fill("25:00-26:00")  # the model refuses it: so must the form
    before = (repo / SERVICE).read_text("utf-8")
    _publish(page)
    expect(page.get_by_text(re.compile(r"Skriv tidsrom som 09:00-16:00, 9-16"))).to_be_visible()
    _shot(page, "decap-feil")
    assert (repo / SERVICE).read_text("utf-8") == before
    tuesday = page.get_by_label("tirsdag (valgfritt)")
    tuesday.press("Control+a")
    tuesday.press("Backspace")
    tuesday.fill("10.00-15.00")
    _publish(page)
    expect(page.get_by_text("Publisert").first).to_be_visible(timeout=15000)
    saved = (repo / SERVICE).read_text("utf-8")
    assert "summary: Vaksiner, veiing og råd for barn 0–5 år." in saved
    assert re.search(r"hours:\n  weekly:\n    tue: '?10\.00-15\.00'?\n", saved), saved

    _open(page, base, "bragernes-program", "naerutvalg")
    page.get_by_role("button", name=re.compile("Add datoer", re.I)).click()
    page.locator("input[type=date][id^=value-field]").last.fill("2026-12-15")
    _shot(page, "decap-program")
    _publish(page)
    expect(page.get_by_text("Publisert").first).to_be_visible(timeout=15000)
    event = (repo / EVENT).read_text("utf-8")
    assert "2026-12-15" in event and "2026-12-08" in event

    _open(page, base, "innstillinger", "innstillinger", "Navn")  # the site settings: what the form leaves out is kept
    page.get_by_label("Navn").first.fill("Drammen kommune")
    page.get_by_label("Fylke", exact=False).first.fill("Buskerud fylke")
    _publish(page)
    expect(page.get_by_text("Publisert").first).to_be_visible(timeout=15000)
    site = (repo / "content/site.yaml").read_text("utf-8")
    assert "county: Buskerud fylke" in site and "helsesøster:" in site and "extra_closed:" in site
    assert errors == []
    page.close()

    assert _cli("check", cwd=repo).returncode == 0
    built = _cli("build", "--out", "site", "--no-search", "--admin", "admin", cwd=repo)
    assert built.returncode == 0, built.stderr
    html = (repo / "site/bragernes/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert "Vaksiner, veiing og råd for barn 0–5 år." in html
    assert re.search(r"tirsdag.*?10\.00–15\.00", html, re.S)
    programme = (repo / "site/bragernes/program/index.html").read_text("utf-8")
    assert '<time datetime="2026-12-15T18:00+01:00">' in programme
    assert (repo / "site/admin/index.html").is_file() and (repo / "site/admin/decap-cms.js").is_file()
    assert "/admin/" not in (repo / "site/sitemap.xml").read_text("utf-8")


def test_a_planner_edits_a_plan_in_the_browser_and_its_codes_area_and_documents_stay_right(browser, cms):
    repo, base = cms
    plan_file = repo / "content/districts/bragernes/planer/bragernes-kvartal.md"
    before = plan_file.read_text("utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base)
    _open(page, base, "bragernes-planer", "bragernes-kvartal")
    _shot(page, "decap-plan")
    page.get_by_label("Kort beskrivelse").fill("Nye boliger og et lite torg ved elvepromenaden.")
    page.get_by_label("Planstatus").first.click()
    page.get_by_role("option", name="3 Endelig vedtatt arealplan", exact=True).click()
    # Chosen before it is published: under load a click on the list once left the status as it was.
    expect(page.get_by_role("option")).to_have_count(0)  # the list closed: the text left is the value shown
    expect(page.get_by_text("3 Endelig vedtatt arealplan", exact=True)).to_be_visible()
    _publish(page)
    expect(page.get_by_text("Publisert").first).to_be_visible(timeout=15000)
    assert errors == []
    page.close()
    saved = plan_file.read_text("utf-8")
    assert "summary: Nye boliger og et lite torg ved elvepromenaden." in saved
    assert re.search(r"^status: 3$", saved, re.M), saved  # the code, as a number
    assert "file: plankart.pdf" in saved  # documents keep their file names
    area = re.search(r"^area:\n(?:  .*\n)+", saved, re.M)
    assert area and "10.2001" in area.group(0) and "Polygon" in area.group(0)  # the form leaves the area alone
    assert before != saved and _cli("check", cwd=repo).returncode == 0


def _png(path: Path) -> None:
    """A small real picture (4×4 pixels), as a coordinator would upload one."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x30\x80\xc0" * 4 for _ in range(4))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def _published(page, made: list[Path], log: Path, seconds: float = 120) -> None:
    """Publish the open entry and wait until Decap's save has reached every file in ``made``.

    The wait goes through Playwright, so a dialog Decap opens meanwhile is dismissed (as Playwright does
    when nobody listens) and recorded, not left to block the page while Python sleeps. On a machine running two test suites at once a save once took
    over a minute, and one never came: if no save request has left the page 30 s after the click and
    the page shows no notice, the click is taken as lost and repeated once, with a warning. If the
    files still do not come, the failure says what the page, its dialogs and decap-server showed."""
    seen: list[str] = []

    def request(r) -> None:
        if r.method == "POST" and b"persistEntry" in (r.post_data_buffer or b""):
            seen.append(f"persistEntry sent at {time.monotonic() - start:.1f} s")

    def response(r) -> None:
        if r.request.method == "POST" and b"persistEntry" in (r.request.post_data_buffer or b""):
            seen.append(f"persistEntry answered {r.status} at {time.monotonic() - start:.1f} s")

    def dialog(d) -> None:
        seen.append(f"dialog {d.type}: {d.message}")
        d.dismiss()

    start = time.monotonic()
    page.on("request", request)
    page.on("response", response)
    page.on("dialog", dialog)
    _publish(page)
    notices = page.locator(".Toastify__toast, [role=alert], [class*=ControlErrorsList]")
    try:
        while not all(path.is_file() for path in made):
            waited = time.monotonic() - start
            if waited > 30 and not seen and not notices.count():
                warnings.warn(f"Decap sent no save 30 s after the click on Publiser; clicking again ({page.url})",
                              stacklevel=2)
                seen.append("publish clicked again")
                _publish(page)
            if waited > seconds:
                page.screenshot(path=str(log.with_suffix(".png")))
                server = log.read_text("utf-8", "replace")[-2000:] if log.is_file() else ""
                raise AssertionError(f"not saved after {waited:.0f} s: {[p.name for p in made if not p.is_file()]}\n"
                                     f"page {page.url}; notices {notices.all_inner_texts()}; {seen}\n"
                                     f"decap-server: {server}")
            page.wait_for_timeout(200)
    finally:
        page.remove_listener("request", request)
        page.remove_listener("response", response)
        page.remove_listener("dialog", dialog)


def test_a_coordinator_creates_a_service_and_a_page_with_norwegian_letters_and_a_picture(browser, cms, tmp_path):
    """Titles with æ, ø, å and é become ASCII file names the build accepts; an uploaded picture is
    published with its alt text; the portal builds."""
    repo, base = cms
    log = tmp_path / "decap-server.log"
    picture = tmp_path / "Kafé på Øren.png"
    _png(picture)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    unsaved: list[str] = []  # Decap's preview asks for the picture before publishing saves it
    page.on("response", lambda r: unsaved.append(r.url) if r.status == 404 and "/media/" in r.url else None)
    _login(page, base)

    page.goto(f"{base}/admin/#/collections/bragernes-tjenester/new")
    expect(page.get_by_label("Tittel").first).to_be_visible(timeout=30000)
    page.get_by_label("Tittel").first.fill("Ærlig talt: møteplass for små og store")
    page.get_by_label("Kort beskrivelse").first.fill("Samtalegruppe på Øren.")
    page.locator("[id^=category-field]").first.click()
    page.get_by_role("option").first.click()
    _published(page, [repo / "content/districts/bragernes/services/aerlig-talt-moteplass-for-sma-og-store.md"], log)
    # Decap has taken in its save (it opens the saved entry) before the editor is left
    expect(page).to_have_url(re.compile("/entries/aerlig-talt-moteplass-for-sma-og-store$"), timeout=60000)

    page.goto(f"{base}/admin/#/collections/bragernes-sider/new")
    page.reload()
    expect(page.get_by_label("Tittel").first).to_be_visible(timeout=30000)
    page.get_by_label("Tittel").first.fill("Åpent hus – kafé")
    page.get_by_label("Kort beskrivelse").first.fill("Kaffe og prat hver onsdag.")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Velkommen til kafeen.")
    page.get_by_role("button", name="Add Component").click()
    page.get_by_role("menuitem", name="Image").click()
    page.get_by_role("button", name="Velg et bilde").click()
    page.locator("input[type=file]").first.set_input_files(str(picture))
    expect(page.get_by_text("kafe-pa-oren.png")).to_be_visible(timeout=30000)  # uploaded, its name made plain
    page.get_by_role("button", name="Velg markert").click()
    expect(page.get_by_role("button", name="Velg markert")).to_be_hidden()
    page.get_by_label("Alt Text").fill("Kaffekopper på et bord i kafeen")
    expect(page.get_by_label("Alt Text")).to_have_value("Kaffekopper på et bord i kafeen")
    made = repo / "content/districts/bragernes/pages/apent-hus-kafe.md"
    _published(page, [made, repo / "content/media/kafe-pa-oren.png"], log)
    page.close()

    assert "![Kaffekopper på et bord i kafeen](/media/kafe-pa-oren.png)" in made.read_text("utf-8")
    assert (repo / "content/media/kafe-pa-oren.png").read_bytes() == picture.read_bytes()
    assert all("Failed to load resource" in e for e in errors) and len(errors) == len(unsaved), (errors, unsaved)

    assert _cli("check", cwd=repo).returncode == 0
    built = _cli("build", "--out", "site", "--no-search", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert "Ærlig talt: møteplass for små og store" in (
        repo / "site/bragernes/tjenester/aerlig-talt-moteplass-for-sma-og-store/index.html").read_text("utf-8")
    assert (repo / "site/media/kafe-pa-oren.png").read_bytes() == picture.read_bytes()
    url, server = serve(repo / "site")
    try:
        shown = browser.new_page()
        shown.goto(f"{url}/bragernes/apent-hus-kafe/")
        image = shown.get_by_role("img", name="Kaffekopper på et bord i kafeen")
        expect(image).to_be_visible()
        assert image.get_attribute("src") == "../../media/kafe-pa-oren.png"  # relative: from disk, under a subpath
        assert image.evaluate("img => img.complete && img.naturalWidth") == 4
        shown.close()
    finally:
        server.shutdown()
