"""Bytes the browser fetches for a first search on the one-door-in page.

Usage: python benchmarks/search_weight.py [SITE_DIR] [QUERY]
Builds the demo into a temporary folder when SITE_DIR is not given, serves it
on 127.0.0.1, runs the query in Debian's Chromium and sums every response by
kind (entry, wasm, index chunks, filters, fragments). Raw and gzip bytes.
"""

from __future__ import annotations

import functools
import gzip
import os
import sys
import tempfile
import threading
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def kind(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    for suffix, label in ((".pf_fragment", "fragments"), (".pf_index", "index chunks"), (".pf_filter", "filters"),
                          (".pf_meta", "bundle meta"), (".pagefind", "wasm"), ("pagefind-entry.json", "entry"),
                          ("pagefind.js", "entry"), ("pagefind-worker.js", "entry")):
        if name.endswith(suffix):
            return label
    return "other"


def measure(site: Path, query: str) -> dict[str, list[int]]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        seen: list = []
        page.on("response", lambda r: seen.append(r))  # from page open: the engine starts loading then
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/sok/")
        page.wait_for_load_state("networkidle")
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_selector(".search-results li")
        page.wait_for_load_state("networkidle")
        for r in seen:
            if "/pagefind/" not in r.url:
                continue
            body = r.body()
            t = totals[kind(r.url)]
            t[0] += 1
            t[1] += len(body)
            t[2] += len(gzip.compress(body, 6))
        browser.close()
    server.shutdown()
    return totals


def main() -> None:
    query = sys.argv[2] if len(sys.argv) > 2 else "helsestasjon"
    if len(sys.argv) > 1:
        site = Path(sys.argv[1])
    else:
        from hub.pipeline.steps import build

        os.environ.setdefault("SOURCE_DATE_EPOCH", "1795402800")
        site = Path(tempfile.mkdtemp()) / "site"
        build(Path(__file__).resolve().parent.parent / "content", site)
    totals = measure(site, query)
    print(f"First query {query!r} on /sok/ (one door in, 1 + {len(list(site.glob('*/pagefind')))} merged bundles)\n")
    print("| what | requests | bytes | gzip bytes |\n| --- | ---: | ---: | ---: |")
    for k in sorted(totals):
        n, raw, gz = totals[k]
        print(f"| {k} | {n} | {raw:,} | {gz:,} |")
    n = sum(v[0] for v in totals.values())
    raw = sum(v[1] for v in totals.values())
    gz = sum(v[2] for v in totals.values())
    print(f"| **total** | {n} | {raw:,} | {gz:,} |")


if __name__ == "__main__":
    main()
