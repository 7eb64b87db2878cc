"""Spec: the CI templates are valid and do what docs/publishing.md says; GitLab gets a Code Quality report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from conftest import ROOT


def _uncommented(text: str, first: str) -> str:
    """The template with its optional job switched on: the "#" removed from ``first`` and the lines after it."""
    head, _, rest = text.partition(first)
    lines = (first + rest).splitlines()
    return head + "\n".join(re.sub(r"^(\s*)# ?", r"\1", line, count=1) for line in lines) + "\n"


def test_github_actions_template():
    text = (ROOT / "examples/ci/github-actions.yml").read_text("utf-8")
    wf = yaml.safe_load(text)
    triggers = wf[True]  # YAML 1.1 reads the key "on" as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert triggers["schedule"][0]["cron"]
    steps = json.dumps(wf["jobs"])
    assert "knutepunkt check --format github" in steps and "knutepunkt build --out build" in steps
    assert "actions/deploy-pages" in steps
    # check warns of a translation older than its source, and build dates pages, from the commits: full history
    for job in ("check", "build"):
        checkout = next(s for s in wf["jobs"][job]["steps"] if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0, job
    # one district on its own host is there to switch on, and is a valid job once it is
    district = yaml.safe_load(_uncommented(text, "  # district:"))["jobs"]["district"]
    assert "--district ${{ matrix.district }}" in json.dumps(district) and district["needs"] == "check"


def test_gitlab_template():
    text = (ROOT / "examples/ci/gitlab-ci.yml").read_text("utf-8")
    ci = yaml.safe_load(text)
    assert ci["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert any("schedule" in r["if"] for r in ci["pages"]["rules"])
    district = yaml.safe_load(_uncommented(text, "# district-bragernes:"))["district-bragernes"]
    assert district["script"] == ["knutepunkt build --district bragernes --out site-bragernes"]


def test_the_gitlab_jobs_run_in_an_image_that_has_git():
    """pip installs Knutepunkt from a git+ URL and the build reads each file's last commit: Docker's
    python -slim and -alpine images leave git out (docker-library/python#319), so the pinned
    install would fail before anything is checked, unless the job installs git first."""
    ci = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text("utf-8"))
    image = ci["default"]["image"]
    installs_git = any(re.search(r"(apt-get|apk).* install .*\bgit\b", step) for step in ci["default"]["before_script"])
    assert image.startswith("python:") and (not re.search(r"slim|alpine", image) or installs_git), image


def test_the_templates_pin_this_version_by_its_tag():
    """A content repository pins a release tag, never a branch: the templates name this version's."""
    from hub import __version__

    for name in ("github-actions.yml", "gitlab-ci.yml"):
        pins = re.findall(r"knutepunkt @ git\+\S+@([^\s\"]+)", (ROOT / "examples/ci" / name).read_text("utf-8"))
        assert pins == [f"v{__version__}"], name


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


def test_sitemap_lastmod_is_the_last_commit_even_when_the_district_is_carried_over(tree, tmp_path):
    """A page without a declared date is dated by its file's last commit. A change reverted in a later
    commit leaves the file as it was, so an incremental build carries its district over (and its
    piece of the sitemap), yet the page's date is the revert's: the dates are read on every build."""
    from conftest import tree_digest

    from hub.pipeline.steps import build

    def commit(day: str, message: str) -> None:
        when = {"GIT_AUTHOR_DATE": f"{day}T12:00:00+01:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+01:00"}
        git = ["git", "-C", str(tmp_path), "-c", "user.name=Test", "-c", "user.email=test@example.no"]
        subprocess.run([*git, "add", *(name for name in ("content", "innhold") if (tmp_path / name).exists())],
                       check=True)
        subprocess.run([*git, "commit", "-qm", message], check=True, env={**os.environ, **when})

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om\n---\nTekst\n")
    tree.write("districts/sydby/district.yaml", (tree.root / "districts/nordby/district.yaml").read_text("utf-8")
               .replace("Nordby", "Sydby"))
    commit("2026-10-01", "first")
    out = tmp_path / "out"
    build(tree.root, out, search=False)
    loc = "<loc>https://test.example.no/nordby/om/</loc><lastmod>{}</lastmod>"
    assert loc.format("2026-10-01") in (out / "sitemap.xml").read_text("utf-8")

    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om oss\n---\nTekst\n")
    commit("2026-11-01", "a change")
    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om\n---\nTekst\n")
    tree.write("districts/sydby/pages/ny.md", "---\ntitle: Ny\n---\nTekst\n")
    commit("2026-11-02", "the change undone, and a page in Sydby")
    (piece,) = (tmp_path / ".knutepunkt-cache/out/fragments/sitemap").glob("nordby.*")
    kept = piece.stat().st_ino
    assert build(tree.root, out, search=False).rebuilt == {"sydby"}
    assert piece.stat().st_ino == kept  # Nordby's piece read back, not made again
    assert loc.format("2026-11-02") in (out / "sitemap.xml").read_text("utf-8")
    build(tree.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")

    # The content folder renamed (its files named anew from it) and Sydby edited: Nordby's kept piece
    # still dates its pages, from their files under the new name.
    subprocess.run(["git", "-C", str(tmp_path), "mv", "content", "innhold"], check=True)
    (tmp_path / "innhold/districts/sydby/pages/ny.md").write_text("---\ntitle: Ny side\n---\nTekst\n", "utf-8")
    commit("2026-11-03", "renamed")
    build(tmp_path / "innhold", out, search=False)
    assert loc.format("2026-11-03") in (out / "sitemap.xml").read_text("utf-8")
    build(tmp_path / "innhold", tmp_path / "full-2", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full-2")


def test_the_github_build_job_keeps_its_output_and_cache_so_a_night_makes_only_what_the_day_changed(tree, tmp_path):
    """The build job's steps as GitHub runs them, three nights on fresh runners: the repository checked
    out, nothing else, and actions/cache's GNU tar archive of the saved paths between them. The nights
    after the first build only what the day changed, the archive holds nothing a build replaced, keeps
    the spare copy's hard links to the output as links, and the third night's site is the full build's."""
    import shutil

    from conftest import tree_digest
    from test_nightly import oslo_noon

    steps = yaml.safe_load((ROOT / "examples/ci/github-actions.yml").read_text("utf-8"))["jobs"]["build"]["steps"]
    uses = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps]
    assert uses.index("actions/cache/restore") < uses.index("knutepunkt build --out build") \
        < uses.index("knutepunkt tidy --out build || rm -rf .knutepunkt-cache") < uses.index("actions/cache/save")
    archive = tmp_path / "cache.tar"
    said: list[str] = []
    for night in ("2026-11-29", "2026-11-30", "2026-12-01"):
        work = tmp_path / night  # a fresh runner with the repository checked out
        shutil.copytree(tree.root, work / "content")
        env = {**os.environ, "SOURCE_DATE_EPOCH": oslo_noon(night), "CI": "true"}
        for step in steps:
            kind = step.get("uses", "").split("@")[0]
            if kind == "actions/cache/restore" and archive.exists():  # restore-keys: the last run's entry
                subprocess.run(["tar", "-xf", archive, "-P", "-C", work], check=True)
            elif kind == "actions/cache/save":
                subprocess.run(["tar", "--posix", "-cf", archive, "-P", "-C", work, *step["with"]["path"].split()],
                               check=True)
            elif "run" in step and "pip install" not in step["run"]:
                assert step["run"].startswith("knutepunkt "), step
                r = subprocess.run(step["run"].replace("knutepunkt ", f"{sys.executable} -m hub ", 1), shell=True,
                                   cwd=work, env=env, capture_output=True, text=True)
                assert r.returncode == 0, r.stderr
                said.append(r.stdout)
    builds = [s for s in said if s.startswith("Bygget")]
    assert len(builds) == 3
    assert "Bare endringene" not in builds[0] and all("Bare endringene ble bygget" in s for s in builds[1:])
    listing = subprocess.run(["tar", "-tvf", archive], capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [row for row in listing if re.search(r"knutepunkt-cache/trash/.", row)]  # the empty folder at most
    assert [row for row in listing if row.startswith("h") and "knutepunkt-cache/build/spare/" in row]
    full = tmp_path / "full"
    env = {**os.environ, "SOURCE_DATE_EPOCH": oslo_noon("2026-12-01")}
    subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(tree.root), "--out", str(full), "--full"],
                   env=env, check=True, capture_output=True)
    assert tree_digest(tmp_path / "2026-12-01/build") == tree_digest(full)


def test_the_gitlab_pages_job_keeps_its_output_and_cache_and_tidies_before_it_is_saved():
    pages = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text("utf-8"))["pages"]
    assert set(pages["cache"]["paths"]) == {"public", ".knutepunkt-cache"}
    assert pages["script"] == ["knutepunkt build --out public", "knutepunkt tidy --out public || rm -rf .knutepunkt-cache"]


