"""Spec: the CI templates are valid and do what docs/publishing.md says; GitLab gets a Code Quality report."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml
from conftest import ROOT


def test_github_actions_template():
    wf = yaml.safe_load((ROOT / "examples/ci/github-actions.yml").read_text("utf-8"))
    triggers = wf[True]  # YAML 1.1 reads the key "on" as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert triggers["schedule"][0]["cron"]
    steps = json.dumps(wf["jobs"])
    assert "knutepunkt check --format github" in steps and "knutepunkt build --out build" in steps
    assert "actions/deploy-pages" in steps and "--district" in steps


def test_gitlab_template():
    ci = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text("utf-8"))
    assert ci["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert any("schedule" in r["if"] for r in ci["pages"]["rules"])


def test_check_gitlab_format(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: x\ncategory: helse\n---\n")
    r = subprocess.run([sys.executable, "-m", "hub", "check", "--content", str(tree.root), "--format", "gitlab"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    (issue,) = json.loads(r.stdout)
    assert issue["location"] == {"path": "content/districts/nordby/services/helsestasjon.md", "lines": {"begin": 2}}
    assert issue["description"] == "summary: mangler (feltet er påkrevd)" and len(issue["fingerprint"]) == 64


def test_atom_feed_per_district(demo_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(demo_site / "bragernes/nyheter/atom.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert entries and entries[0].find("a:title", ns).text == "Knutepunktet i Bragernes og Øren har åpnet"
    assert feed.find("a:updated", ns).text == "2026-09-01T00:00:00+02:00"
    assert 'type="application/atom+xml"' in (demo_site / "bragernes/index.html").read_text("utf-8")


def test_sitemap_lastmod_from_declared_dates(tree, tmp_path):
    from hub.pipeline.steps import build

    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om\nupdated: 2026-10-01\n---\nTekst\n")
    build(tree.root, tmp_path / "out", search=False)
    sitemap = (tmp_path / "out/sitemap.xml").read_text("utf-8")
    assert "<loc>https://test.example.no/nordby/om/</loc><lastmod>2026-10-01</lastmod>" in sitemap
