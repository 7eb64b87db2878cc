"""Spec: the hidden list of compound parts a page gives its search comes from the page's text,
never from its markup."""

from __future__ import annotations

from hub.site import compounds


def test_compound_parts_come_from_the_text_not_from_tags_or_attributes():
    assert compounds.search_words(['<p class="helsestasjon">Barnehagen</p>']) == ["barn", "hagen"]
    assert compounds.search_words(["<p>Barnehagen og helsestasjonen</p>", "Tittel"]) == [
        "barn", "hagen", "helse", "stasjonen"]


def test_a_word_the_text_holds_is_not_repeated_as_a_part():
    assert "helse" not in compounds.search_words(["Helse og helsestasjon"])


def test_a_stray_angle_bracket_in_one_text_does_not_hide_the_words_of_the_next():
    assert compounds.search_words(["Barn <3", "Helsestasjonen for barn > 3 år"]) == ["helse", "stasjonen"]
