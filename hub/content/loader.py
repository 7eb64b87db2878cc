"""Content folder → validated, immutable :class:`Portal`.

Reads every file, validates it against :mod:`hub.content.model`, checks references
between files, and raises :class:`ContentErrors` once with everything found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import typing
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hub.content import branding, geo, markup
from hub.content.errors import ContentError, ContentErrors, ErrorLog
from hub.content.geo import FAR_KM, far_hubs, great_circle_km, km_outside, point, read_areas
from hub.content.languages import (
    OWN_FIELDS,
    dotted,
    known,
    overlay,
    split_stem,
    structured,
    text_path,
    unknown_message,
)
from hub.content.model import (
    DISTRICTS_MAX,
    KINDS_MAX,
    PLANS_MAX,
    CapacityEntry,
    CapacityFile,
    DistrictConfig,
    EventMeta,
    NewsMeta,
    PageMeta,
    PlanMeta,
    ServiceMeta,
    SiteConfig,
    StreetsFile,
    text_fields,
    too_many,
)
from hub.content.names import SLUG_RE, slugify
from hub.content.source import LINKED, YamlDoc, parse_yaml, read_text, split_front_matter
from hub.content.structure import Attachment, Body, District, DistrictText, Doc, Plan, Portal, kind_of
from hub.time.clock import today_from_env
from hub.time.hours import HolidayCalendar

T = TypeVar("T", bound=BaseModel)
D = TypeVar("D", bound=Doc[Any])

#: First path segments a page may not take inside a district, because views use them.
RESERVED = {"tjenester", "program", "nyheter", "sok", "static", "kalender", "pagefind", "feed", "tilgjengelighet",
            "finn", "plakat", "planer"}
#: Names a district folder may not take: the one door in's own first path segments.
DISTRICT_RESERVED = frozenset(RESERVED | {"404", "apne-data", "media"})
#: A plan document's file may be larger than a content file (a plan map as PDF), up to this.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

_MESSAGES = {
    "missing": "mangler (feltet er påkrevd)",
    "extra_forbidden": "ukjent felt (sjekk stavemåten)",
    "string_type": "må være tekst",
    "int_type": "må være et heltall",
    "int_parsing": "må være et heltall",
    "int_from_float": "må være et heltall",
    "float_type": "må være et tall",
    "float_parsing": "må være et tall",
    "bool_type": "må være true eller false",
    "bool_parsing": "må være true eller false",
    "date_type": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "date_parsing": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "date_from_datetime_parsing": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "date_from_datetime_inexact": "må være en dato uten klokkeslett",
    "tuple_type": "må være en liste",
    "list_type": "må være en liste",
    "dict_type": "må være en gruppe med felter",
    "model_type": "må være en gruppe med felter",
    "model_attributes_type": "må være en gruppe med felter",
    "string_too_short": "kan ikke være tom",
    "too_short": "kan ikke være tom",
    "string_pattern_mismatch": "har feil format",
}


_BOUNDS = {"greater_than_equal": "må være minst", "less_than_equal": "kan være høyst",
           "greater_than": "må være større enn", "less_than": "må være mindre enn"}


def _field(loc: tuple[Any, ...], data: Any) -> tuple[str, tuple[Any, ...]]:
    """Pydantic loc → dotted field name and the data path, dropping validator-internal parts."""
    parts: list[str] = []
    path: list[Any] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            parts.append(str(part))
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
            path.append(part)
            cur = cur[part]
        elif part not in ("[key]",) and isinstance(cur, dict) and isinstance(part, str):
            parts.append(str(part))  # a missing field (also inside a list item): named, but not in the data
            cur = None
    return ".".join(parts), tuple(path)


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":  # pydantic lists the choices as "'nb', 'nn' or 'en'"
        return f"må være en av: {str(err['ctx']['expected']).replace(' or ', ' eller ')}" + (
            f" (fikk {err['input']!r})" if isinstance(err.get("input"), str) else "")
    if kind == "string_type" and isinstance(err.get("input"), (int, float)) and not isinstance(err["input"], bool):
        # YAML reads a bare 0301 or 32040000 as a number (and drops the leading zero)
        return ("må være tekst: skriv verdien i anførselstegn, slik den skal stå (\"0301\"; uten dem blir det "
                "tallet 301)")
    if kind in _BOUNDS:  # Field(ge=1, le=8): pydantic's own words are English
        return f"{_BOUNDS[kind]} {next(iter(err['ctx'].values())):g}" + (
            f" (fikk {err['input']!r})" if isinstance(err.get("input"), (int, float)) else "")
    if kind == "string_too_long" or kind == "too_long" and isinstance(err.get("input"), str):  # a text: its length
        return f"er for lang: {len(err['input'])} tegn, høyst {err['ctx']['max_length']}; kort den ned"
    if kind == "too_long":
        return f"er for mange: {err['ctx']['actual_length']}, høyst {err['ctx']['max_length']}"
    if kind in ("date_parsing", "date_from_datetime_parsing") and isinstance(err.get("input"), str):
        return f"{_MESSAGES[kind]} (fikk {err['input']!r})"  # 2026-02-30 has the form, and no such day
    return _MESSAGES.get(kind, str(err["msg"]))


def _items_failed(err: Any) -> bool:
    """A list "too short" only because its items failed (``days: [tirsdag]``): those errors say it already."""
    given = err.get("input")
    return err["type"] == "too_short" and isinstance(given, (list, tuple)) and len(given) >= err["ctx"]["min_length"]


def validate(model: type[T], doc: YamlDoc, path: Path, log: ErrorLog) -> T | None:
    if not isinstance(doc.data, dict):
        log.add(path, doc.line(()), "", "forventet felter (nøkkel: verdi) øverst i filen")
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            if _items_failed(err):
                continue
            name, data_path = _field(tuple(err["loc"]), doc.data)
            message = _message(err)
            if err["type"] == "extra_forbidden":
                message = _unknown_field(model, tuple(err["loc"]), doc.data)
            name, data_path = _named(message, name, data_path, doc.data)
            line = doc.line(data_path) if data_path else doc.line(())
            log.add(path, line, name, message)
        return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any]:
    """The fields (by the name a file writes) of the model that holds ``loc``'s last part; {} if the
    path leaves the models (a mapping of free keys)."""
    fields: dict[str, Any] = {info.alias or name: info.annotation for name, info in model.model_fields.items()}
    for part in loc[:-1]:
        if isinstance(part, int):  # an item of a list: the same annotation's model
            continue
        inner = _model_in(fields.get(part))
        if inner is None:
            return {}
        fields = {info.alias or name: info.annotation for name, info in inner.model_fields.items()}
    return fields


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds (``Contact | None``, ``tuple[Entry, ...]``), if it holds one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _unknown_field(model: type[BaseModel], loc: tuple[Any, ...], data: Any, only: tuple[str, ...] | None = None) -> str:
    """"ukjent felt", with the field meant when one of the fields the file has not used is close:
    a coordinator who writes ``sumary`` or ``kategori`` is told ``summary`` or ``category``. ``only``:
    the fields this file may hold at all (a translation's text, as :func:`text_fields` names them)."""
    at = data
    for part in loc[:-1]:
        try:
            at = at[part]
        except (KeyError, IndexError, TypeError):
            at = None
            break
    given = set(at) if isinstance(at, dict) else set()
    free = sorted(set(_fields_at(model, loc)) - given)
    if only is not None:
        free = [f for f in free if text_path((*loc[:-1], f)) in only]
    near = difflib.get_close_matches(str(loc[-1]).lower(), free, n=1, cutoff=0.7)
    return f"ukjent felt (mente du «{near[0]}»?)" if near else _MESSAGES["extra_forbidden"]


def _named(message: str, name: str, data_path: tuple[Any, ...], data: Any) -> tuple[str, tuple[Any, ...]]:
    """A rule over several fields ("give exactly one of 'date', 'dates' or 'repeat'") fails on the
    whole entry: name the first field it quotes that the entry has, and its line."""
    at = data
    for part in data_path:
        at = at[part]
    if isinstance(at, dict):
        for quoted in re.findall(r"'([a-z_]+)'", message):
            if quoted in at:
                return (f"{name}.{quoted}" if name else quoted), (*data_path, quoted)
    return name, data_path


def _yaml_file(path: Path, model: type[T], log: ErrorLog) -> T | None:
    found = _yaml_doc(path, model, log)
    return found[0] if found is not None else None


def _yaml_doc(path: Path, model: type[T], log: ErrorLog) -> tuple[T, YamlDoc] | None:
    """A YAML file validated, with its data as read (a translation is laid over it)."""
    if not path.is_file():
        log.add(path, 0, "", "filen mangler")
        return None
    text = read_text(path, log)
    doc = parse_yaml(text, path, log) if text is not None else None
    meta = validate(model, doc, path, log) if doc is not None else None
    return (meta, doc) if meta is not None and doc is not None else None


# --- translations: ``<slug>.<lang>.md`` beside ``<slug>.md`` (hub.content.languages) ---------------

Translation = tuple[Path, str, str]  # the file, its source's stem, its language code


def _orphan(path: Path, stem: str, code: str, suffix: str, log: ErrorLog) -> None:
    log.add(path, 1, "", f"oversettelsen har ingen original: fant ikke {stem}{suffix} i samme mappe (en "
            f"oversettelse ligger ved siden av filen den oversetter: {stem}{suffix} og {stem}.{code}{suffix})")


def _text_over(path: Path, front: YamlDoc, model: type[T], source: YamlDoc | None, source_name: str,
               log: ErrorLog) -> T | None:
    """A translation's fields checked (text only) and laid over its source's (None: no valid source)."""
    if not isinstance(front.data, dict):
        log.add(path, front.line(()), "", "forventet felter (nøkkel: verdi) øverst i filen")
        return None
    allowed = text_fields(model)
    wrong = structured(front.data, allowed)
    for loc in wrong:
        if isinstance(loc[-1], str) and loc[-1] not in _fields_at(model, loc):  # no field of any file: a typo
            log.add(path, front.line(loc), dotted(loc), _unknown_field(model, loc, front.data, (*allowed, *OWN_FIELDS)))
            continue
        log.add(path, front.line(loc), dotted(loc), f"feltet hører til originalen ({source_name}) og står ikke i en "
                f"oversettelse: en oversettelse har bare tekst ({', '.join(allowed)}) og sin egen "
                f"{' og '.join(OWN_FIELDS)}; tider, steder, kontakter og koder hentes fra originalen")
    if source is None or wrong or not isinstance(source.data, dict):
        return None
    merged, problems = overlay(source.data, front.data)
    for loc, message in problems:
        log.add(path, front.line(loc), dotted(loc), message)
    return validate(model, YamlDoc(merged, front.lines), path, log) if not problems else None


def _translations(found: list[Translation], sources: Mapping[str, tuple[D, YamlDoc] | None], model: type[T],
                  log: ErrorLog, lazy: bool) -> dict[str, list[D]]:
    """Each source's translations (by its stem); ``sources`` names every source file, None if it failed."""
    out: dict[str, list[D]] = {}
    for path, stem, code in found:
        if stem not in sources:
            _orphan(path, stem, code, path.suffix, log)
        text = read_text(path, log)
        split = split_front_matter(text, path, log) if text is not None else None
        if split is None:
            continue
        front, body, first = split
        source = sources.get(stem)
        meta = _text_over(path, front, model, source[1] if source else None, f"{stem}.md", log)
        fits = _within_limits(body, first, path, log)  # also when its fields or its source failed
        if meta is not None and source is not None and fits:
            out.setdefault(stem, []).append(source[0].translated(log.rel(path), meta, Body(body, now=not lazy), code))
    return out


def _with_translations(docs: Mapping[str, tuple[D, YamlDoc] | None], found: list[Translation], model: type[T],
                       log: ErrorLog, lazy: bool) -> tuple[D, ...]:
    texts = _translations(found, docs, model, log, lazy)
    return tuple(dataclasses.replace(d[0], translations=tuple(texts.get(stem, ()))) if stem in texts else d[0]
                 for stem, d in docs.items() if d is not None)


def _front(path: Path, model: type[T], log: ErrorLog) -> tuple[T, YamlDoc, str] | None:
    """A Markdown file's validated front matter, the front matter as read (for lines) and its body."""
    text = read_text(path, log)
    if text is None:
        return None
    split = split_front_matter(text, path, log)
    if split is None:
        return None
    front, body, first = split
    meta = validate(model, front, path, log)
    fits = _within_limits(body, first, path, log)  # the body's mistakes come in the same run as the fields'
    if meta is None or not fits:
        return None
    return meta, front, body


def _doc(path: Path, model: type[T], log: ErrorLog, lazy: bool) -> tuple[Doc[T], YamlDoc] | None:
    found = _front(path, model, log)
    if found is None:
        return None
    meta, front, body = found
    return Doc(path.stem, log.rel(path), meta, Body(body, now=not lazy)), front


def _plan(path: Path, district: str | None, files: Path | None, log: ErrorLog,
          lazy: bool) -> tuple[Plan, YamlDoc] | None:
    """``planer/<slug>.md`` with its checks: steps in order, document files present (in the folder
    ``planer/<slug>/`` beside it), ``districts`` only on a municipality-wide plan."""
    found = _front(path, PlanMeta, log)
    if found is None:
        return None
    meta, front, body = found

    def err(loc: tuple[Any, ...], message: str) -> None:
        log.add(path, front.line(loc), _field(loc, front.data)[0], message)

    for loc, message in meta.problems():
        err(loc, message)
    if district is not None and meta.districts:
        err(("districts",), "bare planer i content/planer/ har 'districts'; denne planen hører til kommunedelen "
            "den ligger i")
    if district is None and not meta.districts:
        err(("districts",), "mangler: en plan for hele kommunen nevner kommunedelene den berører "
            "(f.eks. districts: [bragernes, konnerud])")
    attachments, named = [], set()
    for i, d in enumerate(meta.documents):
        if d.file is None:
            continue
        named.add(d.file)
        where = (files or path.with_suffix("")) / d.file
        if where.is_symlink() or not where.is_file():
            err(("documents", i, "file"), f"filen finnes ikke: {log.rel(where)} (legg dokumentene i mappen "
                f"{log.rel(path.with_suffix(''))}/)")
        elif (size := where.stat().st_size) > MAX_DOCUMENT_BYTES:
            err(("documents", i, "file"), f"filen er for stor ({size // 1024 // 1024} MB, høyst "
                f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB); lenk til den med 'url' i stedet")
        else:
            attachments.append(Attachment(d.file, log.rel(where), size))
    for extra in sorted(files.iterdir()) if files is not None else []:
        if not extra.name.startswith(".") and extra.name not in named:
            log.add(extra, 0, "", f"filen er ikke nevnt under 'documents' i {path.name}; nevn den der eller fjern den")
    return Plan(path.stem, log.rel(path), meta, Body(body, now=not lazy), district=district,
                files=tuple(attachments)), front


def _plans(folder: Path, district: str | None, log: ErrorLog, lazy: bool) -> tuple[Plan, ...]:
    """The plans in a ``planer/`` folder: ``<slug>.md`` each, its document files in ``<slug>/``."""
    if not folder.is_dir():
        return ()
    texts, found = _files(folder, log, folders=True)
    if folder.is_symlink():  # reported: nothing from outside the content folder
        return ()
    stems = {p.stem for p in texts}
    for p in sorted(folder.iterdir()):
        if p.is_dir() and not p.is_symlink() and not p.name.startswith(".") and p.name not in stems:
            log.add(p, 0, "", f"mappen hører ikke til noen plan: dokumentene til planen {p.name}.md ligger i "
                    f"planer/{p.name}/")
    def folder_of(p: Path) -> Path | None:
        f = p.with_suffix("")
        return f if f.is_dir() and not f.is_symlink() else None

    plans = {p.stem: _plan(p, district, folder_of(p), log, lazy) for p in texts}
    return _with_translations(plans, found, PlanMeta, log, lazy)


def _within_limits(markdown: str, first: int, path: Path, log: ErrorLog) -> bool:
    """Markdown whose conversion stays cheap (checked here, so ``check`` and the preview see it too),
    and whose pictures and media links point at files in ``content/media/``."""
    problem = markup.limit_problem(markdown)
    if problem is not None:
        line, message = problem
        log.add(path, first + line - 1, "", f"teksten er for krevende å gjøre om: {message}")
        return False
    if markup.MEDIA in markdown or "![" in markdown or "<img" in markdown.lower():
        folder = log.root / "media"
        for line, message in markup.media_problems(markdown, lambda name: _media_file(folder, name)):
            log.add(path, first + line - 1, "", message)
    return True


#: What the media folder may hold: pictures for pages, and documents to link to.
MEDIA_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".pdf"}
MAX_MEDIA_BYTES = 10_000_000


