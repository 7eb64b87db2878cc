"""Spec: one rule for every file the tool reads. Whatever a file holds — nested a thousand levels
deep, the wrong types, huge numbers, control characters, Markdown shaped to be slow — the answer is
``file:line: field: message`` (or a clean build), never a traceback, and never minutes of work.

Each reader gets a property-based test (hypothesis) that breaks a valid file in hostile ways.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import DISTRICT, EVENT, SERVICE, SITE
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from hub.cli import main
from hub.content.errors import ContentError, ContentErrors, ErrorLog
from hub.content.loader import load

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: file:line: field: message, or file: message (line 0 is left out, as ContentError prints it)
REPORTED = re.compile(r"^[^:\n]+(?::\d+)?: (?:[^:\n]+: )?\S")


def with_deep(text: str) -> str:
    """Put in the values nested DEEP<n>DEEP levels deep (written as text: the dumpers recurse too)."""
    return re.sub(r"'?DEEP(\d+)DEEP'?", lambda m: "[{\"a\": " * (int(m.group(1)) // 2) + "1"
                  + "}]" * (int(m.group(1)) // 2), text)


#: Values nobody should write, and some that attackers do.
HOSTILE_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30), st.floats(),
    st.dates(), st.text(max_size=30), st.binary(max_size=10).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["\x00", "\x1b[31m", "‮", "a" * 200_000, "=HYPERLINK(\"x\")", "<script>x</script>",
                     "09:00-16:00", "25:00-26:00", "stengt", "{{ 7*7 }}", "!!python/object:os.system", "~", ""]),
)
HOSTILE = st.one_of(
    st.recursive(HOSTILE_SCALARS, lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12),
    st.sampled_from([40, 400, 700, 990, 3000]).map(lambda depth: f"DEEP{depth}DEEP"),
)


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a YAML document: each key and list item, and the document itself."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths_of(v, (*prefix, i))
    return out


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: replaced(data[head], rest, value)}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


@st.composite
def broken_yaml(draw: st.DrawFn, valid: str) -> str:
    """A valid YAML text broken one hostile way: a value swapped, a key added, or its text cut into."""
    data = yaml.safe_load(valid)
    how = draw(st.sampled_from(["value", "key", "text"]))
    if how == "value":
        path = draw(st.sampled_from(paths_of(data)))
        return with_deep(yaml.safe_dump(replaced(data, path, draw(HOSTILE)), allow_unicode=True, width=10**6))
    if how == "key":
        return with_deep(yaml.safe_dump({**data, draw(st.text(min_size=1, max_size=10)): draw(HOSTILE)},
                                        allow_unicode=True, width=10**6))
    at = draw(st.integers(0, len(valid)))
    cut = draw(st.integers(0, 20))
    noise = draw(st.sampled_from(["", "\t", "&a ", "*a", "<<: *a", "!!python/object/apply:os.system ['x']", "[" * 300,
                                  "{" * 2000, "- " * 300, "\x00", "\ufeff", "'", ": :", "%YAML 1.1\n---\n"]))
    return valid[:at] + noise + valid[at + cut:]


def assert_reported(errors: list[ContentError], root: Path) -> None:
    assert errors, "a failure without a message"
    for e in errors:
        text = str(e)
        assert REPORTED.match(text) and "Traceback" not in text, text
        assert e.line >= 0 and not Path(e.path).is_absolute() or str(root) in e.path, text


class Content:
    """A small valid portal in a folder of its own, for hypothesis to break file by file."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="knutepunkt-hostile-")) / "content"
        self.files = {"site.yaml": SITE, "districts/nordby/district.yaml": DISTRICT,
                      "districts/nordby/services/helsestasjon.md": SERVICE,
                      "districts/nordby/programme/babytreff.md": EVENT,
                      "districts/nordby/streets.yaml": "streets:\n  - {name: Storgata, postcode: '3000'}\n",
                      "capacity.yaml": "services:\n  - {service: helsestasjon, status: open, updated: 2026-11-01}\n"}
        self.reset()

    def reset(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        for rel, text in self.files.items():
            self.write(rel, textwrap.dedent(text).lstrip("\n"))

    def write(self, rel: str, text: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))

    def loads_or_reports(self) -> None:
        """The one rule: a portal, or every error as file:line: field: message; nothing else."""
        with python_stack():
            try:
                load(self.root)
            except ContentErrors as exc:
                assert_reported(exc.errors, self.root)


