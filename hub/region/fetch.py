"""Fetching members' manifests: one deadline per member, retries, conditional requests, redirects
within limits, and the last good copy.

A region never silently loses a member. A member that cannot be reached in its time, or whose
manifest is broken or hostile, is shown from its last good copy with the date of that copy and a
warning; a member with no good copy at all stops the build with a clear message. Nothing from a
manifest that failed validation is kept or shown (:mod:`hub.region.reading`).

The deadline covers connecting, the headers and the body of every try together, however slowly the
bytes come: a timer shuts the member's sockets when its time is up (a socket timeout alone restarts
with every byte). Members are fetched by a small pool of threads, so a slow one delays no other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hub.atomic import write_atomic
from hub.exports.manifest import Manifest
from hub.region.config import LOCAL_HOSTS, Member
from hub.region.reading import MAX_BYTES, MemberError, Reading, read

MANIFEST = "apne-data/portal.json"
#: Seconds per member: connect, headers and body of every try together (``region build --timeout``).
BUDGET = 30.0
RETRIES, MAX_REDIRECTS, POOL = 3, 3, 8

__all__ = ["BUDGET", "Fetched", "MemberError", "fetch", "fetch_all"]


@dataclass(frozen=True)
class Fetched:
    member: Member
    manifest: Manifest
    fetched: dt.datetime  # when this copy was fetched (UTC)
    warning: str | None = None  # set when the copy is an old one
    notes: tuple[str, ...] = ()  # what the region left out of the manifest, or found odd (warnings)


class _Deadline:
    """A member's time: when it is up, every socket opened for the member is shut, which ends any
    read or write under way at once (a trickling server cannot hold it)."""

    def __init__(self, budget: float):
        self.budget = budget
        self.end = time.monotonic() + budget
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(budget, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            if self.expired:
                sock.close()
                raise TimeoutError("tiden er ute")
            self._sockets.append(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _Refused(Exception):
    """A redirect the region does not follow."""


def _opener(deadline: _Deadline, http_ok: bool) -> urllib.request.OpenerDirector:
    """urllib with the member's deadline on every socket and the region's rules for redirects."""
    def connect(*args: Any, **kwargs: Any) -> socket.socket:
        return deadline.track(socket.create_connection(*args, **kwargs))

    class Plain(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class Tls(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Plain, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Tls, req, context=self._context)  # type: ignore[attr-defined]

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> urllib.request.Request | None:
            parts = urlsplit(newurl)
            if not (parts.scheme == "https" or (http_ok and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)):
                raise _Refused("omdirigert til en adresse som ikke er https://")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(HttpHandler, HttpsHandler, Redirects)


def _get(url: str, meta: dict[str, str], budget: float, retries: int) -> tuple[int, bytes, dict[str, str], str]:
    """GET within the member's budget, with If-None-Match / If-Modified-Since; tries again with a short
    pause while time is left. Returns (status, body, cache headers, the URL it ended at); 304 → (304, b"", …)."""
    headers = {"User-Agent": "knutepunkt-region", "Accept": "application/json"}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    deadline = _Deadline(budget)
    opener = _opener(deadline, urlsplit(url).scheme == "http")
    why = "fikk ikke svar"
    try:
        for attempt in range(retries):
            try:
                with opener.open(urllib.request.Request(url, headers=headers), timeout=deadline.left()) as r:
                    length = r.headers.get("Content-Length")
                    if length and length.isdigit() and int(length) > MAX_BYTES:
                        raise MemberError(f"manifestet er større enn {MAX_BYTES // 1024 // 1024} MB")
                    body = r.read(MAX_BYTES + 1)
                    if deadline.expired:  # the socket was shut mid-body: what came is not the manifest
                        raise TimeoutError
                    return r.status, body, {"etag": r.headers.get("ETag") or "",
                                            "last_modified": r.headers.get("Last-Modified") or ""}, r.geturl()
            except _Refused as exc:
                raise MemberError(str(exc)) from None
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return 304, b"", {}, exc.geturl() or url
                if 300 <= exc.code < 400:
                    raise MemberError(f"for mange omdirigeringer (over {MAX_REDIRECTS})") from None
                why = f"svarte HTTP {exc.code}"
                if exc.code < 500:
                    break
            except MemberError:
                raise
            except Exception as exc:  # noqa: BLE001 - a member's server must not end the build with a traceback
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                why = "fikk ikke svar" if isinstance(reason, TimeoutError) or deadline.expired else \
                    f"kunne ikke kobles til ({type(reason).__name__})"
            if deadline.expired or deadline.left() <= 0:
                raise MemberError(f"kunne ikke hentes innen {budget:g} s ({why})")
            time.sleep(min(0.2 * (attempt + 1), deadline.left()))
    finally:
        deadline.cancel()
    raise MemberError(f"kunne ikke hentes ({why})")


def _root(final: str) -> str:
    """The portal's address as the region reached it, redirects followed: the manifest's URL less
    ``apne-data/portal.json``. Its origin is the member's origin (its links and search bundles)."""
    parts = urlsplit(final)
    if not parts.path.endswith("/" + MANIFEST):
        raise MemberError("omdirigert til en adresse som ikke er portalens manifest")
    return f"{parts.scheme}://{parts.netloc}{parts.path[:-len(MANIFEST)]}"