def _media_file(folder: Path, name: str) -> bool:
    path = folder / name
    return bool(markup.MEDIA_NAME.fullmatch(name)) and path.is_file() and not path.is_symlink()


def _media(folder: Path, log: ErrorLog) -> tuple[str, ...]:
    """``content/media/``: pictures and files uploaded in the browser editor, published at ``/media/``."""
    found = []
    for p in _entries(folder, log):
        if not p.is_file():
            log.add(p, 0, "", "mapper er ikke tillatt i media/; legg filene rett i media/")
        elif p.suffix.lower() not in MEDIA_TYPES:
            log.add(p, 0, "", f"filtypen {p.suffix or '(ingen)'} kan ikke publiseres; bruk "
                    f"{', '.join(sorted(MEDIA_TYPES))}")
        elif not markup.MEDIA_NAME.fullmatch(p.name):
            log.add(p, 0, "", "filnavnet kan bare ha bokstavene a–z, tall, - _ og . (last filen opp på nytt i "
                    "redigeringsverktøyet, eller gi den et slikt navn)")
        elif p.stat().st_size > MAX_MEDIA_BYTES:
            log.add(p, 0, "", f"filen er for stor ({p.stat().st_size} byte, høyst {MAX_MEDIA_BYTES}); "
                    "gjør bildet mindre før du laster det opp")
        else:
            found.append(p.name)
    return tuple(found)


