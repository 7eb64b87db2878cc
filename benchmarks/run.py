"""Build-speed benchmark: Knutepunkt against a plain Jinja2 loop, MkDocs and Hugo (when installed).

Usage: python benchmarks/run.py [--districts 1 10 100] [--jobs N] [--lean]
(``pip install -e ".[bench]"`` brings MkDocs; Hugo is Debian's ``hugo`` package; a peer that is
not installed is skipped, and the table says so.)
For each size it generates synthetic content (benchmarks/generate.py: 60 services,
25 programme entries and 12 pages a district, ~340 words each), then measures in
this run, on this machine:
  - a cold full build (`knutepunkt build`, search included): wall time, pages/s,
    peak memory of the whole process tree (RSS and PSS), the load/freeze/index split, output size;
  - a rebuild with no change, a rebuild after changing one file (incremental:
    only what the change touches; a sentence added to a service's text, the second edit after a
    full build, the first makes the spare copy; then a service's summary, which the open data
    and the all-districts page show too), and a full rebuild (`--full`) for comparison; each
    rebuild starts once the output the build before it replaced is deleted (``deleted``);
  - the render alone (``--no-search``, cold), against a plain Jinja2 + Python-Markdown loop
    with no Flask over the same Markdown (the lower bound for this stack);
  - MkDocs with its built-in search plugin, and Hugo, on the same Markdown;
  - the peers with the same search: MkDocs (its search plugin off) and Hugo, each followed by
    Pagefind (the same binary Knutepunkt runs) over its output, padded to Knutepunkt's page count;
  - a week of nightly rebuilds with nothing edited (``SOURCE_DATE_EPOCH`` one day on each night,
    from the cold build's Monday to the next Monday, then the first Monday of the next four-week
    run of the search results' hours, when the districts whose run starts are indexed again: a
    quarter of them, they take turns): each night's time, the
    files it wrote (new files in the output: an unchanged file is the previous one, hard-linked),
    and its ratio to the cold build;
  - the first search on the one-door-in page in Chromium: requests and bytes until results show
    (from 20 districts, where the default gives the one door in the light bundle, also a build
    with ``search_index: merged``: its time, memory and first search);
  - the coordinator preview (benchmarks/preview.py): ``knutepunkt serve`` start-up, the time
    from saving a service file to the edit showing in the open page in Chromium, and a restart.
``--lean`` leaves out what needs a browser or a second cold build (memory, render only, the merged
search variant, first search, preview), for a run that fits a shorter time.
The steps that only create files run first in each size and the ones that delete (the rebuilds'
publish, the preview's private build) last, and each size waits until creating files costs
what it did before (``settle``): on this disk, deleting many files makes creating files nearby
several times slower for minutes, which was much of the run-to-run spread.
Knutepunkt's modules are compiled first (``compiled``), as pip compiles an installed wheel.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import markdown
import yaml
from generate import demo_copies, generate
from jinja2 import Template

from hub.content.structure import LIGHT_SEARCH_FROM

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795402800"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
PAGE = Template("<!doctype html><html lang=nb><head><meta charset=utf-8><title>{{ title }}</title>"
                "<link rel=stylesheet href=/site.css></head><body><header><a href=/>Portal</a></header>"
                "<main><h1>{{ title }}</h1>{{ body }}</main></body></html>")


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident memory (RSS) and proportional set size (PSS) of a process and all its descendants.

    Forked workers share the parent's pages copy-on-write: the RSS sum counts
    those once per process, the PSS sum divides each shared page among its
    sharers, so it is the memory the build really holds.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return rss, pss


def timed(cmd: list[str], *, memory: bool = False) -> tuple[float, tuple[int, int], str, str]:
    """Run a command; wall seconds, peak RSS and PSS of its process tree (``memory``, else zeros), stdout, stderr.

    Time and memory come from separate runs: reading ``smaps_rollup`` of every process in the tree
    every 50 ms takes the kernel a few milliseconds a process, on the same two cores the build
    uses — with the sampler on, the same cold build measured 1–2 s (5–8 %) slower.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    out, err = proc.communicate()
    done.set()
    if memory:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{out}\n{err}")
    return time.perf_counter() - started, (peak[0], peak[1]), out, err


