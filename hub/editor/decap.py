"""Decap CMS for coordinators without git: its configuration, made from the content models.

The forms are the JSON Schema of :mod:`hub.content.schema` turned into Decap widgets, so they
refuse what ``knutepunkt check`` refuses (patterns carry the model's own message), and the
categories and service keys are the site's own lists. The repository stays the only store:
Decap commits (or opens merge requests, with the editorial workflow) through the backend.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hub.content import schema
from hub.content.model import DAYS, FILE_RE
from hub.time import notation

#: Norwegian labels and hints for the models' field names (anything missing gets its own name).
LABELS: dict[str, tuple[str, str | None]] = {
    "title": ("Tittel", None),
    "name": ("Navn", None),
    "official_name": ("Offisielt navn", "Navnet kommunen bruker på kommunedelen"),
    "aliases": ("Andre navn", "Stedsnavn folk bruker om området"),
    "intro": ("Innledning", "Én eller to setninger øverst på kommunedelens forside"),
    "summary": ("Kort beskrivelse", "Én setning. Vises i lister og i søket."),
    "service": ("Tjeneste", "Samme nøkkel i alle kommunedeler som har tjenesten (f.eks. helsestasjon)"),
    "category": ("Kategori", None),
    "hub": ("Knutepunktet", None),
    "address": ("Adresse", "Som på et brev: Storgata 1, 3017 Drammen"),
    "postal_code": ("Postnummer", "Bare når adressen ikke slutter med postnummer og sted"),
    "city": ("Poststed", None),
    "coordinates": ("Koordinater", None),
    "lat": ("Breddegrad", None),
    "lon": ("Lengdegrad", None),
    "hours": ("Åpningstider", "Tomt: knutepunktets åpningstider gjelder"),
    "weekly": ("Hver uke", "Skriv som 09:00-16:00, 9-16, kl. 9–16, «9-12 og 13-16» eller «stengt»"),
    "seasons": ("Perioder med egne tider", "For eksempel sommertid"),
    "exceptions": ("Unntak", "Enkeltdager eller perioder med andre tider eller stengt"),
    "holidays": ("Helligdager", "Tomt: som kommunen bestemmer i innstillingene"),
    "note": ("Merknad", None),
    "from": ("Fra", None),
    "to": ("Til", None),
    "date": ("Dato", None),
    "dates": ("Datoer", None),
    "closed": ("Stengt", None),
    "location": ("Sted", "Tomt: på knutepunktet"),
    "place": ("Sted", "Tomt: på knutepunktet"),
    "contact": ("Kontakt", None),
    "coordinator": ("Koordinator", None),
    "phone": ("Telefon", None),
    "email": ("E-post", None),
    "url": ("Nettside", None),
    "office_hours": ("Kontortid", None),
    "booking_url": ("Timebestilling (lenke)", "Må begynne med https://"),
    "audience": ("For hvem", None),
    "keywords": ("Søkeord", "Ord folk søker etter som ikke står i teksten"),
    "lang": ("Språk", "Tomt: kommunens språk"),
    "example": ("Eksempelinnhold", None),
    "updated": ("Sist endret", None),
    "repeat": ("Fast ukentlig", "Fyll ut enten dette, «Dato» eller «Datoer»"),
    "days": ("Ukedager", None),
    "interval": ("Hver n-te uke", None),
    "until": ("Til og med", None),
    "skip": ("Ikke disse dagene", None),
    "extra": ("Ekstra dager", None),
    "cancelled": ("Avlyst", None),
    "cancelled_dates": ("Avlyste dager", "Vises som avlyst i programmet"),
    "start": ("Starter", "For eksempel 12.00"),
    "end": ("Slutter", "For eksempel 14.00 (01.00 om natten: neste dag)"),
    "organiser": ("Arrangør", None),
    "order": ("Rekkefølge", None),
    "notices": ("Meldinger", None),
    "text": ("Tekst", None),
    "county": ("Fylke", "Brukes i åpne data (adresser)"),
    "organization_number": ("Organisasjonsnummer", "Kommunens nummer i Enhetsregisteret"),
    "description": ("Beskrivelse", None),
    "base_url": ("Nettadresse", "Hele adressen portalen publiseres på, f.eks. https://knutepunkt.kommune.no/"),
    "language": ("Språk", None),
    "timezone": ("Tidssone", None),
    "accessibility_statement": ("Tilgjengelighetserklæring", "Lenke til erklæringen på uustatus.no"),
    "categories": ("Kategorier", None),
    "slug": ("Kortnavn", "Små bokstaver a–z, tall og bindestrek"),
    "programme_weeks": ("Uker i programmet", None),
    "plan": ("Plan", "Filnavnet til planen møtet gjelder (uten .md)"),
    "plan_id": ("Plan-ID", "Kommunenummer, bindestrek og planens ID i planregisteret, f.eks. 3301-2026004"),
    "type": ("Plantype", "Koden i SOSI-kodelisten Plantype"),
    "status": ("Planstatus", "Koden i SOSI-kodelisten Planstatus"),
    "case_number": ("Saksnummer", None),
    "districts": ("Kommunedeler", "Bare for planer for hele kommunen: kommunedelene planen berører"),
    "steps": ("Planprosessen", "Trinnene i rekkefølge; et trinn uten dato vises som «kommer»"),
    "step": ("Trinn", "oppstart, horing (høring og offentlig ettersyn), vedtak, kunngjoring"),
    "deadline": ("Frist", "Oppstart: frist for innspill. Kunngjøring: klagefrist (tomt: tre uker etter datoen)"),
    "documents": ("Dokumenter", None),
    "kind": ("Type dokument", None),
    "respond": ("Slik gir du innspill", None),
    "form_url": ("Kommunens skjema (lenke)", "Må begynne med https://"),
    "logo": ("Logo", "Kommunevåpen eller logo øverst på hver side"),
    "file": ("Fil", "SVG eller PNG i innholdsmappen, f.eks. logo.svg"),
    "alt": ("Alternativ tekst", "Hva bildet viser, for dem som ikke ser det"),
    "primary_color": ("Hovedfarge", "F.eks. #0b4f8a; må gi minst 4.5:1 kontrast mot hvit tekst"),
    "footer_links": ("Lenker i bunnfeltet", None),
}
DAY_NAMES = dict(zip(DAYS, ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"), strict=True))
MESSAGES = {
    "time range": f"Skriv tidsrom som {notation.FORMS}",
    "clock": "Skriv klokkeslett som 09:30, 9.30 eller 9",
    "slug": "Bruk bare små bokstaver a–z, tall og bindestrek (f.eks. helsestasjon)",
    "url": "Lenken må begynne med https://, http://, mailto: eller tel:",
}
DATE = {"widget": "datetime", "date_format": "YYYY-MM-DD", "time_format": False, "format": "YYYY-MM-DD",
        "picker_utc": True}
#: Fields the forms leave alone (Decap keeps what it does not show); edit them in the file.
NOT_IN_FORMS = {"synonyms", "holidays_policy", "area"}


def _label(name: str) -> dict[str, str]:
    label, hint = LABELS.get(name, (name.replace("_", " ").capitalize(), None))
    return {"label": label, **({"hint": hint} if hint else {})}


def _message(pattern: str) -> str:
    if pattern == notation.RANGES_PATTERN:
        return MESSAGES["time range"]
    if pattern == notation.CLOCK_PATTERN:
        return MESSAGES["clock"]
    if "a-z0-9" in pattern:
        return MESSAGES["slug"]
    if "https?" in pattern:
        return MESSAGES["url"]
    return "Ugyldig verdi"


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _optional(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``anyOf [X, null]`` → (X, optional); time ranges (string or list) → the string form."""
    node = _resolve(node, defs)
    options = node.get("anyOf")
    if not options:
        return node, False
    real = [_resolve(o, defs) for o in options if o.get("type") != "null"]
    nullable = len(real) < len(options)
    strings = [o for o in real if o.get("type") == "string"]
    chosen = strings[0] if len(real) > 1 and strings else real[0]
    return {**{k: v for k, v in node.items() if k != "anyOf"}, **chosen}, nullable


