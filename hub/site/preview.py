"""Live preview for coordinators: ``knutepunkt serve``.

A watcher reloads the content after every save and swaps the portal the app
reads; broken content does not stop the server but is shown in the browser
until the next good save. The open page polls a version number and reloads
itself. Search works too: a background build keeps the Pagefind bundles current.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request, send_from_directory
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from hub.build.pipeline import build
from hub.content.errors import ContentErrors
from hub.content.loader import load
from hub.site.app import create_app
from hub.site.state import PortalState, state

preview_bp = Blueprint("preview", __name__, url_prefix="/__preview__",
                       static_folder=str(Path(__file__).parent / "static"))


@preview_bp.route("/version")
def version() -> Response:
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


class Preview:
    """The watched content folder, the app that serves it, and the background search build."""

    def __init__(self, content: Path, theme: str | Path = "default", admin: Path | None = None):
        self.content = content
        self.theme = theme
        self.app: Flask = create_app(None, theme, preview=True)
        self.app.register_blueprint(preview_bp)
        self.state: PortalState = self.app.extensions["knutepunkt"]
        self.app.before_request(_errors_page)
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
        self._search_dir = Path(tempfile.mkdtemp(prefix="knutepunkt-preview-"))
        self._search_lock = threading.Lock()
        self.reload()

    def reload(self) -> None:
        try:
            portal = load(self.content)
        except ContentErrors as exc:
            self.state.swap(self.state.portal, exc.errors)
        else:
            self.state.swap(portal, [])
            threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        """Build into a private folder so the preview's search finds what was just saved."""
        with self._search_lock:
            try:
                build(self.content, self._search_dir / "site", self.theme)
                self.state.search_dir = self._search_dir / "site"
            except ContentErrors:
                pass

    def watch(self) -> BaseObserver:
        handler = _Changed(self._changed)
        observer = Observer()
        observer.schedule(handler, str(self.content), recursive=True)
        themes = Path(self.app.template_folder or "").parent
        if themes.is_dir():
            observer.schedule(handler, str(themes), recursive=True)
        observer.daemon = True
        observer.start()
        threading.Thread(target=self._loop, daemon=True).start()
        return observer

    def _loop(self) -> None:
        while True:
            self._changed.wait()
            time.sleep(0.15)  # editors write in several steps: settle first
            self._changed.clear()
            self.reload()


class _Changed(FileSystemEventHandler):
    def __init__(self, flag: threading.Event):
        self.flag = flag

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        self.flag.set()
