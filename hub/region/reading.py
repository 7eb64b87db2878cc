"""Reading a member's manifest: what the region takes from someone else, and how it says no.

A manifest is untrusted input. It is read in three steps, each of which can only end in a
:class:`MemberError` (one line that names the field, never a traceback):

1. :func:`parse` — bytes to JSON within limits: size, nesting depth, no ``NaN``/``Infinity``,
   no text a page cannot hold (lone surrogates).
2. the contract version's reader (:data:`READERS`, one per ``manifest_version``) — the shape
   and the meaning, by the models the portal writes with (:mod:`hub.exports.manifest`): types,
   plain text, http(s) links, real dates and clock ranges, IANA time zones, organisation
   numbers, finite coordinates.
3. that version's section checks — what only the region can judge, because it knows where it
   fetched the member from: links to another host are reported, search bundles on another
   origin are dropped (the region's pages never load anything from an origin it did not fetch).

The messages never repeat the manifest's values (the build log is read by people, terminals and
CI annotations): they name the field, and a foreign host by its name.
A new contract version adds its model and a reader to :data:`READERS`; the region keeps reading
the versions it already knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from hub.exports.manifest import Manifest

MAX_BYTES = 20 * 1024 * 1024
#: A version 1 manifest nests nine levels deep (services → offers → hours → days → ranges).
MAX_DEPTH = 32
WHOLE = "(hele manifestet)"


class MemberError(Exception):
    """Why a member's manifest could not be used (one line, Norwegian)."""


@dataclass(frozen=True)
class Reading:
    manifest: Manifest
    notes: tuple[str, ...] = ()  # what the region left out or wants the member to know (warnings)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


# --- 1. JSON within limits ---------------------------------------------------------------------

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _no_constant(name: str) -> None:
    raise ValueError("NaN/Infinity")


def parse(raw: bytes) -> dict[str, Any]:
    """The JSON object of ``raw``, or a :class:`MemberError`: too large, not JSON, not an object, nested too deep.

    Python's parser meets deep nesting with a RecursionError (caught here as what it is); the walk
    after it holds the document to :data:`MAX_DEPTH` without recursing itself.
    """
    if len(raw) > MAX_BYTES:
        raise MemberError(f"{WHOLE}: større enn {MAX_BYTES // 1024 // 1024} MB")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise MemberError(f"{WHOLE}: nøstet dypere enn {MAX_DEPTH} nivåer") from None
    except json.JSONDecodeError as exc:
        raise MemberError(f"{WHOLE}: ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno})") from None
    except (ValueError, UnicodeDecodeError):
        raise MemberError(f"{WHOLE}: ikke gyldig JSON (ugyldig tegnkoding, NaN/Infinity eller et tall "
                          "med for mange sifre)") from None
    if not isinstance(data, dict):
        raise MemberError(f"{WHOLE}: skal være et JSON-objekt")
    stack: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise MemberError(f"{field(path[:MAX_DEPTH])}: nøstet dypere enn {MAX_DEPTH} nivåer")
        if isinstance(value, str) and _SURROGATE.search(value):
            named = _named_part(path)
            raise MemberError(f"{field(named)}: " + ("" if named == path else "et felt med et navn som ikke er et "
                              "feltnavn har ") + "tekst med ugyldige tegn (ensomme surrogater)")
        if isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE.search(k):
                    raise MemberError(f"{field(path)}: et feltnavn med ugyldige tegn")
                stack.append((v, (*path, k)))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return data


