"""Spec: parallel builds give the same bytes as serial ones, and an unchanged rebuild writes nothing.

Speed itself is measured by benchmarks/run.py (numbers in docs/benchmarks.md), not by timed tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import DEMO, DISTRICT, EPOCH, ROOT, SERVICE, copy_of, forget_map_labels, tree_digest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from hub.pipeline import steps


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, env=env)


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    assert cli("build", "--content", str(DEMO), "--out", str(tmp_path / "serial"), "-j", "1").returncode == 0
    assert cli("build", "--content", str(DEMO), "--out", str(tmp_path / "parallel"), "-j", "3").returncode == 0
    serial, parallel = tree_digest(tmp_path / "serial"), tree_digest(tmp_path / "parallel")
    assert len(serial) > 600 and serial == parallel


def test_a_portal_of_one_district_is_made_in_forked_processes_too_with_the_same_bytes(tree, tmp_path, monkeypatch):
    """A municipality that starts with one district (``knutepunkt new site`` makes one) gets its pages
    made beside the one door in's exports, as a portal of many districts does, and the same bytes."""
    forked = []
    real = steps.freeze_parallel
    monkeypatch.setattr(steps, "freeze_parallel", lambda *a, **k: forked.append(1) or real(*a, **k))
    steps.build(tree.root, tmp_path / "serial", jobs=1)
    assert not forked
    steps.build(tree.root, tmp_path / "parallel", jobs=2)
    assert forked
    serial, parallel = tree_digest(tmp_path / "serial"), tree_digest(tmp_path / "parallel")
    assert len(serial) > 30 and serial == parallel


def test_each_unit_of_work_runs_in_a_process_of_its_own_and_a_lost_one_fails_the_build(monkeypatch):
    """Parallel freezing forks a fresh process per unit (so its memory goes when it is done); one that
    raises hands its error to the build, and one that dies without an answer fails it rather than hang."""
    def render(app, urls):  # stands in for Frozen-Flask in the forked process
        if urls == ["dies"]:
            os._exit(9)
        if urls == ["raises"]:
            raise ValueError("bad page")
        return os.getpid()

    monkeypatch.setattr(steps, "freeze_urls", render)
    monkeypatch.setattr(steps, "_FORKED", object())
    pids = {steps._forked([["a"]], 1, None) for _ in range(3)}
    assert len(pids) == 3 and os.getpid() not in pids
    with pytest.raises(RuntimeError, match="exit code 9"):
        steps._forked([["a"], ["dies"], ["b"]], 2, None)
    with pytest.raises(ValueError, match="bad page"):
        steps._forked([["a"], ["raises"], ["b"]], 2, None)


def test_the_spares_check_runs_beside_the_pages_and_a_check_that_fails_or_dies_says_no(capfd):
    """Whether the spare may lend its folders is worked out in a process beside the pages being made
    (steps.Answer), asked for once they are made; a check that raises, or whose process dies, leaves
    the build to link the unchanged pages one by one, as a spare that fails the check does."""
    started = os.getpid()
    assert steps.Answer(lambda: os.getpid() != started)() is True
    assert steps.Answer(lambda: 1 / 0 > 0)() is False
    assert steps.Answer(lambda: os._exit(3))() is False
    answer = steps.Answer(lambda: True)
    assert answer() is True and answer() is True  # asked twice: waited for once
    assert "Traceback" not in capfd.readouterr().err


def test_the_districts_pages_go_before_the_one_door_in_files_while_a_group_costs_more():
    """Units run most work first. A group of districts' pages costs more than the costliest one-door-in
    file while the districts are cut into at most sixteen groups (up to four processes, or an edit's
    one district); cut finer, the one-door-in files go first. Each URL is in exactly one unit."""
    from hub.content.loader import load

    many = load(DEMO)
    urls = [("site.cpsv_catalogue", {}), ("site.hsds", {}), ("site.hsds_table", {"table": "services"}),
            ("site.index", {}), *(("district.home", {"district": f"d{i}"}) for i in range(40))]  # 40 districts

    def first(jobs: int) -> str:
        return steps.work_units(many, urls, jobs)[0][0][0]

    assert first(2) == first(4) == "district.home"  # 8 and 16 groups
    assert first(5) == first(8) == "site.cpsv_catalogue"  # 20 and 32
    edit = steps.work_units(many, [*urls[:4], ("district.home", {"district": "d7"})], 8)
    assert edit[0] == [("district.home", {"district": "d7"})]
    for jobs in (1, 2, 5, 8):
        units = steps.work_units(many, urls, jobs)
        assert sorted(map(repr, (u for unit in units for u in unit))) == sorted(map(repr, urls))
    assert [ep for ep, _ in steps.work_units(many, urls, 2)[-3]] == ["site.cpsv_catalogue"]


