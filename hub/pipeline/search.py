"""Pagefind bundles after the freeze: one per district (works when published alone)
and a small one for the one-door-in pages; the index's search page merges them
in the browser, so no second full index of every district is built.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from hub.atomic import is_folder, link_file, plain_folder, plain_tree, read_kept, remove, write_kept

BUNDLE = "pagefind"

#: Pagefind's stock search interfaces, which it writes into every bundle. The theme's ``search.js``
#: (and a region's) drive ``pagefind.js`` itself, which loads only the entry, the worker, the wasm and
#: the index files: these seven are 0.4 MB per bundle that no page asks for (a bundle per district).
STOCK_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
            "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class BundleError(RuntimeError):
    """Pagefind failed, or wrote an incomplete bundle twice in a row."""


def _complete(bundle: Path) -> bool:
    """Every file written and non-empty (seen once under load: a zero-byte wasm file)."""
    sizes = [os.stat(os.path.join(d, f)).st_size for d, _dirs, files in os.walk(bundle) for f in files]
    return bool(sizes) and (bundle / "pagefind.js").is_file() and all(sizes)


def bundle(site: Path, glob: str, out: Path, lend: Path | None = None) -> int:
    """Index ``site`` with the Pagefind binary from the pinned ``pagefind[bin]`` wheel.

    The CLI, one process per bundle, rather than the package's async service
    API: that API terminates its process five seconds after the last answer
    and stops reading it silently on a read error, which hung a 100-district
    build here and once left a zero-byte wasm file under load.

    ``lend`` is the same bundle as last published: its page fragments are lent
    (see :func:`_lend`), and the bundle is made afresh if one stood in for another page.
    """
    from pagefind.service import get_executable  # here: with asyncio, 28 ms to import

    exe = get_executable()
    if exe is None:
        raise BundleError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    cmd = [str(exe), "--site", str(site), "--glob", glob, "--output-path", str(out), "--root-selector", "html"]
    for previous in ([lend] if lend is not None else []) + [None, None]:  # then twice without
        lent = _lend(previous, out) if previous is not None else set()
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if run.returncode == 0 and _complete(out):
            canonicalise(out)
            for name in STOCK_UI:
                (out / name).unlink(missing_ok=True)
            if previous is None or not lent or _settle(out, site, lent, previous):
                found = re.search(r"Indexed (\d+) pages?", run.stdout)
                return int(found.group(1)) if found else 0
        shutil.rmtree(out, ignore_errors=True)
    raise BundleError(f"Pagefind could not index {site}: {run.stdout[-2000:]}")


def _lend(previous: Path, out: Path) -> set[str]:
    """Hard-link the page fragments of ``previous`` into the empty bundle folder ``out``; their names.

    Pagefind names a fragment after its content and neither compresses nor writes one whose file
    exists, so a page that did not change costs no new file: the one door in's bundle of 10,000
    pages is re-indexed in a third of the time. Links, not a move: the published bundle stays whole
    until the new one replaces it. A name is only seven hex digits, so a changed page may get
    the name of another page's old fragment: :func:`_settle` checks for that.
    """
    src = previous / "fragment"
    if not src.is_dir():
        return set()
    names: set[str] = set()
    try:
        (out / "fragment").mkdir(parents=True)
        for entry in os.scandir(src):
            os.link(entry.path, out / "fragment" / entry.name)
            names.add(entry.name)
    except OSError:  # another file system, or one without hard links: index without
        shutil.rmtree(out, ignore_errors=True)
        return set()
    return names


def _settle(bundle: Path, site: Path, lent: set[str], previous: Path) -> bool:
    """Remove the lent fragments the new index does not name; False if a named one is not its page.

    Every named fragment is read: their pages must all differ and all be files of ``site``, each
    of which is a page of the bundle (a lent fragment under a changed page's name is another
    page, or a page no longer there). Another Pagefind version may write the same page otherwise.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    try:
        before = json.loads((previous / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(before, dict) or before.get("version") != entry["version"]:
        return False
    named: set[str] = set()
    for info in entry["languages"].values():
        named.update(f"{page[0]}.pf_fragment" for page in _read(bundle / f"pagefind.{info['hash']}.pf_meta")[1])
    for name in lent - named:
        (bundle / "fragment" / name).unlink()
    urls = set()
    for name in named:
        try:
            url = unquote(urlsplit(json.loads(_unpack(bundle / "fragment" / name))["url"]).path)
        except (OSError, ValueError, KeyError, TypeError):  # a damaged lent file: index afresh
            return False
        path = site / url.lstrip("/")
        if url in urls or not (path / "index.html" if url.endswith("/") else path).is_file():
            return False
        urls.add(url)
    return True


_MAGIC = b"pagefind_dcd"


def _unpack(path: Path) -> bytes:
    """The payload of a Pagefind data file: CBOR for indexes and metadata, JSON for a page's fragment."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise ValueError(f"{path}: not a Pagefind data file")
    return data[len(_MAGIC):]


def _read(path: Path) -> Any:
    import cbor2  # where a bundle is read: a night that keeps them all never loads it

    return cbor2.loads(_unpack(path))


def _write(folder: Path, prefix: str, stem_len: int, suffix: str, value: Any) -> str:
    """Write gzip(magic + CBOR) under a name derived from the content; returns the hash part of the name."""
    import cbor2

    payload = gzip.compress(_MAGIC + cbor2.dumps(value, canonical=True), compresslevel=9, mtime=0)
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:stem_len]}"
    (folder / f"{suffix.format(name)}").write_bytes(payload)
    return name


def canonicalise(bundle: Path) -> None:
    """Make a Pagefind bundle byte-for-byte reproducible.

    Pagefind 1.5 writes its filter indexes and the bundle metadata in hash-map
    order, so they differ between runs of the same input (Pagefind issue #638;
    index chunks and fragments are already stable). Sort them, and name the
    files after their new content.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            fname, values = _read(old_path)
            new = _write(bundle / "filter", lang, 7, "{}.pf_filter",
                         [fname, sorted(([v, sorted(pages)] for v, pages in values), key=lambda x: x[0])])
            if new != old:
                old_path.unlink()
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta_path.unlink()
        info["hash"] = _write(bundle, lang, 10, "pagefind.{}.pf_meta", meta)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


ROOT_GLOB = "{index.html,tjenester/**/*.html,planer/**/*.html}"  # with the municipality-wide plans

# What a light record keeps of a page: what it is about — its title, summary and the words of ``about``
# (macros.html: ``search_meta``: a service's keywords and name, a district's names, areas and hub), with
# their weights — and its filters and hours; not its body text or the compound-word list, which are
# most of Pagefind's memory.
_MAIN = re.compile(r"<main\b[^>]*\bdata-pagefind-body\b[^>]*>")
_KEEP = re.compile(
    r'<h1[^>]*>.*?</h1>|<p class="lead"[^>]*>.*?</p>|<span hidden data-pagefind-filter="[^"]*"></span>'
    r'|<span hidden data-pagefind-ignore data-pagefind-meta="hours">.*?</span>'
    r'|<p hidden class="search-about"[^>]*>.*?</p>', re.S)
_LANG = re.compile(r'<html lang="([^"]+)"')


def light_records(sources: list[tuple[Path, str]], skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """A small page for every searchable page under each (folder, prefix), by its path under prefix.

    The one door in's ``light`` search (``search_index`` in site.yaml): one bundle over every
    page of the portal, which costs a first query the same whatever the number of districts.
    ``skip``: top folders left out (the translations' ``/pl/``, which have bundles of their own).
    """
    records = {}
    for folder, prefix in sources:
        for page in _pages(folder, skip if prefix == "." else frozenset()):
            text = page.read_text("utf-8")
            main = _MAIN.search(text)
            if main is None:
                continue
            lang = _LANG.search(text)
            head = f'<!doctype html><html lang="{lang.group(1) if lang else "nb"}"><head><meta charset="utf-8">'
            records[(Path(prefix) / page.relative_to(folder)).as_posix()] = (
                f"{head}<title></title></head><body>{main.group(0)}{''.join(_KEEP.findall(text))}</main></body></html>")
    return records


def _pages(folder: Path, skip: frozenset[str] = frozenset()) -> list[Path]:
    """The HTML pages under ``folder``, never looking into a search bundle (Pagefind may be writing one)."""
    return [folder / rel for rel in _page_names(folder, skip)]


def _page_names(folder: Path, skip: frozenset[str] = frozenset()) -> list[str]:
    """:func:`_pages` as paths relative to ``folder``, in the same order: strings, since a path object
    per page was a third of an edit's indexing at 220 districts (5,000 records, read twice)."""
    found: list[str] = []

    def walk(path: str, rel: str) -> None:  # as os.walk, top down, without its relpath per folder
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return
        folders = []
        for e in entries:
            try:
                is_dir, link = e.is_dir(), e.is_symlink()
            except OSError:  # a link in a loop, say: a file to os.walk too
                is_dir, link = False, False
            if is_dir:  # a link to a folder is not gone into, nor counted as a page
                if not link and e.name != BUNDLE and not (not rel and e.name in skip):
                    folders.append(e)
            elif e.name.endswith(".html"):
                found.append(rel + e.name)
        for e in folders:
            walk(e.path, f"{rel}{e.name}/")

    walk(os.fspath(folder), "")
    return found


def _bytes(path: str) -> bytes:
    """A kept record's bytes, read only as a regular file (:func:`hub.atomic.read_kept`)."""
    return read_kept(Path(path))


class Records:
    """The light records of the last build, kept in the cache: a district carried over unchanged
    keeps its records (checked by its key), so an edit rewrites only the records it touches."""

    KEY = ".key"
    DIGEST = ".digest"

    def __init__(self, folder: Path, keys: dict[str, str], languages: tuple[str, ...] = ()) -> None:
        self.folder, self.keys, self.languages = folder, keys, frozenset(languages)
        self.kept: frozenset[str] = frozenset()  # the districts whose records the last update left as they were

    def update(self, staging: Path, out: Path, carried: list[str]) -> Path:
        """Records of every page: the one-door-in pages and districts in ``staging`` made anew, the
        ``carried`` districts' kept, or made from their pages in ``out``; returns the folder.

        A record that is already there as it would be written stays (a Monday moves every page of
        the demo ×22 and only the records of the districts whose run of search hours starts, a
        quarter: writing all 4,400 again took 1.4 s)."""
        if os.path.lexists(self.folder) and not is_folder(self.folder):
            self.folder.unlink()  # a link planted for the folder: never emptied nor written through
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = {slug for slug in carried
                if self._key(slug) == self.keys.get(slug) and is_folder(self.folder / slug)}  # not a link to one
        made = light_records([(staging, ".")] + [(out / slug, slug) for slug in carried if slug not in kept],
                             self.languages)
        folders = []
        todo = [(os.fspath(self.folder), "")]
        while todo:  # every folder but the kept districts'; anything not a plain file or folder goes
            path, rel = todo.pop()
            with os.scandir(path) as listing:
                entries = list(listing)
            for e in entries:
                name = rel + e.name
                if e.is_dir(follow_symlinks=False):
                    if rel or e.name not in kept:
                        folders.append(e.path)
                        todo.append((e.path, name + "/"))
                elif e.is_file(follow_symlinks=False) and (record := made.get(name)) is not None \
                        and _bytes(e.path) == record.encode():
                    del made[name]
                else:
                    os.unlink(e.path)
        for path in reversed(folders):  # a folder is listed before those in it
            if not os.listdir(path):
                os.rmdir(path)
        for rel, record in made.items():
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / rel).write_text(record, "utf-8")
        for slug, key in self.keys.items():
            if slug not in kept and (self.folder / slug).is_dir():
                (self.folder / slug / self.KEY).write_text(key, "utf-8")
        self.kept = frozenset(kept)
        return self.folder

    def digest(self) -> str:
        """One fingerprint of every record (path and bytes): what the light bundle is made from. A
        district whose records :meth:`update` left as they were gives the fingerprint of its folder
        kept beside them (reading 5,000 records again was 0.4 s of an edit at 220 districts)."""
        h = hashlib.sha256()
        with os.scandir(self.folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for e in entries:
            if e.is_dir(follow_symlinks=False):  # as os.walk: a link to a folder is not gone into
                h.update(f"{e.name}/\0{self._folder_digest(e.name)}\0".encode())
            elif e.name.endswith(".html"):
                h.update(e.name.encode() + b"\0" + _bytes(e.path) + b"\0")
        return h.hexdigest()

    def _folder_digest(self, name: str) -> str:
        kept = self.folder / name / self.DIGEST
        if name in self.kept:
            try:
                found = read_kept(kept).decode("utf-8")
            except (OSError, ValueError):
                found = ""
            if re.fullmatch(r"[0-9a-f]{64}", found):
                return found
            if not plain_folder(self.folder / name):
                return "-"  # no bundle was made from this: it is made again, after :meth:`distrust`
        h = hashlib.sha256()
        for rel in _page_names(self.folder / name):
            h.update(rel.encode() + b"\0" + _bytes(os.path.join(self.folder, name, rel)) + b"\0")
        if name in self.keys:  # a district's folder: the next update keeps it, or deletes this with it
            write_kept(kept, h.hexdigest().encode())  # over whatever is there, never through a link
        return h.hexdigest()

    def distrust(self) -> bool:
        """Before Pagefind reads the records: whether a kept district's folder holds anything but
        plain files and folders. Pagefind reads every file there: a pipe a restored cache put there
        would stop the build for good, a link would bring a file from elsewhere into the search. Such
        a district's key is removed, so that the next :meth:`update` deletes what is not a record and
        makes its records again. Checked only when the bundle is to be made (most nights keep it):
        listing 220 districts' 5,000 folders took 35–40 ms (50–65 ms in an edit), 99 districts' 9,700
        folders 0.11 s."""
        found = [slug for slug in sorted(self.kept) if not plain_folder(self.folder / slug)]
        for slug in found:
            remove(self.folder / slug / self.KEY)
        return bool(found)

    @property
    def _made(self) -> Path:
        return self.folder.with_name(self.folder.name + "-bundle.json")

    def bundled(self, published: Path, digest: str) -> int | None:
        """The page count of ``published`` (the live light bundle) if it was made from records with
        this ``digest``, so that it can be kept as it is (a nightly build that changed no record)."""
        try:
            made = json.loads(read_kept(self._made))
            entry = (published / "pagefind-entry.json").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(made, dict):
            return None
        same = made.get("records") == digest and made.get("entry") == hashlib.sha256(entry).hexdigest()
        same = same and _made_here(published) is not None  # and by this Pagefind (an upgrade indexes again)
        return int(made["pages"]) if same and isinstance(made.get("pages"), int) else None

    def remember(self, bundle: Path, digest: str, pages: int) -> None:
        """Note which records the bundle just made came from (and the bundle, by its entry file)."""
        entry = hashlib.sha256((bundle / "pagefind-entry.json").read_bytes()).hexdigest()
        write_kept(self._made, json.dumps({"records": digest, "entry": entry, "pages": pages}).encode())

    def _key(self, slug: str) -> str | None:
        try:
            return read_kept(self.folder / slug / self.KEY).decode("utf-8")
        except (OSError, ValueError):
            return None


@functools.cache
def pagefind_version() -> str | None:
    """The version of the Pagefind binary this build runs, None if unknown. Its wheel's version when
    the binary is the one a wheel ships (``pagefind[bin]``: the wheel is the binary's own version, and
    the wheel ``get_executable`` takes first, as it looks); otherwise ``pagefind --version``. Starting
    the binary to ask, and importing what finds it, was 35 ms of a night that indexes nothing."""
    from importlib.util import find_spec

    if os.getenv("PAGEFIND_BINARY_PATH") is None:  # as get_executable: set (even empty), it wins
        from hub.installed import version

        wheel = next((w for w in ("pagefind_bin_extended", "pagefind_bin") if find_spec(w) is not None), None)
        shipped = version(wheel) if wheel is not None else "-"
        if re.fullmatch(r"\d+\.\d+\.\d+", shipped):  # a plain release: the binary's own words (not 1.1.0b1)
            return shipped
    from pagefind.service import get_executable

    exe = get_executable()
    if exe is None:
        return None
    try:
        shown = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\d+\.\d+\.\d+\S*", shown)
    return found.group(0) if found else None


def _made_here(bundle: Path) -> dict[str, Any] | None:
    """The bundle's entry file if this Pagefind made the bundle and every file of it is there."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    version = pagefind_version()
    ok = isinstance(entry, dict) and version is not None and entry.get("version") == version and _complete(bundle)
    return entry if ok else None


def searchable(site: Path, folders: list[str]) -> int:
    """Pages a reader can find: those of the bundle at ``site`` and at each of ``folders`` in it, by
    their entry files. A nightly build indexes few bundles or none, and the rest still stand."""
    total = 0
    for bundle in [site / BUNDLE, *(site / f / BUNDLE for f in folders)]:
        try:
            total += _page_count(json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))) or 0
        except (OSError, ValueError):
            continue  # no bundle there (a district without search pages): nothing to find
    return total


def _page_count(entry: Any) -> int | None:
    """The pages a bundle's entry file (``pagefind-entry.json``) says it holds, over its languages."""
    try:
        return sum(int(info["page_count"]) for info in entry["languages"].values())
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _link_bundle(previous: Path, out: Path) -> bool:
    """``previous`` (a published bundle kept as it is) hard-linked into ``out``, file by file (copied
    where the file system has no hard links); False, and nothing left in ``out``, if it holds anything
    but plain files and folders: a link planted in the output must not bring what it points to along."""
    found = plain_tree(previous)
    if found is None:
        return False
    folders, files = found
    try:
        for name in [""] * bool(files or folders) + folders:  # parents before children
            os.makedirs(os.path.join(out, name), exist_ok=True)
        for name in files:
            link_file(os.path.join(previous, name), os.path.join(out, name))
    except OSError:
        shutil.rmtree(out, ignore_errors=True)
        return False
    return True


_IGNORE = b"data-pagefind-ignore"
_START = re.compile(rb"<([a-z][a-z0-9-]*)(?=[\s/>])[^>]*>", re.I)
# Elements whose end is always written: a <p> or <li> may end without one, and a wrong end would
# leave out text that is indexed.
_WHOLE = frozenset(b"section div aside article header footer nav figure details span ul ol dl table".split())
# What Pagefind reads inside an ignored element all the same (its fossick/parser.rs, 1.x): filters,
# meta, sort and index-attrs, the page's first <h1> and <title> (the default title) and an <img>
# after it (the default image); and what may hide a tag from the count of ends (a comment, a script).
_READ_INSIDE = re.compile(rb"data-pagefind-|<(?:h1|title|img|!|script|style|template|textarea)")  # lowered text
# The <head> is not indexed either; of it Pagefind reads the <title> (and data-pagefind- attributes).
_TITLE = re.compile(rb"<title\b[^>]*>.*?</title>", re.S)


def indexed(page: bytes) -> bytes:
    """``page`` without the elements Pagefind leaves out (``data-pagefind-ignore``) that hold nothing it
    reads all the same (:data:`_READ_INSIDE`), and of its ``<head>`` only the ``<title>``: two pages
    alike here index alike. A Monday moves every hours table, a notice's last day takes its banner
    away and an event's next date is in its page's description; none of these is indexed
    (``macros.html``, ``base.html``), so most bundles can stand as they are. Only elements that always
    end with their end tag are left out, and only where the end is found and nothing between could
    hide one."""
    head = page.find(b"<head>")
    head_end = page.find(b"</head>", head) if head != -1 else -1
    if head_end != -1 and b"data-pagefind-" not in page[head:head_end]:
        page = page[:head] + b"".join(_TITLE.findall(page, head, head_end)) + page[head_end + len(b"</head>"):]
    parts, pos = [], 0
    at = page.find(_IGNORE)
    while at != -1:  # the attribute, then its tag: a regular expression over every tag took 1 ms a page
        start = page.rfind(b"<", 0, at)
        tag = _START.match(page, start) if start >= pos and page[at - 1:at].isspace() \
            and page[at + len(_IGNORE):at + len(_IGNORE) + 1] in b"=/> \t\r\n" \
            and page.rfind(b">", 0, start) >= page.rfind(b"<", 0, start) else None  # not in another tag
        if tag is not None and tag.end() > at and tag.group(1).lower() in _WHOLE \
                and tag.group(0).count(b"data-pagefind-") == 1:
            end = _end(page, tag.group(1).lower(), tag.end())
            if end is not None and not _READ_INSIDE.search(page[tag.end():end].lower()):
                parts.append(page[pos:start])
                pos = end
        at = page.find(_IGNORE, max(at + 1, pos))
    return b"".join(parts) + page[pos:]


def _end(page: bytes, tag: bytes, start: int) -> int | None:
    """Where the element of ``tag`` opened just before ``start`` ends (after its closing tag)."""
    depth = 1
    for m in re.compile(rb"<(/?)" + tag + rb"(?=[\s/>])[^>]*>", re.I).finditer(page, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return None


_BODY = b"data-pagefind-body"


def _root_pages(folder: Path) -> list[Path]:
    """The pages :data:`ROOT_GLOB` picks: the one door in's own."""
    front = folder / "index.html"
    return ([front] if front.is_file() else []) + _pages(folder / "tjenester") + _pages(folder / "planer")


def _same_pages(site: Path, published: Path, pick: Callable[[Path], list[Path]] = _pages) -> bool:
    """Whether ``site`` holds exactly the pages ``published`` holds, by path and by what Pagefind reads
    of them (:func:`indexed`; most are the same file, linked in from it: those are not read). A page
    without ``data-pagefind-body`` (a programme, a poster) is not indexed at all where another page
    has it, so it may change as it likes then."""
    new, old = pick(site), pick(published)
    if [p.relative_to(site) for p in new] != [p.relative_to(published) for p in old]:
        return False
    unindexed = False
    for a, b in zip(new, old, strict=True):
        sa, sb = a.stat(), b.stat()
        if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
            continue
        before, after = b.read_bytes(), a.read_bytes()
        if before == after or indexed(before) == indexed(after):
            continue
        if _BODY in before or _BODY in after:
            return False
        unindexed = True
    return not unindexed or any(_BODY in p.read_bytes() for p in new)


def _unchanged(site: Path, previous: Path, pick: Callable[[Path], list[Path]] = _pages) -> int | None:
    """The page count of ``previous`` (the published bundle of ``site``'s folder) if it can stand as it
    is: every page of ``site`` is the page published, and this Pagefind made the bundle. A language's
    bundle when only a district's Norwegian text changed, say, is then not made again (1–2 s of an edit
    at 220 districts for each language)."""
    entry = _made_here(previous)
    if entry is None or not _same_pages(site, previous.parent, pick):
        return None
    return _page_count(entry)


Lend = Callable[[Path], bool]  # moves the spare's copy of a published bundle to its path in the new output, or says no


def _kept(site: Path, previous: Path, out: Path, pick: Callable[[Path], list[Path]] = _pages,
          lend: Lend | None = None) -> int | None:
    """The page count of ``previous``, at ``out`` as it is (lent, or linked in), if it can stand
    (:func:`_unchanged`)."""
    pages = _unchanged(site, previous, pick)
    return pages if pages is not None and _keep_bundle(previous, out, lend) else None


def _keep_bundle(previous: Path, out: Path, lend: Lend | None) -> bool:
    """``previous`` (a published bundle kept as it is) at ``out``: the spare's copy of it moved there
    by ``lend``, one rename (linking the demo ×22's light bundle, 4,450 files, took 0.08–0.12 s of an
    edit), or else linked in (:func:`_link_bundle`)."""
    return (lend is not None and lend(out)) or _link_bundle(previous, out)


def _previous(published: Path | None, slug: str = "") -> Path | None:
    """The published bundle of a district or language (or the root's), if there is one, to lend from:
    a folder in a folder, neither a link (a district's folder swapped for one is made again, and its
    bundle must not come from where the link leads)."""
    if published is None or not is_folder(published / slug) or not is_folder(published / slug / BUNDLE):
        return None
    return published / slug / BUNDLE


def index_site(dest: Path, districts: list[str], root_glob: str = ROOT_GLOB,
               progress: Callable[[str, int, int], None] | None = None,
               light: Callable[[], Path] | None = None, published: Path | None = None,
               languages: tuple[str, ...] = (), records: Records | None = None, keep: bool = True,
               lend: Lend | None = None) -> dict[str, int]:
    """Write every bundle, one Pagefind process per core; returns pages per bundle ("" is the root's own).

    With ``light`` (it writes the records, see :class:`Records`, and says where) the root bundle
    indexes those records instead of the one-door-in pages alone. The root goes first: with
    records to write it is the longest job, and the district bundles fill the other cores meanwhile.
    ``published`` (the output being replaced) lends the light bundle and each district's (and
    language's) bundle their unchanged pages' fragments: on a Monday every district is indexed
    again, and most of its pages say what they said (every file of a bundle's site is one of its
    pages, which :func:`_settle` relies on). Each of ``languages`` (the translations'
    folders, ``/pl/``) gets a bundle of its own, ``/pl/pagefind/``: Pagefind keeps an index per
    ``<html lang>``, and the language's search page searches that one. With ``keep`` (not in a full
    build, which may follow an upgrade: other code made the published bundles), a district's or
    language's published bundle stands as it is when every one of its pages is unchanged
    (:func:`_unchanged`), and with ``records`` (those ``light`` writes) the live light bundle when it
    was made from the same records: a nightly build that changed none indexes nothing for it. A
    bundle that stands is moved in by ``lend`` where it can (the spare's copy), else linked in.
    """
    def root() -> int:
        previous = _previous(published)
        if light is None:
            if keep and root_glob == ROOT_GLOB and previous is not None \
                    and (pages := _kept(dest, previous, dest / BUNDLE, _root_pages, lend)) is not None:
                return pages  # a night: the same pages, or the same words
            return bundle(dest, root_glob, dest / BUNDLE)
        site = light()
        if records is None:
            return bundle(site, "**/*.html", dest / BUNDLE, previous)
        digest = records.digest()
        if keep and previous is not None and (pages := records.bundled(previous, digest)) is not None \
                and _keep_bundle(previous, dest / BUNDLE, lend):  # the same files: nothing new to index
            return pages
        if records.distrust():  # a kept district's records hold what Pagefind must not read: made again
            site = light()
            digest = records.digest()
        pages = bundle(site, "**/*.html", dest / BUNDLE, previous)
        records.remember(dest / BUNDLE, digest, pages)
        return pages

    def folder(slug: str) -> int:
        site, previous = dest / slug, _previous(published, slug)
        if keep and previous is not None and (pages := _kept(site, previous, site / BUNDLE, lend=lend)) is not None:
            return pages  # the same pages: nothing to index
        return bundle(site, "**/*.html", site / BUNDLE, previous)

    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {pool.submit(root): ""}
        futures.update({pool.submit(folder, slug): slug for slug in [*districts, *languages]})
        for done, future in enumerate(as_completed(futures), start=1):
            counts[futures[future]] = future.result()
            if progress:
                progress("index", done, len(futures))
    return {slug: counts[slug] for slug in [*districts, *languages, ""]}
