"""Region build and first region search at 3, 50 and 357 members (synthetic copies of one small member).

Usage: python benchmarks/region.py [--members 3 50 357] [--search members index] [--search-timeout 120]
Builds examples/region/nordvik once, copies it (hard links; a manifest of its own per member) to N
members served from one local web server, builds the region from their folders, measures the build's
wall time and peak memory (RSS of the child process), then opens the region's search page in Debian's
Chromium and counts what the first query fetches until its results show. Each size is measured in
both search modes of region.yaml: ``members`` (the members' bundles merged in the browser) and
``index`` (one region-level bundle built from the manifests). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1795402800"


class Cors(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def members(work: Path, count: int, base: str) -> Path:
    """``count`` member portals under work/members/m<i>/, each with its own manifest."""
    template = work / "template"
    if not template.exists():
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        content = ROOT / "examples/region/nordvik/content"
        subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(content), "--out", str(template)],
                       check=True, env=env, capture_output=True)
    folder = work / f"members-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    manifest = json.loads((template / "apne-data/portal.json").read_text("utf-8"))
    old = manifest["municipality"]["base_url"]
    for i in range(count):
        target = folder / f"m{i}"
        shutil.copytree(template, target, copy_function=os.link)
        mine = json.loads(json.dumps(manifest).replace(old, f"{base}members-{count}/m{i}/"))
        mine["municipality"]["name"] = f"Kommune {i:03d}"
        (target / "apne-data/portal.json").unlink()
        (target / "apne-data/portal.json").write_text(json.dumps(mine), "utf-8")
    return folder


def region_build(folder: Path, count: int, mode: str) -> tuple[float, float, Path]:
    region = folder / "region.yaml"
    region.write_text(f"name: Målingsregionen\nbase_url: https://region.example.no/\nsearch: {mode}\nmembers:\n"
                      + "".join(f"  - {{slug: m{i}, source: m{i}}}\n" for i in range(count)), "utf-8")
    out = folder / f"site-{mode}"
    # The child reports its own peak RSS (getrusage over all children would count the member builds too).
    code = ("import resource, runpy, sys\n"
            "try:\n    runpy.run_module('hub', run_name='__main__')\n"
            "finally:\n    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, "region", "build", str(region), "--out", str(out),
                        "--cache", str(folder / "cache")], capture_output=True, text=True,
                       env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, cwd=ROOT)
    took = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    peak = int(r.stderr.rsplit("PEAK", 1)[1].split()[0]) / 1024
    return took, peak, out


def first_search(url: str, timeout: float) -> tuple[int, int, float | None]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        sizes: list[int] = []
        page.on("requestfinished", lambda r: sizes.append((r.sizes() or {}).get("responseBodySize", 0)))
        started = time.perf_counter()
        page.goto(url)
        try:
            page.wait_for_selector(".search-results li", timeout=timeout * 1000)
            took: float | None = time.perf_counter() - started
        except Exception:  # noqa: BLE001 - a search that does not finish is a measurement too
            took = None
        browser.close()
    return len(sizes), sum(sizes), took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="+", default=[3, 50, 357])
    parser.add_argument("--search", nargs="+", choices=["members", "index"], default=["members", "index"])
    parser.add_argument("--search-timeout", type=float, default=120)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knutepunkt-region-bench-"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Cors, directory=str(work)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    for count in args.members:
        folder = members(work, count, base)
        for mode in args.search:
            took, peak, out = region_build(folder, count, mode)
            requests, size, searched = first_search(
                f"{base}members-{count}/{out.name}/sok/index.html?q=helsestasjon", args.search_timeout)
            rows.append((count, mode, took, peak, requests, size, searched))
            print(f"{count} members, search {mode} done", file=sys.stderr)
    server.shutdown()
    print("| members | search | region build | peak RSS | first search: requests | bytes | time to results |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for count, mode, took, peak, requests, size, searched in rows:
        shown = f"{searched:.1f} s" if searched is not None else f"not within {args.search_timeout:.0f} s"
        print(f"| {count} | {mode} | {took:.1f} s | {peak:.0f} MiB | {requests} | {size:,} | {shown} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
