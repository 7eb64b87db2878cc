"""Markdown to safe HTML. Coordinators may paste anything; only inert HTML comes out."""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections.abc import Callable
from html import unescape

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title"}, "td": {"align"},
          "th": {"align", "scope"}}

#: Where pictures and files uploaded in the browser editor are published (``content/media/``).
MEDIA = "/media/"
#: A file name there: what the editor's ASCII slugs give (letters, digits, - _ .).
MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")
_MEDIA_SRC = re.compile(re.escape(MEDIA) + MEDIA_NAME.pattern + "$")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _md() -> markdown.Markdown:
    """Extensions given as objects: by name, Markdown looks each up among every installed package's
    entry points first: 15 ms of every build's start, where a night at one district takes 0.4–1.1 s."""
    return markdown.Markdown(extensions=[TableExtension(), SaneListExtension()], output_format="html")


_CONVERTER = _md()


def render(text: str) -> str:
    """Markdown → sanitised HTML. ``# h1`` is demoted to h2: the page title is the only h1."""
    _CONVERTER.reset()
    html = _CONVERTER.convert(text)
    return sanitise(re.sub(r"<(/?)h1\b", r"<\1h2", html))


def sanitise(html: str) -> str:
    """Only inert HTML of the tags a body may use, and pictures only from the portal's own media
    folder: nothing from other hosts (trackers) in a page."""
    clean = _cleaner().clean(html)
    return _IMG_WITHOUT_SRC.sub("", clean) if "<img" in clean else clean


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """One sanitiser for every body: ``nh3.clean`` takes its settings anew on every call, and that
    was half its time (0.15 → 0.08 s for 9,800 bodies read back at 100 districts, 0.04 → 0.01 s
    for 4,300 on the demo ×22)."""
    return nh3.Cleaner(tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
                       link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_local_images)


def is_sanitised(html: str) -> bool:
    """Whether ``html`` is already what :func:`sanitise` makes of it: HTML read back from a cache
    (which may hold a file nobody on this machine wrote) is shown only if it is."""
    return sanitise(html) == html


def _local_images(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if _MEDIA_SRC.match(value) else None
    return value


#: ``![alt](url "title")`` and ``[text](url)`` in Markdown.
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\n]*?[\"'])?\s*\)")
_MEDIA_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?(" + re.escape(MEDIA) + r"[^)\s>]*)")


#: Code as Markdown shows it (fenced blocks, inline spans): its ``![…](…)`` and ``<img>`` are text.
_CODE = re.compile(r"^[ ]{0,3}(```|~~~)[^\n]*\n.*?(?:^[ ]{0,3}\1[^\n]*$|\Z)|(?<!`)(`+)(?!`)[^\n]+?(?<!`)\2(?!`)",
                   re.M | re.S)
_RAW_IMAGE = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*[\"']?([^\"'\s>]*)", re.I)


def _not_uploaded(src: str) -> str:
    if re.match(r"(?:[a-z][a-z0-9+.-]*:|//)", src, re.I):  # a picture on another site: never shown
        return (f"bildet {src[:80]!r} må lastes opp i redigeringsverktøyet (ligge i content/media/); bilder fra "
                "andre nettsteder vises ikke")
    name = src.rsplit("/", 1)[-1] or "bilde.png"
    return (f"bildet {src[:80]!r} må ligge i content/media/ (last det opp i redigeringsverktøyet) og skrives "
            f"{MEDIA}{name[:80]}")


