"""Files written whole or not at all: the build's caches are read by other processes and later builds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def link_file(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    """``src`` hard-linked at ``dst`` (copied on a file system without hard links); a symbolic link is
    linked as the link, never followed."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise  # never copied over what is there: it may be a live file
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst, follow_symlinks=False)