@contextlib.contextmanager
def python_stack() -> Iterator[None]:
    """Python's own recursion limit, as the command has it (hypothesis raises it while it runs a test)."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@pytest.fixture(scope="module")
def content():
    c = Content()
    yield c
    shutil.rmtree(c.root.parent, ignore_errors=True)


def test_the_small_portal_is_valid_before_it_is_broken(content):
    content.reset()
    load(content.root)


# --- 8. YAML content files ----------------------------------------------------------------------

YAML_FILES = {"site.yaml": SITE, "districts/nordby/district.yaml": DISTRICT, "capacity.yaml":
              "services:\n  - {service: helsestasjon, status: open, updated: 2026-11-01}\n",
              "districts/nordby/streets.yaml": "streets:\n  - {name: Storgata, postcode: '3000'}\n"}


@pytest.mark.parametrize("rel", list(YAML_FILES))
def test_a_yaml_file_broken_in_any_way_is_reported_never_a_traceback(content, rel):
    @EXAMPLES
    @given(broken_yaml(textwrap.dedent(YAML_FILES[rel]).lstrip("\n")))
    @example(with_deep("name: x\naliases: DEEP700DEEP\n"))  # deeper than the reader's own recursion allows
    def check(text: str) -> None:
        content.reset()
        content.write(rel, text)
        content.loads_or_reports()

    check()


def test_yaml_nested_far_too_deep_names_the_file_and_line(content):
    content.reset()
    content.write("districts/nordby/district.yaml", DISTRICT + "aliases:\n" + "".join(
        "  " * i + "- \n" for i in range(1, 600)) + "  " * 600 + "- x\n")
    with pytest.raises(ContentErrors) as exc:
        load(content.root)
    assert any("district.yaml:" in str(e) and "nestet for dypt" in str(e) for e in exc.value.errors), exc.value.errors
    content.write("districts/nordby/district.yaml", DISTRICT + "aliases: " + "[" * 900 + "]" * 900 + "\n")
    with pytest.raises(ContentErrors) as exc:
        load(content.root)
    assert any("district.yaml:" in str(e) for e in exc.value.errors)


# --- 8. front matter and Markdown ------------------------------------------------------------------

MARKDOWN_PIECES = ["[", "]", "(", ")", "*", "_", "`", "<div>", "</div>", "> ", "- ", "1. ", "    ", "\n", "\n\n",
                   "# ", "|", "&amp;", "\\", "!", "a", " ", "=\n", "---\n", "[a]: http://x\n", "<!--", "-->", "\t",
                   "<script>", "![x](/media/x.png)", "[x](javascript:alert(1))"]


@st.composite
def hostile_markdown(draw: st.DrawFn) -> str:
    piece = st.sampled_from(MARKDOWN_PIECES)
    parts = draw(st.lists(st.tuples(piece, st.integers(1, 3000)), min_size=1, max_size=6))
    return "".join(p * n for p, n in parts)


@EXAMPLES
@given(front=broken_yaml(textwrap.dedent(SERVICE).split("---")[1].strip("\n") + "\n"), body=hostile_markdown())
def test_a_content_file_with_broken_front_matter_or_hostile_markdown_is_reported_never_a_traceback(front, body):
    content = Content()
    try:
        content.write("districts/nordby/services/helsestasjon.md", f"---\n{front}---\n{body}")
        content.loads_or_reports()
    finally:
        shutil.rmtree(content.root.parent, ignore_errors=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*MARKDOWN_PIECES, "<script>x</script>", "<a href=javascript:x>y</a>", "&nbsp;",
                                 "<img src=/media/a.png>", "<img src=https://t.example/p.gif>", "| a | b |\n|---|---|\n",
                                 "<table><td>x", "\u00a0", "é", "\n\n"]), max_size=40).map("".join))
def test_converted_markdown_is_already_what_the_sanitiser_leaves(text):
    """A stored parsed district is read back only if its HTML is (hub.content.stored): what the loader
    converts must pass that check, or every build would parse every district again."""
    from hub.content import markup

    assert markup.is_sanitised(markup.render(text))


# --- 8. GeoJSON ------------------------------------------------------------------------------------

VALID_GEOJSON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"district": "nordby"},
    "geometry": {"type": "Polygon", "coordinates": [[[10.0, 59.7], [10.1, 59.7], [10.1, 59.8], [10.0, 59.7]]]}}]}


@st.composite
def broken_geojson(draw: st.DrawFn) -> str:
    how = draw(st.sampled_from(["value", "text"]))
    if how == "value":
        path = draw(st.sampled_from(paths_of(VALID_GEOJSON)))
        return with_deep(json.dumps(replaced(VALID_GEOJSON, path, draw(HOSTILE)), allow_nan=True, default=str))
    text = json.dumps(VALID_GEOJSON)
    at = draw(st.integers(0, len(text)))
    noise = draw(st.sampled_from(["[" * 5000, "NaN", "Infinity", "1" * 5000, "\x00", '"', "{" * 40, "]", "1e999"]))
    return text[:at] + noise + text[at + draw(st.integers(0, 5)):]


@EXAMPLES
@given(text=broken_geojson())
def test_a_broken_geojson_file_is_reported_never_a_traceback(content, text):
    content.reset()
    content.write("districts.geojson", text)
    content.loads_or_reports()


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet='[]{}"\\a:,é\n', max_size=200) | st.builds(
    lambda a, b, c: a * "[" + b + c * "]", st.integers(0, 40), st.text(alphabet='[]{}"\\a', max_size=20),
    st.integers(0, 40)))
@example(text='"' + '\\"' * 20_000)  # a string never closed, with 20,000 escaped quotes: read once
@example(text='["x\\\\" [[ ]')  # an escaped backslash ends the string before the brackets
def test_json_nesting_is_counted_from_the_brackets_outside_strings(text):
    """A JSON file's depth is checked before it is parsed (a boundary file of 2 MB has 160,000
    brackets): the deepest level is that of its brackets one at a time, those in strings skipped (a
    string never closed runs to the end, where JSON stops reading too)."""
    from hub.content.source import _JSON_LEVELS, _deepest

    depth = deepest = 0
    for m in _JSON_LEVELS.finditer(text):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(m.group(), 0)
        deepest = max(deepest, depth)
    assert _deepest(text) == deepest


# --- 8. the address import (CSV) and its grunnkrets mapping ------------------------------------------

HEADER = "adressenavn;nummer;bokstav;postnummer;poststed;grunnkretsnummer;adressetype"
ROW = "Storgata;1;;3000;NORDBY;0101;vegadresse"
CELLS = st.one_of(st.text(max_size=12), st.sampled_from(
    ["²", "٣٠٠٠", "9" * 5000, "-1", "1.5", "\x00", '"', '"a;b"', "x" * 200_000, "0101", "3000", "\n", "=1+1"]))


@st.composite
def broken_csv(draw: st.DrawFn) -> str:
    rows = [ROW] * draw(st.integers(0, 3))
    for _ in range(draw(st.integers(1, 4))):
        cells = ROW.split(";")
        for i in draw(st.lists(st.integers(0, len(cells) - 1), max_size=3)):
            cells[i] = draw(CELLS)
        rows.append(";".join(cells[: draw(st.integers(0, len(cells)))] if draw(st.booleans()) else cells))
    header = HEADER if draw(st.booleans()) else ";".join(draw(st.permutations(HEADER.split(";")))[:draw(
        st.integers(0, 7))])
    return "\n".join([header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n", '"']))


MAPPING = "nordby: ['0101', '0102']\n"


@EXAMPLES
@given(csv_text=broken_csv(), mapping=broken_yaml(MAPPING))
def test_a_broken_address_file_or_mapping_is_reported_never_a_traceback(csv_text, mapping):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        (root / "districts/nordby").mkdir(parents=True)
        (root / "grunnkretser.yaml").write_text(mapping, "utf-8")
        (Path(tmp) / "adresser.csv").write_bytes(csv_text.encode("utf-8", "surrogatepass"))
        with python_stack():
            r = CliRunner().invoke(main, ["import", "adresser", str(Path(tmp) / "adresser.csv"), "--content",
                                          str(root)])
        assert r.exit_code in (0, 1), r.output
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        if r.exit_code == 1:
            errors = [line for line in r.output.splitlines() if not line.endswith("Ingenting ble skrevet.")]
            assert errors and all(REPORTED.match(line) for line in errors), r.output


def test_digits_that_are_not_0_to_9_and_endless_fields_are_reported(tmp_path):
    from hub.content.matrikkel import read_addresses

    path = tmp_path / "adresser.csv"
    path.write_text("\n".join([HEADER, "Storgata;²;;3000;NORDBY;0101;vegadresse",
                               "Storgata;1;;٣٠٠٠;NORDBY;0101;vegadresse", "Storgata;" + "9" * 5000 + ";;3000;N;0101;vegadresse"]),
                    "utf-8")
    log = ErrorLog(tmp_path)
    read_addresses(path, {"0101": "nordby"}, log)
    assert [(e.line, e.field) for e in log.errors] == [(2, "nummer"), (3, "postnummer"), (4, "nummer")]
    path.write_text(HEADER + "\nStorgata;1;;3000;" + "N" * 200_000 + ";0101;vegadresse\n", "utf-8")
    log = ErrorLog(tmp_path)
    read_addresses(path, {"0101": "nordby"}, log)
    assert [(e.line, e.message[:20]) for e in log.errors] == [(2, "kan ikke leses som C")]


# --- 7. Markdown that would take minutes -------------------------------------------------------------

SLOW = {
    "nested brackets": "[" * 20_000 + "a" + "]" * 20_000,
    "unpaired brackets": "[" * 40_000,
    "nested lists": "- " * 20_000 + "a",
    "nested quotes": "> " * 20_000 + "a",
    "inline marks": "*_" * 10_000 + "a" + "_*" * 10_000,
    "headings in one paragraph": "# a\n" * 10_000,
    "raw HTML": "<div>" * 8_000,
    "table cells": "|a" * 20_000,
}


@pytest.mark.parametrize("shape", list(SLOW))
def test_markdown_that_would_take_minutes_is_refused_by_check_and_build_naming_file_and_line(tree, tmp_path, shape):
    tree.write("districts/nordby/pages/treg.md", f"---\ntitle: Treg\n---\nInnledning.\n\n{SLOW[shape]}\n")
    for args in (["check", "--content", str(tree.root)],
                 ["build", "--content", str(tree.root), "--out", str(tmp_path / "site"), "--no-search"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1, r.output
        found = re.search(r"content/districts/nordby/pages/treg\.md:(\d+): teksten er for krevende å gjøre om: ", r.output)
        assert found and int(found.group(1)) >= 6, r.output  # the hostile part starts on line 6
        assert "Traceback" not in r.output


def test_ordinary_markdown_passes_the_limits():
    from conftest import DEMO

    from hub.content.markup import limit_problem

    bodies = [p.read_text("utf-8") for p in DEMO.rglob("*.md")]
    assert len(bodies) > 100 and [b for b in bodies if limit_problem(b)] == []
    lists = "".join(f"{'    ' * (i % 4)}- punkt {i} med [lenke](https://a.no/{i}) og *vekt*\n" for i in range(1000))
    assert limit_problem("# Tittel\n\n" + lists + "\n| a | b |\n|---|---|\n" + "| x | y |\n" * 500) is None


# --- 4. symlinked folders -----------------------------------------------------------------------

@pytest.mark.parametrize("linked", ["districts/nordby/services", "services", "districts", "districts.geojson",
                                    "theme/static", "media"])
def test_a_linked_folder_or_file_is_refused_and_nothing_from_outside_is_published(tree, tmp_path, linked):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(tree.root / "districts/nordby/services", elsewhere / "services")
    (elsewhere / "services/hemmelig.md").write_text(SERVICE.replace("Helsestasjon", "Hemmelig notat"), "utf-8")
    target = tree.root / linked
    if linked == "districts":
        shutil.move(str(target), str(elsewhere / "districts"))
        source = elsewhere / "districts"
    elif linked == "districts.geojson":
        source = elsewhere / "areas.geojson"
        source.write_text(json.dumps(VALID_GEOJSON), "utf-8")
    else:
        shutil.rmtree(target, ignore_errors=True)
        source = elsewhere / "services"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(source, target_is_directory=source.is_dir())
    out = tmp_path / "site"
    for args in (["check", "--content", str(tree.root)],
                 ["build", "--content", str(tree.root), "--out", str(out), "--no-search"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1, r.output
        assert f"content/{linked}: symbolske lenker er ikke tillatt i innholdsmappen" in r.output
    assert not out.exists()


def test_build_admin_refuses_links_in_the_admin_folder(tree, tmp_path):
    admin = tmp_path / "admin"
    admin.mkdir()
    (admin / "index.html").write_text("<p>admin</p>", "utf-8")
    (tmp_path / "secret.txt").write_text("hemmelig", "utf-8")
    (admin / "config.yml").symlink_to(tmp_path / "secret.txt")
    r = CliRunner().invoke(main, ["build", "--content", str(tree.root), "--out", str(tmp_path / "site"),
                                  "--no-search", "--admin", str(admin)])
    assert r.exit_code == 1 and "admin/config.yml: symbolske lenker er ikke tillatt i admin-mappen" in r.output
    assert not (tmp_path / "site").exists()


#: JSON values nobody here writes: NaN and infinities, lone surrogates, control characters, huge numbers.
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30), st.floats(), st.text(max_size=12),
              st.sampled_from(["\ud800", "\x00", "\x1b[31m", "<script>x</script>", "", "sydby", "nordby"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)


def within(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def broken_part(draw: st.DrawFn, valid: bytes) -> bytes:
    """A kept part of the manifest broken one way: a value swapped anywhere (also for one of its own
    kind, or itself), a key added, its text written another way, or its bytes cut into."""
    data = json.loads(valid)
    how = draw(st.sampled_from(["value", "key", "spelling", "bytes"]))
    if how == "value":
        path = draw(st.sampled_from(paths_of(data)))
        data = replaced(data, path, draw(JSONISH | st.sampled_from([data, data["programme"], data["entry"]])))
    if how == "key":  # a field added to one of its groups
        path = draw(st.sampled_from([p for p in paths_of(data) if isinstance(within(data, p), dict)]))
        data = replaced(data, path, {**within(data, path), draw(st.text(max_size=8)): draw(JSONISH)})
    if how in ("value", "key"):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    if how == "spelling":
        return json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 0, 1]))).encode()
    at = draw(st.integers(0, len(valid)))
    noise = draw(st.sampled_from([b"", b"[" * 5000, b"\xff", b"\xed\xa0\x80", b"NaN", b" ", b"\\u0000", b"\"", b"}"]))
    return valid[:at] + noise + valid[at + draw(st.integers(0, 20)):]


class KeptPart:
    """Nordby's part of the manifest as a build keeps it, and the manifest made with a part put in."""

    def __init__(self) -> None:
        import datetime as dt

        from hub.exports import manifest

        self.manifest = manifest
        self.portal = load(Content().root, today=dt.date(2026, 11, 23))
        self.district = self.portal.districts[0]
        self.valid = manifest.part_text(manifest.district_part(self.portal, self.district, *self.urls()[:3]))
        self.occurrences = len(self.portal.listings(self.district))

    @staticmethod
    def urls() -> tuple[Any, ...]:
        def page_of(d: Any, s: Any) -> str:
            return f"https://test.example.no/{d.slug if d else 'alle'}/{s.slug}/"

        return (page_of, lambda d: f"https://test.example.no/{d.slug}/", lambda d, e: f"https://test.example.no/{e.slug}/",
                lambda kind: f"https://test.example.no/tjenester/{kind}/")

    def whole(self, part: dict[str, Any] | None = None) -> str:
        """The manifest with ``part`` put in as kept (without: each district's part made here)."""
        page_of, district_url, event_url, kind_url = self.urls()
        return self.manifest.build(self.portal, "https://test.example.no/kalender.ics", page_of, kind_url=kind_url,
                                   district_url=district_url, event_url=event_url, bundles=[],
                                   part=None if part is None else lambda d: part)


