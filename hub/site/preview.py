"""Live preview for coordinators: ``knutepunkt serve``.

A watcher reloads the content after every save and swaps the portal the app
reads; broken content does not stop the server but is shown in the browser
until the next good save. Only the district folders that changed are read
again (the others are reused, as the incremental build does), and the open
page long-polls a version number, so a saved edit shows within a fraction of a
second at 10,000 pages (docs/benchmarks.md). Search works too: once the
content has been quiet for a moment, a separate ``knutepunkt build`` process,
at low priority, keeps the Pagefind bundles current.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol

import jinja2
from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request, send_from_directory
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from hub.content.errors import ContentError, ContentErrors
from hub.content.loader import load
from hub.content.structure import District
from hub.site.app import create_app
from hub.site.state import PortalState, state
from hub.theme import OWN

_log = logging.getLogger("knutepunkt.preview")

preview_bp = Blueprint("preview", __name__, url_prefix="/__preview__",
                       static_folder=str(Path(__file__).parent / "static"))


@preview_bp.route("/version")
def version() -> Response:
    """The content's version; with ``?known=N``, answers when it differs from N (or after 20 s)."""
    known = request.args.get("known", type=int)
    deadline = time.monotonic() + 20
    while known is not None and state().version == known and time.monotonic() < deadline:
        time.sleep(0.02)
    return jsonify(version=state().version)


@preview_bp.route("/reload.js")
def script() -> Response:
    return send_from_directory(Path(__file__).parent / "static", "reload.js", max_age=0)


def _errors_page() -> tuple[str, int] | None:
    st = state()
    if not st.errors or (request.endpoint or "").startswith("preview."):
        return None
    return render_template("preview_errors.html", errors=st.errors), 500


def _search_file(district: str | None, filename: str) -> Response:
    folder = state().search_dir
    if folder is None:
        abort(404)
    return send_from_directory(folder / district / "pagefind" if district else folder / "pagefind", filename,
                               max_age=0)


class DistrictStore(Protocol):
    """Parsed districts kept between runs (``hub.pipeline.incremental.ParsedDistricts``, wired by ``serve``)."""

    def empty(self) -> bool: ...
    def read(self) -> dict[str, District]: ...
    def keep(self, district: District) -> None: ...
    def forget(self, district: District) -> None: ...
    def prune(self) -> None: ...