def _replaced(trash: Path, outside: Path) -> None:
    """What builds moved into the trash: 40 old district folders of 25 pages, each with a link out, and a file."""
    for n in range(40):
        folder = trash / f"{n}-old" / "nordby" / "tjenester"
        folder.mkdir(parents=True)
        for m in range(25):
            (folder / f"{m}.html").write_text("x", "utf-8")
        (trash / f"{n}-old" / "link").symlink_to(outside, target_is_directory=True)
    (trash / "one-file").write_text("x", "utf-8")


def test_tidy_deletes_what_builds_replaced_and_interrupted_builds_left_even_while_a_sweep_is_at_it(tmp_path):
    """What a build replaced is deleted by a detached process; ``knutepunkt tidy`` deletes it now (and
    waits for such a process), never following a link out of the trash."""
    from hub.publish import TRASH, sweep

    trash = tmp_path / ".knutepunkt-cache" / TRASH
    outside = tmp_path / "keep"
    outside.mkdir()
    (outside / "page.html").write_text("kept", "utf-8")
    tidy = [sys.executable, "-m", "hub", "tidy", "--out", str(tmp_path / "build")]
    _replaced(trash, outside)
    (tmp_path / ".build.tmp-4242").mkdir()  # an interrupted build's staging folder
    r = subprocess.run(tidy, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"Slettet 1\N{NO-BREAK SPACE}041 filer som tidligere bygg hadde erstattet ({trash}).\n"
    assert trash.is_dir() and not any(trash.iterdir())
    assert not (tmp_path / ".build.tmp-4242").exists()
    assert (outside / "page.html").read_text("utf-8") == "kept"

    _replaced(trash, outside)
    sweep(trash)  # a detached sweep starts on the same entries
    r = subprocess.run(tidy, capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    assert not any(trash.iterdir()) and (outside / "page.html").read_text("utf-8") == "kept"
    assert subprocess.run(tidy, capture_output=True, text=True).stdout == f"Ingenting å slette i {trash}.\n"


def test_a_trash_that_is_a_link_is_never_emptied_nor_filled(tmp_path):
    """A ``.knutepunkt-cache/trash`` that is a link (committed, or restored from someone's cache) leads to
    a folder that is not the tool's: what a build replaces is deleted at once instead of moved there,
    and neither the sweep nor ``knutepunkt tidy`` deletes anything in it."""
    import time

    from hub.publish import TRASH, discard, sweep

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine", "utf-8")
    trash = tmp_path / ".knutepunkt-cache" / TRASH
    trash.parent.mkdir()
    trash.symlink_to(elsewhere, target_is_directory=True)
    replaced = tmp_path / "old-site"
    (replaced / "nordby").mkdir(parents=True)
    discard(replaced, trash)
    sweep(trash)
    r = subprocess.run([sys.executable, "-m", "hub", "tidy", "--out", str(tmp_path / "build")],
                       capture_output=True, text=True)
    time.sleep(0.5)  # a sweep, had one started, would be at it
    assert r.returncode == 0 and r.stdout == f"Ingenting å slette i {trash}.\n"
    assert not replaced.exists() and sorted(p.name for p in elsewhere.iterdir()) == ["precious.txt"]
