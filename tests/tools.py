"""Programs the tests use as their users do, installed on first use into .tools/ (git-ignored).

They come pinned from npm, run by the machine's node or java (system packages the README
names), so the README's test command works on a fresh machine with nothing else done.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"


def npm_package(name: str, version: str) -> Path:
    """``.tools/node_modules/<name>`` at exactly ``version``, installed from npm when missing."""
    folder = TOOLS / "node_modules" / name
    manifest = folder / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text("utf-8")).get("version") != version:
        if not shutil.which("npm"):
            pytest.fail("npm is missing: apt-get install nodejs npm (the README names it)")
        r = subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--silent",
                            f"{name}@{version}"], capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            pytest.fail(f"npm install {name}@{version} failed: {r.stderr[-2000:]}")
    return folder
