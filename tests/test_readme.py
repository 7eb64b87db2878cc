"""Spec: the README's Quickstart test command is exactly what CI runs."""

import re

from conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(python -m pip install .*)$", quickstart, re.M)
    assert len(commands) == 2
    ci = (ROOT / ".ci/run").read_text("utf-8").splitlines()
    assert commands[1] in ci


def test_ci_installs_the_system_packages_the_readme_names():
    readme = (ROOT / "README.md").read_text("utf-8")
    named = re.search(r"`apt-get install ([a-z0-9 -]+)`", readme)
    assert named, "the README names the system packages in one apt-get line"
    ci = (ROOT / ".ci/run").read_text("utf-8")
    assert sorted(named.group(1).split()) == sorted(re.findall(r"missing\+=\(([a-z0-9-]+)\)", ci))


def test_build_py_builds_the_demo(tmp_path):
    """The README's first Quickstart command ends in ``python build.py``: it must exist and work."""
    import subprocess
    import sys

    assert "python -m pip install -e . && python build.py" in (ROOT / "README.md").read_text("utf-8")
    tracked = subprocess.run(["git", "ls-files", "build.py"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked.strip() == "build.py"
    r = subprocess.run([sys.executable, "build.py", "--out", str(tmp_path / "out"), "--no-search"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out/index.html").is_file()