def field(name: str, node: dict[str, Any], defs: dict[str, Any], required: bool) -> dict[str, Any] | None:
    """One Decap field for a JSON Schema property (None: the forms leave it to the file)."""
    if name in NOT_IN_FORMS:
        return None
    node, nullable = _optional(node, defs)
    out: dict[str, Any] = {"name": name, **_label(name), "required": required and not nullable}
    kind = node.get("type")
    if "enum" in node or "const" in node:
        options = node.get("enum") or [node["const"]]
        return {**out, "widget": "select", "options": [o for o in options if o is not None]}
    if "oneOf" in node and all("const" in o for o in node["oneOf"]):  # a code list: "35 Detaljregulering"
        return {**out, "widget": "select", "options": [
            {"label": f"{o['const']} {o['title']}", "value": o["const"]} for o in node["oneOf"]]}
    if kind == "string" and node.get("pattern") == FILE_RE:  # a plan document, uploaded beside its plan (_folder)
        return {**out, "hint": "Lastes opp til planens egen mappe", "widget": "file", "choose_url": False}
    if kind == "string" and node.get("format") == "date":
        return {**out, **DATE}
    if kind == "string":
        if "pattern" in node:
            out["pattern"] = [node["pattern"], _message(node["pattern"])]
        multiline = name in ("intro", "summary")
        return {**out, "widget": "text" if multiline else "string"}
    if kind in ("integer", "number"):
        return {**out, "widget": "number", "value_type": "int" if kind == "integer" else "float"}
    if kind == "boolean":
        return {**out, "widget": "boolean", "required": False}
    if kind == "array":
        items, _ = _optional(node.get("items", {}), defs)
        if items.get("type") == "object" and "properties" in items:
            return {**out, "widget": "list", "fields": _fields(items, defs)}
        if "enum" in items:
            return {**out, "widget": "select", "multiple": True, "options": items["enum"]}
        inner = field("item", items, defs, True)
        if inner is None:
            return None
        inner.pop("name"), inner.pop("label"), inner.pop("required")
        return {**out, "widget": "list", "field": {"name": "value", "label": out["label"], **inner}}
    if kind == "object" and "properties" in node:
        # Decap checks required fields inside an object even when the object itself is left empty:
        # inside an optional object nothing is required in the form (the loader still checks).
        return {**out, "widget": "object", "collapsed": not required, "fields": _fields(node, defs, required)}
    if kind == "object" and name == "weekly":  # dict[Day, Ranges]: one field per weekday
        values, _ = _optional(node.get("additionalProperties", {}), defs)
        pattern = values.get("pattern", notation.RANGES_PATTERN)
        return {**out, "widget": "object", "fields": [
            {"name": day, "label": DAY_NAMES[day], "widget": "string", "required": False,
             "pattern": [pattern, _message(pattern)]} for day in DAYS]}
    return None


