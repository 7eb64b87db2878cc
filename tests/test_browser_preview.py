"""Spec, in a real browser: the preview reloads on save, shows content errors, recovers, and can search."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tree):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--content", str(tree.root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/__preview__/version", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read())
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    assert proc.returncode is not None


SERVICE = "districts/nordby/services/helsestasjon.md"


def test_edit_reload_error_and_recovery(browser, server, tree):
    page = browser.new_page()
    page.goto(server + "/nordby/tjenester/helsestasjon/")
    assert page.locator("h1").inner_text() == "Helsestasjon"

    tree.write(SERVICE, (tree.root / SERVICE).read_text("utf-8").replace("title: Helsestasjon",
                                                                         "title: Helsestasjon og jordmor"))
    expect(page.locator("h1")).to_have_text("Helsestasjon og jordmor", timeout=15000)

    tree.write(SERVICE, "---\ntitle: Helsestasjon\ncategory: helse\nsumary: skrivefeil\n---\n")
    page.wait_for_selector(".preview-errors", timeout=15000)
    errors = page.locator(".preview-errors li").all_inner_texts()
    assert "content/districts/nordby/services/helsestasjon.md:4 sumary: ukjent felt (sjekk stavemåten)" in errors
    assert page.locator("h1").inner_text() == "Innholdet har feil"

    tree.write(SERVICE, "---\ntitle: Helsestasjon igjen\ncategory: helse\nsummary: Tilbake\n---\nTekst.\n")
    expect(page.locator("h1")).to_have_text("Helsestasjon igjen", timeout=15000)
    page.close()


def test_search_works_in_preview_and_finds_a_new_service(browser, server, tree):
    tree.write("districts/nordby/services/tannhelse.md",
               "---\ntitle: Tannhelsetjenesten\ncategory: helse\nsummary: Gratis tannlege for barn\n---\nTannlege.\n")
    page = browser.new_page()
    deadline = time.time() + 60
    while time.time() < deadline:
        page.goto(server + "/nordby/sok/?q=tannlege")
        try:
            page.wait_for_selector(".search-results li", timeout=3000)
            break
        except Exception:
            time.sleep(1)
    assert "Tannhelsetjenesten" in page.locator(".search-results").inner_text()
    page.close()