def build_cmd(content: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "hub", "build", "--content", str(content), "--out", str(out), "--timings",
            "-j", str(jobs), *extra]


def markdown_files(content: Path) -> list[tuple[Path, str, str]]:
    """Every Markdown file: (path, title, body); a file without front matter (a district's
    ``index.md``) is titled by its folder."""
    found = []
    for path in sorted(content.rglob("*.md")):
        text = path.read_text("utf-8")
        if text.startswith("---\n"):
            _, front, body = text.split("---\n", 2)
            title = str(yaml.load(front, Loader=yaml.CSafeLoader).get("title") or path.stem)
        else:
            title, body = path.parent.name, text
        found.append((path, title, body))
    return found


def jinja_loop(content: Path, out: Path) -> int:
    """The lower bound: every Markdown file through Python-Markdown and one Jinja2 template, no Flask."""
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    n = 0
    for path, title, body in markdown_files(content):
        md.reset()
        target = out / path.relative_to(content).with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(PAGE.render(title=title, body=md.convert(body)), "utf-8")
        n += 1
    return n


def hugo_site(content: Path, site: Path) -> None:
    """The same Markdown as a Hugo site with equivalent minimal layouts."""
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://bench.example.no/"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n')
    (site / "layouts/_default/single.html").write_text(
        "<!doctype html><html lang=nb><head><meta charset=utf-8><title>{{ .Title }}</title></head><body>"
        "<header><a href=/>Portal</a></header><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>")
    (site / "layouts/_default/list.html").write_text(
        "<!doctype html><html><body>{{ range .Pages }}<a href={{ .RelPermalink }}>{{ .Title }}</a>{{ end }}"
        "</body></html>")
    for path, title, body in markdown_files(content):
        target = site / "content" / path.relative_to(content)
        if target.name == "index.md":  # Hugo reads index.md as a leaf bundle, hiding the pages below it
            target = target.with_name("_index.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n{body}", "utf-8")


def mkdocs_site(content: Path, site: Path) -> Path:
    """The same Markdown as a MkDocs project: default theme, built-in search (lunr index of every page)."""
    docs = site / "docs"
    for path, title, body in markdown_files(content):
        target = docs / path.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body}", "utf-8")
    (docs / "index.md").write_text("# Portal\n", "utf-8")
    config = site / "mkdocs.yml"
    # A short navigation, as Knutepunkt's pages have: MkDocs' default lists every page on every page,
    # which grows with pages² (over 4 minutes at 10,000 pages here) and is not the same site.
    config.write_text("site_name: Portal\nsite_url: https://bench.example.no/\nplugins: [search]\n"
                      "nav: [index.md]\n", "utf-8")
    return config


def first_search(site: Path, query: str) -> tuple[int, int]:
    """Requests and bytes of the first query on the one-door-in search page (benchmarks/search_weight.py)."""
    from search_weight import measure

    totals = measure(site, query)
    return sum(v[0] for v in totals.values()), sum(v[1] for v in totals.values())


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def creation_cost(work: Path, count: int = 300) -> float:
    """Microseconds to create a folder with one page in it, here and now (the probe is kept)."""
    folder = Path(tempfile.mkdtemp(prefix="probe-", dir=work))
    started = time.perf_counter()
    for i in range(count):
        (folder / str(i)).mkdir()
        (folder / str(i) / "index.html").write_bytes(b"x" * 2000)
    return (time.perf_counter() - started) / count * 1e6