# --- messages that name the field and never repeat the value -----------------------------------

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _named_part(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``path`` up to its first key that is not a plain name (someone else's text, not to be repeated)."""
    for i, part in enumerate(path):
        if isinstance(part, str) and not _NAME.match(part):
            return path[:i]
    return path


def field(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """``services[0].offers[2].url``; a key that is not a plain name (someone else's text) shows as ``…``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (nøkkelen)"
        else:
            out += ("." if out else "") + (part if _NAME.match(part) else "…")
    return out or WHOLE


#: Pydantic's error types in words (its own messages are English and may quote the value).
_WHAT = {
    "missing": "mangler", "extra_forbidden": "ukjent felt", "literal_error": "ugyldig verdi",
    "string_type": "skal være tekst", "string_too_long": "for lang tekst", "string_too_short": "skal ikke være tom",
    "string_pattern_mismatch": "har feil form", "list_type": "skal være en liste", "tuple_type": "skal være en liste",
    "dict_type": "skal være et objekt", "model_type": "skal være et objekt",
    "model_attributes_type": "skal være et objekt",
    "too_long": "for mange elementer", "too_short": "for få elementer",
    "finite_number": "skal være et endelig tall", "timezone_aware": "mangler tidssone (f.eks. +01:00)",
}
_WHAT_PREFIX = (("int", "skal være et heltall"), ("float", "skal være et tall"), ("bool", "skal være true eller false"),
                ("datetime", "skal være et tidspunkt med tidssone (ÅÅÅÅ-MM-DDTtt:mm+01:00)"),
                ("date", "skal være en dato (ÅÅÅÅ-MM-DD)"), ("greater", "utenfor gyldig område"),
                ("less", "utenfor gyldig område"))


def _what(error: Any) -> str:
    kind = error["type"]
    if kind in ("value_error", "assertion_error"):
        # The models' own messages (hub.exports.manifest), written not to repeat the value.
        return str(error.get("ctx", {}).get("error", "ugyldig verdi"))
    return _WHAT.get(kind) or next((text for prefix, text in _WHAT_PREFIX if kind.startswith(prefix)), "ugyldig verdi")


def shape(model: type[BaseModel], data: object) -> Any:
    """``data`` read by ``model`` as untrusted, or a :class:`MemberError` naming the first field that is wrong."""
    try:
        return model.model_validate(data, context={"untrusted": True})
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        first = errors[0]
        more = f" (og {len(errors) - 1} feil til)" if len(errors) > 1 else ""
        raise MemberError(f"{field(first['loc'])}: {_what(first)}{more}") from None


# --- 2. the version's reader ----------------------------------------------------------------------

def _rebase(data: object, old: str, new: str) -> object:
    """Links under the member's ``base_url`` moved to where the region found it (a mirror, a preview)."""
    if isinstance(data, str):
        return new + data[len(old):] if data.startswith(old) else data
    if isinstance(data, list):
        return [_rebase(x, old, new) for x in data]
    if isinstance(data, dict):
        return {k: _rebase(v, old, new) for k, v in data.items()}
    return data


def _base_url(data: dict[str, Any]) -> str | None:
    town = data.get("municipality")
    base = town.get("base_url") if isinstance(town, dict) else None
    return base if isinstance(base, str) and base.startswith(("https://", "http://")) else None


def _links_v1(m: Manifest) -> Iterator[tuple[str, str]]:
    """Every page link of a version 1 manifest, with its field."""
    for i, d in enumerate(m.districts):
        yield f"districts[{i}].url", d.url
    for i, s in enumerate(m.services):
        yield f"services[{i}].url", s.url
        for j, o in enumerate(s.offers):
            yield f"services[{i}].offers[{j}].url", o.url
    for i, occ in enumerate(m.programme):
        yield f"programme[{i}].url", occ.url
    yield "calendar", m.calendar


def own_links(links: Iterator[tuple[str, str]], home: str) -> list[str]:
    """One note per foreign host: links are shown as the member gives them, but the member should know."""
    foreign: dict[str, list[str]] = {}
    for where, url in links:
        if origin(url) != home:
            foreign.setdefault(urlsplit(url).netloc, []).append(where)
    return [f"{len(fields)} lenke{'r' if len(fields) > 1 else ''} går til {host}, ikke til medlemmets egen adresse "
            f"{home} (først {fields[0]})" for host, fields in sorted(foreign.items())]


def own_bundles(bundles: list[str], home: str) -> tuple[list[str], list[str]]:
    """The search bundles on the member's own origin; one note per bundle left out.

    A bundle is data the region's search reads (Pagefind's ``mergeIndex`` fetches its index files);
    it never runs code on the region's pages, and only the member's own origin enters the policy.
    """
    kept = [b for b in bundles if origin(b) == home]
    notes = [f"search[{i}]: søkeindeksen på {urlsplit(b).netloc} er ikke på medlemmets egen adresse {home} "
             "og brukes ikke" for i, b in enumerate(bundles) if origin(b) != home]
    return kept, notes


def _links_v2(m: Manifest) -> Iterator[tuple[str, str]]:
    """Every page link of a version 2 manifest: version 1's and each plan's page."""
    yield from _links_v1(m)
    for i, p in enumerate(m.plans):
        yield f"plans[{i}].url", p.url


def _reader(links: Callable[[Manifest], Iterator[tuple[str, str]]]) -> Callable[[dict[str, Any], str | None], Reading]:
    """A contract version's reader: the shape and meaning by the manifest's models (version 1 carries no
    plans, version 2 may), then that version's links checked against the member's own origin."""
    def read_version(data: dict[str, Any], root: str | None) -> Reading:
        base = _base_url(data)
        if root and base and base.rstrip("/") + "/" != root:
            data = _rebase(data, base.rstrip("/") + "/", root)  # type: ignore[assignment]
        manifest: Manifest = shape(Manifest, data)
        home = origin(root or manifest.municipality.base_url)
        kept, notes = own_bundles(list(manifest.search), home)
        notes += own_links(links(manifest), home)
        return Reading(manifest.model_copy(update={"search": kept}), tuple(notes))
    return read_version


#: One reader per contract version the region knows.
READERS: dict[int, Callable[[dict[str, Any], str | None], Reading]] = {1: _reader(_links_v1), 2: _reader(_links_v2)}


def read(raw: bytes, root: str | None = None) -> Reading:
    """A member's manifest from its bytes. ``root`` is the portal's address as the region fetched it
    (after redirects), or None for a member read from a folder (then its ``base_url`` is its home)."""
    data = parse(raw)
    version = data.get("manifest_version")
    reader = READERS.get(version) if type(version) is int else None
    if reader is None:
        known = ", ".join(map(str, sorted(READERS)))
        raise MemberError(f"manifest_version: {'mangler' if version is None else 'ukjent versjon'} "
                          f"(denne regionen leser versjon {known})")
    return reader(data, root)