@pytest.fixture(scope="module")
def kept_part() -> KeptPart:
    return KeptPart()


def test_a_kept_part_of_the_manifest_as_written_is_read_back_and_makes_the_same_manifest(kept_part):
    part = kept_part.manifest.read_part(kept_part.valid, kept_part.district, kept_part.occurrences)
    assert kept_part.whole(part) == kept_part.whole() and kept_part.occurrences > 0


@EXAMPLES
@given(data=st.data())
def test_a_kept_part_of_the_manifest_broken_in_any_way_is_refused_or_cannot_break_the_manifest(kept_part, data):
    """The build's cache may hold files nobody here wrote (hub.exports.manifest.read_part): a part is
    read back only as the very bytes this code writes, for this district, with an offer for each of its
    services and each of its dates; anything else is refused with ValueError (and made again). What
    is read back goes into portal.json as it is, and the file stays JSON a region can parse."""
    planted = data.draw(broken_part(kept_part.valid))
    with python_stack():
        try:
            part = kept_part.manifest.read_part(planted, kept_part.district, kept_part.occurrences)
        except (ValueError, RecursionError):  # as hub.pipeline.incremental._kept catches them
            return
        assert kept_part.manifest.part_text(part) == planted
        event("read back")
        text = kept_part.whole(part)
    whole = json.loads(text.encode("utf-8"))  # UTF-8 throughout: no lone surrogate, no NaN
    assert [d["slug"] for d in whole["districts"]] == ["nordby"] and len(whole["programme"]) == kept_part.occurrences