class Preview:
    """The watched content folder, the app that serves it, and the background search build.

    With ``parsed``, the first load reads back the districts an earlier preview of the same
    content parsed (a restart takes about a second at 100 districts), and the ones it had to
    parse are stored in the background, once the first pages are served.
    """

    def __init__(self, content: Path, theme: str | Path = "default", admin: Path | None = None,
                 parsed: DistrictStore | None = None):
        self.content = content
        self.parsed = parsed
        self._to_keep: list[District] | None = None  # parsed by the first load, to store once
        self.theme = theme
        self.app: Flask = create_app(None, theme, preview=True, content=content)
        self.app.register_blueprint(preview_bp)
        self.state: PortalState = self.app.extensions["knutepunkt"]
        self.app.before_request(_errors_page)
        self.app.register_error_handler(jinja2.TemplateError, self._template_error)
        self.app.add_url_rule("/pagefind/<path:filename>", "preview.search_root",
                              lambda filename: _search_file(None, filename))
        self.app.add_url_rule("/<district>/pagefind/<path:filename>", "preview.search_district",
                              lambda district, filename: _search_file(district, filename))
        if admin is not None:  # Decap's page (``knutepunkt cms``), beside the preview it edits
            folder = admin.resolve()
            self.app.add_url_rule("/admin/", "preview.admin", lambda: send_from_directory(folder, "index.html"))
            self.app.add_url_rule("/admin/<path:filename>", "preview.admin_file", lambda filename: send_from_directory(
                folder, filename, max_age=0, mimetype="text/yaml" if filename.endswith(".yml") else None))
        self._changed = threading.Event()
        self._paths: set[str] = set()  # changed since the last reload (filled by the watcher's thread)
        self._paths_lock = threading.Lock()
        self._search_dir = Path(tempfile.mkdtemp(prefix="knutepunkt-preview-"))
        self._search_wanted = threading.Event()
        self._indexing: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._index_lock = threading.Lock()  # starting a private build and closing never cross
        self._started = time.time()  # files changed after this are not stored as parsed now (below)
        self.reload(jobs=os.cpu_count() or 1, first=True)  # no other thread runs yet, so the loader may fork
        threading.Thread(target=self._index_loop, daemon=True).start()

    def reload(self, paths: set[str] | None = None, jobs: int = 1, first: bool = False) -> None:
        """Read the content again: only the changed district folders when that is all that changed.

        Whatever goes wrong is shown in the page and the terminal, and the next save reads
        everything again: the preview never stops following the files.
        """
        try:
            self._reload(paths, jobs, first)
        except Exception as exc:  # noqa: BLE001 - a bug must not end the preview, only show itself
            _log.exception("uventet feil ved innlesing av %s", self.content)
            self.state.swap(self.state.portal, [ContentError(
                str(self.content), 0, "", f"uventet feil ved innlesing ({type(exc).__name__}: {exc}); se "
                "terminalen for detaljer. Siden lastes på nytt når du lagrer igjen.")])

    def _reload(self, paths: set[str] | None, jobs: int, first: bool) -> None:
        current = self.state.portal
        reuse = {}
        own = (self.content / OWN).resolve()
        cache = self.app.jinja_env.cache
        if paths and cache is not None and any(Path(p).resolve().is_relative_to(own) for p in paths):
            cache.clear()  # a template added to theme/ must replace the default one compiled before it
        if paths is not None and current is not None and not self.state.errors:
            changed = self._districts_of(paths)
            if changed is not None:
                reuse = {d.slug: d for d in current.districts if d.slug not in changed}
        if first and self.parsed is not None and not self.parsed.empty():
            reuse = self.parsed.read()
        try:
            portal = load(self.content, jobs=jobs, reuse=reuse, lazy=True, theme=self.theme)
        except ContentErrors as exc:
            self.state.swap(self.state.portal, exc.errors)
        else:
            self.state.swap(portal, [])
            if first and self.parsed is not None:
                self._to_keep = [d for d in portal.districts if reuse.get(d.slug) is not d]
            self._search_wanted.set()

    def _keep_parsed(self) -> None:
        """Store the districts the first load parsed, for the next start (a speed-up only: a
        folder it cannot write does not stop the preview)."""
        store, todo, self._to_keep = self.parsed, self._to_keep, None
        if store is None or todo is None:
            return
        with contextlib.suppress(OSError):
            for district in todo:
                store.keep(district)  # stored under its files' fingerprints as they are now...
                if _touched_since(self.content / "districts" / district.slug, self._started):
                    store.forget(district)  # ...which may no longer be what was parsed
            store.prune()

    def _districts_of(self, paths: set[str]) -> set[str] | None:
        """The district folders ``paths`` lie in, or None when anything else changed (then read it all)."""
        base = (self.content / "districts").resolve()
        found = set()
        for p in paths:
            path = Path(p).resolve()
            parts = path.relative_to(base).parts if path.is_relative_to(base) else ()
            if len(parts) < 2:  # outside districts/ (other content, the theme), or a district folder itself
                return None
            found.add(parts[0])
        return found

    def _index_loop(self) -> None:
        """Keep a private build current, so the preview's search finds what was just saved.

        A separate, low-priority process once the content has been quiet for a second: the page
        the coordinator is looking at never waits for it (it holds no lock of this process).
        """
        while not self._closed:
            try:
                self._index_once()
            except Exception:  # noqa: BLE001 - search in the preview stops being fresh, the preview goes on
                _log.exception("søket i forhåndsvisningen ble ikke oppdatert")

    def _index_once(self) -> None:
        """One round: wait until the saves stop, then one private build."""
        out = self._search_dir / "site"
        self._search_wanted.wait()
        while self._search_wanted.is_set():  # wait until the saves stop
            self._search_wanted.clear()
            time.sleep(1.0)
        self._keep_parsed()
        with self._index_lock:
            if self._closed:
                return
            self._indexing = subprocess.Popen(
                [sys.executable, "-m", "hub", "build", "--content", str(self.content), "--out", str(out),
                 "--theme", str(self.theme), "-j", "1"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: os.nice(10),
                start_new_session=True)  # a group of its own: Pagefind under it is stopped with it
        if self._indexing.wait() == 0 and not self._closed:
            self.state.search_dir = out

    def close(self) -> None:
        """Stop the private build and remove it: a whole site with its search, in the temp folder."""
        with self._index_lock:
            self._closed = True
            if self._indexing is not None and self._indexing.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # it may end on its own meanwhile
                    os.killpg(self._indexing.pid, signal.SIGTERM)
                try:
                    self._indexing.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self._indexing.pid, signal.SIGKILL)
                    self._indexing.wait()
        shutil.rmtree(self._search_dir, ignore_errors=True)

    def _template_error(self, exc: jinja2.TemplateError) -> tuple[str, int]:
        """A template of the site's own that stops while the page is made: its line on the errors page
        (which reloads on save), as the build names it. Anything else is the tool's error, shown as one."""
        found = self.app.config["THEME"].template_error(exc, self.content)
        if found is None:
            raise exc
        return render_template("preview_errors.html", errors=[found]), 500

    def watch(self) -> BaseObserver:
        handler = _Changed(self._changed, self._paths, self._paths_lock)
        observer = Observer()
        observer.schedule(handler, str(self.content), recursive=True)
        themes = self.app.config["THEME"].base  # the content's own theme/ is inside the content folder
        if themes.is_dir():
            observer.schedule(handler, str(themes), recursive=True)
        observer.daemon = True
        observer.start()
        threading.Thread(target=self._loop, daemon=True).start()
        return observer

    def _loop(self) -> None:
        while True:
            self._changed.wait()
            time.sleep(0.05)  # editors write in several steps (a temporary file, then a rename): settle first
            self._changed.clear()
            with self._paths_lock:
                paths = set(self._paths)
                self._paths.clear()
            self.reload(paths)  # a theme file lies outside districts/: everything is read again


def _touched_since(folder: Path, when: float) -> bool:
    try:
        return any(p.stat().st_mtime >= when for p in folder.rglob("*"))
    except OSError:  # removed meanwhile
        return True


class _Changed(FileSystemEventHandler):
    def __init__(self, flag: threading.Event, paths: set[str], lock: threading.Lock):
        self.flag, self.paths, self.lock = flag, paths, lock

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            self.paths.update(os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p)
        self.flag.set()