def media_problems(text: str, exists: Callable[[str], bool]) -> list[tuple[int, str]]:
    """Pictures and media links a page would show broken, or without a text for those who cannot see
    them: (line, message) each. ``exists`` says whether a file name is in the media folder."""
    found = []
    text = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # shown as code, not as pictures
    for m in _IMAGE.finditer(text):
        alt, src = m.group(1).strip(), m.group(2)
        if not src.startswith(MEDIA):
            found.append((m.start(), _not_uploaded(src)))
        elif not alt:
            found.append((m.start(), f"bildet {src} mangler alternativ tekst: skriv hva bildet viser mellom [ ]"))
        if src.startswith(MEDIA) and not exists(src[len(MEDIA):]):
            found.append((m.start(), f"finner ikke {src} i content/media/"))
    for m in _RAW_IMAGE.finditer(text):  # <img src="…"> written as HTML
        src = m.group(1)
        if not src.startswith(MEDIA):
            found.append((m.start(), _not_uploaded(src)))
        elif not exists(src[len(MEDIA):]):
            found.append((m.start(), f"finner ikke {src} i content/media/"))
    for m in _MEDIA_LINK.finditer(text):
        if not exists(m.group(1)[len(MEDIA):]):
            found.append((m.start(), f"finner ikke {m.group(1)} i content/media/"))
    return [(text.count("\n", 0, at) + 1, message) for at, message in found]