NAMES = st.one_of(
    st.text(max_size=40),
    st.builds("{}.{}".format, st.text(max_size=12), st.sampled_from(["en", "pl", "ar", "nb", "xx", "EN", "md", ""])),
    st.sampled_from(["Media", "Sok", "Apne data", "Tjenester", "Østbyen", "Åpent hus.en", "404", "Nordby"]),
)


@settings(max_examples=300, deadline=None)
@given(name=NAMES, folder=st.booleans(), taken=st.booleans())
def test_any_name_gets_a_plain_name_to_use_or_none_never_a_reserved_one(tmp_path_factory, name, folder, taken):
    """A coordinator may call a file or folder anything: the loader offers the name ``knutepunkt new``
    would write (hub.content.loader), keeping a file's language code, unless that name is reserved or
    another file has it; then it offers none."""
    from hub.content.languages import known
    from hub.content.loader import DISTRICT_RESERVED, _as_slug
    from hub.content.names import SLUG_RE, slugify

    assume(name and not name.startswith(".") and "/" not in name and "\0" not in name)  # the loader skips hidden ones
    where = tmp_path_factory.mktemp("names")
    path = where / (name if folder else f"{name}.md")
    base, _, code = (name.rpartition(".") if not folder else ("", "", ""))
    lang = code if base and known(code) else ""
    slug = slugify(base if lang else name)
    expected = f"{slug}.{lang}" if lang else slug
    suffix = "" if folder else ".md"
    if taken and SLUG_RE.match(slug):
        (where / f"{expected}{suffix}").touch()  # another file has the name already
    said = _as_slug(path, "mappen" if folder else "filen", DISTRICT_RESERVED, suffix)
    if not SLUG_RE.match(slug) or slug in DISTRICT_RESERVED or taken:
        assert said == "", said
    else:
        assert said == f"gi {'mappen' if folder else 'filen'} navnet {expected}{suffix}"


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["{%", "%}", "{{", "}}", " block a ", " endblock ", " if x ", " endif ", " endblok ",
                                      " for x in y ", " endfor ", "'", " site.nmae ", "|", " raw ", "{#", "#}", "x", "\n"]),
                     max_size=12).map("".join))
def test_any_broken_template_is_told_in_words_never_a_traceback(text):
    """What a theme's template holds comes from the web team: every syntax error Jinja raises gets a
    message (hub.theme.jinja_message), in bokmål where it has words for it."""
    import jinja2

    from hub.theme import jinja_message

    try:
        jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(text)
    except jinja2.TemplateSyntaxError as exc:
        said = jinja_message(exc)
        assert isinstance(said, str) and said.strip() and "Traceback" not in said