def settle(work: Path, best: list[float], patience: float = 300) -> tuple[float, float]:
    """Wait until creating files costs what it cost before; returns (seconds waited, cost in µs).

    On this machine kind's disk, creating files near many just deleted ones costs 5–15 times
    as much for minutes (docs/benchmarks.md, "The last full run before #31"), and a build creates ~40,000 files.
    The steps that delete (a rebuild's publish, the preview's private build) run last in a
    size's row; before each size this probes every 15 s until a probe costs at most 1.5 times
    the cheapest of the run (the first size: of at least two probes), or ``patience`` runs out.
    The first size has nothing earlier to compare with, so start the run on a quiet disk, not
    just after deleting an earlier run's folders.
    """
    waited = 0.0
    while True:
        cost = creation_cost(work)
        enough = len(best) > 0
        best.append(cost)
        if (enough and cost <= 1.5 * min(best)) or waited >= patience:
            return waited, cost
        time.sleep(15)
        waited += 15


def pad(root: Path, count: int) -> None:
    """``count`` copies of the Markdown under ``root`` (a peer's content folder), side by side in ``extra/``."""
    sources = sorted(p for p in root.rglob("*.md") if "extra" not in p.parts)
    (root / "extra").mkdir(exist_ok=True)
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copyfile(src, root / "extra" / f"{i:05d}-{src.name}")


def html_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if "pagefind" not in p.parts and p.name != "404.html")


