"""Search quality on a judged query set: top-1, top-3 and mean reciprocal rank per search page.

Usage: python benchmarks/search_quality.py [--queries FILE] [--site DIR] [--pages P ...] [--part P] [--misses]

Builds the demo (content/) twice into a temporary folder — as it is (ten districts: the one door
in merges the district bundles) and with ``search_index: light`` — serves both on 127.0.0.1 and
types every query of benchmarks/search_queries.yaml into three search pages in Debian's Chromium,
through the real search page (search.js: synonyms, fallbacks and corrections included):

  district      /<district>/sok/ of the merged build (the query's ``district``, default bragernes)
  merged        /sok/, the one door in, merging every district's bundle
  light         /sok/ of the light build, one bundle of small records

A query is a hit at rank r when the r-th result's path matches one of its ``first`` patterns;
top-1 and top-3 count the queries with r = 1 and r <= 3, the mean reciprocal rank averages 1/r
over the first page of results (10; a query found later, or not at all, adds 0). The tuned and
held-out parts are reported apart. ``--site`` and ``--light-site`` take builds of the demo instead
of building them. ``--misses`` lists each query not found first.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import os
import re
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).resolve().parent / "search_queries.yaml"
#: The flags tests/conftest.py starts Chromium with.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
DISTRICT = "bragernes"
PAGES = ("district", "merged", "light")
SHOWN = 10


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    first: tuple[str, ...]
    district: str
    part: str

    def rank(self, found: list[str]) -> int | None:
        """1-based rank of the first result that is one of the pages that should come first."""
        for i, url in enumerate(found[:SHOWN], start=1):
            path = urlsplit(url).path
            if any(fnmatch.fnmatchcase(path, p) for p in self.first):
                return i
        return None


def load_queries(path: Path) -> list[Query]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return [Query(str(e["q"]), e.get("kind", ""), tuple(e["first"]), e.get("district", DISTRICT), part)
            for part in ("tuned", "held_out") for e in data.get(part) or ()]


def build_demo(content: Path, out: Path, search_index: str | None) -> Path:
    """The demo built into ``out``; with ``search_index``, that setting in a copy of its site.yaml."""
    from hub.pipeline.steps import build

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795402800")
    if search_index is not None:
        copy = out.parent / f"content-{search_index}"
        shutil.copytree(content, copy)
        site = copy / "site.yaml"
        text = re.sub(r"(?m)^search_index:.*\n", "", site.read_text("utf-8"))
        site.write_text(f"{text.rstrip()}\nsearch_index: {search_index}\n", "utf-8")
        content = copy
    build(content, out)
    return out


def serve(folder: Path) -> tuple[str, ThreadingHTTPServer]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def settled_results(page, url: str) -> list[str]:
    """Open a search page at ``url`` and return the result links once the page has said its last word.

    The page shows results, then may correct or suggest (it fetches the word list and searches
    again): wait until it says it is done (``aria-busy``), or — a search page without that — until
    the network is idle and the list has stayed the same for a moment.
    """
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"), timeout=20000)
    if page.locator("#search[aria-busy]").count():
        expect(page.locator("#search")).to_have_attribute("aria-busy", "false", timeout=20000)
    else:
        page.wait_for_load_state("networkidle")
        snapshot = ("document.querySelector('.search-status').textContent"
                    " + document.querySelector('.search-results').innerHTML")
        last = None
        while (now := page.evaluate(snapshot)) != last:
            last = now
            page.wait_for_timeout(200)
    return page.eval_on_selector_all(".search-results > li h2 a", "links => links.map(a => a.getAttribute('href'))")


def run(queries: list[Query], sites: dict[str, str], pages: list[str]) -> dict[tuple[str, Query], list[str]]:
    from playwright.sync_api import sync_playwright

    found: dict[tuple[str, Query], list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name in pages:
            context = browser.new_context()  # one per search page: its bundles stay cached between queries
            page = context.new_page()
            for query in queries:
                base = sites["light" if name == "light" else "merged"]
                path = f"/{query.district}/sok/" if name == "district" else "/sok/"
                found[name, query] = settled_results(page, f"{base}{path}?q={quote(query.q)}")
            context.close()
        browser.close()
    return found


def metrics(ranks: list[int | None]) -> tuple[float, float, float]:
    n = len(ranks) or 1
    return (sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 3 for r in ranks) / n,
            sum(1 / r for r in ranks if r is not None) / n)


def report(queries: list[Query], found: dict[tuple[str, Query], list[str]], pages: list[str], misses: bool) -> str:
    lines = ["| search page | part | queries | top-1 | top-3 | MRR |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for name in pages:
        for part in ("tuned", "held_out"):
            ranks = [q.rank(found[name, q]) for q in queries if q.part == part]
            if ranks:
                top1, top3, mrr = metrics(ranks)
                label = part.replace("_", "-")
                lines.append(f"| {name} | {label} | {len(ranks)} | {top1:.0%} | {top3:.0%} | {mrr:.2f} |")
    if misses:
        lines.append("\nNot first:")
        for name in pages:
            for q in queries:
                r = q.rank(found[name, q])
                if r != 1:
                    got = ", ".join(urlsplit(u).path for u in found[name, q][:3]) or "nothing"
                    lines.append(f"- {name} [{q.part}] {q.q!r} ({q.kind}): rank {r or '-'}; first {got}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--site", type=Path, help="a build of the demo to use instead of building one")
    parser.add_argument("--light-site", type=Path, help="a build of the demo with search_index: light, likewise")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--part", choices=("tuned", "held_out"), help="only this part of the set")
    parser.add_argument("--misses", action="store_true", help="list the queries not found first")
    args = parser.parse_args(argv)
    queries = [q for q in load_queries(args.queries) if args.part in (None, q.part)]
    work = Path(tempfile.mkdtemp(prefix="search-quality-"))
    servers = []
    try:
        sites = {}
        if {"district", "merged"} & set(args.pages):
            site = args.site or build_demo(args.content, work / "merged", None)
            sites["merged"], server = serve(site)
            servers.append(server)
        if "light" in args.pages:
            sites["light"], server = serve(args.light_site or build_demo(args.content, work / "light", "light"))
            servers.append(server)
        found = run(queries, sites, args.pages)
    finally:
        for server in servers:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print(f"Search quality: {len(queries)} judged queries ({args.queries.name}), the first {SHOWN} results\n")
    print(report(queries, found, args.pages, args.misses))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
