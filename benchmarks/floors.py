"""The floors under issue #15's two unmet goals, measured on this machine (docs/benchmarks.md).

Usage: python benchmarks/floors.py [--districts 100]
Generates content (benchmarks/generate.py) and prints, each measured, not estimated:
  - loading it on one core (YAML, validation, Markdown, nh3: what a build does before any page);
  - Frozen-Flask's own cost a URL, with a view that returns a constant string (no template), with
    Werkzeug's test client and with the client the build gives it (hub/pipeline/client.py);
  - Pagefind over one district's built pages, over the same pages cut to their ``<main>``,
    and over them with the body cut out (what Pagefind's time follows: the words).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_frozen import Freezer, MissingURLGeneratorWarning
from generate import generate
from pagefind.service import get_executable

from hub.content.loader import load
from hub.pipeline.client import FreezeClient
from hub.pipeline.steps import build

os.environ.setdefault("SOURCE_DATE_EPOCH", "1795402800")


def bare_freeze(dest: Path, urls: int = 5000, client: type[FlaskClient] = FlaskClient) -> float:
    """Milliseconds a URL for Frozen-Flask alone."""
    app = Flask(__name__)
    app.test_client_class = client
    app.add_url_rule("/p/<int:n>/", "page", lambda n: f"<!doctype html><title>{n}</title>")
    app.config["FREEZER_DESTINATION"] = str(dest)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(lambda: (("page", {"n": i}) for i in range(urls)))
    started = time.perf_counter()
    with warnings.catch_warnings():  # no static folder: nothing to freeze there, on purpose
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        count = len(freezer.freeze())
    return (time.perf_counter() - started) / count * 1000


def pagefind_cpu(site: Path, out: Path) -> float:
    """CPU seconds (user + system) of one Pagefind run over ``site``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(get_executable()), "--site", str(site), "--glob", "**/*.html", "--output-path", str(out),
                    "--root-selector", "html"], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def variant(src: Path, dest: Path, keep: re.Pattern[str]) -> None:
    """Every page of ``src`` reduced to what ``keep`` finds, in a bare page Pagefind still indexes."""
    for page in src.rglob("*.html"):
        if "pagefind" in page.parts or not (main := keep.search(page.read_text("utf-8"))):
            continue
        target = dest / page.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>x</title></head>'
                          f"<body>{main.group(0)}</body></html>", "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=100)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knutepunkt-floors-"))
    try:
        content = work / "content"
        generate(content, a.districts, 60, 25, 12)
        started = time.perf_counter()
        load(content, jobs=1)
        print(f"load on one core: {time.perf_counter() - started:.1f} s ({a.districts} districts)")
        print(f"Frozen-Flask alone: {bare_freeze(work / 'bare'):.2f} ms a URL with Werkzeug's test client, "
              f"{bare_freeze(work / 'bare-build', client=FreezeClient):.2f} ms with the build's")
        out = work / "out"
        build(content, out, search=False, jobs=os.cpu_count() or 1)
        district = sorted(p for p in out.iterdir() if (p / "tjenester").is_dir())[0]
        variant(district, work / "main", re.compile(r"<main\b.*?</main>", re.S))
        variant(district, work / "nobody", re.compile(r"<main\b[^>]*>.*?</h1>", re.S))
        pages = sum(1 for p in district.rglob("*.html") if "pagefind" not in p.parts)
        for label, site in (("built pages", district), ("cut to <main>", work / "main"),
                            ("title only, no body", work / "nobody")):
            cpu = pagefind_cpu(site, work / f"pf-{site.name}")
            print(f"Pagefind, one district ({pages} files), {label}: {cpu:.2f} CPU-s "
                  f"({cpu / pages * 1000:.1f} ms a file)")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