def test_the_districts_read_back_are_frozen_for_the_build_and_the_collector_is_left_as_it_was(
        tree, tmp_path, monkeypatch):
    """What an incremental build reads back from the cache lives as long as the build: frozen, the
    collector never walks it (nor in the processes that render). The collector stays on while the
    build loads and renders, and after the build nothing is frozen, also when the content is refused."""
    import gc

    from hub.content.errors import ContentErrors

    tree.write("districts/sydby/district.yaml", DISTRICT.replace("Nordby", "Sydby"))
    seen: list[tuple[bool, bool]] = []
    load, render = steps.load, steps.freeze_urls

    def loading(*args, **kwargs):
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return load(*args, **kwargs)

    def rendering(app, urls):  # in each forked process
        if not gc.isenabled():
            raise AssertionError("the collector is off while pages are made")
        return render(app, urls)

    monkeypatch.setattr(steps, "load", loading)
    monkeypatch.setattr(steps, "freeze_urls", rendering)
    out = tmp_path / "site"
    steps.build(tree.root, out, search=False, jobs=2)  # the first build reads nothing back
    assert gc.isenabled() and gc.get_freeze_count() == 0
    tree.write("districts/sydby/services/helsestasjon.md", SERVICE.replace("Helsestasjon", "Helsestasjonen"))
    steps.build(tree.root, out, search=False, jobs=2)  # Nordby read back
    assert gc.isenabled() and gc.get_freeze_count() == 0
    tree.write("districts/sydby/services/helsestasjon.md", "---\ntitle: x\n---\n")  # no summary, no category
    with pytest.raises(ContentErrors):
        steps.build(tree.root, out, search=False, jobs=2)
    assert seen == [(True, False), (True, True), (True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_unchanged_rebuild_writes_nothing(tree, tmp_path):
    out = tmp_path / "site"
    assert cli("build", "--content", str(tree.root), "--out", str(out)).returncode == 0
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")}
    again = cli("build", "--content", str(tree.root), "--out", str(out))
    assert again.returncode == 0 and "Ingen endringer" in again.stdout
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == [".knutepunkt-cache", "content", "site"]


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
    from hub.pipeline.steps import build

    seen: dict[str, tuple[int, int]] = {}
    build(tree.root, tmp_path / "out", progress=lambda phase, done, total: seen.__setitem__(phase, (done, total)))
    assert set(seen) == {"load", "freeze", "index"}
    assert all(done == total for done, total in seen.values())


# --- incremental builds --------------------------------------------------------

def _edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


EDITS = [  # (what a coordinator does, the change, which districts an incremental build redoes; None = all)
    ("a service's summary", lambda c: _edit(c / "districts/bragernes/services/bibliotek.md", "summary: ",
                                            "summary: Nytt og bedre – "), {"bragernes"}),
    ("a drop-in time other districts list", lambda c: _edit(
        c / "districts/bragernes/programme/helsestasjon-drop-in.md", 'start: "12:00"', 'start: "11:30"'), {"bragernes"}),
    ("the district's name, shown on other districts' service pages", lambda c: _edit(
        c / "districts/fjell/district.yaml", "name: ", "name: Nye "), {"fjell"}),
    ("a new service", lambda c: (c / "districts/fjell/services/leksehjelp.md").write_text(
        "---\ntitle: Leksehjelp\nsummary: Hjelp med lekser.\ncategory: "
        + yaml.safe_load((c / "site.yaml").read_text("utf-8"))["categories"][0]["slug"] + "\n---\nHver tirsdag.\n",
        "utf-8"), {"fjell"}),
    ("a page deleted", lambda c: (c / "districts/bragernes/pages/frivillighet.md").unlink(), {"bragernes"}),
    ("two districts at once", lambda c: [_edit(c / f"districts/{d}/index.md", "", "Hei. ") for d in ("fjell", "gulskogen")],
     {"fjell", "gulskogen"}),
    ("the hub moved, which every district's map shows", lambda c: _edit(
        c / "districts/svelvik/district.yaml", "lat: 59.6119", "lat: 59.6135"), {"svelvik"}),
    ("a street added to the street list", lambda c: _edit(
        c / "districts/konnerud/streets.yaml", "streets:\n", "streets:\n- {name: Nyveien, postcode: '3045'}\n"),
     {"konnerud"}),
    ("a translation's text", lambda c: _edit(c / "districts/bragernes/services/helsestasjon.pl.md", 'summary: "',
                                              'summary: "Nowe – '), {"bragernes"}),
    ("a translation removed", lambda c: (c / "districts/konnerud/programme/sprakkafe.ar.md").unlink(), {"konnerud"}),
    ("a meeting about a municipality-wide plan, which the plan's page and calendar list", lambda c: _edit(
        c / "districts/konnerud/programme/informasjonsmote-sykkelvei.md", "title: ", "title: Nytt "), {"konnerud"}),
    ("the title of a service's first offer, by which other districts' event pages name the service",
     lambda c: _edit(c / "districts/bragernes/services/helsestasjon.md", "title: ", "title: Ny "),
     {"bragernes", "konnerud", "mjondalen", "skoger", "solbergelva", "stromso"}),
    ("a translation of a service others offer too: their translated pages now link it", lambda c: shutil.copy(
        c / "districts/konnerud/services/helsestasjon.pl.md", c / "districts/fjell/services/"), {"fjell"}),
    ("a district's front page translated: the maps of translated pages now link it", lambda c: shutil.copy(
        c / "districts/konnerud/district.pl.yaml", c / "districts/fjell/"), {"fjell"}),
    ("a service's file renamed: its kind's all-districts page links its new address", lambda c: (
        c / "districts/bragernes/services/kafe.md").rename(c / "districts/bragernes/services/kafeen.md"), {"bragernes"}),
    ("a drop-in session's file renamed, and one copied unchanged: the kind's page lists both at their addresses",
     lambda c: [(c / "districts/bragernes/programme/nav-besok.md").rename(c / "districts/bragernes/programme/nav.md"),
                shutil.copy(c / "districts/bragernes/programme/nav.md", c / "districts/bragernes/programme/nav-2.md")],
     {"bragernes"}),
    ("a translation into a language the portal had none in: every page's footer lists it",
     lambda c: (c / "districts/fjell/services/bibliotek.so.md").write_text(
         "---\ntitle: Maktabadda\nsummary: Buugaag iyo kombiyuutar.\n---\nKu soo dhawoow.\n", "utf-8"), None),
    ("the site settings", lambda c: _edit(c / "site.yaml", "name: ", "name: Ny "), None),
]


def test_incremental_rebuild_equals_a_full_build_after_every_kind_of_edit(tmp_path, monkeypatch, inode):
    """After each edit, the reused build and a clean full build are the same bytes, search bundles included."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out)
    for n, (what, change, expected) in enumerate(EDITS):
        before = {p: inode(p) for p in [*out.glob("*/program/index.html"), *out.glob("tjenester/*/index.html")]}
        change(content)
        result = build(content, out)
        assert result.rebuilt == (None if expected is None else frozenset(expected)), what
        full = build(content, tmp_path / f"full{n}", reuse=False)
        assert full.rebuilt is None
        assert tree_digest(out) == tree_digest(tmp_path / f"full{n}"), what
        if expected is not None:  # untouched districts' pages are the previous files, not rewritten
            untouched = [p for p in out.glob("*/program/index.html") if p.parent.parent.name not in expected]
            assert untouched and all(inode(p) == before[p] for p in untouched), what
        if n == 0:  # a summary is shown on its own service's all-districts page only
            kind = out / "tjenester/helsestasjon/index.html", out / "tjenester/bibliotek/index.html"
            assert inode(kind[0]) == before[kind[0]] and inode(kind[1]) != before[kind[1]]


#: What a coordinator does to one file of the demo, as an edit a hypothesis test may pick (with its
#: translations: a file renamed or deleted takes them along, as the editor does).
FOLDERS = ("services", "programme", "pages", "news")


def _family(path) -> list:
    """The file and its translations (``kafe.md``, ``kafe.pl.md``)."""
    return sorted(path.parent.glob(f"{path.stem}.*"))


def _do(content, action: str, folder: str, pick: int) -> None:
    files = sorted(p for p in content.glob(f"districts/*/{folder}/*.md") if p.suffixes == [".md"])
    if not files:
        return
    path = files[pick % len(files)]
    if action == "rename":
        for f in _family(path):
            f.rename(f.with_name(f.name.replace(path.stem, f"{path.stem}-ny", 1)))
    elif action == "copy":
        shutil.copy(path, path.with_name(f"{path.stem}-kopi.md"))
    elif action == "title":
        _edit(path, "title: ", "title: Ny ")
    elif action == "text":  # below the front matter: what the open data and the all-districts pages do not show
        path.write_text(path.read_text("utf-8") + "\nMer tekst.\n", "utf-8")
    elif action == "delete":
        for f in _family(path):
            f.unlink()
    elif action == "translate":  # a translation another district has of a file of the same name
        there = sorted(p for p in content.glob(f"districts/*/{path.parent.name}/{path.stem}.*.md")
                       if p.parent != path.parent)  # not its own (the same file: shutil refuses)
        if there:
            shutil.copy(there[0], path.with_name(there[0].name))
    elif action == "move":  # to another district, as the same kind of file
        districts = sorted(p for p in (content / "districts").iterdir() if p.is_dir())
        other = districts[(districts.index(path.parents[1]) + 1) % len(districts)] / path.parent.name
        if not (other / path.name).exists():
            for f in _family(path):
                other.mkdir(exist_ok=True)
                f.rename(other / f.name)


@pytest.fixture(scope="module")
def demo_built(tmp_path_factory):
    """The demo built once (no search), to start each example of the test below from."""
    from hub.pipeline.steps import build

    base = tmp_path_factory.mktemp("demo-built")
    shutil.copytree(DEMO, base / "content")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(base / "content", base / "site", search=False)
    return base


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(("rename", "copy", "title", "text", "delete", "translate", "move")),
                                st.sampled_from(FOLDERS), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_any_few_edits_build_incrementally_to_the_bytes_of_a_full_build(demo_built, tmp_path_factory, edits):
    """Whatever a coordinator renames, copies, retitles, writes in, deletes, translates or moves to another district
    (a few files at once), the incremental build publishes what a full build of the same content does."""
    from hub.content.errors import ContentErrors
    from hub.pipeline.steps import build

    base = copy_of(demo_built, tmp_path_factory, "edits")
    for action, folder, pick in edits:
        _do(base / "content", action, folder, pick)
    try:
        forget_map_labels()
        build(base / "content", base / "site", search=False)
    except ContentErrors:  # an edit the loader refuses (a session naming a service no longer offered): not a case
        reject()
    forget_map_labels()
    build(base / "content", base / "full", search=False, reuse=False)
    made, full = tree_digest(base / "site"), tree_digest(base / "full")
    assert made == full, ([p for p in {*made, *full} if made.get(p) != full.get(p)], edits)


def test_incremental_rebuild_in_parallel_processes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "site"), "-j", "2").returncode == 0
    _edit(content / "districts/bragernes/programme/helsestasjon-drop-in.md", 'start: "12:00"', 'start: "11:30"')
    again = cli("build", "--content", str(content), "--out", str(tmp_path / "site"), "-j", "2")
    assert again.returncode == 0 and "kommunedeler: bragernes" in again.stdout
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "full"), "--full").returncode == 0
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "full")
    assert "11:30" in (tmp_path / "site/fjell/tjenester/helsestasjon/index.html").read_text("utf-8")


def test_a_failed_rebuild_leaves_site_and_cache_usable(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "site")).returncode == 0
    published = tree_digest(tmp_path / "site")
    _edit(content / "districts/fjell/district.yaml", "name: ", "name: [")
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "site")).returncode == 1
    assert tree_digest(tmp_path / "site") == published
    _edit(content / "districts/fjell/district.yaml", "name: [", "name: Fjell ")
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "site")).returncode == 0
    assert cli("build", "--content", str(content), "--out", str(tmp_path / "full"), "--full").returncode == 0
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "full")


def test_carrying_folders_over_links_the_old_files_and_leaves_the_old_output_whole(tmp_path):
    from hub.pipeline.incremental import carry_over

    old, new = tmp_path / "old", tmp_path / "new"
    for slug in ("a", "b"):
        (old / slug / "sub").mkdir(parents=True)
        (old / slug / "sub/index.html").write_text(slug, "utf-8")
    (new / "b/sub").mkdir(parents=True)
    (new / "b/sub/index.html").write_text("b, new", "utf-8")  # a page re-rendered in a carried district
    before = tree_digest(old)
    carry_over(old, new, ["a", "b"])
    assert tree_digest(old) == before  # still whole: it stays live until the swap
    assert (new / "a/sub/index.html").read_text("utf-8") == "a"
    assert (new / "a/sub/index.html").stat().st_ino == (old / "a/sub/index.html").stat().st_ino
    assert (new / "b/sub/index.html").read_text("utf-8") == "b, new"


def test_the_spare_catches_up_by_changing_only_what_differs(tmp_path):
    """Mirroring a replaced folder into the spare keeps its files that are the live ones (same inode) and
    the folders holding them; any other file, and what the live folder lacks, goes to the trash."""
    from hub.pipeline.incremental import mirror

    live, spare, trash = tmp_path / "live/tjenester", tmp_path / "spare/tjenester", tmp_path / "trash"
    for rel, text in (("a/index.html", "a"), ("b/index.html", "b, new"), ("c/index.html", "c"),
                      ("d", "was a folder"), ("e/index.html", "was a file")):
        (live / rel).parent.mkdir(parents=True, exist_ok=True)
        (live / rel).write_text(text, "utf-8")
    (live / "link.html").symlink_to("a/index.html")
    (spare / "a").mkdir(parents=True)
    os.link(live / "a/index.html", spare / "a/index.html")  # the live file itself
    (spare / "b").mkdir()
    (spare / "b/index.html").write_text("b, old", "utf-8")
    (spare / "d").mkdir()
    (spare / "d/index.html").write_text("d", "utf-8")
    (spare / "e").write_text("e", "utf-8")
    (spare / "gone/deep").mkdir(parents=True)
    (spare / "gone/deep/index.html").write_text("gone", "utf-8")
    (spare / "gone.html").write_text("gone", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/kept.html").write_text("not the spare's", "utf-8")
    (spare / "c").symlink_to(tmp_path / "elsewhere")  # a link where a folder belongs: never followed
    (spare / "a/old").symlink_to(tmp_path / "elsewhere")
    kept_folder = (spare / "a").stat().st_ino

    mirror(live, spare, trash)

    assert tree_digest(spare) == tree_digest(live)
    assert (spare / "link.html").is_symlink() and os.readlink(spare / "link.html") == "a/index.html"
    assert os.lstat(spare / "link.html").st_ino == os.lstat(live / "link.html").st_ino
    assert (tmp_path / "elsewhere/kept.html").read_text("utf-8") == "not the spare's"
    for rel in ("a/index.html", "b/index.html", "c/index.html", "d", "e/index.html"):
        assert (spare / rel).stat().st_ino == (live / rel).stat().st_ino, rel  # the live file, never a copy
    assert (spare / "a").stat().st_ino == kept_folder  # not made again
    assert (live / "b/index.html").read_text("utf-8") == "b, new"  # the live files are never written
    # What the spare no longer holds waits in the trash for the sweep, not deleted on the build's time.
    assert sorted(p.read_text("utf-8") for p in trash.rglob("*") if p.is_file() and not p.is_symlink()) == [
        "b, old", "d", "e", "gone", "gone"]
    assert sorted(p.name for p in trash.iterdir() if p.is_symlink()) != []  # the links, moved, not followed


def _plant_stray_and_link(spare, elsewhere):
    """A stray file, and a page swapped for a link to a file elsewhere."""
    (spare / "finn/gammel.html").write_text("ikke lenger laget", "utf-8")
    (spare / "tilgjengelighet/index.html").unlink()
    (spare / "tilgjengelighet/index.html").symlink_to(elsewhere)


def _plant_other_bytes(spare, elsewhere):
    """A page of the same name with other bytes, a stray file in the search bundle, an empty folder."""
    page = spare / "planer/index.html"
    text = page.read_text("utf-8")
    page.unlink()  # a new file, not the live one written through
    page.write_text(text.replace("</title>", " (endret)</title>"), "utf-8")
    (spare / "pagefind/fremmed.js").write_text("alert(1)", "utf-8")
    (spare / "program/tom").mkdir()


def test_an_edit_moves_whole_unchanged_folders_in_from_the_spare_yet_publishes_a_full_builds_bytes(
        tmp_path, monkeypatch):
    """With a spare (a copy of the live output), an edit's unchanged folders (the plans, another district's
    translations, the search bundle kept as it is) are the spare's own, moved in one step each instead of
    linked file by file. A spare folder that is not the live one as it stands (a stray file, a page with
    other bytes, an empty folder, a link) is not moved; what is published is a full build's bytes, and
    the replaced output becomes a spare that copies it again."""
    from hub.pipeline.incremental import published
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    spare = tmp_path / ".knutepunkt-cache/site/spare"
    (tmp_path / "annet.html").write_text("utenfor", "utf-8")
    build(content, out)
    plants = {2: _plant_stray_and_link, 3: _plant_other_bytes}
    for n in range(4):
        if n in plants:
            plants[n](spare, tmp_path / "annet.html")
        folders = {rel: (spare / rel).stat().st_ino for rel in ("planer", "pagefind", "en/konnerud")} if n else {}
        _edit(content / "districts/bragernes/index.md", "", f"Endring {n}. ")
        assert build(content, out).rebuilt == {"bragernes"}
        moved = {rel: (out / rel).stat().st_ino == ino for rel, ino in folders.items()}
        assert moved == {rel: n != 3 or rel == "en/konnerud" for rel in folders}  # moved, unless tampered with
        full = build(content, tmp_path / f"full{n}", reuse=False)
        assert full.rebuilt is None
        assert tree_digest(out) == tree_digest(tmp_path / f"full{n}")
        assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_dir()) == sorted(
            p.relative_to(tmp_path / f"full{n}") for p in (tmp_path / f"full{n}").rglob("*") if p.is_dir())
        assert not any(p.is_symlink() for p in out.rglob("*"))
        assert published(spare) == published(out) and tree_digest(spare) == tree_digest(out)
    assert (tmp_path / "annet.html").read_text("utf-8") == "utenfor"


def test_a_build_that_fails_after_the_spare_lent_leaves_the_site_and_the_next_build_whole(tmp_path, monkeypatch):
    """A build that stops after moving folders from the spare (here: the search fails) publishes nothing
    and takes nothing from the live site, even where a folder of the spare is a link into it; the next
    build publishes a full build's bytes."""
    from hub.pipeline import steps
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    spare = tmp_path / ".knutepunkt-cache/site/spare"
    build(content, out)
    _edit(content / "districts/bragernes/index.md", "", "Endring. ")
    build(content, out)  # the first edit makes the spare
    shutil.rmtree(spare / "en")
    (spare / "en").symlink_to(out / "en")  # the live translations, one folder up
    before = tree_digest(out)
    _edit(content / "districts/bragernes/index.md", "", "Endring igjen. ")
    lent: list[str] = []
    render = steps.render

    def rendering(portal, plan, staging, out, theme, jobs, progress, admin, spare):
        count = render(portal, plan, staging, out, theme, jobs, progress, admin, spare)
        lent.extend(sorted(spare().lent) if spare() else [])
        return count

    def failing(*args, **kwargs):
        raise RuntimeError("søket feilet")

    with monkeypatch.context() as m:
        m.setattr(steps, "render", rendering)
        m.setattr(steps, "index", failing)
        with pytest.raises(RuntimeError, match="søket feilet"):
            build(content, out)
    assert "planer" in lent and not any(rel.startswith("en/") for rel in lent)  # it had lent, not through the link
    assert tree_digest(out) == before
    assert build(content, out).rebuilt == {"bragernes"}
    build(content, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_a_spare_holding_a_link_or_a_name_the_site_lacks_is_not_built_on(tmp_path, monkeypatch):
    """The spare gives the new site the unchanged districts as they are: one with a link planted in it
    (a web server would follow it), a top-level name the live site lacks, or an empty folder planted in
    a lent folder of both, and the build links from the live site instead, where a link planted is left
    behind too. What is published is a full build's bytes and folders, with no link, and nothing a link
    leads to is touched."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    spare = tmp_path / ".knutepunkt-cache/site/spare"
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("hemmelig", "utf-8")
    build(content, out)
    _edit(content / "districts/bragernes/index.md", "", "Endring. ")
    build(content, out)  # the first edit makes the spare
    for n, plant in enumerate((lambda: [(root / "konnerud/lenke.html").symlink_to(secret) for root in (out, spare)],
                               lambda: (spare / "fremmed.html").write_text("fremmed", "utf-8"),
                               lambda: [(root / "planer/tom").mkdir() for root in (out, spare)])):
        plant()
        _edit(content / "districts/bragernes/index.md", "", f"Endring {n}. ")
        assert build(content, out).rebuilt == {"bragernes"}
        full = tmp_path / f"full{n}"
        build(content, full, reuse=False)
        assert tree_digest(out) == tree_digest(full), n
        assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_dir()) == sorted(
            p.relative_to(full) for p in full.rglob("*") if p.is_dir()), n
        assert not any(p.is_symlink() for p in out.rglob("*")) and secret.read_text("utf-8") == "hemmelig"


def test_a_district_folder_the_published_site_lost_or_holds_as_a_link_is_made_again_by_the_next_build(
        tmp_path, monkeypatch):
    """The published output is not trusted to hold every district. One deleted (by hand, or a CI step),
    one a translation's folder deleted, one swapped for a link to a copy elsewhere whose search bundle
    was tampered with: the next edit, of another district, makes each of them again, search bundle
    included. With nothing edited since, a district folder deleted is made again too (the build does
    not take the output for unchanged). On the next Monday, which lends the text pages of districts
    whose files are unchanged, a district swapped for a link to a copy whose text page was tampered
    with lends none through it; the day after, a language folder swapped for a link makes its
    districts' translations again, and a link planted among a translation's pages (or the finder's, or
    for a kind's all-districts page) makes them again rather than lend it. Each build publishes a full build's bytes and
    folders, with no link; what the links led to is untouched."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out)
    _edit(content / "districts/bragernes/index.md", "", "Endring. ")
    build(content, out)  # the first edit makes the spare
    was: dict = {}  # where a link led → its files then

    def linked(rel: str, tamper: str) -> None:
        """``out/rel`` moved elsewhere, a link to it in its place, and one of its files given other bytes."""
        elsewhere = tmp_path / f"elsewhere{len(was)}" / rel
        elsewhere.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(out / rel, elsewhere)
        (out / rel).symlink_to(elsewhere, target_is_directory=True)
        victim = sorted(elsewhere.glob(tamper))[0]
        victim.write_bytes(victim.read_bytes()[::-1])
        was[elsewhere] = tree_digest(elsewhere)

    def same_as_full(n: int) -> None:
        full = tmp_path / f"full{n}"
        build(content, full, reuse=False)
        assert tree_digest(out) == tree_digest(full), n
        assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_dir()) == sorted(
            p.relative_to(full) for p in full.rglob("*") if p.is_dir()), n
        assert not any(p.is_symlink() for p in out.rglob("*")), n

    for n, (damage, district) in enumerate(((lambda: shutil.rmtree(out / "gulskogen"), "gulskogen"),
                                            (lambda: shutil.rmtree(out / "en/konnerud"), "konnerud"),
                                            (lambda: linked("fjell", "pagefind/fragment/*"), "fjell"))):
        damage()
        _edit(content / "districts/bragernes/index.md", "", f"Endring {n}. ")
        assert build(content, out).rebuilt == {"bragernes", district}, n
        same_as_full(n)
    shutil.rmtree(out / "gulskogen")  # with nothing edited since, by the command line as in CI
    run = subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(content), "--out", str(out)],
                         capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert run.returncode == 0 and "kommunedeler: gulskogen;" in run.stdout, run.stdout + run.stderr
    same_as_full(3)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 7 * 86400))  # the next Monday: text pages are lent
    linked("fjell", "medvirkning/index.html")
    assert "fjell" in build(content, out).rebuilt
    same_as_full(4)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 8 * 86400))
    linked("pl", "konnerud/index.html")
    assert {"bragernes", "konnerud"} <= build(content, out).rebuilt
    same_as_full(5)
    secret = tmp_path / "hemmelig.html"  # a link planted among a translation's pages and the finder's
    secret.write_text("hemmelig", "utf-8")
    (out / "tjenester/helsestasjon/index.html").unlink()  # and a kind's all-districts page swapped for one
    for planted in (out / "en/konnerud/lenke.html", out / "finn/lenke.html", out / "tjenester/helsestasjon/index.html"):
        planted.symlink_to(secret)
    _edit(content / "districts/bragernes/index.md", "", "Endring 6. ")
    assert build(content, out).rebuilt == {"bragernes", "konnerud"}
    same_as_full(6)
    assert was and all(tree_digest(elsewhere) == digest for elsewhere, digest in was.items())
    assert secret.read_text("utf-8") == "hemmelig"