def pagefind(site: Path) -> list[str]:
    """Pagefind over a finished site: the binary of the ``pagefind[bin]`` wheel, as Knutepunkt runs it."""
    from pagefind.service import get_executable

    exe = get_executable()
    if exe is None:
        raise SystemExit("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    return [str(exe), "--site", str(site), "--output-path", str(site / "pagefind")]


def with_pagefind(build: list[str], site: Path) -> float:
    """A peer's build, then Pagefind over its output: the wall time of both."""
    first, _, _, _ = timed(build)
    second, _, _, _ = timed(pagefind(site))
    return first + second


def mkdocs_pagefind(content: Path, work: Path, pages: int) -> tuple[float, int]:
    """MkDocs with its search plugin off, padded to ``pages`` pages, then Pagefind over its site."""
    config = mkdocs_site(content, work)
    config.write_text(config.read_text("utf-8").replace("plugins: [search]", "plugins: []"), "utf-8")
    site = work / "site"
    pad(work / "docs", pages - sum(1 for _ in (work / "docs").rglob("*.md")))  # a page per Markdown file
    seconds = with_pagefind([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], site)
    return seconds, html_pages(site)


def hugo_pagefind(hugo: str, content: Path, work: Path, pages: int) -> tuple[float, int]:
    """Hugo, padded to ``pages`` pages, then Pagefind over its output."""
    hugo_site(content, work)
    site = work / "public"
    build = [hugo, "--quiet", "-s", str(work), "-d", str(site)]
    timed(build)  # untimed: how many pages Hugo makes (a page per file and a list page per folder)
    pad(work / "content", max(0, pages - html_pages(site) - 1))  # the copies' folder has a list page too
    shutil.rmtree(site)
    seconds = with_pagefind(build, site)
    return seconds, html_pages(site)


def compiled() -> None:
    """Compile Knutepunkt's modules, as pip does when it installs the wheel. An editable install run
    with ``PYTHONDONTWRITEBYTECODE`` (set in this machine's shells) compiles every module again in
    every build, ~0.3 s of each that no installed copy pays."""
    import compileall

    import hub

    compileall.compile_dir(Path(hub.__file__).parent, quiet=1)


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def deleted(out: Path, patience: float = 900) -> float:
    """Wait until the output an earlier build replaced is deleted; returns the seconds waited.

    A build moves what it replaced into ``.knutepunkt-cache/trash`` and a detached process deletes
    it (docs/publishing.md). A nightly build starts a day after the last, a coordinator's edit
    minutes after it, not while tens of thousands of files are being deleted nearby, which makes
    creating files several times slower: measured back to back, the deleting was in the next row.
    """
    trash = out.parent / ".knutepunkt-cache" / "trash"
    started = time.perf_counter()
    # While the sweep (hub/publish.py) runs: what it cannot delete stays, and is no reason to wait.
    while trash.is_dir() and any(trash.iterdir()) and sweeping(trash) and time.perf_counter() - started < patience:
        time.sleep(1)
    return time.perf_counter() - started


def sweeping(trash: Path) -> bool:
    """Whether a process is deleting what is in ``trash`` (Linux: by the processes' command lines)."""
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes() if proc.name.isdigit() else b""
        except OSError:
            continue
        if b"shutil.rmtree" in cmd and os.fsencode(trash) in cmd:
            return True
    return False


def week(cmd: list[str], out: Path, nights: int = 7) -> list[tuple[str, float, int, float]]:
    """The nightly rebuild with nothing edited, one day later each night, each once the night
    before's deleting is done, then the first Monday of the next run of the search's hours (the
    nights between skipped; marked *): (day, seconds, files written, seconds waited for that)."""
    import datetime as dt

    from hub.site.app import SEARCH_WEEKS
    from hub.time.hours import span_start

    epoch = int(ENV["SOURCE_DATE_EPOCH"])
    first = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    last = first + dt.timedelta(days=nights)
    run = (span_start(last, SEARCH_WEEKS) + dt.timedelta(weeks=SEARCH_WEEKS) - first).days
    rows = []
    for night in [*range(1, nights + 1), run]:
        waited = deleted(out)
        before = inodes(out)
        ENV["SOURCE_DATE_EPOCH"] = str(epoch + 86400 * night)
        try:
            seconds, _, _, _ = timed(cmd)
        finally:
            ENV["SOURCE_DATE_EPOCH"] = str(epoch)
        after = inodes(out)
        written = sum(1 for rel, ino in after.items() if before.get(rel) != ino)
        day = dt.datetime.fromtimestamp(epoch + 86400 * night, dt.UTC).strftime("%a %d %b") + "*" * (night > nights)
        rows.append((day, seconds, written, waited))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--lean", action="store_true", help="no browser, no second cold builds (see above)")
    ap.add_argument("--demo-copies", type=int, default=0, metavar="N",
                    help="also measure the demo content with each district N times (the issues' 'demo ×20')")
    a = ap.parse_args()
    compiled()
    work = Path(tempfile.mkdtemp(prefix="knutepunkt-bench-"))
    hugo = shutil.which("hugo")
    try:
        import mkdocs  # noqa: F401
        has_mkdocs = True
    except ImportError:
        has_mkdocs = False
    rows = []
    best: list[float] = []
    settled = []
    sizes: list[int | str] = [*a.districts, *([f"demo ×{a.demo_copies}"] if a.demo_copies else [])]
    for n in sizes:
        tag = n if isinstance(n, int) else "demo"  # in folder names
        content = work / f"content-{tag}"
        if isinstance(n, int):
            generate(content, n, 60, 25, 12)
            edited = "districts/*/services/tjeneste-007.md"
        else:
            districts = demo_copies(Path(__file__).resolve().parent.parent / "content", content, a.demo_copies)
            n = f"{districts} (demo ×{a.demo_copies})"
            edited = "districts/*/services/helsestasjon.md"
        settled.append((n, *settle(work, best)))
        r: dict = {"n": n}
        # First every step that only creates files: the cold builds, the render, the other tools.
        out = work / f"out-{tag}"
        cmd = build_cmd(content, out, a.jobs)
        r["cold"], _, _, err = timed(cmd)
        r["phases"] = json.loads(err.strip().splitlines()[-1])
        r["pages"] = pages = sum(1 for p in out.rglob("*.html") if "pagefind" not in p.parts)
        r["size"] = du(out)
        r["same"], _, _, _ = timed(cmd)
        if not a.lean:
            _, r["peak"], _, _ = timed(build_cmd(content, work / f"memory-{tag}", a.jobs), memory=True)  # cold again
            r["render"], _, _, _ = timed(build_cmd(content, work / f"render-{tag}", a.jobs, "--no-search"))
            # From 20 districts the default (search_index: auto) gives the one door in the light bundle:
            # build the merged variant too, for its first search and its cost.
            if isinstance(n, int) and n >= LIGHT_SEARCH_FROM:
                site_yaml = content / "site.yaml"
                plain = site_yaml.read_text("utf-8")
                site_yaml.write_text(plain + "search_index: merged\n", "utf-8")
                m_wall, _, _, _ = timed(build_cmd(content, work / f"merged-{tag}", a.jobs))
                _, m_peak, _, _ = timed(build_cmd(content, work / f"merged-memory-{tag}", a.jobs), memory=True)
                r["merged"] = (m_wall, m_peak)
                site_yaml.write_text(plain, "utf-8")
        started = time.perf_counter()
        r["jinja_pages"] = jinja_loop(content, work / f"jinja-{tag}")
        r["jinja"] = time.perf_counter() - started
        if hugo:
            site = work / f"hugo-{tag}"
            hugo_site(content, site)
            r["hugo"], _, _, _ = timed([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")])
            r["hugo_pf"] = hugo_pagefind(hugo, content, work / f"hugo-pf-{tag}", pages)
        if has_mkdocs:
            config = mkdocs_site(content, work / f"mkdocs-{tag}")
            r["mkdocs"], _, _, _ = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                                          "-d", str(work / f"mkdocs-{n}/site")])
            r["mkdocs_pf"] = mkdocs_pagefind(content, work / f"mkdocs-pf-{tag}", pages)
        # Then the steps that replace or delete: the rebuilds (their publish), the preview.
        # A week of nights with nothing edited, from the cold build's Monday to the next Monday.
        r["week"] = week(cmd, out)
        # Back to the cold build's day (a full rebuild), then a coordinator's edits: one sentence in
        # one service of one district. The first edit after a full build links the spare copy the
        # next ones publish over (docs/publishing.md); the second is measured, as most edits are.
        deleted(out)
        timed([*cmd, "--full"])
        services = sorted(content.glob(edited))
        for one in (services[len(services) // 3], services[len(services) // 2]):
            deleted(out)
            one.write_text(one.read_text("utf-8") + "\nOppdatert i dag.\n", "utf-8")
            r["edit"], _, _, err = timed(cmd)
        r["edit_phases"] = json.loads(err.strip().splitlines()[-1])
        # A field the open data and the all-districts page show (a summary): those are made again too.
        deleted(out)
        one = services[2 * len(services) // 3]
        one.write_text(re.sub(r'^(summary: .*?)("?)$', r"\1 Nytt.\2", one.read_text("utf-8"), count=1, flags=re.M),
                       "utf-8")
        r["edit_field"], _, _, _ = timed(cmd)
        deleted(out)
        r["full"], _, _, _ = timed([*cmd, "--full"])
        if not a.lean:
            r["search"] = first_search(out, "tjeneste")
            if "merged" in r:
                r["merged_search"] = first_search(work / f"merged-{tag}", "tjeneste")
            from preview import measure as preview_measure  # benchmarks/preview.py

            start, edits, restart = preview_measure(content, edits=5)
            r["preview"] = (start, sorted(edits)[len(edits) // 2], restart)
        rows.append(r)
        print(f"{n} districts: {pages} pages in {r['cold']:.1f} s", file=sys.stderr)
        print(json.dumps(r), file=sys.stderr)  # each size as it is measured, should a later one fail
    report(rows, settled, a.jobs, hugo, has_mkdocs)
    shutil.rmtree(work)


def report(rows: list[dict], settled: list[tuple[int, float, float]], jobs: int, hugo: str | None,
           has_mkdocs: bool) -> None:
    """The Markdown tables for docs/benchmarks.md."""
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1] if hugo else "-"
    print(f"Machine: {os.cpu_count()} cores, jobs={jobs}, Hugo {version}")
    print("Creating a folder with a page, before each size: " + ", ".join(
        f"{n} districts {cost:.0f} µs (waited {waited:.0f} s)" for n, waited, cost in settled) + "\n")
    print("| districts | HTML pages | cold build, search included | MkDocs + Pagefind over its output "
          "| Knutepunkt ÷ MkDocs + Pagefind | Hugo + Pagefind | no-change rebuild "
          "| one-file rebuild: a text (freeze / re-index) | a summary | full rebuild | load / freeze / index (cold) "
          "| output |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for r in rows:
        ph, ep = r["phases"], r["edit_phases"]
        mk = (f"{r['mkdocs_pf'][0]:.1f} s ({r['mkdocs_pf'][1]:,} pages) | {r['cold'] / r['mkdocs_pf'][0]:.2f}×"
              if "mkdocs_pf" in r else "MkDocs not installed | –")
        hg = f"{r['hugo_pf'][0]:.1f} s ({r['hugo_pf'][1]:,} pages)" if "hugo_pf" in r else "Hugo not installed"
        print(f"| {r['n']} | {r['pages']:,} | {r['cold']:.1f} s | {mk} | {hg} | {r['same']:.2f} s "
              f"| {r['edit']:.2f} s ({ep['freeze']:.2f} / {ep['index']:.2f} s) | {r['edit_field']:.2f} s "
              f"| {r['full']:.1f} s "
              f"| {ph['load']:.1f} / {ph['freeze']:.1f} / {ph['index']:.1f} s | {r['size'] / 2**20:.0f} MiB |")
    for r in rows:
        print(f"\nA week of nightly rebuilds, nothing edited, {r['n']} districts "
              f"(cold build {r['cold']:.1f} s on Monday):\n")
        print("| night | time | files written | ÷ cold | waited before it for the night before's deleting |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for day, seconds, written, waited in r["week"]:
            print(f"| {day} | {seconds:.2f} s | {written:,} | {seconds / r['cold']:.2f} | {waited:.0f} s |")
        print("\n\\* The first Monday of the next four-week run of the search results' hours, built on the "
              "output of the last night above (the nights between skipped): the districts whose run starts "
              "that Monday are indexed again, a quarter of them (they take turns), and the light search's "
              "bundle (from 20 districts), which every Monday indexes again.")
    print("\n| districts | plain Jinja2 loop | Knutepunkt ÷ Jinja2 | Hugo (no search) | MkDocs, search plugin |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        hg = f"{r['hugo']:.1f} s" if "hugo" in r else "not installed"
        mk = f"{r['mkdocs']:.1f} s" if "mkdocs" in r else "not installed"
        print(f"| {r['n']} | {r['jinja']:.1f} s ({r['jinja_pages']:,} files) | {r['cold'] / r['jinja']:.1f}× "
              f"| {hg} | {mk} |")
    full = [r for r in rows if "peak" in r]
    if full:
        print("\n| districts | peak memory RSS / PSS | render only (load + freeze) | one door in's search "
              "| first search: requests | bytes | preview: start-up | edit → page (median of 5) | restart |")
        print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in full:
            mode = "merged (auto)" if isinstance(r["n"], int) and r["n"] < LIGHT_SEARCH_FROM else "light (auto)"
            start, edit, again = r["preview"]
            print(f"| {r['n']} | {r['peak'][0] / 2**20:.0f} / {r['peak'][1] / 2**20:.0f} MiB | {r['render']:.1f} s "
                  f"| {mode} | {r['search'][0]} | {r['search'][1]:,} | {start:.1f} s | {edit:.2f} s | {again:.1f} s |")
    merged = [r for r in rows if "merged" in r]
    if merged:
        print("\nThe same sizes with `search_index: merged` (every district's bundle merged in the browser):\n")
        print("| districts | cold build (auto: light) | full build, merged | peak PSS, merged "
              "| first search, merged: requests | bytes |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in merged:
            (m_wall, m_peak), (m_req, m_bytes) = r["merged"], r["merged_search"]
            print(f"| {r['n']} | {r['cold']:.1f} s | {m_wall:.1f} s | {m_peak[1] / 2**20:.0f} MiB | {m_req} "
                  f"| {m_bytes:,} |")


if __name__ == "__main__":
    main()