def _entries(folder: Path, log: ErrorLog) -> list[Path]:
    """What a content folder holds, sorted, hidden entries left out; links (the folder or in it) reported."""
    if folder.is_symlink():
        log.add(folder, 0, "", LINKED)
        return []
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_symlink():
            log.add(p, 0, "", LINKED)
        else:
            out.append(p)
    return out


def _files(folder: Path, log: ErrorLog, *, folders: bool = False) -> tuple[list[Path], list[Translation]]:
    """Markdown files in a folder, sorted, and the translations among them; anything else there is
    reported (``folders``: except folders)."""
    out: list[Path] = []
    translations: list[Translation] = []
    for p in _entries(folder, log):
        if folders and p.is_dir():
            continue
        if p.suffix != ".md" or not p.is_file():
            log.add(p, 0, "", "ukjent fil her; innholdsfiler slutter på .md")
        elif (split := split_stem(p.stem)) is not None and SLUG_RE.match(split[0]):
            if known(split[1]):
                translations.append((p, *split))
            else:
                log.add(p, 1, "", unknown_message(split[1]))
        elif not SLUG_RE.match(p.stem):
            named = _as_slug(p, "filen", RESERVED, ".md") or "f.eks. apent-hus.md"
            log.add(p, 0, "", f"filnavnet {p.stem!r} er ikke gyldig: bruk små bokstaver a–z, tall og bindestrek "
                    f"({named}; en oversettelse: apent-hus.pl.md)")
        else:
            out.append(p)
    return out, translations


