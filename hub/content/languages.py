"""Languages residents read: which codes a translation may use, what each language is called, which
way it is written, and how a translation's text is laid over its source.

A code is known when Unicode's CLDR (shipped with Babel) has a locale for it: a plain language code
of two or three lower-case letters (ISO 639), such as ``pl``, ``ar``, ``so``, ``ti``, ``uk``,
``tr`` or ``ckb``. CLDR also gives every language's name in its own language ("polski",
"العربية") and in Norwegian ("polsk"), and whether it is written right to left — so no list of
ours can fall behind.

A translation (``helsestasjon.pl.md`` beside ``helsestasjon.md``, ``district.pl.yaml`` beside
``district.yaml``) holds only text: the fields a model names in ``TEXT_FIELDS`` (see
:func:`hub.content.model.text_fields`), and its own ``updated`` and ``example``. Everything else —
hours, places, contacts, capacity, codes, dates — is the source's, so the two can never disagree.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, localedata
from babel.core import get_global

Loc = tuple[str | int, ...]

#: ``<slug>.<code>`` — the stem of a translation's file; the code is then checked against CLDR.
#: Up to eight letters, so that ``helsestasjon.polsk.md`` is named as an unknown code, not a bad name.
TRANSLATION_STEM = re.compile(r"^(?P<stem>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<code>[a-zA-Z]{2,8})$")
CODE = re.compile(r"^[a-z]{2,3}$")
#: A translation's own fields besides its text: when it was last checked against its source, and
#: whether it is example text.
OWN_FIELDS = ("updated", "example")
#: The Norwegian written standards (``no`` is Norwegian without saying which).
NORWEGIAN = frozenset({"nb", "nn", "no"})
EXAMPLES = "pl (polsk), ar (arabisk), so (somali), ti (tigrinja), uk (ukrainsk), tr (tyrkisk), en (engelsk)"


def split_stem(stem: str) -> tuple[str, str] | None:
    """``"helsestasjon.pl"`` → ``("helsestasjon", "pl")``; None for a stem that names no language."""
    found = TRANSLATION_STEM.match(stem)
    return (found["stem"], found["code"]) if found else None


@cache
def known(code: str) -> bool:
    """Whether CLDR has a locale for this plain language code (``pl``, ``ckb``; not ``PL`` or ``pl-PL``)."""
    return bool(CODE.match(code)) and localedata.exists(code)


def unknown_message(code: str) -> str:
    hint = f" (skriv koden med små bokstaver: {code.lower()})" if known(code.lower()) else ""
    return (f"ukjent språkkode '{code}' i filnavnet{hint}; bruk en språkkode fra ISO 639 som CLDR kjenner, "
            f"f.eks. {EXAMPLES}")


@cache
def own_name(code: str) -> str:
    """The language's name in itself, as a language menu shows it: "Polski", "العربية", "Norsk bokmål"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


@cache
def name_in(code: str, lang: str) -> str:
    """The language's name in another language: ``name_in("pl", "nb")`` → "polsk"."""
    return Locale.parse(lang).languages.get(code) or Locale.parse(code).get_display_name(lang) or code


@cache
def rtl(code: str) -> bool:
    """Written right to left (Arabic, Persian, Urdu, Sorani …), by CLDR's character order."""
    return Locale.parse(code).character_order == "right-to-left"


def direction(code: str) -> str:
    return "rtl" if rtl(code) else "ltr"


@cache
def region_tag(code: str) -> str:
    """The language with its likely territory, for Open Graph's ``og:locale`` ("pl" → "pl_PL")."""
    likely = str(get_global("likely_subtags").get(code, code))
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 and parts[-1].isupper() else parts[0]


EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


def eu_language(code: str) -> str:
    """The EU Publications Office's language authority IRI, which CPSV-AP-NO's ``dct:language`` takes
    (its codes are ISO 639-3, upper-case: ``pl`` → ``POL``, ``nb`` → ``NOB``, ``ar`` → ``ARA``)."""
    return EU_LANGUAGE + (_iso639_3().get(code.lower(), code) if len(code) == 2 else code).upper()


@cache
def _iso639_3() -> dict[str, str]:
    """ISO 639-1 code → ISO 639-3 code, from pycountry's copy of the ISO 639-3 table, read as it is:
    pycountry's own index of all 7,923 languages was 0.05–0.09 s of every service catalogue."""
    from importlib.util import find_spec

    spec = find_spec("pycountry")  # its folder, without running the package
    assert spec is not None and spec.submodule_search_locations, "pycountry is a dependency"
    table = Path(spec.submodule_search_locations[0], "databases", "iso639-3.json")
    return {e["alpha_2"]: e["alpha_3"] for e in json.loads(table.read_bytes())["639-3"] if "alpha_2" in e}


# --- a translation over its source --------------------------------------------------------------

def text_path(loc: Loc) -> str:
    """``("steps", 0, "note")`` → ``"steps[].note"``: a location as :func:`text_fields` names it."""
    out = ""
    for part in loc:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def dotted(loc: Loc) -> str:
    """``("steps", 0, "note")`` → ``"steps[0].note"``: a location as messages name it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def structured(data: dict[str, Any], allowed: tuple[str, ...]) -> list[Loc]:
    """The places in a translation's data that hold anything but text: the outermost such field each."""
    wanted = set(allowed) | set(OWN_FIELDS)
    out: list[Loc] = []

    def walk(value: Any, loc: Loc) -> None:
        name = text_path(loc)
        if name in wanted:
            return
        inner = [w for w in wanted if w.startswith(name + ".") or w.startswith(name + "[].")]
        if not inner:
            out.append(loc)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*loc, k))
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for i, v in enumerate(value):
                walk(v, (*loc, i))
        else:
            out.append(loc)

    for key, value in data.items():
        walk(value, (key,))
    return out


def overlay(source: dict[str, Any], text: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Loc, str]]]:
    """The source's data with the translation's text laid over it, and what did not fit: a list of
    groups (``steps``) is matched item by item, so a translation may not have more items than its
    source, and it cannot give text to a group its source does not have."""
    problems: list[tuple[Loc, str]] = []

    def lay(under: Any, over: Any, loc: Loc) -> Any:
        if isinstance(over, dict) and loc:
            if not isinstance(under, dict):
                problems.append((loc, f"originalen har ikke '{dotted(loc)}'; en oversettelse kan bare oversette "
                                 "tekst som står i originalen"))
                return under
            return {**under, **{k: lay(under.get(k), v, (*loc, k)) for k, v in over.items()}}
        if isinstance(over, list) and over and all(isinstance(v, dict) for v in over):
            if not isinstance(under, list):
                problems.append((loc, f"originalen har ikke '{dotted(loc)}'; en oversettelse kan bare oversette "
                                 "tekst som står i originalen"))
                return under
            if len(over) > len(under):
                problems.append(((*loc, len(under)), f"oversettelsen har {len(over)} punkter under '{dotted(loc)}', "
                                 f"originalen {len(under)}; punktene oversettes i samme rekkefølge som i originalen"))
                return under
            return [lay(u, over[i], (*loc, i)) if i < len(over) else u for i, u in enumerate(under)]
        return over

    merged = {k: v for k, v in source.items() if k not in OWN_FIELDS and k != "lang"}
    for key, value in text.items():
        merged[key] = lay(source.get(key), value, (key,)) if key not in OWN_FIELDS else value
    if "example" not in text and source.get("example"):
        merged["example"] = source["example"]
    return merged, problems
