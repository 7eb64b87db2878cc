"""Reading content files: text, YAML with line numbers, and front matter.

YAML is read with a resolver closer to YAML 1.2 than PyYAML's default 1.1:
``no``/``yes``/``on``/``off`` stay strings (the "Norway problem"), and
``12:00`` stays the string "12:00" instead of the base-60 integer 720.
Aliases are refused, which also makes "billion laughs" files fail fast.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from hub.content.errors import ErrorLog

MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of lists and groups in a YAML or JSON file: content needs a handful of levels, and
#: the readers (and the models after them) recurse once a level.
MAX_DEPTH = 32
#: A file or folder linked in from elsewhere would publish what lies outside the content folder.
LINKED = "symbolske lenker er ikke tillatt i innholdsmappen"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style booleans, numbers and no sexagesimals."""


_RESOLVERS = {
    k: [(tag, rx) for tag, rx in v if tag not in {
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))


# libyaml's parser (shipped in PyYAML's wheels) composes several times faster; same resolvers.
if yaml.__with_libyaml__:
    class _Composer(yaml.CSafeLoader):
        pass

    _Composer.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # pragma: no cover
    _Composer = _Loader  # type: ignore[misc,assignment]

Loc = tuple[str | int, ...]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class YamlDoc:
    """Plain data plus the source line of every key and list item."""

    data: Any
    lines: dict[Loc, int]

    def line(self, loc: Loc) -> int:
        """Nearest known line for a location (pydantic's ``loc``)."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def symlinks_in(folder: Path) -> list[Path]:
    """Every symbolic link below ``folder`` (none followed): what a build would publish from elsewhere."""
    found = []
    for dirpath, dirs, files in os.walk(folder):
        found += [Path(dirpath, n) for n in sorted([*dirs, *files]) if os.path.islink(os.path.join(dirpath, n))]
    return found


def read_text(path: Path, log: ErrorLog, max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """UTF-8 text with BOM and Windows line endings normalised, or None after logging why."""
    if path.is_symlink():
        log.add(path, 0, "", LINKED)
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.add(path, 0, "", f"kan ikke leses: {exc.strerror}")
        return None
    if len(raw) > max_bytes:
        log.add(path, 0, "", f"filen er for stor ({len(raw)} byte, høyst {max_bytes})")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        log.add(path, line, "", f"filen er ikke UTF-8 (byte 0x{raw[exc.start]:02x}); lagre den som UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        log.add(path, 1, "", "filen er tom")
        return None
    return text


#: What a coordinator did, by the words of PyYAML's message (libyaml's and the pure-Python
#: parser's): its own messages are English and name the parser's states, not the mistake.
_PROBLEMS = (
    ("mapping values are not allowed", "et kolon (:) midt i en verdi, eller et felt rykket inn under en verdi; står "
     "det et kolon i teksten, sett hele teksten i anførselstegn (\"…\")"),
    ("',' or ']'", "listen lukkes ikke: den mangler ']' eller et komma mellom punktene"),
    ("',' or '}'", "gruppen lukkes ikke: den mangler '}' eller et komma mellom feltene"),
    ("end of stream", "anførselstegnet lukkes ikke: teksten må slutte med det samme tegnet som den begynner med"),
    ("unknown escape character", "ukjent tegn etter \\ i tekst i doble anførselstegn; bruk enkle anførselstegn "
     "('C:\\mappe')"),
    ("'-' indicator", "et felt midt i en liste: hvert punkt i listen begynner med '- '"),
    ("expected ':'", "linjen mangler ':' mellom feltnavnet og verdien (eller er tekst som hører til linjen over: "
     "sett den i anførselstegn)"),
    ("expected key", "feil innrykk eller tekst etter en verdi: felt på samme nivå står rett under hverandre, og "
     "tekst med anførselstegn slutter med anførselstegnet"),
    ("expected <block end>", "feil innrykk eller tekst etter en verdi: felt på samme nivå står rett under "
     "hverandre, og tekst med anførselstegn slutter med anførselstegnet"),
    ("cannot start any token", "en verdi kan ikke begynne med @, ` eller %; sett teksten i anførselstegn"),
    ("alphabetic or numeric character", "en verdi kan ikke begynne med * eller &; sett teksten i anførselstegn"),
    ("alias", "YAML-ankere og -aliaser (&/*) er ikke tillatt; skriv verdien ut"),
    ("anchor", "YAML-ankere og -aliaser (&/*) er ikke tillatt; skriv verdien ut"),
    ("another document", "filen har mer enn ett dokument (en linje '---' midt i filen)"),
    ("comment or line break", "tekst etter | eller > på samme linje: skriv teksten på linjene under"),
    ("node content", "en verdi mangler, eller begynner med et tegn som ], } eller ,; sett teksten i anførselstegn"),
)


_UNCLOSED = {text for _, text in _PROBLEMS[1:4]}


def yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's complaint as what to do, in Norwegian (its own words if it is not one we know)."""
    said = f"{exc.problem or ''} {exc.context or ''}"
    return next((text for words, text in _PROBLEMS if words in said), str(exc.problem or exc.context))


#: ``primary_color: #7a1f3d``: YAML reads everything from `` #`` as a comment, so the field is empty.
_COLOUR_AS_COMMENT = re.compile(
    r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*(?:colou?r|farge)):[ \t]+(#(?:[0-9A-Fa-f]{3}){1,2})[ \t\r]*$", re.I | re.M)


def parse_yaml(text: str, path: Path, log: ErrorLog, first_line: int = 1) -> YamlDoc | None:
    """Parse one YAML document; ``first_line`` shifts lines for front matter."""
    off = first_line - 1
    if "\t" in text:
        for n, row in enumerate(text.split("\n"), start=first_line):
            if "\t" in row[: len(row) - len(row.lstrip())]:
                log.add(path, n, "", "tabulator brukt som innrykk; bruk mellomrom")
                return None
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        said = yaml_problem(exc)
        # A list, group or quotation that never closes is named where it opens, not where the file ends.
        mark = (exc.context_mark if said in _UNCLOSED else None) or exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + off) if mark else first_line
        log.add(path, line, "", f"ugyldig YAML: {said}")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as a control character
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        log.add(path, text.count("\n", 0, exc.position) + first_line, "",
                f"ugyldig YAML: tegnet U+{char:04X} er ikke tillatt (et kontrolltegn?)")
        return None
    except yaml.YAMLError as exc:
        log.add(path, first_line, "", f"ugyldig YAML: {exc}")
        return None
    if node is None:
        return YamlDoc({}, {(): first_line})
    lines: dict[Loc, int] = {}
    try:
        data = _build(node, (), lines, off, set(), _Loader(""))
    except _Refused as exc:
        log.add(path, exc.line, "", exc.message)
        return None
    if _COLOUR_AS_COMMENT.search(text) and _colour_as_comment(text, data, lines, first_line, path, log):
        return None
    return YamlDoc(data, lines)


def _colour_as_comment(text: str, data: Any, lines: dict[Loc, int], first_line: int, path: Path,
                       log: ErrorLog) -> bool:
    """``primary_color: #7a1f3d``: YAML reads everything from `` #`` as a comment, so the colour field
    is empty and the site silently gets the theme's colour. Reported where a colour field is empty
    and its line holds a colour after the colon."""
    rows, found = text.split("\n"), False
    for loc, line in lines.items():
        if not loc or not isinstance(loc[-1], str) or not 0 <= line - first_line < len(rows):
            continue
        m = _COLOUR_AS_COMMENT.match(rows[line - first_line])
        if m is None or m.group(1) != loc[-1]:
            continue
        parent = data
        for key in loc[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and parent.get(loc[-1]) is None:
            log.add(path, line, m.group(1), f"fargen {m.group(2)} leses som en kommentar (i YAML starter # en "
                    f"kommentar): skriv den i anførselstegn, {m.group(1)}: \"{m.group(2)}\"")
            found = True
    return found


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], off: int,
           seen: set[int], ctor: _Loader) -> Any:
    line = node.start_mark.line + 1 + off
    lines[loc] = line
    if len(loc) > MAX_DEPTH:
        raise _Refused(line, f"feltene er nestet for dypt (mer enn {MAX_DEPTH} nivåer)")
    if isinstance(node, yaml.ScalarNode):
        try:
            return ctor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            if node.tag == _TIMESTAMP and not node.style:  # plain, not quoted
                # 2026-13-10 or 2026-02-30 looks like a date and is none: kept as its text, so the model
                # names the field ("må være en dato …") and the file's other errors still come in this run.
                return node.value
            raise _Refused(line, f"ugyldig verdi {node.value!r}: {exc}") from None
    if id(node) in seen:
        raise _Refused(line, "YAML-ankere og -aliaser (&/*) er ikke tillatt; skriv verdien ut")
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), lines, off, seen, ctor) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node.start_mark.line + 1 + off, "YAML-fletting (<<) er ikke tillatt")
            key = _build(key_node, (*loc, "<key>"), {}, off, seen, ctor)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise _Refused(key_node.start_mark.line + 1 + off, f"feltet {key!r} står to ganger")
            out[key] = _build(value_node, (*loc, key), lines, off, seen, ctor)
            lines[(*loc, key)] = key_node.start_mark.line + 1 + off
        return out
    raise _Refused(line, "ukjent YAML-node")


