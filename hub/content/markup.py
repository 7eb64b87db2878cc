"""Markdown to safe HTML. Coordinators may paste anything; only inert HTML comes out."""

from __future__ import annotations

import re
from html import unescape

import markdown
import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align", "scope"}}


def _md() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


_CONVERTER = _md()


def render(text: str) -> str:
    """Markdown → sanitised HTML. ``# h1`` is demoted to h2: the page title is the only h1."""
    _CONVERTER.reset()
    html = _CONVERTER.convert(text)
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer", strip_comments=True)


def plain(html: str) -> str:
    """Text of sanitised HTML, for summaries and search word lists."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def excerpt(html: str, limit: int = 300) -> str:
    """The start of sanitised HTML as plain text (entities decoded), cut at a word: for descriptions."""
    text = unescape(plain(html))
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
