"""Spec: the README's Quickstart test command is exactly what CI runs."""

import re

from conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"^(python -m pip install .*)$", readme, re.M)
    assert len(commands) == 2
    ci = (ROOT / ".ci/run").read_text("utf-8").splitlines()
    assert commands[1] in ci