def _fields(node: dict[str, Any], defs: dict[str, Any], present: bool = True) -> list[dict[str, Any]]:
    required = set(node.get("required", [])) if present else set()
    found = (field(name, prop, defs, name in required) for name, prop in node.get("properties", {}).items())
    return [f for f in found if f is not None]


def fields(kind: str, vocab: dict[str, list[str]]) -> list[dict[str, Any]]:
    s = schema.schema(kind, vocab)
    out = _fields(s, s.get("$defs", {}))
    if kind in ("service", "event", "page", "news", "plan"):
        out.append({"name": "body", "label": "Tekst", "widget": "markdown", "required": False})
    return out


def _folder(name: str, label: str, folder: str, kind: str, vocab: dict[str, list[str]]) -> dict[str, Any]:
    out = {"name": name, "label": label, "folder": folder, "extension": "md", "format": "frontmatter",
           "create": True, "slug": "{{slug}}", "identifier_field": "title", "fields": fields(kind, vocab)}
    if kind == "plan":  # documents go to planer/<plan>/ beside the plan file, and the field holds the file name
        out.update(media_folder="{{filename}}", public_folder="")
    return out


def _file(name: str, label: str, path: str, kind: str, vocab: dict[str, list[str]]) -> dict[str, Any]:
    return {"name": name, "label": label, "files": [
        {"name": name, "label": label, "file": path, "format": "yaml", "fields": fields(kind, vocab)}]}


def districts_of(content: Path) -> list[tuple[str, str]]:
    """(slug, name) of each district folder, the name read from its district.yaml."""
    out = []
    for folder in sorted((content / "districts").iterdir()) if (content / "districts").is_dir() else []:
        text = (folder / "district.yaml").read_text("utf-8-sig") if (folder / "district.yaml").is_file() else ""
        m = re.search(r"^name:\s*(.+?)\s*$", text, re.M)
        out.append((folder.name, m.group(1).strip("\"'") if m else folder.name))
    return out


def config(content: Path, repo_root: Path, backend: dict[str, Any], local_port: int | None = None) -> dict[str, Any]:
    """The Decap configuration for a content folder inside a repository (paths relative to the repo)."""
    base = content.resolve().relative_to(repo_root.resolve()).as_posix()
    vocab = schema.vocabulary(content)
    collections = [_file("innstillinger", "Kommunen: innstillinger", f"{base}/site.yaml", "site", vocab),
                   _folder("felles-tjenester", "Tjenester for hele kommunen", f"{base}/services", "service", vocab),
                   _folder("felles-planer", "Planer for flere kommunedeler", f"{base}/planer", "plan", vocab)]
    for slug, name in districts_of(content):
        root = f"{base}/districts/{slug}"
        collections += [
            _file(f"{slug}", f"{name}: kommunedelen", f"{root}/district.yaml", "district", vocab),
            _folder(f"{slug}-tjenester", f"{name}: tjenester", f"{root}/services", "service", vocab),
            _folder(f"{slug}-program", f"{name}: Åpent hus-program", f"{root}/programme", "event", vocab),
            _folder(f"{slug}-sider", f"{name}: sider", f"{root}/pages", "page", vocab),
            _folder(f"{slug}-nyheter", f"{name}: nyheter", f"{root}/news", "news", vocab),
            _folder(f"{slug}-planer", f"{name}: planer og høringer", f"{root}/planer", "plan", vocab),
        ]
    out: dict[str, Any] = {"backend": backend, "locale": "nb_no", "media_folder": f"{base}/media",
                           "public_folder": "/media", "collections": collections}
    if backend.get("name") in ("github", "gitlab"):
        out["publish_mode"] = "editorial_workflow"
    if local_port is not None:
        out["local_backend"] = {"url": f"http://127.0.0.1:{local_port}/api/v1"}
    return out


def csp(backend: dict[str, Any], local_port: int | None) -> str:
    """The admin page's own policy: Decap needs inline styles and its backend's API, nothing else."""
    api = {"github": "https://api.github.com", "gitlab": backend.get("api_root", "https://gitlab.com")}
    connect = ["'self'", *([api[backend["name"]]] if backend.get("name") in api else [])]
    if local_port is not None:
        connect.append(f"http://127.0.0.1:{local_port}")
    return ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            f"connect-src {' '.join(connect)}; frame-src 'self'; object-src 'none'; base-uri 'self'")