#: A JSON string (one never closed runs to the end: JSON cannot read past it, and trying every quote
#: of ``"\"\"…`` as the start of one that ends later was quadratic, 20 s for 60 KB), or a
#: bracket that opens or closes a level (what nesting depth is counted from).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)', re.S)
_JSON_LEVELS = re.compile(f"{_JSON_STRING.pattern}|[\\[\\]{{}}]", re.S)
_NOT_A_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")
_LEVEL = [{ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}.get(c, 0) for c in range(256)]


def _deepest(text: str) -> int:
    """How deep ``text``'s brackets nest, those in strings not counted: the brackets alone, added up in
    C (a 2 MB boundary file's 160,000 brackets took 0.05 s one match at a time, now 0.01 s)."""
    brackets = _JSON_STRING.sub("", text).encode("utf-8", "surrogatepass").translate(None, _NOT_A_BRACKET)
    return max(accumulate(map(_LEVEL.__getitem__, brackets), initial=0))


def parse_json(text: str, path: Path, log: ErrorLog) -> Any:
    """One JSON document, or None after logging why; nesting is checked before it is parsed."""
    if _deepest(text) > MAX_DEPTH and (line := _too_deep_at(text)) is not None:
        log.add(path, line, "", f"nestet for dypt (mer enn {MAX_DEPTH} nivåer)")
        return None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        log.add(path, exc.lineno, "", f"ugyldig JSON: {exc.msg}")
    except _Constant as exc:
        log.add(path, text.count("\n", 0, text.find(exc.name)) + 1, "", f"ugyldig JSON: {exc.name} er ikke et tall")
    except ValueError:  # a number of thousands of digits
        log.add(path, 1, "", "ugyldig JSON: et tall med for mange sifre")
    return None


