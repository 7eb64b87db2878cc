"""Spec: the tool works installed the way another municipality installs it, not only from this checkout.

The wheel and the sdist are built from the checkout (the wheel from the sdist, so the sdist must
hold everything), the wheel is installed into a fresh virtualenv outside the checkout, and the
installed ``knutepunkt`` starts a content repository, checks, builds and previews it, builds the
region, and builds the demo to the same bytes as the checkout does. The CI templates' own
install and build steps, taken from their YAML, publish a new site with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import DEMO, EPOCH, ROOT, tree_digest

from hub import __version__

EXAMPLES = ROOT / "examples/region"


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """``python -m build`` on the checkout: the sdist, then the wheel built from the unpacked sdist."""
    out = tmp_path_factory.mktemp("dist")
    # From a folder of its own: in the checkout, ``-m build`` would find the repository's build.py.
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True,
                       text=True, cwd=out, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (wheel,), (sdist,) = out.glob("*.whl"), out.glob("*.tar.gz")
    return Dist(wheel, sdist)


@dataclass(frozen=True)
class Installed:
    """A fresh virtualenv with the wheel installed, and how to run its programs outside the checkout."""

    venv: Path
    home: Path  # a folder outside the checkout to work in

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        return {**env, "PATH": f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(self.venv),
                "SOURCE_DATE_EPOCH": EPOCH}

    def run(self, *args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd or self.home, env=self.env,
                              timeout=timeout)

    def knutepunkt(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin/knutepunkt"), *args, cwd=cwd)


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory) -> Installed:
    home = tmp_path_factory.mktemp("installed")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, cwd=home, timeout=300)
    tool = Installed(venv, home)
    r = tool.run(str(venv / "bin/python"), "-m", "pip", "install", "-q", str(dist.wheel))
    assert r.returncode == 0, r.stderr[-3000:]
    return tool


def test_the_sdist_and_the_wheel_hold_every_file_the_tool_reads_at_run_time(dist):
    tracked = subprocess.run(["git", "ls-files", "themes", "examples/ci", "hub/locale", "hub/site/static"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    data = [p for p in tracked if not p.endswith(".pot")]  # the template for translators is not read
    assert any(p.startswith("themes/default/templates/") for p in data) and "examples/ci/gitlab-ci.yml" in data
    with tarfile.open(dist.sdist) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert set(data) <= in_sdist, sorted(set(data) - in_sdist)
    with zipfile.ZipFile(dist.wheel) as wheel:
        in_wheel = set(wheel.namelist())
    where = {"themes/": "hub/themes/", "examples/ci/": "hub/ci/"}
    expected = set()
    for p in data:
        for prefix, there in where.items():
            if p.startswith(prefix):
                p = there + p.removeprefix(prefix)
        expected.add(p)
    assert expected <= in_wheel, sorted(expected - in_wheel)


def test_a_wheel_built_in_a_checkout_leaves_build_to_the_demo_portal(tmp_path):
    """``pip wheel .`` builds in the tree; setuptools' work folder must not be ``build/``, where
    ``python build.py`` writes the demo and refuses a folder it did not make."""
    checkout = tmp_path / "checkout"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split("\0")
    for rel in filter(None, tracked):
        (checkout / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, checkout / rel)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheels"), "."],
                       cwd=checkout, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert list((tmp_path / "wheels").glob("knutepunkt-*.whl"))
    assert not (checkout / "build").exists()


def test_the_installed_tool_runs_from_the_virtualenv_not_the_checkout(installed):
    r = installed.run(str(installed.venv / "bin/python"), "-c", "import hub, hub.theme; "
                      "print(hub.__file__); print(hub.theme.shipped_themes())")
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        assert Path(line).is_relative_to(installed.venv) and not Path(line).is_relative_to(ROOT), line
    assert installed.knutepunkt("--version").stdout.strip() == f"knutepunkt, versjon {__version__}"


def _serve_and_fetch(installed: Installed, site: Path, paths: list[str]) -> dict[str, str]:
    """Start ``knutepunkt serve`` on a free port, fetch ``paths``, stop it as a terminal or an editor does."""
    proc = subprocess.Popen([str(installed.venv / "bin/knutepunkt"), "serve", "--port", "0"], cwd=site,
                            env=installed.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # "Forhåndsvisning på http://127.0.0.1:PORT/ (Ctrl+C for å stoppe)"
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line + proc.stderr.read()
        pages = {}
        for path in paths:
            with urllib.request.urlopen(url.group(0) + path, timeout=30) as answer:
                assert answer.status == 200
                pages[path] = answer.read().decode("utf-8")
        return pages
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0


def test_new_site_then_check_build_and_serve_with_the_installed_tool(installed):
    r = installed.knutepunkt("new", "site", "Testvik kommune", "--ci", "gitlab")
    assert r.returncode == 0, r.stderr
    site = installed.home / "testvik-kommune"
    r = installed.knutepunkt("check", cwd=site)
    assert r.returncode == 0 and r.stdout.splitlines()[-1].startswith("OK: 1 kommunedel, 5 filer, ingen feil;")
    r = installed.knutepunkt("build", cwd=site)
    assert r.returncode == 0, r.stderr
    assert "Knutepunkt Sentrum" in (site / "build/sentrum/index.html").read_text("utf-8")
    assert (site / "build/pagefind/pagefind.js").is_file() and (site / "build/deling.png").is_file()
    pages = _serve_and_fetch(installed, site, ["", "sentrum/", "static/css/site.css", "__preview__/reload.js"])
    assert "<title>Forside – Sentrum – Testvik kommune</title>" in pages["sentrum/"]  # the bokmål catalog
    assert "--brand:" in pages["static/css/site.css"] and "fetch(" in pages["__preview__/reload.js"]


def test_the_installed_tool_builds_the_demo_to_the_same_bytes_as_the_checkout(installed, demo_site):
    out = installed.home / "demo"
    r = installed.knutepunkt("build", "--content", str(DEMO), "--out", str(out))
    assert r.returncode == 0, r.stderr
    ours, theirs = tree_digest(out), tree_digest(demo_site)
    assert len(ours) > 400 and any(k.startswith("pagefind/") for k in ours)
    assert ours == theirs  # every page, asset, share card, search bundle and the build's own stamp


def test_the_installed_tool_builds_the_region(installed):
    built = {}
    for name in ("nordvik", "sorvik"):
        built[name] = installed.home / f"build-{name}"
        r = installed.knutepunkt("build", "--content", str(EXAMPLES / name / "content"), "--out", str(built[name]))
        assert r.returncode == 0, r.stderr
    region = installed.home / "region.yaml"
    region.write_text("name: Testregionen\nbase_url: https://region.example.no/\nmembers:\n"
                      + "".join(f"  - {{slug: {n}, source: {p}}}\n" for n, p in built.items()), "utf-8")
    r = installed.knutepunkt("region", "build", str(region), "--out", str(installed.home / "region"))
    assert r.returncode == 0, r.stderr
    front = (installed.home / "region/index.html").read_text("utf-8")
    assert "Nordvik kommune" in front and "Sørvik kommune" in front
    assert (installed.home / "region/static/css/site.css").is_file()


# --- the CI templates, run step by step ------------------------------------------------------

def _github_jobs(text: str, wheel: Path) -> list[list[str]]:
    """The `run:` steps of the jobs that install and build, with the wheel for the git URL."""
    wf = yaml.safe_load(text)
    assert wf["env"]["KNUTEPUNKT"].startswith("knutepunkt @ git+")
    jobs = [[step["run"] for step in wf["jobs"][job]["steps"] if "run" in step] for job in ("check", "build")]
    return [[step.replace('"$KNUTEPUNKT"', f'"{wheel}"') for step in job] for job in jobs]


def _gitlab_jobs(text: str, wheel: Path) -> list[list[str]]:
    """``before_script`` and ``script`` of the jobs that check and publish, with the wheel for the git URL."""
    ci = yaml.safe_load(text)
    (install,) = ci["default"]["before_script"]
    assert re.search(r'"knutepunkt @ git\+[^"]+"', install)
    install = re.sub(r'"knutepunkt @ git\+[^"]+"', f'"{wheel}"', install)
    return [[install, *ci[job]["script"]] for job in ("check", "pages")]


@pytest.mark.parametrize("ci, jobs, published", [("github", _github_jobs, "build"), ("gitlab", _gitlab_jobs, "public")])
def test_the_ci_templates_own_steps_publish_a_new_site(installed, dist, tmp_path, ci, jobs, published):
    r = installed.knutepunkt("new", "site", "Malvik kommune", "--ci", ci, "--dir", str(tmp_path / "repo"))
    assert r.returncode == 0, r.stderr
    repo = tmp_path / "repo"
    template = (repo / (".github/workflows/portal.yml" if ci == "github" else ".gitlab-ci.yml")).read_text("utf-8")
    steps = jobs(template, dist.wheel)
    assert [s for job in steps for s in job if "knutepunkt " in s and "pip install" not in s]  # it found the steps
    for job in steps:  # each job on a clean checkout of the content repository
        shutil.rmtree(repo / published, ignore_errors=True)
        for step in job:
            r = installed.run("bash", "-e", "-c", step, cwd=repo)
            assert r.returncode == 0, f"{step}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    assert "Knutepunkt Sentrum" in (repo / published / "sentrum/index.html").read_text("utf-8")
    if ci == "gitlab":  # the merge request's Code Quality report: the placeholders, as minor issues
        report = json.loads((repo / "gl-code-quality-report.json").read_text("utf-8"))
        assert report and {i["severity"] for i in report} == {"minor"}


def test_pipx_installs_it_as_an_application_of_its_own(dist, tmp_path):
    """``pipx install`` (a virtualenv per application, the command on PATH): how a web team may install it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"), SOURCE_DATE_EPOCH=EPOCH)
    r = subprocess.run([sys.executable, "-m", "pipx", "install", str(dist.wheel)], capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    tool = str(tmp_path / "bin/knutepunkt")
    assert Path(os.path.realpath(tool)).is_relative_to(tmp_path / "pipx")
    for args in (["new", "site", "Pipxvik kommune"], ["build", "--no-search"]):
        r = subprocess.run([tool, *args], capture_output=True, text=True, env=env, timeout=600,
                           cwd=tmp_path / ("pipxvik-kommune" if args[0] == "build" else ""))
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "pipxvik-kommune/build/sentrum/index.html").is_file()


