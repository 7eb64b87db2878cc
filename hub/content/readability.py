"""Plain Norwegian (*klarspråk*, språklova § 9): advice ``check`` gives coordinators, never errors.

For a text in Norwegian: its LIX above the portal's limit, sentences over the word limit, and link
texts that say nothing out of context ("klikk her", "les mer"; WCAG 2.4.4). For a text in any
language: a link whose text is a bare web address, headings that skip a level, and images without
alternative text (WCAG 1.1.1, 1.3.1).

**LIX** (*läsbarhetsindex*, C.-H. Björnsson, *Läsbarhet*, Stockholm: Liber 1968)::

    LIX = O / M + 100 × L / O

where O is the number of words, M the number of sentences and L the number of long words (more than
six letters). Here a word is a run of letters (a hyphen or apostrophe between letters joins it:
"Bragernes-kvartal" is one word of 16 letters); numbers are not words. A sentence ends at ``.``,
``!``, ``?`` or ``:`` followed by a space or the end of the text (not after a common abbreviation
such as "f.eks." or "kl."), and every heading, paragraph, list item and table cell ends one too.
Usual reading of the value in Scandinavia: under 30 very easy, 30–40 easy, 40–50 medium, 50–60
hard, over 60 very hard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from hub.content.errors import ContentError, ErrorLog
from hub.content.source import FRONT, split_front_matter

if TYPE_CHECKING:
    from hub.content.structure import Portal

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
LETTER = re.compile(r"[^\W\d_]")
#: Abbreviations whose full stop ends no sentence (Språkrådet's common ones, without the last dot).
ABBREVIATIONS = frozenset({
    "f.eks", "bl.a", "dvs", "osv", "mv", "m.m", "o.l", "pga", "ca", "kl", "nr", "tlf", "jf", "evt", "ev", "mht",
    "iht", "vs", "etc", "ang", "adm", "avd", "e.l", "forts", "o.a", "t.o.m", "f.o.m", "ifm", "inkl", "ekskl",
    "st", "gt", "vn", "pr", "dr", "mr", "e.g", "i.e"})
END = re.compile(r"[.!?:](?=\s|$)")
#: Link texts that say nothing out of context (lower case, without closing punctuation).
EMPTY_LINK_TEXTS = frozenset({
    "klikk her", "trykk her", "her", "les mer", "les mer her", "mer", "se her", "lenke", "denne lenken", "link",
    "klikk", "trykk", "mer info", "mer informasjon", "click here", "read more", "more", "here"})
URL = re.compile(r"^(https?://|www\.)\S+$", re.I)
BARE_URL = re.compile(r"(?<![\w(<\[])(https?://|www\.)[^\s)>\]]*[^\s)>\].,:;!?»”]", re.I)
NORWEGIAN = ("nb", "nn", "no")


@dataclass(frozen=True)
class Lix:
    words: int
    sentences: int
    long_words: int

    @property
    def value(self) -> float:
        return self.words / self.sentences + 100 * self.long_words / self.words if self.words and self.sentences else 0

    @property
    def rounded(self) -> int:
        """The value as people round it (88.5 → 89)."""
        return int(self.value + 0.5)

    @property
    def reading(self) -> str:
        """The usual Scandinavian reading of the value, in Norwegian."""
        v = self.value
        return ("svært lett" if v < 30 else "lett" if v < 40 else "middels" if v < 50 else "vanskelig" if v < 60
                else "svært vanskelig")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def is_long(word: str) -> bool:
    return len(LETTER.findall(word)) > 6


def sentences(block: str) -> list[tuple[int, str]]:
    """One block's sentences with the offset each starts at (a block always ends one)."""
    out, start = [], 0
    for end in END.finditer(block):
        before = block[start:end.start()].rsplit(None, 1)[-1].lower() if block[start:end.start()].strip() else ""
        after = block[end.end():].lstrip()[:1]
        if end.group() == "." and (before in ABBREVIATIONS or (before.isdigit() and after.islower())):
            continue  # "f.eks.", "kl.", and ordinals such as "17. mai" go on
        out.append((start, block[start:end.end()]))
        start = end.end()
    if block[start:].strip():
        out.append((start, block[start:]))
    return [(s + len(t) - len(t.lstrip()), t.strip()) for s, t in out if words(t)]