def _as_slug(path: Path, what: str, reserved: Collection[str], suffix: str = "") -> str:
    """The name to give a file (``suffix=".md"``) or folder whose name is no plain address, as
    ``knutepunkt new`` writes one ("Østbyen" → "gi mappen navnet ostbyen"; "Åpent hus.en.md" →
    "apent-hus.en.md"); nothing when that name is reserved or taken."""
    stem = path.name.removesuffix(suffix)
    base, _, code = stem.rpartition(".")
    lang = f".{code}" if suffix and base and known(code) else ""  # a translation's file, never a folder
    slug = slugify(base if lang else stem)
    name = f"{slug}{lang}{suffix}"
    if not SLUG_RE.match(slug) or slug in reserved or (path.parent / name).exists():
        return ""
    return f"gi {what} navnet {name}"


def _docs(folder: Path, model: type[T], log: ErrorLog, lazy: bool) -> tuple[Doc[T], ...]:
    sources, found = _files(folder, log)
    return _with_translations({p.stem: _doc(p, model, log, lazy) for p in sources}, found, model, log, lazy)


def _district_texts(folder: Path, source: tuple[DistrictConfig, YamlDoc] | None,
                    log: ErrorLog) -> tuple[DistrictText, ...]:
    """``district.<lang>.yaml`` (the district's text) and ``index.<lang>.md`` (its introduction), per language."""
    configs: dict[str, DistrictConfig | None] = {}
    pages: dict[str, str] = {}
    paths: dict[str, list[str]] = {}
    for p in sorted(folder.iterdir()):
        split = split_stem(p.stem)
        if split is None or split[0] not in ("district", "index") or p.suffix != (".yaml" if split[0] == "district"
                                                                                    else ".md"):
            continue
        kind, code = split
        if not known(code):
            log.add(p, 1, "", unknown_message(code))
            continue
        paths.setdefault(code, []).append(log.rel(p))
        text = read_text(p, log)
        if text is None:
            continue
        if kind == "index":
            if not (folder / "index.md").is_file():
                _orphan(p, "index", code, ".md", log)
            if _within_limits(text, 1, p, log):
                pages[code] = markup.render(text)
            continue
        doc = parse_yaml(text, p, log)
        if doc is not None:
            configs[code] = _text_over(p, doc, DistrictConfig, source[1] if source else None, "district.yaml", log)
    out = []
    for code in sorted(paths):
        config = configs[code] if code in configs else source[0] if source else None
        if config is not None:  # None: its errors are reported
            out.append(DistrictText(code, config, pages.get(code, ""), tuple(paths[code])))
    return tuple(out)