def test_a_build_that_finds_nothing_changed_loads_no_flask(tree, tmp_path):
    out = tmp_path / "site"
    assert cli("build", "--content", str(tree.root), "--out", str(out), "--no-search").returncode == 0
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    probe = ("import runpy, sys\nsys.argv = ['knutepunkt', 'build', '--content', sys.argv[1], '--out', sys.argv[2], "
             "'--no-search']\ntry:\n    runpy.run_module('hub', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('flask', 'jinja2', 'pydantic', 'markdown') if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", probe, str(tree.root), str(out)], capture_output=True, text=True, env=env)
    assert "Ingen endringer" in r.stdout and r.stdout.strip().endswith("[]"), r.stdout + r.stderr


def test_a_build_that_makes_a_district_again_reads_its_share_card_back_without_pillow(tree, tmp_path):
    """A district's share card is kept while all of the district but its texts is: a night that makes
    the district's pages again (the next Monday: a new week of hours), or an edit of a service's text,
    reads the card back without importing what draws it (Pillow, 0.05 s); a new hub name draws it."""
    out = tmp_path / "site"
    probe = ("import runpy, sys\nsys.argv = ['knutepunkt', 'build', '--content', sys.argv[1], '--out', sys.argv[2], "
             "'--no-search', '-j', '1']\ntry:\n    runpy.run_module('hub', run_name='__main__')\nexcept SystemExit:\n"
             "    pass\nprint(sorted(m for m in ('PIL', 'hub.exports.sharecard') if m in sys.modules))\n")

    def build(day: int) -> str:
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EPOCH) + day * 86400)}
        r = subprocess.run([sys.executable, "-c", probe, str(tree.root), str(out)], capture_output=True, text=True,
                           env=env)
        assert r.returncode == 0 and ("kommunedeler: nordby" in r.stdout or day == 0), r.stdout + r.stderr
        return r.stdout.strip().splitlines()[-1]

    assert build(0) == "['PIL', 'hub.exports.sharecard']"  # drawn
    card = (out / "nordby/deling.png").read_bytes()
    assert build(7) == "[]" and (out / "nordby/deling.png").read_bytes() == card  # read back, the same
    assert "deling.png" in (out / "nordby/index.html").read_text("utf-8")
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8") + "\nNy tekst.\n", "utf-8")
    assert build(7) == "[]" and (out / "nordby/deling.png").read_bytes() == card
    config = tree.root / "districts/nordby/district.yaml"
    config.write_text(config.read_text("utf-8").replace("name: Nordby knutepunkt", "name: Nordbyhuset"), "utf-8")
    assert build(7) == "['PIL', 'hub.exports.sharecard']" and (out / "nordby/deling.png").read_bytes() != card