def _too_deep_at(text: str) -> int | None:
    """The line where the nesting first goes deeper than :data:`MAX_DEPTH`, or None: brackets taken one
    at a time outside strings, slower than :func:`_deepest`, so only for the message."""
    depth = 0
    for m in _JSON_LEVELS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif m.group() in "]}":
            depth -= 1
    return None


class _Constant(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _no_constant(name: str) -> Any:
    """NaN and Infinity, which Python's reader accepts and JSON does not."""
    raise _Constant(name)


FRONT = "---"


def split_front_matter(text: str, path: Path, log: ErrorLog) -> tuple[YamlDoc, str, int] | None:
    """Split ``---`` front matter from a Markdown body.

    Returns the parsed front matter, the body and the body's first line.
    """
    rows = text.split("\n")
    if rows[0].strip() != FRONT:
        log.add(path, 1, "", "mangler innledende '---' med felter (front matter) øverst i filen")
        return None
    for i in range(1, len(rows)):
        if rows[i].strip() in (FRONT, "..."):
            doc = parse_yaml("\n".join(rows[1:i]), path, log, first_line=2)
            if doc is None:
                return None
            return doc, "\n".join(rows[i + 1:]), i + 2
    log.add(path, 1, "", "front matter er ikke lukket: legg til en linje med '---' etter feltene")
    return None