def _district(folder: Path, log: ErrorLog, lazy: bool) -> District | None:
    source = _yaml_doc(folder / "district.yaml", DistrictConfig, log)
    config = source[0] if source else None
    intro = folder / "index.md"
    html = ""
    if intro.exists():
        text = read_text(intro, log)
        html = markup.render(text) if text and _within_limits(text, 1, intro, log) else ""
    services = _docs(folder / "services", ServiceMeta, log, lazy)
    events = _docs(folder / "programme", EventMeta, log, lazy)
    pages = tuple(sorted(_docs(folder / "pages", PageMeta, log, lazy), key=lambda p: (p.meta.order, p.slug)))
    news = tuple(sorted(_docs(folder / "news", NewsMeta, log, lazy), key=lambda n: (n.meta.date, n.slug), reverse=True))
    streets = _yaml_file(folder / "streets.yaml", StreetsFile, log) if (folder / "streets.yaml").exists() else None
    plans = _plans(folder / "planer", folder.name, log, lazy)
    texts = _district_texts(folder, source, log)
    for p in folder.iterdir():
        split = split_stem(p.stem)
        translated = split is not None and (split[0], p.suffix) in {("district", ".yaml"), ("index", ".md")}
        if p.name not in {"district.yaml", "index.md", "streets.yaml", "services", "programme", "pages", "news",
                          "planer"} and not p.name.startswith(".") and not translated:
            log.add(p, 0, "", "ukjent fil eller mappe i kommunedelen (forventet district.yaml, index.md, "
                    "streets.yaml, services/, programme/, pages/, news/, planer/, og oversettelser som "
                    "district.pl.yaml og index.pl.md)")
    if config is None:
        return None
    return District(folder.name, log.rel(folder), config, html, services, events, pages, news,
                    streets.streets if streets else (), plans, texts)


def _line_of(doc_path: str, field: str, root: Path) -> int:
    """Line of a top-level front-matter field, for cross-reference errors."""
    path = root.parent / doc_path
    try:
        for n, row in enumerate(path.read_text("utf-8-sig").splitlines(), start=1):
            if row.startswith(f"{field}:"):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def _front_field(path: Path, field: str, root: Path) -> Any:
    """One top-level front-matter field of a file as written (None if unreadable: that is reported already)."""
    quiet = ErrorLog(root)
    text = read_text(path, quiet)
    split = split_front_matter(text, path, quiet) if text is not None else None
    return split[0].data.get(field) if split is not None and isinstance(split[0].data, dict) else None


def _site_without_its_errors(path: Path, root: Path) -> SiteConfig | None:
    """``site.yaml`` with the fields that failed left out (they are reported already), so a wrong
    ``language`` does not hide an unknown category or a missing logo until the next run; None if
    what is left is not a site either (a required field failed)."""
    quiet = ErrorLog(root)
    text = read_text(path, quiet) if path.is_file() else None
    doc = parse_yaml(text, path, quiet) if text is not None else None
    if doc is None or not isinstance(doc.data, dict):
        return None
    try:
        return SiteConfig.model_validate(doc.data)
    except ValidationError as exc:
        failed = {err["loc"][0] for err in exc.errors() if err["loc"]}
    try:
        return SiteConfig.model_validate({k: v for k, v in doc.data.items() if k not in failed})
    except ValidationError:
        return None


