"""Spec: coordinators get valid starting files, editor schemas and CI annotations."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DEMO, ROOT

from hub.content import schema, stored
from hub.content.names import slugify
from hub.content.source import _Loader


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True)


@pytest.mark.parametrize("name, slug", [("Åssiden", "assiden"), ("Bragernes og Øren", "bragernes-og-oren"),
                                        ("Sjøsiden – bydel", "sjosiden-bydel"), ("Kafé Ærlig", "kafe-aerlig")])
def test_slugs_from_norwegian_names(name, slug):
    assert slugify(name) == slug


def test_every_file_new_writes_passes_check(tree):
    c = str(tree.root)
    made = run("new", "district", "Åssiden", "--content", c)
    assert made.returncode == 0 and sorted(made.stdout.split()) == sorted(  # it names every file it wrote
        str(p) for p in (tree.root / "districts/assiden").iterdir())
    assert run("new", "service", "assiden", "Åpen barnehage", "--content", c).returncode == 0
    assert run("new", "event", "assiden", "Babysang på biblioteket", "--content", c).returncode == 0
    assert run("new", "plan", "assiden", "Detaljregulering for Åsveien 3", "--content", c).returncode == 0
    assert (tree.root / "districts/assiden/planer/detaljregulering-for-asveien-3.md").is_file()
    assert (tree.root / "districts/assiden/services/apen-barnehage.md").is_file()
    assert (tree.root / "districts/assiden/programme/babysang-pa-biblioteket.md").is_file()
    r = run("check", "--content", c)
    assert r.returncode == 0, r.stderr
    assert "OK: 2 kommunedeler" in r.stdout


@pytest.mark.parametrize("args, says", [
    (("event", "nordby", ""), "'': navnet må ha minst én bokstav eller ett tall. Ingenting ble skrevet"),
    (("service", "nordby", "–?!"), "'–?!': navnet må ha minst én bokstav eller ett tall. Ingenting ble skrevet"),
    (("district", "***"), "'***': navnet må ha minst én bokstav eller ett tall. Ingenting ble skrevet"),
    (("district", "Program"), "'Program': 'program' er reservert i portalens adresser; velg et annet navn. "
                              "Ingenting ble skrevet"),
])
def test_new_refuses_a_name_that_gives_no_file_name_or_a_reserved_one(tree, args, says):
    """A name without letters would write ``programme/.md`` (a hidden file no page is made from), and a
    district called "Program" a folder check refuses: both are usage errors, and nothing is written."""
    before = sorted(p for p in tree.root.rglob("*"))
    r = run("new", *args, "--content", str(tree.root))
    assert (r.returncode, r.stderr) == (2, says + "\n")
    assert sorted(p for p in tree.root.rglob("*")) == before


def test_a_new_plan_names_its_placeholders_until_the_planner_fills_them_in(tree):
    c = str(tree.root)
    assert run("new", "plan", "nordby", "Detaljregulering for Torget", "--content", c).returncode == 0
    r = run("check", "--content", c)
    plan = "content/districts/nordby/planer/detaljregulering-for-torget.md"
    assert r.returncode == 0 and [line for line in r.stdout.splitlines() if plan in line] == [
        f"{plan}:5: summary: plassholder: skriv én setning om hva siden handler om (den vises i lister og i søket)",
        f"{plan}:6: plan_id: plassholder: fyll inn planens ID fra planregisteret (kommunenummer-planID, "
        "f.eks. 3301-2026004)",
        f"{plan}:24: contact.email: plassholder: fyll inn en e-postadresse som blir lest",
        f"{plan}:24: contact.name: plassholder: fyll inn navnet på den som svarer på spørsmål (koordinatoren, i en "
        "plan saksbehandleren)",
        f"{plan}:26: respond.email: plassholder: fyll inn en e-postadresse som blir lest",
        f"{plan}:29: plassholder: skriv teksten siden viser under feltene (i Markdown), i stedet for startteksten"]
    assert run("check", "--strict", "--content", c).returncode == 1
    path = tree.root / "districts/nordby/planer/detaljregulering-for-torget.md"
    path.write_text(path.read_text("utf-8").replace("0000-DETALJREGULERING", "3301-2026099")
                    .replace("kommune.invalid", "kommune.no").replace("Navn Navnesen", "Kari Planlegger")
                    .replace("Én setning om hva planen gjør.", "Nye boliger ved torget.")
                    .replace("Skriv om planen her, i Markdown: hva den gjelder, og hva som skjer videre.",
                             "Planen gir rom for 40 boliger og et lite torg."), "utf-8")
    filled = run("check", "--strict", "--content", c)
    assert plan not in filled.stdout + filled.stderr, filled.stderr  # (the site.yaml of the tree has its own)


def test_new_refuses_to_overwrite(tree):
    before = (tree.root / "districts/nordby/services/helsestasjon.md").read_bytes()
    r = run("new", "service", "nordby", "Helsestasjon", "--content", str(tree.root))
    assert r.returncode == 1 and "finnes allerede" in r.stderr
    assert (tree.root / "districts/nordby/services/helsestasjon.md").read_bytes() == before
    assert run("new", "district", "Nordby", "--content", str(tree.root)).returncode == 1
    assert run("new", "event", "finnesikke", "X", "--content", str(tree.root)).returncode == 1


# --- JSON Schema --------------------------------------------------------------

class _EditorLoader(_Loader):
    """Like the build's YAML reading, but dates stay strings, as the editor's YAML server sees them."""


_EditorLoader.yaml_implicit_resolvers = {
    k: [(t, rx) for t, rx in v if t != "tag:yaml.org,2002:timestamp"] for k, v in _Loader.yaml_implicit_resolvers.items()}


def front(path: Path) -> dict:
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return yaml.load(text, Loader=_EditorLoader) or {}


def demo_files() -> list[tuple[str, Path]]:
    """Every demo file with its schema's name; a translation (``helsestasjon.pl.md``) has its kind's
    ``.translation`` schema."""
    out = [("site", DEMO / "site.yaml")]
    out += [("district", p) for p in DEMO.glob("districts/*/district*.yaml")]
    out += [("service", p) for p in [*DEMO.glob("districts/*/services/*.md"), *DEMO.glob("services/*.md")]]
    out += [(kind, p) for kind, folder in (("event", "programme"), ("page", "pages"), ("news", "news"))
            for p in DEMO.glob(f"districts/*/{folder}/*.md")]
    out += [("plan", p) for p in [*DEMO.glob("districts/*/planer/*.md"), *DEMO.glob("planer/*.md")]]
    return [(f"{kind}.translation" if p.name.count(".") > 1 else kind, p) for kind, p in out]


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.json").read_text("utf-8")))


def test_committed_schemas_are_current():
    vocab = schema.vocabulary(DEMO)
    for kind in schema.KINDS:
        assert json.loads((ROOT / "schemas" / f"{kind}.json").read_text("utf-8")) == json.loads(
            json.dumps(schema.schema(kind, vocab))), f"run: knutepunkt schema ({kind}.json is stale)"
    for kind in schema.TRANSLATED:
        assert json.loads((ROOT / "schemas" / f"{kind}.translation.json").read_text("utf-8")) == json.loads(
            json.dumps(schema.translation_schema(kind))), f"run: knutepunkt schema ({kind}.translation.json is stale)"


def test_a_translations_schema_takes_text_and_flags_a_structured_field():
    check = validator("service.translation")
    assert list(check.iter_errors({"title": "Przychodnia", "summary": "x", "audience": ["Dzieci"],
                                   "updated": "2026-11-20"})) == []
    assert [e.message for e in check.iter_errors({"title": "x", "hours": {"weekly": {}}})] == [
        "Additional properties are not allowed ('hours' was unexpected)"]
    plan = validator("plan.translation")
    assert list(plan.iter_errors({"steps": [{"note": "Announced."}], "respond": {"text": "Write."}})) == []
    assert list(plan.iter_errors({"steps": [{"step": "horing"}]}))


def test_the_schema_accepts_all_demo_content():
    files = demo_files()
    assert len(files) > 150
    for kind, path in files:
        errors = [e.message for e in validator(kind).iter_errors(front(path))]
        assert errors == [], f"{path}: {errors}"


def test_demo_files_point_editors_at_their_schema():
    for kind, path in demo_files():
        m = re.search(r"# yaml-language-server: \$schema=(\S+)", path.read_text("utf-8"))
        assert m, path
        assert (path.parent / m.group(1)).resolve() == (ROOT / "schemas" / f"{kind}.json").resolve(), path


@pytest.mark.parametrize("kind, data, wrong", [
    ("service", {"title": "x", "category": "helse", "summary": "x", "titel": "x"}, "Additional properties"),
    ("service", {"title": "x", "category": "helse"}, "'summary' is a required property"),
    ("service", {"title": "x", "category": "helse", "summary": "x", "keywords": {"a": 1}}, "is not of type"),
    ("service", {"title": "x", "category": "helsa", "summary": "x"}, "is not one of"),
    ("event", {"title": "x", "date": "2026-12-01", "start": "12:00", "end": "13:00", "service": "tannlege"},
     "is not one of"),
    ("district", {"name": "x", "official_name": "x", "intro": "x",
                  "hub": {"name": "x", "address": "x", "hours": {"weekly": {"mon": "1030-1600"}}}}, "is not valid"),
    ("district", {"name": "x", "official_name": "x", "intro": "x",
                  "hub": {"name": "x", "address": "x", "hours": {"weekly": {"man": "09:00-16:00"}}}}, "man"),
    ("event", {"title": "x", "date": "2026-12-01", "start": "25:00", "end": "13:00"}, "does not match"),
    ("plan", {"title": "x", "summary": "x", "plan_id": "3301-1", "type": 36, "status": 2,
              "steps": [{"step": "oppstart"}]}, "is not valid under any of the given schemas"),
    ("plan", {"title": "x", "summary": "x", "plan_id": "3301-1", "type": 35, "status": 2,
              "steps": [{"step": "høring"}]}, "is not one of"),
    ("event", {"title": "x", "date": "2026-12-01", "start": "12:00", "end": "13:00", "plan": "finnesikke"},
     "is not one of"),
])
def test_the_schema_rejects_each_error_class_it_can_express(kind, data, wrong):
    errors = [e.message for e in validator(kind).iter_errors(data)]
    assert any(wrong in m for m in errors), errors


def test_check_json_format(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: x\ncategory: helse\n---\n")
    r = run("check", "--content", str(tree.root), "--format", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout) == [{"path": "content/districts/nordby/services/helsestasjon.md", "line": 2,
                                     "field": "summary", "message": "mangler (feltet er påkrevd)", "level": "error"}]


def test_a_save_landing_while_a_page_renders_still_reloads_that_page(tree):
    """The preview page carries the version it was made from, not the one current when it finished."""
    from hub.content.loader import load
    from hub.site.app import create_app
    from hub.site.preview import preview_bp

    app = create_app(None, "default", preview=True)
    app.register_blueprint(preview_bp)
    st = app.extensions["knutepunkt"]
    st.swap(load(tree.root), [])
    before = st.version
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8").replace("title: Helsestasjon", "title: Helsestasjonen"), "utf-8")
    edited = load(tree.root)

    def watcher_lands():  # after the view has read the portal, before the page is finished
        if st.portal is not edited:
            st.swap(edited, [])
        return {}

    app.template_context_processors[None].insert(0, watcher_lands)
    html = app.test_client().get("/nordby/tjenester/helsestasjon/").get_data(as_text=True)
    assert "<h1>Helsestasjon</h1>" in html  # made from the portal before the save
    assert st.version == before + 1
    assert f"reload.js?v={before}" in html  # so its script sees version before+1 and reloads


def add_district(tree, slug: str, name: str) -> None:
    tree.write(f"districts/{slug}/district.yaml",
               (tree.root / "districts/nordby/district.yaml").read_text("utf-8")
               .replace("Nordby og Sørby", f"{name} kommunedel").replace("Nordby", name))


def test_the_preview_converts_a_files_markdown_only_when_a_page_shows_it(tree, monkeypatch):
    from hub.content import markup
    from hub.content.loader import load
    from hub.site.preview import Preview

    converted: list[str] = []
    real = markup.render
    monkeypatch.setattr(markup, "render", lambda text: converted.append(text) or real(text))
    preview = Preview(tree.root)
    assert converted == []  # loaded, validated, not one body converted
    client = preview.app.test_client()
    assert client.get("/").status_code == 200
    page = client.get("/nordby/tjenester/helsestasjon/").get_data(as_text=True)
    assert len(converted) == 1 and "Helsestasjon" in converted[0]
    assert client.get("/nordby/tjenester/helsestasjon/").get_data(as_text=True) == page  # converted once
    assert len(converted) == 1
    portal = preview.state.portal
    assert portal is not None
    # A restart reads back bodies not yet converted.
    files = [p.relative_to(tree.root / "districts/nordby").as_posix() for p in (tree.root / "districts/nordby").rglob("*")]
    unread = tuple(stored.load(stored.dump(d), d.path, files) for d in portal.districts)
    eager = load(tree.root).districts
    assert unread == eager and portal.districts == eager  # the same HTML as the build's eager load
    preview.close()


def test_a_restarted_preview_parses_only_the_districts_changed_since_it_last_ran(tree, tmp_path, monkeypatch):
    from hub.content import loader
    from hub.pipeline.incremental import ParsedDistricts, inputs
    from hub.theme import find_theme

    add_district(tree, "sydby", "Sydby")
    store = tmp_path / "parsed"
    parsed: list[str] = []
    real = loader._district
    monkeypatch.setattr(loader, "_district",
                        lambda folder, log, lazy: parsed.append(folder.name) or real(folder, log, lazy))

    def start() -> loader.Portal:
        """What ``knutepunkt serve`` does first: read back what it can, parse the rest and keep it."""
        kept = ParsedDistricts(store, lambda: inputs(tree.root, find_theme("default"), options="preview"))
        reuse = {} if kept.empty() else kept.read()
        portal = loader.load(tree.root, reuse=reuse, lazy=True)
        for d in portal.districts:
            if reuse.get(d.slug) is not d:
                kept.keep(d)
        kept.prune()
        return portal

    start()
    assert sorted(parsed) == ["nordby", "sydby"] and len(list(store.iterdir())) == 2
    parsed.clear()
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8").replace("title: Helsestasjon", "title: Helsestasjonen"), "utf-8")
    portal = start()
    assert parsed == ["nordby"]  # Sydby came back from the store
    assert portal.districts == loader.load(tree.root).districts  # the same model as a fresh read
    assert len(list(store.iterdir())) == 2  # Nordby's old copy is gone
    parsed.clear()
    start()
    assert parsed == []


def start_serve(content: Path, path: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start ``knutepunkt serve`` and read one page: the process and the page."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--content", str(content), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    for _attempt in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                return proc, r.read().decode()
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read() if proc.stderr else "knutepunkt serve stopped")
            time.sleep(0.1)
    proc.terminate()
    pytest.fail("the preview did not answer")


def wait_for(then: Callable[[], bool]) -> None:
    import time

    for _attempt in range(300):
        if then():
            return
        time.sleep(0.1)
    pytest.fail("the preview did not do what was waited for")


def serve_until_it_answers(content: Path, path: str, then: Callable[[], bool] = lambda: True) -> str:
    """Start ``knutepunkt serve``, read one page, wait until ``then()`` holds, stop it."""
    proc, page = start_serve(content, path)
    try:
        wait_for(then)
        return page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "Ctrl+C",
                                                                                  "terminal closed"])
@pytest.mark.parametrize("when", ["building", "built"])
def test_a_stopped_preview_leaves_no_private_build_behind(tree, tmp_path, stop, when):
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, _ = start_serve(tree.root, "/", env={**os.environ, "TMPDIR": str(temp)})
    if when == "built":  # the private build its search reads: a whole site with its index
        wait_for(lambda: any(temp.glob("knutepunkt-preview-*/site/pagefind/pagefind.js")))
    else:  # its process has begun writing
        wait_for(lambda: any(any(folder.iterdir()) for folder in temp.glob("knutepunkt-preview-*")))
    proc.send_signal(stop)
    assert proc.wait(timeout=20) == 0
    assert list(temp.iterdir()) == []


def test_knutepunkt_serve_keeps_parsed_districts_beside_the_content_and_restarts_from_them(tree):
    add_district(tree, "sydby", "Sydby")
    kept = tree.root.parent / ".knutepunkt-cache" / "preview"

    def both_kept() -> bool:  # in the background, once the first pages are served
        return kept.is_dir() and sorted(p.name.split(".")[0] for p in kept.glob("*.json")) == ["nordby", "sydby"]

    assert "Sydby" in serve_until_it_answers(tree.root, "/sydby/", then=both_kept)
    # Mark the stored Sydby: if the next start reads it back instead of parsing the folder, it shows.
    stored = next(kept.glob("sydby.*"))
    district = json.loads(stored.read_bytes())
    district["config"]["intro"] = "Lest fra lageret."
    stored.write_text(json.dumps(district), "utf-8")
    assert "Lest fra lageret." in serve_until_it_answers(tree.root, "/sydby/")
