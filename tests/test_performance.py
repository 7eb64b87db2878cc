"""Spec: parallel builds give the same bytes as serial ones, and an unchanged rebuild writes nothing.

Speed itself is measured by benchmarks/run.py (numbers in docs/benchmarks.md), not by timed tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DEMO, EPOCH, tree_digest


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, env=env)


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    assert cli("build", "--content", str(DEMO), "--out", str(tmp_path / "serial"), "-j", "1").returncode == 0
    assert cli("build", "--content", str(DEMO), "--out", str(tmp_path / "parallel"), "-j", "3").returncode == 0
    serial, parallel = tree_digest(tmp_path / "serial"), tree_digest(tmp_path / "parallel")
    assert len(serial) > 600 and serial == parallel


def test_unchanged_rebuild_writes_nothing(tree, tmp_path):
    out = tmp_path / "site"
    assert cli("build", "--content", str(tree.root), "--out", str(out)).returncode == 0
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")}
    again = cli("build", "--content", str(tree.root), "--out", str(out))
    assert again.returncode == 0 and "Ingen endringer" in again.stdout
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["content", "site"]


def test_any_change_rebuilds(tree, tmp_path):
    out = tmp_path / "site"
    assert cli("build", "--content", str(tree.root), "--out", str(out), "--no-search").returncode == 0
    tree.write("districts/nordby/services/helsestasjon.md",
               (tree.root / "districts/nordby/services/helsestasjon.md").read_text("utf-8").replace(
                   "Vaksiner og råd", "Vaksiner, veiing og råd"))
    r = cli("build", "--content", str(tree.root), "--out", str(out), "--no-search")
    assert "Bygget" in r.stdout
    assert "Vaksiner, veiing og råd" in (out / "nordby/tjenester/helsestasjon/index.html").read_text("utf-8")


def test_progress_reports_every_phase_to_completion(tree, tmp_path):
    from hub.build import build

    seen: dict[str, tuple[int, int]] = {}
    build(tree.root, tmp_path / "out", progress=lambda phase, done, total: seen.__setitem__(phase, (done, total)))
    assert set(seen) == {"load", "freeze", "index"}
    assert all(done == total for done, total in seen.values())