def lix(blocks: list[str]) -> Lix:
    """LIX over a text given as its blocks (each ends a sentence)."""
    found = [s for b in blocks for _, s in sentences(b)]
    all_words = [w for s in found for w in words(s)]
    return Lix(len(all_words), len(found), sum(1 for w in all_words if is_long(w)))


@dataclass(frozen=True)
class Advice:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class Limits:
    lix: int = 45
    sentence_words: int = 25
    #: LIX says little about a very short text.
    min_words: int = 20


_MD = MarkdownIt("commonmark").enable("table")


def _inline_text(token: Token) -> tuple[str, list[tuple[int, str, str]], list[int]]:
    """An inline token's plain text (soft breaks kept as new lines), its links (offset of the line,
    text, target) and the lines (offsets) of images without alternative text."""
    text, links, images = "", [], []
    link: list[str] | None = None
    href = ""
    for child in token.children or []:
        line = text.count("\n")
        if child.type in ("text", "code_inline"):
            text += child.content
            if link is not None:
                link.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text += "\n"
        elif child.type == "link_open":
            link, href = [], str(child.attrGet("href") or "")
            links.append((line, "", href))
        elif child.type == "link_close" and link is not None:
            links[-1] = (links[-1][0], "".join(link), href)
            link = None
        elif child.type == "image":
            if not child.content.strip():
                images.append(line)
            text += child.content
        elif child.type == "html_inline" and child.content.lower().startswith("<img") and not re.search(
                r"\balt\s*=\s*([\"'])\s*\S", child.content, re.I):
            images.append(line)
    return text, links, images


