"""The ``/admin/`` folder: Decap's page, its configuration and Decap itself, from npm, self-hosted.

Decap's JavaScript comes from the npm package (pinned by version and digest, fetched with
``npm pack``, no CDN) and is copied beside the page, so the portal's own origin serves it. The page has its own
policy (Decap needs inline styles), is kept out of search and robots, and its preview pane
uses the theme's stylesheet.
"""

from __future__ import annotations

import base64
import hashlib
import html
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import yaml

from hub.editor import decap

DECAP_VERSION = "3.16.3"
#: The package's digest as npm publishes it (``npm view decap-cms@3.16.3 dist.integrity``).
DECAP_INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
#: Decap's script, in every admin folder this writes: the sign the folder is one (see hub.publish).
MARKER = "decap-cms.js"


class AdminError(Exception):
    """Decap could not be fetched (no npm, no network): said in one line, no traceback."""


def decap_files(cache: Path) -> dict[str, bytes]:
    """Decap's built files (``decap-cms.js``, its chunks and wasm) from the npm package kept in ``cache``.

    The package is checked against its pinned digest every time, not only when fetched: the script
    runs in the coordinators' browsers with their repository access, and a cache folder is not
    proof of where a file came from. A package that does not match is fetched again.
    """
    tarball = cache / f"decap-cms-{DECAP_VERSION}.tgz"
    if not _verified(tarball):
        if shutil.which("npm") is None:
            raise AdminError("npm mangler: installer Node.js og npm (apt-get install nodejs npm)")
        tarball.unlink(missing_ok=True)
        cache.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(cache),
                            f"decap-cms@{DECAP_VERSION}"], capture_output=True, text=True, timeout=600)
        if r.returncode != 0 or not tarball.is_file():
            raise AdminError(f"kunne ikke hente decap-cms@{DECAP_VERSION} fra npm: {r.stderr.strip()[-300:]}")
        if not _verified(tarball):
            raise AdminError(f"decap-cms@{DECAP_VERSION} fra npm har ikke den kjente sjekksummen; brukes ikke")
    files = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/dist/")
            if member.isfile() and name != member.name and "/" not in name and (
                    name.endswith("decap-cms.js") or name.endswith(".wasm") or name == "LICENSE"):
                extracted = tar.extractfile(member)
                assert extracted is not None
                files[name] = extracted.read()
    return dict(sorted(files.items()))


def _verified(tarball: Path) -> bool:
    try:
        digest = hashlib.sha512(tarball.read_bytes()).digest()
    except OSError:
        return False
    return "sha512-" + base64.b64encode(digest).decode() == DECAP_INTEGRITY


def page(site_name: str, policy: str) -> str:
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">
<meta name="robots" content="noindex, nofollow">
<title>Redigere innhold – {html.escape(site_name)}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body data-pagefind-ignore="all">
<script src="decap-cms.js"></script>
<script src="preview.js"></script>
</body>
</html>
"""


PREVIEW = """// The preview pane looks like the portal: the theme's own stylesheet (copied by the build).
CMS.registerPreviewStyle("../static/css/site.css");
"""


def write(out: Path, content: Path, repo_root: Path, backend: dict[str, Any], site_name: str,
          local_port: int | None, cache: Path) -> list[Path]:
    """Write ``out/`` (index.html, config.yml, preview.js, Decap's files); returns what was written."""
    dist = decap_files(cache)
    out.mkdir(parents=True, exist_ok=True)
    config = decap.config(content, repo_root, backend, local_port)
    files = {
        "index.html": page(site_name, decap.csp(backend, local_port)),
        "config.yml": yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000),
        "preview.js": PREVIEW,
    }
    written = []
    for name, text in files.items():
        (out / name).write_text(text, "utf-8")
        written.append(out / name)
    for name, data in dist.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written
