"""When content files last changed, from git: the sitemap's ``lastmod``, and whether a translation is
older than its source. Outside a git checkout (or for a file never committed) there is no date."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def commit_times(source: Path | None) -> dict[str, dt.datetime]:
    """Last commit time of every file under the content folder, by its path from the content folder's
    parent (as messages and :class:`~hub.content.structure.Doc` name files); empty outside git."""
    if source is None:
        return {}
    try:
        log = subprocess.run(["git", "-C", str(source.parent), "log", "--relative", "--format=%x00%cI", "--name-only",
                              "--", source.name], capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    times: dict[str, dt.datetime] = {}
    for block in log.split("\0")[1:]:
        lines = [x for x in block.splitlines() if x.strip()]
        if lines:
            when = dt.datetime.fromisoformat(lines[0])
            for name in lines[1:]:
                times.setdefault(name, when)  # newest commit first
    return times


def git_dates(source: Path | None) -> dict[str, dt.date]:
    """Last commit date of every file under the content folder (the committer's own date)."""
    return {name: when.date() for name, when in commit_times(source).items()}