def advise(markdown: str, first_line: int, lang: str, limits: Limits, summary: tuple[str, int] | None = None
           ) -> list[Advice]:
    """Advice on a Markdown body that starts on ``first_line`` of its file (and its ``summary``, with
    the line it stands on), in ``lang``."""
    norwegian = lang in NORWEGIAN
    out: list[Advice] = []
    blocks: list[tuple[str, int, str]] = []  # text, its first line, field
    if summary and summary[0].strip():
        blocks.append((summary[0], summary[1], "summary"))
    previous = 1  # the page's title is its h1; Markdown's "#" is shown as h2 (hub.content.markup)
    tokens = _MD.parse(markdown)
    for i, tok in enumerate(tokens):
        if tok.type == "html_block" and "<img" in tok.content.lower() and not re.search(
                r"\balt\s*=\s*([\"'])\s*\S", tok.content, re.I):
            out.append(Advice(first_line + (tok.map or [0])[0], "", "klarspråk: bildet mangler alternativ tekst "
                              "(alt): skriv hva bildet viser"))
        if tok.type == "heading_open":
            level = max(2, int(tok.tag[1]))
            if level > previous + 1:
                out.append(Advice(first_line + (tok.map or [0])[0], "", f"klarspråk: overskriften hopper over et nivå "
                                  f"(fra nivå {previous} til {level}); bruk {'#' * (previous + 1)} her, så "
                                  "skjermlesere og innholdsfortegnelser viser riktig rekkefølge"))
            previous = level
        if tok.type != "inline":
            continue
        start = first_line + (tok.map or [0])[0]
        text, links, images = _inline_text(tok)
        blocks.append((text, start, ""))
        for line in images:
            out.append(Advice(start + line, "", "klarspråk: bildet mangler alternativ tekst: skriv hva bildet viser "
                              "mellom klammene, ![slik](bilde.png)"))
        for line, label, _href in links:
            plain = label.strip().lower().rstrip(".:!?»« ")
            if URL.match(label.strip()):
                out.append(Advice(start + line, "", f"klarspråk: lenketeksten er en nettadresse ({label.strip()}); "
                                  "skriv hva lenken fører til, f.eks. [Søk om plass](…) (WCAG 2.4.4)"))
            elif norwegian and plain in EMPTY_LINK_TEXTS:
                out.append(Advice(start + line, "", f"klarspråk: lenketeksten «{label.strip()}» sier ikke hvor "
                                  "lenken fører; skriv det, f.eks. [Les mer om helsestasjonen](…) (WCAG 2.4.4)"))
        if i > 0 and tokens[i - 1].type == "heading_open":
            continue
        for found in BARE_URL.finditer(text):
            if not any(found.group() in href for _, _, href in links):
                out.append(Advice(start + text[:found.start()].count("\n"), "", f"klarspråk: nettadressen "
                                  f"{found.group()} står uten lenketekst; skriv en lenke med tekst: "
                                  f"[hva den fører til]({found.group()}) (WCAG 2.4.4)"))
    if not norwegian:
        return out
    for text, start, field in blocks:
        for offset, sentence in sentences(text):
            n = len(words(sentence))
            if n > limits.sentence_words:
                head = " ".join(sentence.split()[:6])
                out.append(Advice(start + text[:offset].count("\n"), field, f"klarspråk: setningen har {n} ord "
                                  f"(anbefalt høyst {limits.sentence_words}): «{head} …»; del den i to"))
    measured = lix([t for t, _, _ in blocks])
    if blocks and measured.words >= limits.min_words and measured.value > limits.lix:
        # Measured over the summary and the body together: said of what had words, on the line it starts.
        counted = [(line, field) for text, line, field in blocks if words(text)]
        fields = {field for _, field in counted}
        what = ("teksten" if "summary" not in fields else "sammendraget og teksten" if "" in fields
                else "sammendraget")
        out.append(Advice(counted[0][0], "", f"klarspråk: {what} har LIX {measured.rounded} ({measured.reading}; "
                          f"grensen er {limits.lix}): {measured.words} ord, {measured.sentences} setninger, "
                          f"{measured.long_words} lange ord; kortere setninger og vanlige, korte ord gjør den "
                          "lettere å lese"))
    return sorted(out, key=lambda a: a.line)


def file_advice(path: Path, lang: str, limits: Limits) -> list[Advice]:
    """Advice on a content file: a Markdown file's front-matter ``summary`` (as the loader reads it,
    a ``>-`` block over several lines too) and its body."""
    try:
        text = path.read_text("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return []
    if text.split("\n", 1)[0].strip() != FRONT:
        return advise(text, 1, lang, limits)
    split = split_front_matter(text, path, ErrorLog(path.parent))
    if split is None:  # front matter the loader refuses, and says why itself
        return []
    front, body, first = split
    value = front.data.get("summary") if isinstance(front.data, dict) else None
    summary = (value, front.line(("summary",))) if isinstance(value, str) else None
    return advise(body, first, lang, limits, summary)


def portal_advice(portal: Portal) -> list[ContentError]:
    """Advice on every Markdown file of the portal and its translations, as warnings for ``check``."""
    if portal.source is None:
        return []
    site = portal.site
    limits = Limits(site.plain_language.lix, site.plain_language.sentence_words)
    base = portal.source.parent
    files: list[tuple[str, str]] = []  # path, language
    docs: list[Any] = [*portal.shared, *portal.shared_plans]
    for d in portal.districts:
        docs += d.documents()
        if (portal.source / "districts" / d.slug / "index.md").is_file():
            files.append((f"{d.path}/index.md", site.language))
        files += [(p, t.lang) for t in d.translations for p in t.paths if p.endswith(".md")]
    for doc in docs:
        files.append((doc.path, getattr(doc.meta, "lang", None) or site.language))
        files += [(t.path, t.lang) for t in doc.translations]
    return [ContentError(path, a.line, a.field, a.message) for path, lang in sorted(files)
            for a in file_advice(base / path, lang, limits)]
