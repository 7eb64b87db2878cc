"""The whole region build with one slow member among healthy ones: what one trickling server costs.

Usage: python benchmarks/region_slow.py [--healthy 50] [--budgets 30 10] [--gap 0.05]
Builds examples/region/nordvik once and serves ``--healthy`` copies of it (a manifest of its own
each, benchmarks/region.py) from one local web server; a second server answers the manifest a byte
every ``--gap`` seconds (a 100 kB body: it would take over an hour). Times ``knutepunkt region
build`` over HTTP with the healthy members only, then with the slow one added, once per
``--budgets`` value (``--timeout``, each member's time for all its tries). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from region import EPOCH, ROOT, Cors, members


class Trickle(BaseHTTPRequestHandler):
    gap = 0.05

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"{" + b" " * 99_998 + b"}"
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.gap)
        except OSError:
            pass  # the region gave up on it

    def log_message(self, *args: object) -> None:
        pass


def build(folder: Path, sources: list[str], budget: float | None, seed: Path | None = None) -> tuple[float, int, int]:
    """Wall time, exit code and warning lines of one region build: a fresh cache each time (no conditional
    request answered 304), but for the last member's last good copy when ``seed`` holds it."""
    region = folder / "region.yaml"
    region.write_text("name: Målingsregionen\nbase_url: https://region.example.no/\nmembers:\n"
                      + "".join(f"  - {{slug: m{i}, source: '{s}'}}\n" for i, s in enumerate(sources)), "utf-8")
    shutil.rmtree(folder / "cache", ignore_errors=True)
    (folder / "cache").mkdir()
    if seed is not None:
        shutil.copytree(seed, folder / "cache" / f"m{len(sources) - 1}")
    args = ["--timeout", str(budget)] if budget is not None else []
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "hub", "region", "build", str(region), "--out", str(folder / "site"),
                        "--cache", str(folder / "cache"), *args], capture_output=True, text=True,
                       env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, cwd=ROOT)
    took = time.perf_counter() - started
    return took, r.returncode, r.stderr.count("advarsel:") + r.stderr.count("knutepunkt region:")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--healthy", type=int, default=50)
    parser.add_argument("--budgets", type=float, nargs="+", default=[30.0, 10.0])
    parser.add_argument("--gap", type=float, default=0.05)
    args = parser.parse_args()
    Trickle.gap = args.gap
    work = Path(tempfile.mkdtemp(prefix="knutepunkt-region-slow-"))
    healthy = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Cors, directory=str(work)))
    slow = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    slow.daemon_threads = True
    for server in (healthy, slow):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{healthy.server_address[1]}/"
    count = args.healthy + 1
    members(work, count, base)
    urls = [f"{base}members-{count}/m{i}/" for i in range(count)]
    rows = [(count, "none", "30 (default)", *build(work, urls, None))]
    seed = work / "seed"
    shutil.copytree(work / "cache" / f"m{count - 1}", seed)  # the slow member's last good copy, from when it was well
    trickling = f"http://127.0.0.1:{slow.server_address[1]}/"
    for budget in args.budgets:
        rows.append((args.healthy, f"1, a byte every {args.gap:g} s", f"{budget:g}",
                     *build(work, [*urls[:-1], trickling], budget, seed)))
    healthy.shutdown()
    slow.shutdown()
    print("| healthy members | slow member | --timeout (s) | region build | exit | warnings |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for n, slow_member, budget, took, code, messages in rows:
        print(f"| {n} | {slow_member} | {budget} | {took:.1f} s | {code} | {messages} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
