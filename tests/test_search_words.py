"""Spec: the hidden list of compound parts a page gives its search comes from the page's text,
never from its markup."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hub.site import compounds


def test_compound_parts_come_from_the_text_not_from_tags_or_attributes():
    assert compounds.search_words(['<p class="helsestasjon">Barnehagen</p>']) == ["barn", "hagen"]
    assert compounds.search_words(["<p>Barnehagen og helsestasjonen</p>", "Tittel"]) == [
        "barn", "hagen", "helse", "stasjonen"]


def test_a_word_longer_than_any_two_words_of_the_list_is_not_tried_for_parts(monkeypatch):
    """Trying every cut of a word takes time that grows with the square of its length: a page (or a
    kept word count) with a word of a million letters would hold the build for minutes. No compound
    that long can be split with the word list, so such a word is not compared with it at all."""
    longest = max(map(len, compounds.load_vocabulary()))
    assert 2 * longest + 1 < compounds.MAX_WORD  # a head joined by -s- or -e-, and a tail

    def unread() -> dict[str, int]:
        raise AssertionError("the word list was read")

    monkeypatch.setattr(compounds, "_ranks", unread)
    assert compounds.split("b" * (compounds.MAX_WORD + 1)) == ()


def test_a_word_the_text_holds_is_not_repeated_as_a_part():
    assert "helse" not in compounds.search_words(["Helse og helsestasjon"])


def test_a_stray_angle_bracket_in_one_text_does_not_hide_the_words_of_the_next():
    assert compounds.search_words(["Barn <3", "Helsestasjonen for barn > 3 år"]) == ["helse", "stasjonen"]


def test_the_ranks_kept_in_the_cache_are_the_ranks_wordfreq_gives_and_a_cut_file_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(compounds, "_VOCABULARY", None)
    made = compounds.load_vocabulary(tmp_path)
    (stored,) = tmp_path.glob("vocabulary-*.txt")
    monkeypatch.setattr(compounds, "_VOCABULARY", None)
    assert compounds.load_vocabulary(tmp_path) == made  # read back, the same ranks
    assert made["helse"] < made["stasjon"] < made["barnehage"] and "ing" not in made and "" not in made
    stored.write_bytes(stored.read_bytes()[:-200])  # cut short: one line fewer than its count
    assert compounds._read_ranks(stored) == {}
    monkeypatch.setattr(compounds, "_VOCABULARY", None)
    assert compounds.load_vocabulary(tmp_path) == made
    assert compounds._read_ranks(stored) == made  # and written again


def test_the_word_list_knows_every_field_the_pages_show_and_where_each_district_is_called_home(tree):
    """A word of the pages is never a typo (areas, places, contacts included), and a query that is a
    district's name, area or hub finds its front page first, unless two districts share the name."""
    from conftest import DISTRICT

    from hub.content.loader import load
    from hub.site import wordlist

    tree.write("districts/nordby/district.yaml", DISTRICT + "areas: [Vestbyen, Tangen]\n")
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("name: Nordby", "name: Sørby", 1)
               .replace("name: Nordby knutepunkt", "name: Sørbyhallen") + "areas: [Tangen]\n")
    portal = load(tree.root)
    listed = wordlist.word_list(portal, None)
    assert {"vestbyen", "sørbyhallen", "storgata"} <= set(str(listed["words"]).split())
    assert listed["places"] == {"nordby": "../nordby/", "nordby knutepunkt": "../nordby/", "vestbyen": "../nordby/",
                                "sørby": "../sorby/", "sørbyhallen": "../sorby/"}  # "tangen" is both's
    own = wordlist.word_list(portal, portal.district("sorby"))["places"]
    assert own == {"nordby og sørby": "../", "sørby": "../", "sørbyhallen": "../", "tangen": "../"}