def _cross_check(site: SiteConfig, districts: list[District], shared: tuple[Doc[ServiceMeta], ...],
                 root: Path, log: ErrorLog) -> None:
    cats = {c.slug for c in site.categories}
    site_file = root / "site.yaml"
    for dup, n in Counter(c.slug for c in site.categories).items():
        if n > 1:
            log.add(site_file, _line_of(log.rel(site_file), "categories", root),
                    "categories", f"kategorien {dup!r} står {n} ganger")

    def err(doc_path: str, field: str, message: str) -> None:
        log.errors.append(ContentError(doc_path, _line_of(doc_path, field, root), field, message))

    # Files that exist but failed validation count too, so one mistake gives one message.
    files = sorted([*root.glob("districts/*/services/*.md"), *root.glob("services/*.md")])
    kinds = {kind_of(s) for d in districts for s in d.services} | {
        kind_of(s) for s in shared} | {p.stem for p in files}
    shared_slugs = {s.slug for s in shared}
    services = [*shared, *(s for d in districts for s in d.services)]
    for s in services:
        if s.meta.category not in cats:
            err(s.path, "category", f"ukjent kategori {s.meta.category!r}; kjente: {', '.join(sorted(cats))}")
    # A service that failed on another field (or whose district.yaml did) is checked as written, so a
    # wrong category comes in the same run as that field's error, not in the next one.
    loaded = {s.path for s in services}
    for file in files:
        if "." not in file.stem and log.rel(file) not in loaded:
            category = _front_field(file, "category", root)
            if isinstance(category, str) and category not in cats:
                err(log.rel(file), "category", f"ukjent kategori {category!r}; kjente: {', '.join(sorted(cats))}")
    offered = {kind_of(s) for s in services}  # as the portal and its manifest count them (not the files' names)
    for what, count, most, folder in (("kommunedeler", len(districts), DISTRICTS_MAX, root / "districts"),
                                      ("slags tjenester", len(offered), KINDS_MAX, root)):
        if count > most:  # the portal manifest's limits (hub.exports.manifest), so a build does not stop on them
            log.add(folder, 0, "", too_many(count, what, most))
    for d in districts:
        seen: dict[str, str] = {}
        for s in d.services:
            if s.slug in shared_slugs:
                err(s.path, "title", f"slug {s.slug!r} er allerede brukt av en felles tjeneste i content/services/")
            kind = kind_of(s)
            if kind in seen:
                err(s.path, "service", f"tjenesten {kind!r} finnes allerede i denne kommunedelen ({seen[kind]})")
            seen[kind] = s.path
        for e in d.events:
            if e.meta.service and e.meta.service not in kinds:
                err(e.path, "service", f"ukjent tjeneste {e.meta.service!r}; bruk 'service'-nøkkelen til en tjeneste")
            if e.meta.category and e.meta.category not in cats:
                err(e.path, "category", f"ukjent kategori {e.meta.category!r}")
        for p in d.pages:
            if p.slug in RESERVED:
                err(p.path, "title", f"sidenavnet {p.slug!r} er reservert; gi filen et annet navn")


def _language_check(site: SiteConfig, districts: list[District], docs: list[Doc[Any]], root: Path,
                    log: ErrorLog) -> None:
    """A translation is into another language than its source's (``helsestasjon.nb.md`` is no translation)."""
    def same(code: str, source: str) -> bool:
        return code == source or (code == "no" and source in ("nb", "nn"))

    for d in docs:
        source = getattr(d.meta, "lang", None) or site.language
        for t in d.translations:
            if t.lang is not None and same(t.lang, source):
                log.errors.append(ContentError(t.path, 1, "", f"oversettelsen er på samme språk som originalen "
                                               f"({source}); slett den, eller gi filen koden til språket den er på"))
    codes = {t.lang for d in docs for t in d.translations} | {t.lang for x in districts for t in x.translations}
    for district in districts:
        if district.slug in codes:
            log.errors.append(ContentError(f"{district.path}/district.yaml", 1, "", f"kommunedelens mappenavn "
                                           f"'{district.slug}' er også en språkkode som portalen har oversettelser "
                                           f"på (/{district.slug}/ er det språkets sider); gi mappen et annet navn"))
        for text in district.translations:
            if same(text.lang, site.language):
                for path in text.paths:
                    log.errors.append(ContentError(path, 1, "", f"oversettelsen er på samme språk som portalen "
                                                   f"({site.language}); slett den, eller gi filen koden til språket "
                                                   "den er på"))