def fetch(member: Member, region_file: Path, cache: Path, *, timeout: float = BUDGET,
          retries: int = RETRIES, now: dt.datetime | None = None) -> Fetched:
    """The member's manifest: fresh if it can be had in time and is valid, else the last good copy with a warning."""
    now = now or dt.datetime.now(dt.UTC)
    folder = cache / member.slug
    meta_file, copy_file = folder / "meta.json", folder / "portal.json"
    meta = _meta(meta_file) if copy_file.is_file() else {}
    try:
        if member.is_url():
            url = member.source + MANIFEST
            status, raw, headers, final = _get(url, meta, timeout, retries)
            root: str | None = _root(final)
            if status == 304:
                root = meta.get("root") or root
                reading = _read(copy_file.read_bytes(), url, root)
                return Fetched(member, reading.manifest, now, notes=reading.notes)
        else:
            path = member.folder(region_file) / MANIFEST
            url, headers, root = str(path), {}, None
            if not path.is_file():
                raise MemberError(f"{path}: finnes ikke (bygg medlemmets portal først)")
            raw = path.read_bytes()
        reading = _read(raw, url, root)
    except MemberError as exc:
        if not copy_file.is_file():
            raise MemberError(f"medlemmet {member.slug!r} er aldri hentet: {_where(exc, url)}") from None
        stamp = dt.datetime.fromisoformat(meta["fetched"]) if meta.get("fetched") else \
            dt.datetime.fromtimestamp(copy_file.stat().st_mtime, dt.UTC)
        try:
            kept = _read(copy_file.read_bytes(), str(copy_file), meta.get("root") if member.is_url() else None)
        except MemberError as old:
            raise MemberError(f"medlemmet {member.slug!r} kunne ikke hentes ({_where(exc, url)}), og den siste "
                              f"kopien leses ikke lenger: {old}") from None
        return Fetched(member, kept.manifest, stamp, notes=kept.notes,
                       warning=f"medlemmet {member.slug!r} vises fra kopien hentet {stamp:%Y-%m-%d %H:%M} UTC: "
                               f"{_where(exc, url)}")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(copy_file, raw)
    write_atomic(meta_file, json.dumps({**headers, "fetched": now.isoformat(), **({"root": root} if root else {})},
                                       sort_keys=True).encode())
    return Fetched(member, reading.manifest, now, notes=reading.notes)


def _where(exc: MemberError, url: str) -> str:
    text = str(exc)
    return text if text.startswith(url) else f"{url}: {text}"


def _read(raw: bytes, where: str, root: str | None) -> Reading:
    """:func:`hub.region.reading.read`, its error prefixed with where the bytes came from."""
    try:
        return read(raw, root)
    except MemberError as exc:
        raise MemberError(f"{where}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - untrusted input must end as the member's error, never a traceback
        raise MemberError(f"{where}: manifestet kunne ikke leses ({type(exc).__name__})") from None


def _meta(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def fetch_all(members: Sequence[Member], region_file: Path, cache: Path, *, timeout: float = BUDGET,
              now: dt.datetime | None = None, pool: int = POOL) -> list[Fetched | MemberError]:
    """Every member, fetched by a small pool of threads; in the order given, each a copy or its error."""
    def one(member: Member) -> Fetched | MemberError:
        try:
            return fetch(member, region_file, cache, timeout=timeout, now=now)
        except MemberError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, min(pool, len(members))), thread_name_prefix="region-fetch") as ex:
        return list(ex.map(one, members))