def test_the_splits_a_build_keeps_are_the_splits_the_word_list_gives(tmp_path, monkeypatch):
    words = ["helsestasjonen", "barnehagen", "arbeidsplassen", "tjenester", "kommunedeler", "snekkerverksted"]
    made = {w: compounds.split(w) for w in words}
    for name, value in (("_MADE", {}), ("_CACHE", None), ("_KEPT", None), ("_VOCABULARY", compounds._VOCABULARY)):
        monkeypatch.setattr(compounds, name, value)  # put back as they were after the test
    compounds.keep_in(tmp_path)
    assert [compounds.split(w) for w in words] == list(made.values())
    compounds.keep_splits()
    (kept,) = tmp_path.glob("splits-*.txt")
    assert "helsestasjonen helse stasjonen\n" in kept.read_text("utf-8")  # a line a word, parts after it
    assert "tjenester\n" in kept.read_text("utf-8")  # not a compound, and so not split again either
    compounds._KEPT, compounds._VOCABULARY = None, {}  # a new process: read back, the word list unread
    assert {w: compounds.split(w) for w in words} == made

    compounds._VOCABULARY = None
    compounds.keep_in(tmp_path, read=False)  # a full build: afresh, and it keeps the words it met
    assert compounds.split("barnehagen") == made["barnehagen"]
    compounds.keep_splits()
    assert kept.read_text("utf-8") == "barnehagen barn hagen\n"

    compounds.keep_in(tmp_path, code="upgraded")  # other code splits afresh, and its build lets the old go
    assert compounds.split("barnehagen") == made["barnehagen"]
    (tmp_path / "splits-planted.txt").mkdir()  # whatever a restored cache holds under the name
    (tmp_path / "splits-link.txt").symlink_to(kept)
    word_list = tmp_path / compounds._vocabulary_name()
    word_list.write_text("1\nhelse", "utf-8")
    (tmp_path / "vocabulary-of-wordfreq-3.0.txt").write_text("1\nhelse", "utf-8")  # the list of another version
    compounds.keep_splits()
    assert [p.name for p in tmp_path.glob("splits-*.txt")] == [compounds.splits_name("upgraded")]
    assert list(tmp_path.glob("vocabulary-*.txt")) == [word_list]

    compounds.keep_in(None)  # the preview: nothing kept, nothing gathered
    assert compounds.split("helsestasjonen") == made["helsestasjonen"] and compounds.made_here() == {}


#: A line of a kept splits file: a word (of letters or not, long enough or not), then parts or not.
_LINE = st.tuples(st.text(alphabet="abcæé", min_size=6, max_size=9) | st.sampled_from(["Helsestasjon", "a1<b>cdefg"]),
                  st.lists(st.text(alphabet="abcdæé", max_size=4), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE.map(lambda line: " ".join((line[0], *line[1]))), max_size=6).map("\n".join))
def test_a_kept_splits_file_gives_only_parts_of_each_words_own_letters_or_nothing(text):
    """The file is plain data from the cache folder: whatever it holds, a word read back from it is a
    word of letters and its parts are pieces of it, or the file counts for nothing."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        saved = compounds._CACHE, compounds._SPLITS_FILE, compounds._KEPT
        try:
            compounds._CACHE, compounds._SPLITS_FILE, compounds._KEPT = Path(folder), compounds.splits_name(""), None
            (Path(folder) / compounds.splits_name("")).write_text(text, "utf-8")
            for word, found in compounds.kept_splits().items():
                assert len(word) >= compounds.MIN_WORD and word.isalpha() and word == word.lower()
                assert all(part and part in word for part in found)
        finally:
            compounds._CACHE, compounds._SPLITS_FILE, compounds._KEPT = saved


#: A kept district's word counts as a planted file may hold them: words of letters or not, counts of any kind.
_COUNTS = st.dictionaries(st.text(alphabet="abcæø Å1-", max_size=8),
                          st.integers(-2, 3) | st.booleans() | st.floats(allow_nan=False) | st.none(), max_size=5)


@settings(max_examples=300, deadline=None)
@given(_COUNTS | st.lists(st.integers(), max_size=3), st.booleans())
@example({"abc": 2, "æøå": 1}, False).via("counts as this code writes them")
@example({"abc def": 1}, False).via("two words as one")
@example({"a" * 1_000_001: 1}, False).via("a word no content file could hold")
@example({"abc": 10**4000}, False).via("a count two of which add up to more than JSON writes")
@example({"abc": True}, False).via("a count that is not a number")
def test_kept_word_counts_read_back_only_as_words_of_the_lists_letters_each_counted_at_least_once(data, cut):
    """A district's word counts come from the cache folder: whatever a file there holds, it reads back
    as words of three or more of the lists' letters, each counted a whole number of times, or not at
    all (ValueError: the district's words are counted again). What this code writes reads back as it was."""
    import json

    from hub.site import wordlist

    text = json.dumps(data, ensure_ascii=False).encode()
    try:
        found = wordlist.read_counts(text[:-1] if cut else text)
    except ValueError:
        return
    assert not cut
    assert all(wordlist._WORD.fullmatch(w) and len(w) <= 1_000_000 and type(n) is int and 0 < n <= 10**12
               for w, n in found.items())
    assert found == data


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(alphabet="abcdæøåéü", min_size=3, max_size=8), st.integers(1, 10**6), max_size=20))
def test_word_counts_read_back_as_they_were_written(counts):
    from collections import Counter

    from hub.site import wordlist

    assert wordlist.read_counts(wordlist.counts_text(Counter(counts))) == counts


