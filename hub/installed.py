"""The versions of installed libraries, read from the names of their ``.dist-info`` folders.

A build keys what it keeps on the versions of the libraries that made it (about twenty).
``importlib.metadata`` searches ``sys.path`` on every call (~6 ms each); the folder names hold name
and version already (the wheel format's ``{name}-{version}.dist-info``), so one listing of
``sys.path`` answers them all.
"""

from __future__ import annotations

import functools
import os
import re
import sys


def version(name: str) -> str:
    """The installed version of ``name`` (the first on ``sys.path``, as Python imports), or "-"."""
    found = _listed().get(_normal(name))
    if found:
        return found
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:  # an .egg-info or a zip: the slow way
        return metadata_version(name)
    except PackageNotFoundError:
        return "-"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _listed() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip), or gone
            continue
        for n in names:
            name, _, ver = n.removesuffix(".dist-info").partition("-")
            if n.endswith(".dist-info") and ver:
                found.setdefault(_normal(name), ver)
    return found