AREAS = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"district": "nordby"},
          "geometry": {"type": "Polygon", "coordinates": [[[10.19, 59.73], [10.22, 59.73], [10.22, 59.75], [10.19, 59.73]]]}}]}
PLAN_WITH_AREA = """---
title: Torget
summary: Nytt torg.
plan_id: 3000-2026001
type: 35
status: 2
steps:
  - step: oppstart
    date: 2026-05-04
area: {type: Polygon, coordinates: [[[10.200, 59.740], [10.204, 59.740], [10.204, 59.742], [10.200, 59.740]]]}
---
Om planen.
"""


def test_a_build_after_one_that_checked_the_same_areas_imports_no_geometry_library(tree, tmp_path):
    """Checking the district areas and the plan areas takes shapely, NumPy and pyproj, 0.1 s of an edit
    at 220 districts to import. A build keeps what it found (hub.content.geo): the next build of the
    same areas needs none of them (unless it draws a plan's map), and makes the same site; an area it has
    not seen is checked, and so is a hub moved (measured against the areas as a plan area is)."""
    hub = "  coordinates: {lat: 59.74, lon: 10.20}\n  hours:\n"
    tree.write("districts/nordby/district.yaml", DISTRICT.replace("  hours:\n", hub, 1))
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("Nordby", "Sørby").replace("  hours:\n", hub, 1))
    tree.write("districts/sorby/services/helsestasjon.md", SERVICE)
    tree.write("districts.geojson", json.dumps(AREAS))
    tree.write("districts/nordby/planer/torget.md", PLAN_WITH_AREA)
    out = tmp_path / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    probe = ("import runpy, sys\nsys.argv = ['knutepunkt', 'build', '--content', sys.argv[1], '--out', sys.argv[2], "
             "'--no-search']\ntry:\n    runpy.run_module('hub', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('shapely', 'numpy', 'pyproj') if m in sys.modules))\n")

    def build(where: Path = out) -> str:
        r = subprocess.run([sys.executable, "-c", probe, str(tree.root), str(where)], capture_output=True, text=True,
                           env=env)
        assert r.returncode == 0 and "Bygget" in r.stdout, r.stdout + r.stderr
        return r.stdout.strip().splitlines()[-1]

    assert build() == "['numpy', 'pyproj', 'shapely']"
    service = tree.root / "districts/sorby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8") + "\nNy tekst.\n", "utf-8")
    assert build() == "[]"
    assert build(tmp_path / "full") == "['numpy', 'pyproj', 'shapely']"  # a cache of its own: checked
    assert tree_digest(out) == tree_digest(tmp_path / "full")
    plan = tree.root / "districts/nordby/planer/torget.md"
    plan.write_text(plan.read_text("utf-8").replace("[10.204, 59.742]", "[10.205, 59.742]"), "utf-8")
    assert build() == "['numpy', 'pyproj', 'shapely']"  # a new area
    sorby = tree.root / "districts/sorby/district.yaml"
    sorby.write_text(sorby.read_text("utf-8").replace("lat: 59.74", "lat: 59.745"), "utf-8")
    assert build() == "['numpy', 'pyproj', 'shapely']"  # a hub moved
    plan.write_text(plan.read_text("utf-8").replace("[10.205, 59.742], [10.200, 59.740]",
                                                    "[10.200, 59.742], [10.204, 59.742], [10.200, 59.740]"), "utf-8")
    r = subprocess.run([sys.executable, "-c", probe, str(tree.root), str(out)], capture_output=True, text=True, env=env)
    assert "torget.md:10: area: ugyldig flate: kanten krysser seg selv" in r.stderr, r.stdout + r.stderr


