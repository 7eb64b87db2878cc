"""Spec: ``search_index: light`` — the one door in searches one small bundle over every page.

At 100 districts merging every district's bundle costs a first query hundreds of requests; the
light bundle holds each page's title, summary, keywords and filters, so the first query costs the
same at any size, and the district portals keep their full-text search.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import DISTRICT, EPOCH, SERVICE, serve, tree_digest
from playwright.sync_api import expect

from hub.pipeline.steps import build


@pytest.fixture
def light(tree, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    tree.write("site.yaml", (tree.root / "site.yaml").read_text("utf-8") + "search_index: light\n")
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("name: Nordby", "name: Sørby", 1))
    tree.write("districts/sorby/services/helsestasjon.md",
               SERVICE.replace("Helsestasjonen gir", "Helsestasjonen i Sørby har tannpuss-kurs og gir"))
    return tree


def test_the_root_bundle_holds_every_districts_pages_and_their_text_stays_out(light, tmp_path):
    out = tmp_path / "site"
    build(light.root, out)
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text("utf-8"))
    district_pages = sum(json.loads((out / d / "pagefind/pagefind-entry.json").read_text("utf-8"))
                         ["languages"]["nb"]["page_count"] for d in ("nordby", "sorby"))
    assert entry["languages"]["nb"]["page_count"] > district_pages  # plus the one door in's own pages
    assert "data-merge" not in (out / "sok/index.html").read_text("utf-8")
    assert "data-merge" not in (out / "sorby/sok/index.html").read_text("utf-8")
    assert not list(out.rglob(".key"))  # the records are kept in the cache, not in the output


def test_a_full_build_makes_the_light_bundle_again_though_its_records_are_the_same(light, tmp_path):
    """A full build (``--full``, or the first after an upgrade of Knutepunkt) keeps no bundle: other code
    made the published ones. A light bundle from a version that wrote Pagefind's stock interface into it
    stood through every full build while the records were the same."""
    out = tmp_path / "site"
    build(light.root, out)
    (out / "pagefind/pagefind-ui.js").write_text("// left by an earlier version\n", "utf-8")
    made = (out / "pagefind/pagefind-entry.json").stat().st_ino
    build(light.root, out, reuse=False)
    assert (out / "pagefind/pagefind-entry.json").stat().st_ino != made
    assert not (out / "pagefind/pagefind-ui.js").exists()
    build(light.root, tmp_path / "fresh")
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_an_incremental_light_build_equals_a_full_one(light, tmp_path):
    out = tmp_path / "site"
    build(light.root, out)
    light.write("districts/sorby/services/helsestasjon.md",
                SERVICE.replace("title: Helsestasjon", "title: Helsestasjon og jordmor"))
    records = tmp_path / ".knutepunkt-cache" / "site" / "records"
    before = set(records.rglob("*.html"))
    for record in before:
        os.utime(record, (0, 0))  # a record written again gets today's time
    assert build(light.root, out).rebuilt == frozenset({"sorby"})  # nordby carried over unchanged
    after = {p: p.stat().st_mtime for p in records.rglob("*.html")}
    assert after.keys() == before
    # Only the records whose page shows the new title are written again, not the rest of Sørby's.
    written = {p.relative_to(records).as_posix() for p in after if after[p] != 0}
    assert written == {"sorby/tjenester/helsestasjon/index.html"}
    build(light.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


@pytest.mark.parametrize("planted", [None, "not a fingerprint", "0" * 64, "link"])
def test_a_kept_districts_records_are_fingerprinted_by_the_fingerprint_kept_beside_them(light, tmp_path, planted):
    """An edit in Sørby reads Nordby's records' fingerprint back instead of its records. One that is
    not a fingerprint is made again from the records; a wrong one (the cache may hold files nobody
    here wrote) only makes the bundle be indexed again, never kept when its records changed; a link
    there is replaced, never written through."""
    from hub.pipeline.search import Records

    out = tmp_path / "site"
    build(light.root, out)
    records = tmp_path / ".knutepunkt-cache" / "site" / "records"
    kept = records / "nordby" / Records.DIGEST
    made = kept.read_text("utf-8")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("mine", "utf-8")
    if planted == "link":
        kept.unlink()
        kept.symlink_to(elsewhere)
    elif planted is not None:
        kept.write_text(planted, "utf-8")
    light.write("districts/sorby/services/helsestasjon.md",
                SERVICE.replace("title: Helsestasjon", "title: Helsestasjon og jordmor"))
    assert build(light.root, out).rebuilt == frozenset({"sorby"})
    assert kept.read_text("utf-8") == (planted if planted == "0" * 64 else made)
    assert not kept.is_symlink() and elsewhere.read_text("utf-8") == "mine"
    assert "jordmor" in (out / "sorby/tjenester/helsestasjon/index.html").read_text("utf-8")
    build(light.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


@pytest.mark.parametrize("where, edit", [("in the folders", "title"), ("in the folders", "text"),
                                         ("in the folders, no fingerprints", "text"), ("for the folder", "title")])
def test_pipes_and_links_planted_among_the_kept_records_neither_stop_the_build_nor_reach_the_search(
        light, tmp_path, where, edit):
    """Pagefind reads every file of the records, kept or made: a pipe there would never end, a link
    would index a file from elsewhere. A restored cache may hold both, in a district carried over
    (its key still right) and in the one edited, or a link for the whole folder. The next build, a
    process of its own as in CI, removes them (never what they point to) and publishes what a full
    build does: at once where it writes records, in a kept district before Pagefind reads it (an edit
    of a page's title; one of its text changes no record, and the bundle is kept as it is, unless a
    kept district's fingerprint of its records is gone: then its records would be read)."""
    from hub.pipeline.search import Records

    out = tmp_path / "site"
    build(light.root, out)
    records = tmp_path / ".knutepunkt-cache" / "site" / "records"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "index.html"
    secret.write_text('<html lang="nb"><body><main data-pagefind-body><h1>Hemmelighet</h1></main></body></html>')
    if where == "for the folder":
        shutil.copytree(records, elsewhere / "records")
        shutil.rmtree(records)
        records.symlink_to(elsewhere / "records")
    else:
        for district in ("nordby", "sorby"):
            (records / district / "hemmelig").mkdir()
            (records / district / "hemmelig/index.html").symlink_to(secret)
            (records / district / "mappe").symlink_to(elsewhere)
            (records / district / "ror").mkdir()
            os.mkfifo(records / district / "ror/index.html")
            if "no fingerprints" in where:
                (records / district / Records.DIGEST).unlink()
        (records / "utenfor").symlink_to(elsewhere)
    before = tree_digest(elsewhere)
    light.write("districts/sorby/services/helsestasjon.md",
                SERVICE.replace("title: Helsestasjon", "title: Helsestasjon og jordmor") if edit == "title"
                else SERVICE + "\nNå også på lørdager.\n")
    run = subprocess.Popen([sys.executable, "-m", "hub", "build", "--out", "site", "-j", "1"], cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = run.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # Pagefind too, left waiting on the pipe
        run.communicate()
        pytest.fail("the build never ended")
    assert run.returncode == 0, err
    assert tree_digest(elsewhere) == before  # neither emptied nor written through
    assert not records.is_symlink()
    cleaned = records if edit == "title" else records / "sorby"
    assert all((p.is_dir() or p.is_file()) and not p.is_symlink() for p in cleaned.rglob("*"))
    build(light.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_a_page_taken_away_takes_its_light_record_with_it(light, tmp_path):
    out = tmp_path / "site"
    build(light.root, out)
    records = tmp_path / ".knutepunkt-cache" / "site" / "records"
    assert (records / "sorby/tjenester/helsestasjon/index.html").is_file()
    (light.root / "districts/sorby/services/helsestasjon.md").unlink()
    build(light.root, out)
    assert not (records / "sorby/tjenester/helsestasjon").exists()  # the record and its folder
    assert (records / "sorby/index.html").is_file() and (records / "nordby/tjenester/helsestasjon/index.html").is_file()
    build(light.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def _fragments(out):
    return {p.name: p for p in (out / "pagefind/fragment").iterdir()}


def _url(fragment) -> str:
    return json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])["url"]


def test_an_edit_reindexes_the_one_door_in_with_the_unchanged_pages_fragments_as_they_were(light, tmp_path):
    out = tmp_path / "site"
    build(light.root, out)
    inodes = {name: f.stat().st_ino for name, f in _fragments(out).items()}
    light.write("districts/sorby/services/helsestasjon.md",
                SERVICE.replace("title: Helsestasjon", "title: Helsestasjon og jordmor"))
    build(light.root, out)
    after = _fragments(out)
    kept = {name for name, f in after.items() if inodes.get(name) == f.stat().st_ino}
    assert len(kept) == len(after) - 1  # only the edited page's fragment is a new file
    assert [_url(f) for name, f in after.items() if name not in kept] == ["/sorby/tjenester/helsestasjon/"]
    build(light.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_a_lent_fragment_that_is_another_page_under_a_changed_pages_name_is_not_kept(light, tmp_path):
    """Pagefind's names are seven hex digits: an edited page may get the name of an old fragment of
    another page, and Pagefind does not write a fragment whose file exists. Made here on purpose."""
    out = tmp_path / "site"
    build(light.root, out)
    light.write("districts/sorby/services/helsestasjon.md",
                SERVICE.replace("title: Helsestasjon", "title: Helsestasjon og jordmor"))
    build(light.root, tmp_path / "full", reuse=False)  # what the edited content indexes to
    new = set(_fragments(tmp_path / "full")) - set(_fragments(out))
    assert len(new) == 1
    other = next(f for f in _fragments(out).values() if _url(f) == "/nordby/tjenester/helsestasjon/")
    (out / "pagefind/fragment" / new.pop()).write_bytes(other.read_bytes())  # the collision
    build(light.root, out)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


@pytest.mark.browser
def test_the_one_door_in_finds_every_district_in_a_few_requests_and_districts_keep_full_text(
        browser, light, tmp_path):
    out = tmp_path / "site"
    build(light.root, out)
    url, server = serve(out)
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(url + "/sok/?q=helsestasjon")
    expect(page.locator(".search-results li")).to_have_count(3)  # both districts' pages and the kind page
    assert not [u for u in fetched if "/nordby/pagefind/" in u or "/sorby/pagefind/" in u]
    assert len([u for u in fetched if "/pagefind/" in u]) < 30
    page.select_option("#filter-district", "Sørby")
    expect(page.locator(".search-results li")).to_have_count(1)
    expect(page.locator(".search-results h2 a")).to_have_attribute("href", "/sorby/tjenester/helsestasjon/")
    page.goto(url + "/sok/?q=tannpuss")  # body text: not in the light bundle …
    expect(page.locator(".search-status")).to_contain_text("Ingen treff")
    page.goto(url + "/sorby/sok/?q=tannpuss")  # … but the district's own search has it
    expect(page.locator(".search-results li")).to_have_count(1)
    page.close()
    server.shutdown()


def _about_sorby(light):
    """Sørby with an area and a hub of their own names, and a NAV service the front page lists."""
    light.write("districts/sorby/district.yaml", DISTRICT.replace("name: Nordby", "name: Sørby", 1)
                .replace("name: Nordby knutepunkt", "name: Sørbyhallen") + "areas: [Vestbyen]\n")
    light.write("districts/sorby/services/nav.md", "---\ntitle: NAV-veiledning\nservice: nav-veiledning\n"
                "category: helse\nsummary: Veiledning om arbeid.\nkeywords: [jobb, stønad]\n---\nTa med legitimasjon.\n")


def test_a_light_record_keeps_what_the_page_is_about_and_not_the_lists_on_it(light, tmp_path):
    _about_sorby(light)
    build(light.root, tmp_path / "site")
    records = tmp_path / ".knutepunkt-cache" / "site" / "records" / "sorby"
    home = (records / "index.html").read_text("utf-8")
    assert "Vestbyen" in home and "Sørbyhallen" in home  # found by its areas and hub …
    assert "NAV-veiledning" not in home  # … not by the services it lists
    service = (records / "tjenester/nav/index.html").read_text("utf-8")
    assert 'data-pagefind-weight="5" data-pagefind-meta="about">jobb stønad nav veiledning</p>' in service
    assert 'data-pagefind-weight="0.5"' not in service  # no compound-word list


@pytest.mark.browser
def test_the_light_one_door_in_finds_a_district_by_its_area_and_hub_and_a_service_by_its_keywords(
        browser, light, tmp_path):
    _about_sorby(light)
    out = tmp_path / "site"
    build(light.root, out)
    url, server = serve(out)
    page = browser.new_page()
    for query, first in (("vestbyen", "/sorby/"), ("sørbyhallen", "/sorby/"),
                         ("jobb", "/tjenester/nav-veiledning/|/sorby/tjenester/nav/")):  # the service, either page
        page.goto(f"{url}/sok/?q={query}")
        expect(page.locator("#search")).to_have_attribute("aria-busy", "false", timeout=15000)
        expect(page.locator(".search-results h2 a").first).to_have_attribute("href", re.compile(f"^({first})$"))
    page.close()
    server.shutdown()


@pytest.mark.parametrize("setting, districts, light_search", [
    (None, 19, False), (None, 20, True),  # the default, auto: merged below 20 districts, light from 20
    ("merged", 40, False), ("light", 2, True),  # a setting of its own wins
])
def test_the_default_chooses_light_from_twenty_districts(tree, setting, districts, light_search):
    import dataclasses

    from hub.content.loader import load

    if setting:
        tree.write("site.yaml", (tree.root / "site.yaml").read_text("utf-8") + f"search_index: {setting}\n")
    portal = load(tree.root)
    many = dataclasses.replace(portal, districts=(portal.districts * districts)[:districts])
    assert many.light_search is light_search


def test_a_folders_pages_are_listed_as_os_walk_lists_them_whatever_links_it_holds(tmp_path):
    """The pages the search reads and compares: every ``.html`` file, top down, each folder's files
    before its folders, sorted; never inside a search bundle (at any depth) or a folder skipped at the
    top; a link to a folder not gone into nor counted; a broken link, or a link in a loop, counted as
    os.walk counts it (a file), not an error that stops the build."""
    from hub.pipeline.search import BUNDLE, _page_names

    site = tmp_path / "site"
    for rel in ("index.html", "b/index.html", "a/index.html", "a/c/index.html", "a/notes.txt",
                f"{BUNDLE}/x.html", f"a/{BUNDLE}/y.html", "en/index.html", "a/z.html/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<html></html>", "utf-8")
    (site / "to-a").symlink_to(site / "a", target_is_directory=True)
    (site / "broken.html").symlink_to(tmp_path / "nowhere.html")
    (site / "a/loop.html").symlink_to(site / "a/loop.html")

    def walked(skip: frozenset[str]) -> list[str]:
        found = []
        for dirpath, dirs, files in os.walk(site):
            rel = os.path.relpath(dirpath, site)
            dirs[:] = sorted(d for d in dirs if d != BUNDLE and not (rel == "." and d in skip))
            found += [f if rel == "." else f"{rel}/{f}" for f in sorted(files) if f.endswith(".html")]
        return found

    for skip in (frozenset(), frozenset({"en"})):
        assert _page_names(site, skip) == walked(skip)
    assert _page_names(site) == ["broken.html", "index.html", "a/index.html", "a/loop.html", "a/c/index.html",
                                 "a/z.html/index.html", "b/index.html", "en/index.html"]