def plain(html: str) -> str:
    """Text of sanitised HTML, for summaries and search word lists."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def excerpt(html: str, limit: int = 300) -> str:
    """The start of sanitised HTML as plain text (entities decoded), cut at a word: for descriptions."""
    text = unescape(plain(html))
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# --- limits: what keeps one file cheap ---------------------------------------------------------------
#
# Python-Markdown is quick on ordinary text but superlinear on some shapes: a bracket scans ahead for
# its partner, each inline mark rebuilds its paragraph's text, headings and rules split their block
# and re-queue the rest, raw HTML is parsed for the whole file, and nested lists and quotes recurse.
# These counts, taken in one pass before any conversion, bound each of those costs, so no body of
# up to MAX_FILE_BYTES takes more than about a second (benchmarks/hostile_markdown.py measures the
# worst accepted input of every shape). The same text always gets the same verdict, on any machine.

MAX_NESTING = 16  # lists and quotes inside each other, and brackets inside brackets
MAX_ELEMENTS = 4_000  # paragraphs, headings, list items, table rows, quote lines
MAX_TAGS = 2_000  # raw HTML tags (and "<" at all)
MAX_CELLS = 10_000  # table cells ("|")
MAX_SPLITS = 4_000_000  # per paragraph: its length × its headings, rules and link definitions
MAX_MARKS = 300_000_000  # per paragraph: its length × its inline marks ([ ] ( ) * _ ` & < ! \)
MAX_SCAN = 1_000_000  # characters scanned in all to pair brackets and parentheses

# Line patterns start with a newline (searched in "\n" + text), so the engine jumps from newline to
# newline instead of trying every position: the check stays a small part of reading a file.
_BLOCKS = re.compile(r"\n[ \t]*\n")
_CONTAINER = re.compile(rf"\n(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{{1,9}}[.)](?=[ \t]))){{{MAX_NESTING + 1}}}")
_INDENTED_ITEM = re.compile(rf"\n(?: {{4}}| {{0,3}}\t){{{MAX_NESTING}}}[ \t]*(?:[-*+]|\d{{1,9}}[.)])[ \t]")
_ELEMENT = re.compile(r"\n[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||>|#)")
_OWN_TEXT = re.compile(r"\n[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#)")  # elements converted alone (not quotes)
_SPLITTER = re.compile(r"\n(?:[ \t]{0,3}#|[ \t]*[-=*_][-=*_ \t]*(?=\n|$)|[ \t]{0,3}\[[^\]\n]*\]:)")
_BRACKET = re.compile(r"\\.|[\[\]()]", re.S)
_MARKS = "[]()*_`&<!\\"


def limit_problem(text: str) -> tuple[int, str] | None:
    """Why converting this Markdown could take long: (line, message), or None if it is within limits.

    Whole-text counts first (one pass each, in C): they settle ordinary files at once; only a
    file whose totals could break a per-paragraph limit is looked at paragraph by paragraph.
    """
    lines = "\n" + text  # offsets in it are one past those in text
    if text.count("<") > MAX_TAGS:
        return _at(text, text.find("<"), f"for mange HTML-merker eller «<» ({text.count('<')}, høyst {MAX_TAGS})")
    if text.count("|") > MAX_CELLS:
        return _at(text, text.find("|"), f"for mange tabellceller ({text.count('|')} «|», høyst {MAX_CELLS})")
    deep = _CONTAINER.search(lines) or _INDENTED_ITEM.search(lines)
    if deep is not None:
        return _at(text, deep.start(), f"lister og sitater er nestet for dypt (høyst {MAX_NESTING} nivåer)")
    # The first paragraph, then one more at each blank line and each element line, in text order.
    starts = heapq.merge((m.start() for m in _ELEMENT.finditer(lines)), (m.end() for m in _BLOCKS.finditer(text)))
    over = next(itertools.islice(starts, MAX_ELEMENTS - 1, None), None)
    if over is not None:
        return _at(text, over, f"for mange avsnitt, listepunkter, overskrifter og tabellrader (høyst {MAX_ELEMENTS})")
    if not _may_break_a_paragraph_limit(text):
        return None
    start = 0
    for gap in itertools.chain(_BLOCKS.finditer(text), [None]):
        end = gap.start() if gap is not None else len(text)
        problem = _block_problem(text[start:end])
        if problem is not None:
            return _at(text, start + problem[0], problem[1])
        start = gap.end() if gap is not None else end
    return None


def _may_break_a_paragraph_limit(text: str) -> bool:
    n = len(text)  # no paragraph is longer, nor has more of anything, than the whole text (nor n of it)
    return ((n * n > MAX_SCAN and n * (text.count("[") + text.count("(")) > MAX_SCAN)
            or (n * n > MAX_MARKS and n * _marks(text) > MAX_MARKS)
            or (n * n > MAX_SPLITS and _more_than(_SPLITTER, "\n" + text, MAX_SPLITS // n)))


def _more_than(pattern: re.Pattern[str], text: str, limit: int) -> bool:
    """Whether ``pattern`` matches more than ``limit`` times (stops counting there)."""
    return next(itertools.islice(pattern.finditer(text), limit, None), None) is not None


def _marks(text: str) -> int:
    return sum(text.count(c) for c in _MARKS)


def _block_problem(block: str) -> tuple[int, str] | None:
    n = len(block)
    if n and _more_than(_SPLITTER, "\n" + block, MAX_SPLITS // n):
        return 0, "for mange overskrifter eller skillelinjer i ett avsnitt; skill dem med tomme linjer"
    # Inline marks cost per text: a list item, a table row or a heading is converted on its own.
    cuts = [m.start() for m in _OWN_TEXT.finditer("\n" + block)] + [n]
    for start, end in zip([0, *cuts[:-1]], cuts, strict=True):
        text = block[start:end]
        marks = _marks(text)
        if len(text) * marks > MAX_MARKS:
            return start, (f"avsnittet har for mange tegn som [ ] ( ) * _ ` & < ({marks} på {len(text)} tegn); "
                           "del det opp")
        if len(text) * (text.count("[") + text.count("(")) > MAX_SCAN:
            problem = _scan_problem(text)
            if problem is not None:
                return start + problem[0], problem[1]
    return None


def _scan_problem(block: str) -> tuple[int, str] | None:
    """Pair brackets as Python-Markdown does: each opening one scans to its partner (or the end)."""
    scanned = 0
    opened: dict[str, list[int]] = {"[": [], "(": []}
    for m in _BRACKET.finditer(block):
        c = m.group()
        if c in "[(":
            opened[c].append(m.start())
            if len(opened["["]) > MAX_NESTING:
                return m.start(), f"hakeparenteser er nestet for dypt (høyst {MAX_NESTING} nivåer)"
        elif c in "])":
            stack = opened["[" if c == "]" else "("]
            if stack:
                scanned += m.start() - stack.pop()
        if scanned > MAX_SCAN:
            return m.start(), "for mange hakeparenteser eller parenteser inni hverandre"
    scanned += sum(len(block) - i for stack in opened.values() for i in stack)  # unpaired: to the end
    if scanned > MAX_SCAN:
        first = min(i for stack in opened.values() for i in stack)
        return first, "for mange hakeparenteser eller parenteser uten partner; lukk dem eller skriv \\[ og \\("
    return None


def _at(text: str, offset: int, message: str) -> tuple[int, str]:
    return text.count("\n", 0, max(offset, 0)) + 1, message