def test_a_district_edit_makes_again_only_that_districts_pieces_of_the_open_data(tree, tmp_path):
    """The one door in's catalogue (CPSV-AP-NO) and manifest are put together from each district's piece,
    kept between builds: an edit in one district makes its pieces again and reads the others' back."""
    from hub.pipeline.steps import build

    tree.write("districts/sorby/district.yaml", DISTRICT.replace("Nordby", "Sørby"))
    tree.write("districts/sorby/services/helsestasjon.md", SERVICE)
    out = tmp_path / "site"
    build(tree.root, out)
    pieces = tmp_path / ".knutepunkt-cache/site/fragments"

    def kept(name: str, slug: str) -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in (pieces / name).glob(f"{slug}.*")}

    before = {(n, s): kept(n, s) for n in ("cpsv", "manifest") for s in ("nordby", "sorby")}
    assert all(before.values())
    service = tree.root / "districts/sorby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8").replace("category: helse", "category: helse\nlanguages: [en]"), "utf-8")
    build(tree.root, out)
    for name in ("cpsv", "manifest"):
        assert kept(name, "nordby") == before[(name, "nordby")], name  # read back, not made again
        assert kept(name, "sorby") and kept(name, "sorby").keys() != before[(name, "sorby")].keys(), name
    build(tree.root, tmp_path / "full", reuse=False)
    for file in ("apne-data/tjenester.ttl", "apne-data/portal.json"):
        assert (out / file).read_bytes() == (tmp_path / "full" / file).read_bytes(), file
    assert '"languages":["en"]' in (out / "apne-data/portal.json").read_text("utf-8")