def _plan_check(districts: list[District], shared: tuple[Plan, ...], areas: dict[str, dict[str, Any]],
                root: Path, log: ErrorLog) -> None:
    """Plans against the rest: the districts a municipality-wide plan names, one slug and one plan id
    each, an area near the municipality, and every ``plan:`` on an event naming a plan."""
    def err(doc_path: str, field: str, message: str) -> None:
        log.errors.append(ContentError(doc_path, _line_of(doc_path, field, root), field, message))

    known = {d.slug for d in districts}
    shared_slugs = {p.slug: p for p in shared}
    hubs = [(c.lat, c.lon) for d in districts if (c := d.config.hub.coordinates)]
    ids: dict[str, str] = {}
    plans = [*(p for d in districts for p in d.plans), *shared]
    if len(plans) > PLANS_MAX:  # the portal manifest's limit (hub.exports.manifest), as in _cross_check
        log.add(root, 0, "", too_many(len(plans), "planer", PLANS_MAX))
    outside: Callable[[dict[str, Any]], float] | None = None  # made for the first plan with an area
    for p in plans:
        for slug in p.meta.districts:
            if slug not in known:
                err(p.path, "districts", f"ukjent kommunedel {slug!r}")
        if p.district is not None and p.slug in shared_slugs:
            err(p.path, "title", f"planen {p.slug!r} finnes også i content/planer/; gi filen et annet navn")
        if p.meta.plan_id in ids:
            err(p.path, "plan_id", f"plan-ID-en {p.meta.plan_id} står også i {ids[p.meta.plan_id]}")
        ids.setdefault(p.meta.plan_id, p.path)
        if p.meta.area is not None:
            outside = outside or km_outside(areas, hubs)
            if (far := outside(p.meta.area)) > FAR_KM:
                err(p.path, "area", f"planområdet ligger {far:.0f} km utenfor kommunen; sjekk at hvert punkt er "
                    "[lengdegrad, breddegrad] (WGS 84), f.eks. [10.20, 59.74]")
    # A plan file that failed on its own fields still exists: one mistake gives one message.
    written = {f.stem for f in (root / "planer").glob("*.md")}
    for d in districts:
        own = {p.slug for p in d.plans} | {f.stem for f in (root / "districts" / d.slug / "planer").glob("*.md")}
        for e in d.events:
            if e.meta.plan and e.meta.plan not in own | written and e.meta.plan not in shared_slugs:
                err(e.path, "plan", f"ukjent plan {e.meta.plan!r}; bruk filnavnet (uten .md) til en plan i "
                    f"{d.path}/planer/ eller i content/planer/")


def _hub_check(districts: list[District], areas: dict[str, dict[str, Any]], root: Path, log: ErrorLog) -> None:
    """Each hub's place against the municipality: a hub whose district has an area in
    ``districts.geojson`` within :data:`FAR_KM` of the areas, any other within :data:`SPREAD_KM` of the
    hubs' middle (:func:`~hub.content.geo.far_hubs`). A hub with latitude and longitude swapped would
    otherwise send its citizens to sea, and take the district map with it."""
    hubs = {d.slug: (c.lat, c.lon) for d in districts if (c := d.config.hub.coordinates)}
    far: dict[str, tuple[float, str]] = {}
    if mapped := [slug for slug in hubs if slug in areas]:
        outside = km_outside(areas, list(hubs.values()))  # as the plans' check measures
        far |= {slug: (km, "utenfor kommunedelene i districts.geojson") for slug in mapped
                if (km := outside(point(*hubs[slug]))) > FAR_KM}
    loose = {slug: km for slug, km in far_hubs(hubs).items() if slug not in areas}
    if len(hubs) == 2 and len(loose) == 2:  # which of the two is wrong, nothing tells
        far |= dict.fromkeys(loose, (great_circle_km(*hubs.values()), "fra det andre knutepunktet; ett av dem er feil"))
    else:
        far |= {slug: (km, "fra midten av knutepunktene") for slug, km in loose.items()}
    for slug, (km, where) in sorted(far.items()):
        path = root / "districts" / slug / "district.yaml"
        text = read_text(path, ErrorLog(root))
        doc = parse_yaml(text, path, ErrorLog(root)) if text is not None else None
        lat, lon = hubs[slug]
        log.add(path, doc.line(("hub", "coordinates")) if doc is not None else 1, "hub.coordinates",
                f"knutepunktet ligger {km:.0f} km {where}; sjekk at lat er breddegraden og lon lengdegraden "
                f"(WGS 84; her står lat: {lat}, lon: {lon}), f.eks. {{lat: 59.74, lon: 10.20}}")


def _capacities(path: Path, districts: list[District], shared: tuple[Doc[ServiceMeta], ...],
                log: ErrorLog) -> tuple[CapacityEntry, ...]:
    """``capacity.yaml`` (optional), its service kinds and districts checked against the content."""
    if not path.is_file():
        return ()
    text = read_text(path, log)
    doc = parse_yaml(text, path, log) if text is not None else None
    found = validate(CapacityFile, doc, path, log) if doc is not None else None
    if found is None or doc is None:
        return ()
    offered = {(d.slug, kind_of(s)) for d in districts for s in d.services}
    kinds = {k for _, k in offered} | {kind_of(s) for s in shared}
    for i, e in enumerate(found.services):
        if e.service not in kinds:
            log.add(path, doc.line(("services", i, "service")), f"services[{i}].service",
                    f"ukjent tjeneste {e.service!r}; bruk 'service'-nøkkelen til en tjeneste")
        elif e.district is not None and not any(d.slug == e.district for d in districts):
            log.add(path, doc.line(("services", i, "district")), f"services[{i}].district",
                    f"ukjent kommunedel {e.district!r}")
        elif e.district is not None and (e.district, e.service) not in offered:
            log.add(path, doc.line(("services", i, "district")), f"services[{i}].district",
                    f"kommunedelen {e.district!r} har ikke tjenesten {e.service!r}")
    return found.services


