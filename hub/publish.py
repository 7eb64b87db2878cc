"""Publishing a finished folder in place of the output: never over what the tool did not write.

Publishing replaces the whole output folder, so an ``--out`` that holds anything else would
be deleted with it: :func:`check_output` refuses the content folder, a folder that holds an
input or the current directory, and any non-empty folder without :data:`MARKER` (written
into every build, as Hugo leaves alone what it did not write). :func:`staging_folder` gives the
build a sibling folder to write into, under a lock, after removing what an interrupted
build left behind; :func:`swap_in` then makes it live in one step: on Linux both folders
change places with one ``renameat2(RENAME_EXCHANGE)``, so the path never points at a half
site, nor at nothing. The portal build and the region build both publish this way.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from hub.atomic import remove

#: In every output: the stamp of the inputs it was built from, and the sign the tool made the folder.
MARKER = ".knutepunkt-build"
#: In the cache folder: what publishing replaced, moved aside to be deleted by :func:`sweep`.
TRASH = "trash"


class OutputRefused(Exception):
    """The output folder may not be replaced (said in one line; the command exits 2)."""


def check_output(out: Path, inputs: Mapping[str, Path | None], marker: str = MARKER) -> None:
    """Refuse an ``out`` that publishing would replace at the cost of anything but an earlier output.

    ``inputs`` names the folders and files the run reads ("innholdsmappen": content): ``out``
    may not be one of them, hold one, or lie inside one; nor hold the current directory; and
    if it is not empty it must carry ``marker`` from an earlier run.
    """
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out}: finnes og er ikke en mappe")
    for name, path in inputs.items():
        if path is None:
            continue
        path = path.resolve()
        if path == out:
            raise OutputRefused(f"{out}: er {name} selv; bygg til en egen mappe (f.eks. --out build)")
        if out in path.parents:
            raise OutputRefused(f"{out}: inneholder {name} ({path}); publisering erstatter hele mappen "
                                "og ville slettet den")
        if path.is_dir() and path in out.parents:
            raise OutputRefused(f"{out}: ligger inne i {name} ({path}); legg resultatet utenfor")
    here = Path.cwd().resolve()
    if here == out or out in here.parents:
        raise OutputRefused(f"{out}: inneholder mappen du står i; publisering erstatter hele mappen "
                            "og ville slettet den")
    if out.is_dir() and not (out / marker).is_file() and any(out.iterdir()):
        raise OutputRefused(f"{out}: mappen er ikke tom og ble ikke laget av knutepunkt (mangler {marker}); "
                            "velg en ny eller tom mappe, eller tøm den selv")


def leftovers(out: Path) -> list[Path]:
    """What interrupted runs left beside ``out``: their staging folders and replaced outputs."""
    return sorted(p for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*") for p in out.parent.glob(pattern))


def tidy(out: Path, lock_dir: Path) -> None:
    """Remove what interrupted runs left beside ``out`` (unless a run is publishing there now)."""
    out = out.resolve()
    sweep(lock_dir / TRASH)
    if not leftovers(out):
        return
    with contextlib.suppress(OutputRefused), _locked(lock_dir / f"{out.name}.lock", out):
        for path in leftovers(out):
            remove(path)


@contextlib.contextmanager
def staging_folder(out: Path, lock_dir: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` to build into, removed again unless it was swapped in.

    Held under a lock in ``lock_dir`` (one run per output at a time), so what earlier runs left
    beside ``out`` is known to be abandoned, and removed first.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(lock_dir / f"{out.name}.lock", out):
        for path in leftovers(out):
            remove(path)
        folder = out.with_name(f".{out.name}.tmp-{os.getpid()}")
        try:
            yield folder
        finally:
            discard(folder, lock_dir / TRASH)  # after a swap: the replaced site; after a failure: the unfinished one
            remove(folder.with_name(folder.name + "-inner"))
    sweep(lock_dir / TRASH)


def swap_in(new: Path, out: Path) -> None:
    """Make ``new`` live at ``out`` in one step; the replaced output is left at ``new`` (to remove).

    Readers of ``out`` (a web server, an upload) see the old site or the new one, whole: the two
    folders exchange names in one system call. Where the system cannot exchange (not Linux, or a
    file system without it) the old output is renamed away first: for that instant ``out`` is
    missing, but never a mix of the two.
    """
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    new.rename(out)
    old.rename(new)


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where it is not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextlib.contextmanager
def _locked(lock: Path, out: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks (Windows): one run at a time is then up to you
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputRefused(f"{out}: en annen kjøring publiserer til denne mappen nå; vent til den er ferdig") \
                from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


_numbers = itertools.count()


def discard(path: Path, trash: Path) -> None:
    """Move ``path`` into ``trash`` (one rename) for :func:`sweep` to delete; where it cannot be
    moved (another file system), delete it now."""
    if not os.path.lexists(path):
        return
    if trash.is_symlink():  # never into a folder elsewhere, which the sweep would then empty
        remove(path)
        return
    try:
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(path, trash / f"{os.getpid()}-{time.time_ns()}-{next(_numbers)}")
    except OSError:
        remove(path)


_SWEEP = """import os, shutil, sys
if hasattr(os, "nice"):
    os.nice(10)
for e in sorted(os.scandir(sys.argv[1]), key=lambda e: e.name):
    try:
        shutil.rmtree(e.path) if e.is_dir(follow_symlinks=False) else os.unlink(e.path)
    except OSError:
        pass  # gone already (another sweep), or not ours to delete: left
"""


def empty_trash(trash: Path, patience: float = 120.0) -> tuple[int, int]:
    """Delete what :func:`discard` moved into ``trash`` now, and wait while a detached :func:`sweep`
    finishes what it is deleting: the cache folder can then be archived (a CI cache) without what
    builds replaced, and no file vanishes under the archiver. Returns the files deleted here, and
    the entries still there after ``patience`` seconds (another run kept discarding)."""
    files = 0
    deadline = time.monotonic() + patience
    while True:
        try:
            entries = [] if trash.is_symlink() else list(os.scandir(trash))  # a link's folder is not ours
        except OSError:  # no trash (yet): nothing to delete
            entries = []
        if not entries or time.monotonic() > deadline:
            return files, len(entries)
        for entry in entries:  # what a sweep deletes at the same time is gone already: not an error
            paths = [entry.path]
            if entry.is_dir(follow_symlinks=False):
                paths = [os.path.join(folder, name) for folder, dirs, names in os.walk(entry.path, topdown=False)
                         for name in (*names, *dirs)] + paths
            for path in paths:  # every folder after what is in it
                with contextlib.suppress(OSError):
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.rmdir(path)
                    else:
                        os.unlink(path)
                        files += 1
        time.sleep(0.05)


def sweep(trash: Path) -> None:
    """Delete what :func:`discard` moved into ``trash``, in a detached, low-priority process.

    A build whose every page changed (the nightly build on a Monday: every week's table moves)
    replaces the whole site and its spare copy, tens of thousands of files; deleting them took a
    fifth of that build. The published site never needs to wait for it. What a sweep has not
    deleted when it is stopped (a CI job ends) the next run's sweep deletes; the folder itself
    stays, so a run moving something in never races a sweep removing it.
    """
    try:
        if trash.is_symlink() or not any(trash.iterdir()):  # a link's folder is not ours to empty
            return
    except OSError:
        return
    try:
        subprocess.Popen([sys.executable, "-c", _SWEEP, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        for p in trash.iterdir():
            remove(p)