def test_the_district_map_is_drawn_once_and_again_only_when_a_hub_moves(tree, tmp_path):
    """Every district's front page shows the map of all hubs; placing their labels is the slow part
    at a region's scale, so a build keeps the drawing and an edit elsewhere reads it back."""
    from hub.pipeline.steps import build

    tree.write("districts/nordby/district.yaml", DISTRICT.replace("  hours:\n", "  coordinates: {lat: 59.74, lon: 10.20}\n  hours:\n", 1))
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("Nordby", "Sørby").replace(
        "  hours:\n", "  coordinates: {lat: 59.70, lon: 10.25}\n  hours:\n", 1))
    out = tmp_path / "site"
    build(tree.root, out, search=False)
    maps = tmp_path / ".knutepunkt-cache/site/fragments/map"

    def kept() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in maps.iterdir()}

    drawn = kept()
    assert len(drawn) == 1
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    service.write_text(service.read_text("utf-8") + "\nNy tekst.\n", "utf-8")
    build(tree.root, out, search=False)
    assert kept() == drawn  # read back, not drawn again
    district = tree.root / "districts/sorby/district.yaml"
    district.write_text(district.read_text("utf-8").replace("lat: 59.70", "lat: 59.60"), "utf-8")
    build(tree.root, out, search=False)
    assert len(kept()) == 1 and kept().keys() != drawn.keys()  # the hub moved: drawn again, the old one gone
    forget_map_labels()
    build(tree.root, tmp_path / "full", reuse=False, search=False)
    for page in ("nordby/index.html", "sorby/index.html"):
        assert (out / page).read_bytes() == (tmp_path / "full" / page).read_bytes(), page
        assert "<svg" in (out / page).read_text("utf-8")


