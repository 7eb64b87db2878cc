"""Spec: ``knutepunkt new site NAME`` starts a content repository that builds at once.

It writes a small, valid, commented repository (site.yaml, one example district with its hub,
.gitignore, a README for coordinators, the editor's schemas, and with ``--ci`` the CI file that
ships with the tool); ``check`` names every placeholder still to fill as a warning (``--strict``:
an error); nothing that already exists is ever overwritten.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, tree_digest

from hub.content.scaffold import PORTAL_URL


def knutepunkt(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def new_site(tmp_path) -> Path:
    r = knutepunkt("new", "site", "Nordvik kommune", "--ci", "github", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path / "nordvik-kommune"


def test_it_writes_a_small_commented_repository(new_site):
    files = sorted(p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file())
    assert [f for f in files if not f.startswith("schemas/")] == [
        ".github/workflows/portal.yml", ".gitignore", "README.md",
        "content/districts/sentrum/district.yaml", "content/districts/sentrum/index.md",
        "content/districts/sentrum/programme/babytreff.md", "content/districts/sentrum/services/helsestasjon.md",
        "content/site.yaml"]
    assert "schemas/site.json" in files and "schemas/district.json" in files  # for the editor (VS Code's YAML)
    site = yaml.safe_load((new_site / "content/site.yaml").read_text("utf-8"))
    assert site["name"] == "Nordvik kommune" and site["language"] == "nb" and site["timezone"] == "Europe/Oslo"
    assert site["base_url"] == PORTAL_URL and "organization_number" not in site
    text = (new_site / "content/site.yaml").read_text("utf-8")
    assert "# organization_number:" in text and "# logo:" in text and "# primary_color:" in text  # commented
    district = yaml.safe_load((new_site / "content/districts/sentrum/district.yaml").read_text("utf-8"))
    assert district["hub"]["name"] == "Knutepunkt Sentrum" and district["hub"]["hours"]["weekly"]["mon"]
    ignored = (new_site / ".gitignore").read_text("utf-8").splitlines()
    assert "/build/" in ignored and ".knutepunkt-cache/" in ignored and "/public/" in ignored
    readme = (new_site / "README.md").read_text("utf-8")
    assert readme.startswith("# Nordvik kommune: innholdet i knutepunktportalen") and "knutepunkt serve" in readme


def test_the_ci_file_is_the_template_that_ships_with_the_tool(tmp_path, new_site):
    assert (new_site / ".github/workflows/portal.yml").read_bytes() == (
        ROOT / "examples/ci/github-actions.yml").read_bytes()
    assert knutepunkt("new", "site", "Sørvik kommune", "--ci", "gitlab", cwd=tmp_path).returncode == 0
    assert (tmp_path / "sorvik-kommune/.gitlab-ci.yml").read_bytes() == (ROOT / "examples/ci/gitlab-ci.yml").read_bytes()
    assert not (tmp_path / "sorvik-kommune/.github").exists()


def test_it_builds_at_once_and_check_names_each_placeholder(new_site):
    r = knutepunkt("check", cwd=new_site)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "content/districts/sentrum/district.yaml:8: hub.address: plassholder: fyll inn knutepunktets adresse "
        "(gate og nummer, postnummer og sted)",
        "content/districts/sentrum/district.yaml:18: coordinator.name: plassholder: fyll inn navnet på den som svarer på spørsmål "
        "(koordinatoren, i en plan saksbehandleren)",
        "content/districts/sentrum/district.yaml:19: coordinator.email: plassholder: fyll inn en e-postadresse som "
        "blir lest",
        "content/districts/sentrum/programme/babytreff.md:4: summary: plassholder: skriv én setning om hva siden "
        "handler om (den vises i lister og i søket)",
        "content/districts/sentrum/programme/babytreff.md:14: plassholder: skriv teksten siden viser under feltene "
        "(i Markdown), i stedet for startteksten",  # the starting text would be published as it is
        "content/districts/sentrum/services/helsestasjon.md:6: summary: plassholder: skriv én setning om hva siden "
        "handler om (den vises i lister og i søket)",
        "content/districts/sentrum/services/helsestasjon.md:13: plassholder: skriv teksten siden viser under feltene "
        "(i Markdown), i stedet for startteksten",
        "content/site.yaml: organization_number: mangler: fyll inn kommunens organisasjonsnummer fra "
        "Enhetsregisteret (åpne data og data.norge.no kjenner kommunen på det)",
        "content/site.yaml:5: base_url: plassholder: fyll inn adressen portalen publiseres på",
        "content/site.yaml:9: accessibility_statement: plassholder: fyll inn adressen til tilgjengelighetserklæringen "
        "(uustatus.no)",
        "OK: 1 kommunedel, 5 filer, ingen feil; 10 plassholdere er ikke fylt inn (se over).",
    ]
    r = knutepunkt("build", cwd=new_site)
    assert r.returncode == 0, r.stderr
    for page in ("index.html", "sentrum/index.html", "sentrum/tjenester/helsestasjon/index.html",
                 "sentrum/program/babytreff/index.html", "sok/index.html", "pagefind/pagefind.js"):
        assert (new_site / "build" / page).is_file(), page
    assert "Knutepunkt Sentrum" in (new_site / "build/sentrum/index.html").read_text("utf-8")


def test_placeholders_are_warnings_for_tools_and_errors_with_strict(new_site):
    r = knutepunkt("check", "--format", "github", cwd=new_site)
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == ("::warning file=content/districts/sentrum/district.yaml,line=8::hub.address: "
                                        "plassholder: fyll inn knutepunktets adresse (gate og nummer, postnummer og sted)")
    r = knutepunkt("check", "--format", "gitlab", cwd=new_site)
    assert r.returncode == 0 and {i["severity"] for i in json.loads(r.stdout)} == {"minor"}
    r = knutepunkt("check", "--format", "json", cwd=new_site)
    assert {(i["field"], i["level"]) for i in json.loads(r.stdout)} >= {("base_url", "warning")}
    r = knutepunkt("check", "--strict", cwd=new_site)
    assert r.returncode == 1 and r.stderr.splitlines()[-1] == "10 feil i innholdet."


def test_filling_in_the_placeholders_silences_check(new_site):
    site = new_site / "content/site.yaml"
    text = site.read_text("utf-8").replace(PORTAL_URL, "https://knutepunkt.nordvik.kommune.no/")
    text = text.replace("https://erklaering.kommune.invalid/", "https://uustatus.no/nb/erklaringer/publisert/abc")
    text = text.replace('# organization_number: "123 456 785"', 'organization_number: "123 456 785"')
    site.write_text(text, "utf-8")
    district = new_site / "content/districts/sentrum/district.yaml"
    district.write_text(district.read_text("utf-8").replace("Gateadresse 1, 0000 Sted", "Torget 1, 9990 Nordvik")
                        .replace("Navn Navnesen", "Kari Nordmann").replace("knutepunkt@kommune.invalid",
                                                                           "kari@nordvik.kommune.no"), "utf-8")
    for page, summary, body in (("services/helsestasjon.md", "Én setning om hva tjenesten gjør.",
                                 "Skriv mer om tjenesten her, i Markdown."),
                                ("programme/babytreff.md", "Én setning om arrangementet.", "Beskriv arrangementet her.")):
        path = new_site / "content/districts/sentrum" / page
        text = path.read_text("utf-8").replace(summary, "Vaksiner og råd for små barn.")
        path.write_text(text.replace(body, "Helsesykepleieren har åpen dør for foreldre med små barn."), "utf-8")
    r = knutepunkt("check", "--strict", cwd=new_site)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "OK: 1 kommunedel, 5 filer, ingen feil.\n"


def test_checks_last_line_counts_the_files_it_read_and_no_other(new_site):
    content = new_site / "content"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'
    (content / "README.md").write_text("Notater til oss selv.\n", "utf-8")  # not the portal's: not read
    (content / "grunnkretser.yaml").write_text("[]\n", "utf-8")  # read by 'import', not by check
    (content / "logo.svg").write_text(svg, "utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("# logo: {file: logo.svg", "logo: {file: logo.svg"), "utf-8")
    (content / "theme/static/img").mkdir(parents=True)
    (content / "theme/static/img/favicon.svg").write_text(svg, "utf-8")
    (content / "theme/static/img/favicon.ico").write_bytes(b"\0\0\1\0")
    (content / "media").mkdir()
    (content / "media/kart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    r = knutepunkt("check", cwd=new_site)
    assert r.returncode == 0, r.stderr
    # site.yaml, district.yaml, index.md, two documents; the logo, two theme files and a picture
    assert r.stdout.splitlines()[-1].startswith("OK: 1 kommunedel, 9 filer, ingen feil;")


def test_a_translation_begun_with_the_starting_text_is_named_too(new_site):
    services = new_site / "content/districts/sentrum/services"
    (services / "helsestasjon.en.md").write_text("---\ntitle: Health centre\n---\n\nSkriv mer om tjenesten her, i "
                                                 "Markdown.\n", "utf-8")
    r = knutepunkt("check", cwd=new_site)
    assert ("content/districts/sentrum/services/helsestasjon.en.md:5: plassholder: skriv teksten siden viser under "
            "feltene (i Markdown), i stedet for startteksten") in r.stdout.splitlines()


def test_a_new_district_in_the_new_site_is_named_by_check_too(new_site):
    assert knutepunkt("new", "district", "Nordbyen", cwd=new_site).returncode == 0
    r = knutepunkt("check", cwd=new_site)
    assert "content/districts/nordbyen/district.yaml:8: hub.address: plassholder" in r.stdout
    assert knutepunkt("build", "--no-search", cwd=new_site).returncode == 0


@pytest.mark.parametrize("existing", ["README.md", "content/site.yaml", ".github/workflows/portal.yml", "schemas"])
def test_it_never_overwrites_and_writes_nothing_when_something_is_there(tmp_path, existing):
    folder = tmp_path / "nordvik-kommune"
    (folder / existing).parent.mkdir(parents=True, exist_ok=True)
    if existing == "schemas":
        (folder / existing).mkdir()
    else:
        (folder / existing).write_text("ours\n", "utf-8")
    before = tree_digest(folder)
    r = knutepunkt("new", "site", "Nordvik kommune", "--ci", "github", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"nordvik-kommune/{existing}: finnes allerede", "Ingenting ble skrevet."]
    assert tree_digest(folder) == before and sorted(p.name for p in folder.iterdir()) == [existing.split("/")[0]]


def test_it_writes_into_an_empty_folder_given_with_dir(tmp_path):
    (tmp_path / "repo/.git").mkdir(parents=True)  # a fresh clone: only git's own folder
    r = knutepunkt("new", "site", "Åssiden kommune", "--dir", "repo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "name: Åssiden kommune" in (tmp_path / "repo/content/site.yaml").read_text("utf-8")
    assert not (tmp_path / "repo/.github").exists() and not (tmp_path / "repo/.gitlab-ci.yml").exists()
