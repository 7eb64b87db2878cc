"""Shared test helpers: small content trees written in the test, and one demo build per session."""

from __future__ import annotations

import hashlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content"
#: 2026-11-23 12:00 Europe/Oslo, a Monday: the "today" every test build uses.
EPOCH = "1795402800"
#: What axe checks on every page: WCAG 2.0 and 2.1, A and AA, and axe's best practices.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Long text or bytes (hostile inputs) get a short test id: the id goes into the environment
    (PYTEST_CURRENT_TEST), and one over 128 KiB makes every subprocess the test starts fail (E2BIG)."""
    if isinstance(val, (str, bytes)) and len(val) > 80:
        data = val.encode("utf-8", "surrogatepass") if isinstance(val, str) else val
        return f"{argname}-{len(val)}-{hashlib.sha256(data).hexdigest()[:8]}"
    return None


SITE = """
name: Testkommune
base_url: https://test.example.no/
accessibility_statement: https://uustatus.no/erklaring
categories:
  - {slug: helse, name: Helse}
  - {slug: kultur, name: Kultur}
"""

DISTRICT = """
name: Nordby
official_name: Nordby og Sørby
intro: Knutepunktet i Nordby.
hub:
  name: Nordby knutepunkt
  address: Storgata 1, 3000 Nordby
  hours:
    weekly:
      mon: "09:00-16:00"
      tue: "10:00-18:00"
"""

SERVICE = """---
title: Helsestasjon
service: helsestasjon
category: helse
summary: Vaksiner og råd til småbarnsforeldre.
---
Helsestasjonen gir **vaksine** til barn.
"""

EVENT = """---
title: Babytreff
repeat:
  days: [tue]
  from: 2026-11-01
  until: 2026-12-31
start: "12:00"
end: "14:00"
service: helsestasjon
---
Treff for foreldre med baby.
"""


class Tree:
    """A content folder made in the test: ``tree.write("districts/x/district.yaml", text)``."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str | bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return p


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A minimal valid portal: one district, one service, one weekly event."""
    t = Tree(tmp_path / "content")
    t.write("site.yaml", SITE)
    t.write("districts/nordby/district.yaml", DISTRICT)
    t.write("districts/nordby/services/helsestasjon.md", SERVICE)
    t.write("districts/nordby/programme/babytreff.md", EVENT)
    return t


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def forget_map_labels() -> None:
    """Each test, and each reference build in one, places the map's labels itself: labels an
    earlier build remembered in this process would make a comparison with it compare it with itself."""
    from hub.site import districtmap

    districtmap._known.clear()
    districtmap._spread_once.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_map_labels() -> None:
    forget_map_labels()


def errors_of(root: Path) -> list[str]:
    """The errors loading the content folder ``root`` reports, as ``check`` prints them (it must fail)."""
    from hub.content.errors import ContentErrors
    from hub.content.loader import load

    with pytest.raises(ContentErrors) as caught:
        load(root)
    return [str(e) for e in caught.value.errors]


class Held:
    """A file's inode number, the file held by a hard link of its own for as long as the test runs: a
    deleted file's number is free for the next file made, so a file made again could look kept."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __call__(self, path: Path) -> int:
        self.folder.mkdir(exist_ok=True)
        os.link(path, self.folder / str(sum(1 for _ in self.folder.iterdir())))
        return path.stat().st_ino


@pytest.fixture
def inode(tmp_path: Path) -> Held:
    """``inode(path)``: the number that tells a file kept (linked in) from one made again."""
    return Held(tmp_path / ".held")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 below ``folder``, to prove output was left byte-for-byte alone."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_of(base: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    """The project as it is now, in a folder of its own (never inside ``base``: copies would nest),
    but for what the builds replaced: the detached sweep may be deleting it as it is copied."""
    copy = factory.mktemp(name) / "project"
    shutil.copytree(base, copy, symlinks=True,
                    ignore=lambda folder, names: ["trash"] if Path(folder).name == ".knutepunkt-cache" else [])
    return copy


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once (search index included) for all output tests."""
    from hub.pipeline.steps import build

    out = tmp_path_factory.mktemp("demo") / "site"
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(DEMO, out)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


# --- real browser -------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(folder: Path, *, cors: bool = False):
    """Serve a folder on 127.0.0.1 on a free port, in a thread; returns (base URL, server).

    ``cors``: send the header a region's search needs from its members (docs/region.md).
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            if cors:
                self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def site_url(demo_site: Path):
    url, server = serve(demo_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never 'playwright install')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