def _readme_start() -> list[str]:
    """The shell blocks of the README's "Start a portal for your municipality"."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Start a portal for your municipality\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def test_the_readmes_start_section_works_verbatim_outside_the_checkout(dist, tmp_path):
    """Its commands as written, in a fresh virtualenv they make themselves, the wheel for the git URL."""
    start, publish = _readme_start()
    (requirement,) = re.findall(r'"knutepunkt @ git\+[^"]+"', start)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", SOURCE_DATE_EPOCH=EPOCH,
               GIT_AUTHOR_NAME="Web", GIT_AUTHOR_EMAIL="web@example.no", GIT_COMMITTER_NAME="Web",
               GIT_COMMITTER_EMAIL="web@example.no")

    def run(script: str) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                           timeout=900)
        assert r.returncode == 0, f"{script}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        return r

    r = run(start.replace(requirement, f'"{dist.wheel}"'))
    assert "plassholdere er ikke fylt inn" in r.stdout and "Bygget " in r.stdout
    site = tmp_path / "nordvik-kommune"
    assert (site / "build/sentrum/index.html").is_file()
    assert Path(tmp_path / "knutepunkt-venv/bin/knutepunkt").is_file()
    # publishing, up to the push (that needs the host): what .gitignore keeps out stays out
    local = [line for line in publish.splitlines() if not line.startswith(("git remote", "git push"))]
    assert len(local) == 1 and len(publish.splitlines()) == 3
    run("cd nordvik-kommune\n" + "\n".join(local))
    committed = subprocess.run(["git", "ls-files"], cwd=site, capture_output=True, text=True).stdout.split()
    assert ".github/workflows/portal.yml" in committed and "content/site.yaml" in committed
    assert not [f for f in committed if f.startswith(("build/", ".knutepunkt-cache/"))], committed