def _district_job(args: tuple[Path, Path, bool]) -> tuple[District | None, list[ContentError]]:
    root, folder, lazy = args
    log = ErrorLog(root)
    return _district(folder, log, lazy), log.errors


def _districts(root: Path, folders: list[Path], log: ErrorLog, jobs: int,
               reuse: dict[str, District], lazy: bool) -> list[District]:
    """Parse district folders, in ``jobs`` forked processes when there is enough to share.

    Folders in ``reuse`` (unchanged since they were parsed, see :mod:`hub.pipeline.incremental`) are not read.
    """
    done = {f.name: reuse[f.name] for f in folders if f.name in reuse}
    folders = [f for f in folders if f.name not in done]
    if jobs > 1 and len(folders) >= 2 * jobs:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_district_job, [(root, f, lazy) for f in folders], chunksize=4))
    else:
        results = [_district_job((root, f, lazy)) for f in folders]
    for district, errors in results:
        log.errors.extend(errors)
        if district is not None:
            done[district.slug] = district
    return [done[k] for k in sorted(done)]


#: What every command that reads content says when the folder is not there.
MISSING_CONTENT = ("innholdsmappen finnes ikke: velg den med --content, eller lag en ny med "
                   "'knutepunkt new site NAVN'")


def load(root: Path, today: dt.date | None = None, *, jobs: int = 1,
         reuse: dict[str, District] | None = None, lazy: bool = False, theme: str | Path = "default") -> Portal:
    """Load and validate the whole content folder, or raise :class:`ContentErrors`.

    ``jobs`` > 1 parses districts in forked processes (only from a process
    without other threads, such as the CLI). ``lazy`` leaves each file's Markdown
    until a page reads it (see :class:`~hub.content.structure.Body`): Markdown
    cannot be wrong, so the errors found are the same. ``theme`` is the theme the
    content's own ``theme/`` folder and colour are checked against.
    """
    root = Path(root).absolute()  # files are named relative to its parent, whatever the working folder
    log = ErrorLog(root)
    geo.forget()  # the geometries an earlier load named
    if not root.is_dir():
        log.add(root, 0, "", MISSING_CONTENT)
        raise ContentErrors(log.sorted())
    site = _yaml_file(root / "site.yaml", SiteConfig, log)
    shared = _docs(root / "services", ServiceMeta, log, lazy)
    folders: list[Path] = []
    base = root / "districts"
    if base.is_symlink():
        log.add(base, 0, "", LINKED)
    elif not base.is_dir():
        log.add(base, 0, "", "mappen districts/ mangler")
    else:
        for folder in sorted(base.iterdir()):
            if folder.name.startswith("."):
                continue
            if folder.is_symlink() or not folder.is_dir():
                log.add(folder, 0, "", "bare mapper (ikke lenker eller filer) hører hjemme i districts/")
            elif not SLUG_RE.match(folder.name):
                log.add(folder, 0, "", f"mappenavnet {folder.name!r} er ikke en gyldig kortadresse: bruk små "
                        f"bokstaver a–z, tall og bindestrek "
                        f"({_as_slug(folder, 'mappen', DISTRICT_RESERVED) or 'f.eks. bragernes'})")
            elif folder.name in DISTRICT_RESERVED:
                log.add(folder, 0, "", f"mappenavnet {folder.name!r} er en av fellesportalens egne adresser "
                        f"(/{folder.name}/); gi kommunedelen et annet mappenavn")
            else:
                folders.append(folder)
    districts = _districts(root, folders, log, jobs, reuse or {}, lazy)
    shared_plans = _plans(root / "planer", None, log, lazy)
    media = _media(root / "media", log)
    capacities = _capacities(root / "capacity.yaml", districts, shared, log)
    areas = read_areas(root / "districts.geojson", {d.slug for d in districts}, log)
    if site is not None:
        _language_check(site, districts, [*shared, *shared_plans, *(x for d in districts for x in d.documents())],
                        root, log)
    if (checked := site or _site_without_its_errors(root / "site.yaml", log.root)) is not None:
        _cross_check(checked, districts, shared, root, log)
        branding.check(checked, root, theme, log, lambda name: _line_of(log.rel(root / "site.yaml"), name, root))
    _plan_check(districts, shared_plans, areas, root, log)
    _hub_check(districts, areas, root, log)
    if log or site is None:
        raise ContentErrors(log.sorted())
    return Portal(site, tuple(districts), shared, today or today_from_env(site.timezone),
                  HolidayCalendar.from_policy(site.holidays), root, capacities, areas, shared_plans, media)