def test_what_publishing_replaced_is_deleted_after_the_build_and_nothing_else(tree, tmp_path):
    """A build moves the output it replaced (and its spare copy) aside in one rename each, and a
    background process deletes them: the build does not wait for tens of thousands of deletions."""
    from hub.pipeline.steps import build

    out = tmp_path / "site"
    build(tree.root, out)
    trash = tmp_path / ".knutepunkt-cache/trash"
    outside = tmp_path / "keep.txt"
    outside.write_text("mine", "utf-8")
    trash.mkdir(parents=True, exist_ok=True)
    (trash / "a-link").symlink_to(outside)  # a link in the trash is removed, never followed
    for n in range(3):
        (tree.root / "districts/nordby/services/helsestasjon.md").write_text(SERVICE + f"\nEndring {n}.\n", "utf-8")
        build(tree.root, out)
        assert f"Endring {n}" in (out / "nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    deadline = time.monotonic() + 60
    while any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(trash.iterdir())
    assert outside.read_text("utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".knutepunkt-cache", "content", "keep.txt", "site"]
    assert build(tree.root, tmp_path / "full", reuse=False) and tree_digest(out) == tree_digest(tmp_path / "full")


def test_an_edit_the_front_pages_do_not_show_leaves_them_and_one_they_show_makes_them_again(tmp_path, monkeypatch):
    """The one door in's front page, programme, services A–Å, plans, finder pages, open data, the
    all-districts page of a service and the files around them are made again only when what they show
    moves: a service's text does not; a drop-in time does (programme, this week's list, the manifest's
    programme), a plan's title (the plans, the manifest's plans), and a street (the finder's pages)."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out)
    fronts = ["index.html", "program/index.html", "tjenester/index.html", "planer/index.html",
              "planer/kommunedel/bragernes/index.html", "apne-data/planer.json", "finn/index.html",
              "finn/steder.json", "404.html", "tilgjengelighet/index.html", "deling.png", "apne-data/tjenester.ttl",
              "apne-data/portal.json", "apne-data/hsds.json", "apne-data/services.csv", "tjenester/bibliotek/index.html"]

    def inodes() -> dict[str, int]:
        return {f: (out / f).stat().st_ino for f in fronts}

    before = inodes()
    _edit(content / "districts/bragernes/services/bibliotek.md", "\n---\n", "\n---\nNye bøker hver uke. ")
    build(content, out)
    assert inodes() == before  # the previous files, not made again
    assert "Nye bøker hver uke" in (out / "bragernes/tjenester/bibliotek/index.html").read_text("utf-8")
    _edit(content / "districts/bragernes/programme/helsestasjon-drop-in.md", 'start: "12:00"', 'start: "11:30"')
    build(content, out)
    moved = inodes()
    assert moved["program/index.html"] != before["program/index.html"]
    assert moved["apne-data/portal.json"] != before["apne-data/portal.json"]
    assert moved["tjenester/index.html"] == before["tjenester/index.html"]
    assert moved["tjenester/bibliotek/index.html"] == before["tjenester/bibliotek/index.html"]
    assert moved["planer/index.html"] == before["planer/index.html"]
    _edit(content / "districts/bragernes/planer/bragernes-kvartal.md", "title: ", "title: Ny ")
    build(content, out)
    assert all(inodes()[f] != moved[f] for f in fronts if f.startswith(("planer", "apne-data")))
    assert "Ny Detaljregulering" in (out / "planer/kommunedel/bragernes/index.html").read_text("utf-8")
    moved = inodes()
    _edit(content / "districts/konnerud/streets.yaml", "streets:\n", "streets:\n- {name: Nyveien, postcode: '3045'}\n")
    build(content, out)
    assert inodes()["finn/index.html"] != moved["finn/index.html"] and "Nyveien" in (out / "finn/n/index.html").read_text()
    assert all(inodes()[f] == moved[f] for f in ("404.html", "tilgjengelighet/index.html", "deling.png"))
    build(content, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_the_open_data_are_made_again_when_what_they_read_of_the_days_ahead_changes(tree, monkeypatch):
    """The open data write the public holidays ahead as the installed ``holidays`` names them, and times in
    the zone's rules: a new release of either moves them (and them alone of the front groups), an edit
    of a text or not."""
    from hub.content.loader import load
    from hub.pipeline import incremental
    from hub.site import daily

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    portal = load(tree.root)
    now = incremental.inputs_for(tree.root, "default", search=False, district=None)
    before = incremental.Digests.of(portal, now).fronts
    monkeypatch.setattr(daily, "export_facts", lambda portal: "holidays of another release")
    after = incremental.Digests.of(portal, now).fronts
    assert {group for group in before if before[group] != after[group]} == {"opendata"}


PLAN = """
---
title: Detaljregulering for Nytorget
summary: Et lite torg.
plan_id: 3301-EKS2026099
type: 35
status: 2
steps:
  - {step: horing, from: 2026-11-04, to: 2026-12-16}
contact: {name: Ola Planlegger, email: ola.planlegger@example.no}
respond: {email: postmottak@example.no}
---
Tekst.
"""


def test_the_first_plan_and_the_last_one_change_every_pages_menu(tree, tmp_path):
    """Every page's menu and head link to the plans once the portal has one: adding the first plan, or
    removing the last, is shown on pages no digest of theirs names (services A–Å, a kind's page)."""
    from hub.pipeline.steps import build

    out = tmp_path / "site"
    build(tree.root, out, search=False)
    assert "planer/index.html" not in (out / "tjenester/index.html").read_text("utf-8")
    plan = tree.write("districts/nordby/planer/nytorget.md", PLAN)
    build(tree.root, out, search=False)
    for page in ("tjenester/index.html", "tjenester/helsestasjon/index.html", "program/index.html"):
        assert "planer/index.html" in (out / page).read_text("utf-8"), page
    build(tree.root, tmp_path / "full", search=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")
    plan.unlink()
    build(tree.root, out, search=False)
    build(tree.root, tmp_path / "full2", search=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full2")


def test_with_a_template_of_its_own_the_front_pages_are_made_every_build(tmp_path, monkeypatch):
    """What a municipality's own template shows is not known: its front pages are made again on any edit."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    (content / "theme/templates").mkdir(parents=True)
    (content / "theme/templates/index.html").write_text(
        '{% extends "base.html" %}{% block main %}{% for d in portal.districts %}{% for s in portal.services_of(d) %}'
        '{{ s.html|length }} {% endfor %}{% endfor %}{% endblock %}', "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out)
    _edit(content / "districts/bragernes/services/bibliotek.md", "\n---\n", "\n---\nNye bøker hver uke. ")
    build(content, out)
    build(content, tmp_path / "full", reuse=False)
    assert (out / "index.html").read_bytes() == (tmp_path / "full/index.html").read_bytes()


def test_with_a_template_of_its_own_a_district_page_another_districts_edit_moves_is_indexed_again(tmp_path,
                                                                                                   monkeypatch):
    """The default templates keep what a page shows of other districts out of the search; a template
    of the site's own may index it: the districts whose pages an edit elsewhere makes again are then
    made and indexed whole, and the search bundles are those of a full build."""
    from hub.pipeline.steps import build

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    service = (ROOT / "themes/default/templates/service.html").read_text("utf-8")
    assert 'aria-labelledby="else-h" data-pagefind-ignore>' in service
    (content / "theme/templates").mkdir(parents=True)
    (content / "theme/templates/service.html").write_text(
        service.replace('aria-labelledby="else-h" data-pagefind-ignore>', 'aria-labelledby="else-h">'), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out)
    _edit(content / "districts/fjell/district.yaml", "name: ", "name: Nye ")
    result = build(content, out)
    build(content, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")
    assert result.rebuilt is not None and {"fjell", "bragernes"} <= result.rebuilt  # still incremental


def test_a_folders_fingerprint_names_every_file_by_its_bytes_and_every_link_by_its_target(tmp_path):
    """What a build hashes before anything else (``incremental._tree``): files by content, a link by
    where it points (never followed, so a link to a large or secret tree costs and reveals nothing),
    without ``__pycache__`` or the folders it is told to skip."""
    import hashlib

    from hub.pipeline.incremental import _tree

    root = tmp_path / "content"
    (root / "districts/nordby/services").mkdir(parents=True)
    (root / "districts/nordby/services/helsestasjon.md").write_text("Vaksiner", "utf-8")
    (root / "site.yaml").write_text("name: X", "utf-8")
    (root / "__pycache__").mkdir()
    (root / "__pycache__/x.pyc").write_bytes(b"x")
    (root / "annet").mkdir()
    (root / "annet/fil.txt").write_text("hopp over", "utf-8")
    (root / "lenke").symlink_to("/etc")
    (root / "districts/nordby/kopi.md").symlink_to("services/helsestasjon.md")
    assert _tree(root, frozenset({str(root / "annet")})) == {
        "districts/nordby/services/helsestasjon.md": hashlib.sha256(b"Vaksiner").hexdigest(),
        "site.yaml": hashlib.sha256(b"name: X").hexdigest(),
        "lenke": "link:/etc",
        "districts/nordby/kopi.md": "link:services/helsestasjon.md",
    }
    assert _tree(tmp_path / "missing") == {}
