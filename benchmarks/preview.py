"""Coordinator preview: how long ``knutepunkt serve`` takes to start, and to show a saved edit.

Usage: python benchmarks/preview.py [--districts 10 100] [--edits 5]
For each size it generates content (benchmarks/generate.py), starts ``knutepunkt serve`` on it,
measures the time until the front page answers, opens one district's service page in Debian's
Chromium, then appends a sentence to that service's file and measures the time from the write
until the sentence is visible in the page (the page reloads itself), several times with a pause
between edits, as a coordinator saves; then starts it once more on the same content (a restart:
the districts the first start parsed are read back from ``.knutepunkt-cache/preview/``). Prints a
Markdown table.
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


def _start(content: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start ``knutepunkt serve``; the process, its address, and the seconds until the front page answers."""
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--content", str(content), "--port", str(port)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=60) as r:
                if r.status == 200:
                    return proc, base, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("knutepunkt serve stopped") from None
            time.sleep(0.05)


def measure(content: Path, edits: int = 5, pause: float = 2.0) -> tuple[float, list[float], float]:
    """Start-up seconds, the edit-to-page seconds of each edit, and the seconds a second start takes
    (a restart on the same content: the districts the first one parsed are read back)."""
    from playwright.sync_api import expect, sync_playwright

    proc, base, startup = _start(content)
    try:
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    proc, _, restart = _start(content)  # the edited district is parsed again, the others read back
    proc.terminate()
    proc.wait(timeout=30)
    return startup, latencies, restart


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
            startup, lat, restart = measure(content, a.edits)
            pages = n * (60 + 25 + 12)
            rows.append((n, pages, startup, lat, restart))
            print(f"{n} districts: start {startup:.1f} s, edits {', '.join(f'{x:.2f}' for x in lat)} s, "
                  f"restart {restart:.1f} s", file=sys.stderr)
    print("| districts | content files | start-up (until the front page answers) | edit → page, median | "
          "slowest | each edit | restart |")
    print("| ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for n, pages, startup, lat, restart in rows:
        print(f"| {n} | {pages:,} | {startup:.1f} s | {statistics.median(lat):.2f} s | {max(lat):.2f} s | "
              f"{', '.join(f'{x:.2f}' for x in lat)} s | {restart:.1f} s |")


if __name__ == "__main__":
    main()
