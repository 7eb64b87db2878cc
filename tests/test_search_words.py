"""Spec: the hidden word lists search reads — compound parts and "Mente du …?" words come from a
page's text, never from its markup, and a body's words are counted once for both."""

from __future__ import annotations

from conftest import DEMO

from hub.content.loader import load
from hub.site import compounds, wordlist


def test_compound_parts_come_from_the_text_not_from_tags_or_attributes():
    assert compounds.search_words(['<p class="helsestasjon">Barnehagen</p>']) == ["barn", "hagen"]
    assert compounds.search_words(["<p>Barnehagen og helsestasjonen</p>", "Tittel"]) == [
        "barn", "hagen", "helse", "stasjonen"]


def test_a_word_the_text_holds_is_not_repeated_as_a_part():
    assert "helse" not in compounds.search_words(["Helse og helsestasjon"])


def test_a_bodys_counted_words_are_shared_but_never_changed_by_a_word_list():
    portal = load(DEMO)
    district = portal.districts[0]
    body = portal.services_of(district)[0].html
    before = dict(compounds.words_of(body))
    first = wordlist.word_list(portal, district)
    assert wordlist.word_list(portal, None) and wordlist.word_list(portal, district) == first
    assert dict(compounds.words_of(body)) == before
    assert all(len(w) >= 3 for w in str(first["words"]).split())  # one- and two-letter words dropped
