"""Fetching members' manifests: timeout, retries, conditional requests, and the last good copy.

A region never silently loses a member. A member that cannot be reached, or whose manifest is
broken or hostile, is shown from its last good copy with the date of that copy and a warning;
a member with no good copy at all stops the build with a clear message. Nothing from a manifest
that failed validation is kept or shown.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from hub.atomic import write_atomic
from hub.exports.manifest import Manifest
from hub.region.config import Member

MANIFEST = "apne-data/portal.json"
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT, RETRIES = 10.0, 3


class MemberError(Exception):
    """Why a member's manifest could not be used (one line, Norwegian)."""


@dataclass(frozen=True)
class Fetched:
    member: Member
    manifest: Manifest
    fetched: dt.datetime  # when this copy was fetched (UTC)
    warning: str | None = None  # set when the copy is an old one


def _rebase(data: object, old: str, new: str) -> object:
    """Links under the member's ``base_url`` moved to where the region found it (a mirror, a preview)."""
    if isinstance(data, str):
        return new + data[len(old):] if data.startswith(old) else data
    if isinstance(data, list):
        return [_rebase(x, old, new) for x in data]
    if isinstance(data, dict):
        return {k: _rebase(v, old, new) for k, v in data.items()}
    return data


def _validate(raw: bytes, where: str, source: str | None = None) -> Manifest:
    if len(raw) > MAX_BYTES:
        raise MemberError(f"{where}: manifestet er større enn {MAX_BYTES // 1024 // 1024} MB")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MemberError(f"{where}: manifestet er ikke gyldig JSON ({exc})") from None
    base = data.get("municipality", {}).get("base_url") if isinstance(data, dict) else None
    if source and isinstance(base, str) and base.startswith(("https://", "http://")) and base != source:
        data = _rebase(data, base.rstrip("/") + "/", source)
    try:
        return Manifest.read(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise MemberError(f"{where}: manifestet følger ikke kontrakten ({exc.error_count()} feil; først {field}: "
                          f"{first['msg']})") from None


def _get(url: str, meta: dict[str, str], timeout: float, retries: int) -> tuple[int, bytes, dict[str, str]]:
    """GET with If-None-Match / If-Modified-Since; retries with a growing pause; 304 → (304, b"", {})."""
    headers = {"User-Agent": "knutepunkt-region", "Accept": "application/json"}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    last: Exception | None = None
    for attempt in range(retries):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as r:
                body = r.read(MAX_BYTES + 1)
                return r.status, body, {"etag": r.headers.get("ETag") or "",
                                        "last_modified": r.headers.get("Last-Modified") or ""}
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return 304, b"", {}
            last = exc
            if exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = exc
        time.sleep(0.2 * (attempt + 1))
    raise MemberError(f"{url}: kunne ikke hentes ({last})")


def fetch(member: Member, region_file: Path, cache: Path, *, timeout: float = TIMEOUT,
          retries: int = RETRIES, now: dt.datetime | None = None) -> Fetched:
    """The member's manifest: fresh if it can be had and is valid, else the last good copy with a warning."""
    now = now or dt.datetime.now(dt.UTC)
    folder = cache / member.slug
    meta_file, copy_file = folder / "meta.json", folder / "portal.json"
    meta: dict[str, str] = json.loads(meta_file.read_text("utf-8")) if meta_file.is_file() else {}
    try:
        if member.is_url():
            url = member.source + MANIFEST
            status, raw, headers = _get(url, meta if copy_file.is_file() else {}, timeout, retries)
            if status == 304:
                return Fetched(member, _validate(copy_file.read_bytes(), url, member.source), now)
        else:
            path = member.folder(region_file) / MANIFEST
            url, headers = str(path), {}
            if not path.is_file():
                raise MemberError(f"{path}: finnes ikke (bygg medlemmets portal først)")
            raw = path.read_bytes()
        manifest = _validate(raw, url, member.source if member.is_url() else None)
    except MemberError as exc:
        if not copy_file.is_file():
            raise MemberError(f"medlemmet {member.slug!r} er aldri hentet: {exc}") from None
        stamp = dt.datetime.fromisoformat(meta["fetched"])
        source = member.source if member.is_url() else None
        return Fetched(member, _validate(copy_file.read_bytes(), str(copy_file), source), stamp,
                       warning=f"medlemmet {member.slug!r} vises fra kopien hentet {stamp:%Y-%m-%d %H:%M} UTC: {exc}")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(copy_file, raw)
    write_atomic(meta_file, json.dumps({**headers, "fetched": now.isoformat()}).encode())
    return Fetched(member, manifest, now)
