"""Coordinator preview: how long ``knutepunkt serve`` takes to start, and to show a saved edit.

Usage: python benchmarks/preview.py [--districts 10 100] [--edits 5]
For each size it generates content (benchmarks/generate.py), starts ``knutepunkt serve`` on it,
measures the time until the front page answers, opens one district's service page in Debian's
Chromium, then appends a sentence to that service's file and measures the time from the write
until the sentence is visible in the page (the page reloads itself), several times with a pause
between edits, as a coordinator saves. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from generate import generate

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795402800"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(content: Path, edits: int = 5, pause: float = 2.0) -> tuple[float, list[float]]:
    """Start-up seconds and the edit-to-page seconds of each edit."""
    from playwright.sync_api import expect, sync_playwright

    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--content", str(content), "--port", str(port)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=60) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("knutepunkt serve stopped") from None
                time.sleep(0.05)
        startup = time.perf_counter() - started
        districts = sorted(p.name for p in (content / "districts").iterdir())
        district = districts[len(districts) // 2]
        source = content / "districts" / district / "services" / "tjeneste-007.md"
        original = source.read_text("utf-8")
        latencies = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.goto(f"{base}/{district}/tjenester/tjeneste-007/")
            time.sleep(pause)  # the page's reload script knows the version; the first background index runs
            for i in range(edits):
                mark = f"Endring nummer {i} klokka {time.time_ns()}"
                t0 = time.perf_counter()
                source.write_text(original + f"\n{mark}\n", "utf-8")
                expect(page.get_by_text(mark)).to_be_visible(timeout=120_000)
                latencies.append(time.perf_counter() - t0)
                time.sleep(pause)
            browser.close()
        source.write_text(original, "utf-8")
        return startup, latencies
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, nargs="+", default=[10, 100])
    ap.add_argument("--edits", type=int, default=5)
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="knutepunkt-preview-") as work:
        for n in a.districts:
            content = Path(work) / f"content-{n}"
            generate(content, n, 60, 25, 12)
            startup, lat = measure(content, a.edits)
            pages = n * (60 + 25 + 12)
            rows.append((n, pages, startup, lat))
            print(f"{n} districts: start {startup:.1f} s, edits {', '.join(f'{x:.2f}' for x in lat)} s",
                  file=sys.stderr)
    print("| districts | content files | start-up (until the front page answers) | edit → page, median | "
          "slowest | each edit |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    for n, pages, startup, lat in rows:
        print(f"| {n} | {pages:,} | {startup:.1f} s | {statistics.median(lat):.2f} s | {max(lat):.2f} s | "
              f"{', '.join(f'{x:.2f}' for x in lat)} s |")


if __name__ == "__main__":
    main()