# --- the kept sum of every district's counts (hub.pipeline.incremental.Fragments.total) ---------------

def _store(folder, pieces: dict[str, str], base: str = "b" * 24):
    """A fragment store whose districts' lasting keys are ``pieces`` (district → key)."""
    from hub.pipeline.incremental import Fragments

    return Fragments(folder, {}, lasting={slug: key * 3 for slug, key in pieces.items()}, base=base)


def _total(store, counts: dict[str, dict[str, int]], made: list[str]):
    """The store's sum of ``counts`` (district → its counts), each written as the build writes a district's."""
    from hub.site import wordlist

    def make(slug: str) -> bytes:
        made.append(slug)
        return wordlist.counts_text(counts[slug])

    return store.total("words", list(counts), make, wordlist.checked_counts)


def _sum(counts: dict[str, dict[str, int]]):
    from collections import Counter

    found: Counter[str] = Counter()
    for c in counts.values():
        found.update(c)
    return found


def test_a_kept_sum_moves_by_the_changed_districts_difference_and_is_made_again_when_anything_is_amiss(tmp_path):
    a, b, c, d = "a" * 8, "b" * 8, "c" * 8, "d" * 8
    counts = {"nord": {"helse": 2, "kafe": 1}, "sor": {"kafe": 3}, "vest": {"bibliotek": 1}}
    made: list[str] = []
    assert _total(_store(tmp_path, {"nord": a, "sor": a, "vest": a}), counts, made) == _sum(counts)
    assert sorted(made) == ["nord", "sor", "vest"]

    counts["sor"] = {"kafe": 1, "snekker": 4}  # an edit in one district: its old piece out, the new one in
    made.clear()
    assert _total(store := _store(tmp_path, {"nord": a, "sor": b, "vest": a}), counts, made) == _sum(counts)
    assert made == ["sor"]
    store.prune()
    assert sorted(p.name for p in (tmp_path / "words").glob("_sum.*")) == [store._sum_name(
        {s: k[:24] for s, k in store.lasting.items()})]

    (tmp_path / "words" / f"sor.{b * 3}").write_text('{"kafe":1}')  # not the bytes it added: "snekker" would stay
    counts["sor"] = {"kafe": 2}
    made.clear()
    assert _total(_store(tmp_path, {"nord": a, "sor": c, "vest": a}), counts, made) == _sum(counts)
    assert made == ["sor"]  # the others read back, every piece added up again

    counts["vest"] = {"bibliotek": 1, "kafe": 5}  # other common inputs: every key new, no old sum taken
    made.clear()
    assert _total(_store(tmp_path, {"nord": d, "sor": d, "vest": d}, base="d" * 24), counts, made) == _sum(counts)
    assert sorted(made) == ["nord", "sor", "vest"]


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 10**20) | st.text(alphabet="abcsor0-9_", max_size=26),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["base", "pieces", "sum", "nord", "sor", "helse", "kafe"]), inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(planted=_JSON, raw=st.binary(max_size=40), as_json=st.booleans(), current=st.booleans())
def test_a_planted_sum_never_stops_the_build_nor_changes_the_list(planted, raw, as_json, current):
    """Whatever a restored cache holds that this code did not write, where this build's sum or an earlier
    build's is kept, the sum is the districts' counts."""
    import json
    import tempfile
    from pathlib import Path

    counts = {"nord": {"helse": 2}, "sor": {"kafe": 3, "helse": 1}}
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder), {"nord": "a" * 8, "sor": "a" * 8})
        name = store._sum_name({s: k[:24] for s, k in store.lasting.items()}) if current else f"_sum.{'e' * 24}"
        (Path(folder) / "words").mkdir()
        (Path(folder) / "words" / name).write_bytes(json.dumps(planted).encode() if as_json else raw)
        assert _total(store, counts, []) == _sum(counts)
