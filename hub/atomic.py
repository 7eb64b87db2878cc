"""Files written whole or not at all, linked and removed: the build's caches are read by other processes
and later builds."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``path``, then rename it into place. The temporary
    file is made new: a link or file already at its name (a restored cache may hold anything) is
    removed first, never written through."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    if os.path.lexists(tmp) and not tmp.is_dir():
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    tmp.replace(path)


def read_kept(path: Path) -> bytes:
    """A file the tool keeps in a cache folder of its own, read only if it is a regular file there:
    never through a link, nor a device or pipe a restored cache put in its place (reading /dev/zero
    never ends). OSError otherwise, as for a file that is not there."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path}")
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    finally:
        os.close(fd)


def write_kept(path: Path, data: bytes) -> None:
    """:func:`write_atomic` for a file the tool keeps in a cache folder of its own: a folder standing
    where the file goes (a cache restored damaged, say) is deleted first, as no rename replaces a
    folder and the build would stop at its last step. Never for a file in someone's content."""
    for p in (path, _temporary(path)):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
    write_atomic(path, data)


def remove(path: Path) -> None:
    """Remove a file, a link or a whole folder (never what a link points to); nothing if it is not there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def remove_others(folder: Path, pattern: str, keep: set[str]) -> None:
    """Remove what in ``folder`` matches ``pattern`` and is not named in ``keep`` (as :func:`remove`:
    a link as a link, a folder with what it holds): a cache's files of other versions, which each
    upgrade would otherwise leave behind. What cannot be removed stays: the build is done."""
    for other in folder.glob(pattern):
        if other.name not in keep:
            with contextlib.suppress(OSError):
                remove(other)


def _temporary(path: Path) -> Path:
    return path.with_name(f"{path.name}.{os.getpid()}.tmp")


def link_file(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    """``src`` hard-linked at ``dst`` (copied on a file system without hard links); a symbolic link is
    linked as the link, never followed."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise  # never copied over what is there: it may be a live file
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst, follow_symlinks=False)


def plain_entries(root: Path) -> list[tuple[str, os.DirEntry[str]]] | None:
    """Everything under ``root`` as (relative path, entry), folders before what they hold, or None if
    anything there is neither a plain file nor a folder (as listed, never followed), or cannot be listed."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    todo = [""]
    try:
        while todo:
            rel = todo.pop()
            with os.scandir(os.path.join(root, rel)) as listing:
                for e in listing:
                    name = f"{rel}/{e.name}" if rel else e.name
                    if e.is_dir(follow_symlinks=False):
                        todo.append(name)
                    elif not e.is_file(follow_symlinks=False):
                        return None
                    found.append((name, e))
    except OSError:
        return None
    return found


def plain_tree(root: Path) -> tuple[list[str], list[str]] | None:
    """The folders (parents before children) and files under ``root``, as relative paths, or None if
    anything there is neither a plain file nor a folder (:func:`plain_entries`)."""
    found = plain_entries(root)
    if found is None:
        return None
    return ([name for name, e in found if e.is_dir(follow_symlinks=False)],
            [name for name, e in found if not e.is_dir(follow_symlinks=False)])


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def plain_folder(path: Path) -> bool:
    """Whether ``path`` is a folder, not a link to one, holding nothing but plain files and such folders."""
    return is_folder(path) and plain_entries(path) is not None
