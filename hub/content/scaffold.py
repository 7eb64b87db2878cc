"""Starting files for ``knutepunkt new``: valid, commented, never overwriting, and the
placeholders in them that ``knutepunkt check`` names until someone fills them in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hub.content.errors import ContentError, ErrorLog
from hub.content.names import slugify
from hub.content.source import parse_yaml, read_text, split_front_matter

if TYPE_CHECKING:  # kept light: every command imports this module (``knutepunkt new``), most need no models
    from hub.content.model import EventMeta, ServiceMeta
    from hub.content.structure import Body, Doc, Portal

#: The placeholders the starting files hold: the build works with them, ``check`` names each.
#: Addresses use ``.invalid`` (RFC 2606), a name that is never a real host.
PLACEHOLDER_HOST = "invalid"
PORTAL_URL = "https://portal.kommune.invalid/"
STATEMENT_URL = "https://erklaering.kommune.invalid/"
HUB_ADDRESS = "Gateadresse 1, 0000 Sted"
COORDINATOR = "Navn Navnesen"
COORDINATOR_EMAIL = "knutepunkt@kommune.invalid"
#: A new service's, event's and plan's summary until someone writes one: shown in lists and search.
SERVICE_SUMMARY = "Én setning om hva tjenesten gjør."
EVENT_SUMMARY = "Én setning om arrangementet."
PLAN_SUMMARY = "Én setning om hva planen gjør."
#: The starting files' text on the page, under the fields: a placeholder as much as their summaries.
SERVICE_BODY = "Skriv mer om tjenesten her, i Markdown."
EVENT_BODY = "Beskriv arrangementet her."
PLAN_BODY = "Skriv om planen her, i Markdown: hva den gjelder, og hva som skjer videre."
STARTING_TEXTS = (SERVICE_BODY, EVENT_BODY, PLAN_BODY)
#: A new plan's id until the planner writes the one from the plan register (no municipality has 0000).
PLAN_ID_PLACEHOLDER = "0000-"

def district(name: str) -> dict[str, str]:
    return {
        "district.yaml": f"""# yaml-language-server: $schema=../../../schemas/district.json
# Kommunedelen og knutepunktet. Se docs/koordinator.md for alle felt.
name: {name}
official_name: {name}
intro: Knutepunktet i {name} er en møteplass med kommunale tjenester nær der du bor.
hub:
  name: Knutepunkt {name}
  address: {HUB_ADDRESS}      # fyll inn: gate og nummer, postnummer og sted
  hours:
    weekly:                  # mon tue wed thu fri sat sun; flere tidsrom: "09:00-11:30, 12:00-16:00"
      mon: "09:00-16:00"
      tue: "09:00-16:00"
      wed: "09:00-16:00"
      thu: "09:00-16:00"
      fri: "09:00-15:00"
    exceptions: []           # f.eks. - {{date: 2026-12-31, closed: true, note: Nyttårsaften}}
coordinator:                 # fyll inn: den som svarer for knutepunktet
  name: {COORDINATOR}
  email: {COORDINATOR_EMAIL}
""",
        "index.md": f"Velkommen til knutepunktet i {name}.\n",
    }


def service(name: str, category: str) -> str:
    return f"""---
# yaml-language-server: $schema=../../../../schemas/service.json
title: {name}
service: {slugify(name)}        # samme nøkkel i alle kommunedeler som har tjenesten
category: {category}            # en av kategoriene i content/site.yaml
summary: {SERVICE_SUMMARY}
# hours:                        # uten hours gjelder knutepunktets åpningstider
#   weekly:
#     fri: "12:00-14:00"
audience: [Alle]
keywords: []
---
{SERVICE_BODY}
"""


def event(name: str) -> str:
    return f"""---
# yaml-language-server: $schema=../../../../schemas/event.json
title: {name}
summary: {EVENT_SUMMARY}
repeat:                         # fast økt; for ett arrangement: date: 2026-12-05
  days: [tue]
  from: 2026-01-06
  # until: 2026-06-16
  # skip: [2026-04-07]          # holdes ikke (vises ikke)
start: "12:00"
end: "14:00"
audience: [Alle]
---
{EVENT_BODY}
"""


def plan(name: str) -> str:
    plan_id = PLAN_ID_PLACEHOLDER + slugify(name).replace("-", "")[:16].upper()
    return f"""---
# yaml-language-server: $schema=../../../../schemas/plan.json
# En plan og planprosessen. Se docs/medvirkning.md for alle felt og kodelistene.
title: {name}
summary: {PLAN_SUMMARY}
plan_id: "{plan_id}"   # bytt til kommunenummer-planID, som i planregisteret
type: 35                        # Plantype (SOSI): 35 Detaljregulering, 34 Områderegulering, 21 Kommunedelplan …
status: 1                       # Planstatus (SOSI): 1 Planlegging igangsatt, 2 Planforslag, 3 Endelig vedtatt …
# case_number: "26/01234"      # saksnummer i kommunens arkiv
steps:                          # i rekkefølge; et trinn uten dato vises som «kommer»
  - step: oppstart              # varsel om oppstart (pbl. § 12-8)
    date: 2026-01-05
    deadline: 2026-02-06        # frist for innspill til oppstarten (valgfri)
  - step: horing                # høring og offentlig ettersyn (pbl. § 12-10): from/to, to er fristen
    # from: 2026-05-04
    # to: 2026-06-15
  - step: vedtak                # vedtak (pbl. § 12-12): date
  - step: kunngjoring           # kunngjøring: date; klagefristen blir tre uker senere (eller deadline)
documents: []                   # f.eks. - {{title: Plankart, kind: plankart, date: 2026-01-05, file: plankart.pdf}}
                                # (filene legges i mappen planer/{slugify(name)}/ ved siden av denne filen)
# area:                         # planområdet: GeoJSON Polygon i lengde- og breddegrad
#   type: Polygon
#   coordinates: [[[10.200, 59.743], [10.204, 59.743], [10.204, 59.745], [10.200, 59.743]]]
contact: {{name: Navn Navnesen, email: planlegger@kommune.{PLACEHOLDER_HOST}}}
respond:
  email: postmottak@kommune.{PLACEHOLDER_HOST}  # innspill på e-post: siden lager emnefeltet med plan-ID og tittel
  # form_url: https://…         # eller kommunens skjema
---
{PLAN_BODY}
"""


def write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (raises FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)


#: The example district a new site starts with.
EXAMPLE_DISTRICT = "Sentrum"


def site(name: str) -> dict[str, str]:
    """A new content repository's files (relative paths), for ``knutepunkt new site``."""
    district_slug = slugify(EXAMPLE_DISTRICT)
    files = {
        "content/site.yaml": f"""# yaml-language-server: $schema=../schemas/site.json
# Kommunen: felles innstillinger for alle kommunedeler og for "én dør inn".
# `knutepunkt check` viser hver plassholder som ennå ikke er fylt inn.
name: {name}
base_url: {PORTAL_URL}       # fyll inn: adressen portalen publiseres på
language: nb                  # nb, nn eller en
timezone: Europe/Oslo
# organization_number: "123 456 785"   # fyll inn: kommunens nummer i Enhetsregisteret (åpne data)
accessibility_statement: {STATEMENT_URL}   # fyll inn: kommunens erklæring på uustatus.no
# contact:
#   phone: "12 34 56 78"
#   email: postmottak@kommune.no

# Kommunens eget utseende (valgfritt):
# logo: {{file: logo.svg, alt: Kommunevåpenet til {name}}}   # SVG eller PNG i mappen content/
# primary_color: "#0b4f8a"    # må gi minst 4.5:1 kontrast mot hvit tekst (check regner det ut)
# footer_links:
#   - {{text: Personvern, url: https://www.kommune.no/personvern}}
# Egne maler og filer: mappen content/theme/ (templates/, static/); se «Your own look» i
# Knutepunkts docs/publishing.md.

holidays:
  closed: true                # knutepunkt og tjenester holder stengt på helligdager
  extra_closed:
    - {{date: "12-24", name: Julaften}}
    - {{date: "12-31", name: Nyttårsaften}}
categories:                   # kategoriene tjenestene sorteres i (slug: små bokstaver a–z og bindestrek)
  - {{slug: helse, name: Helse}}
  - {{slug: familie, name: Barn og familie}}
  - {{slug: nav, name: NAV og arbeid}}
  - {{slug: kultur, name: Bibliotek og kultur}}
  - {{slug: frivillighet, name: Frivillighet}}
  - {{slug: moteplass, name: Møteplasser}}
audiences: [Barn, Unge, Familier, Voksne, Eldre, Alle]
""",
        f"content/districts/{district_slug}/services/helsestasjon.md": service("Helsestasjon", "helse"),
        f"content/districts/{district_slug}/programme/babytreff.md": event("Babytreff"),
        "README.md": f"""# {name}: innholdet i knutepunktportalen

Her ligger innholdet i portalen for kommunedelene og knutepunktene i {name}: vanlige
tekstfiler som verktøyet Knutepunkt gjør om til nettsider (versjonen står i CI-filen).

| fil | hva den er |
| --- | --- |
| `content/site.yaml` | kommunen: navn, adresse, språk, kategorier, helligdager, logo og farge |
| `content/districts/<kommunedel>/district.yaml` | kommunedelen og knutepunktet: adresse, åpningstider, koordinator |
| `content/districts/<kommunedel>/services/` | tjenestene i kommunedelen |
| `content/districts/<kommunedel>/programme/` | Åpent hus: faste økter og arrangementer |
| `content/theme/` | (valgfritt) kommunens egne maler og filer over standardutseendet |

## Slik jobber du

```sh
knutepunkt serve          # forhåndsvisning på http://127.0.0.1:8000/, oppdateres når du lagrer
knutepunkt check          # alle feil på én gang, og plassholdere som ennå ikke er fylt inn
knutepunkt build          # hele portalen i mappen build/
```

Ny kommunedel, tjeneste eller aktivitet:

```sh
knutepunkt new district "Nordbyen"
knutepunkt new service nordbyen "Bibliotek"
knutepunkt new event nordbyen "Strikkekafé"
```

Før portalen publiseres, fyll inn det `knutepunkt check` kaller plassholdere (adressen portalen
får, organisasjonsnummeret, tilgjengelighetserklæringen, knutepunktets adresse og koordinator),
og bytt ut eksempelkommunedelen `{district_slug}` med deres egne.
Veiledningen for koordinatorer står i Knutepunkts `docs/koordinator.md`.
""",
        ".gitignore": "# Bygget portal og mellomlager: lages på nytt av `knutepunkt build`\n"
                      "/build/\n/public/\n/site-*/\n.knutepunkt-cache/\ngl-code-quality-report.json\n",
    }
    for rel, text in district(EXAMPLE_DISTRICT).items():
        files[f"content/districts/{district_slug}/{rel}"] = text
    return dict(sorted(files.items()))


#: Where ``knutepunkt new site --ci`` puts each CI template (the templates ship with the tool).
CI_FILES = {"github": ".github/workflows/portal.yml", "gitlab": ".gitlab-ci.yml"}
CI_TEMPLATES = {"github": "github-actions.yml", "gitlab": "gitlab-ci.yml"}


def _placeholder_url(value: str | None) -> bool:
    """An address or e-mail address on the ``.invalid`` domain the starting files use."""
    if not value:
        return False
    host = (urlsplit(value).hostname if "://" in value else value.rpartition("@")[2]) or ""
    return host.rstrip(".").endswith(f".{PLACEHOLDER_HOST}")


_SAY = {
    "base_url": "plassholder: fyll inn adressen portalen publiseres på",
    "accessibility_statement": "plassholder: fyll inn adressen til tilgjengelighetserklæringen (uustatus.no)",
    "organization_number": "mangler: fyll inn kommunens organisasjonsnummer fra Enhetsregisteret "
                           "(åpne data og data.norge.no kjenner kommunen på det)",
    "address": "plassholder: fyll inn knutepunktets adresse (gate og nummer, postnummer og sted)",
    "name": "plassholder: fyll inn navnet på den som svarer på spørsmål (koordinatoren, i en plan saksbehandleren)",
    "email": "plassholder: fyll inn en e-postadresse som blir lest",
    "url": "plassholder: fyll inn en adresse som finnes",
    "plan_id": "plassholder: fyll inn planens ID fra planregisteret (kommunenummer-planID, f.eks. 3301-2026004)",
    "summary": "plassholder: skriv én setning om hva siden handler om (den vises i lister og i søket)",
    "body": "plassholder: skriv teksten siden viser under feltene (i Markdown), i stedet for startteksten",
}

Loc = tuple[str | int, ...]


def unfilled(portal: Portal) -> list[ContentError]:
    """The starting files' placeholders still in the content: warnings, as the portal builds with them."""
    root = portal.source
    if root is None:
        return []
    log = ErrorLog(root)
    site = portal.site
    found: list[Loc] = [(key,) for key in ("base_url", "accessibility_statement")
                        if _placeholder_url(getattr(site, key))]
    found += [("contact", key) for key in ("email", "url") if _placeholder_url(getattr(site.contact, key))]
    found += [("footer_links", i, "url") for i, link in enumerate(site.footer_links) if _placeholder_url(link.url)]
    _report(log, root / "site.yaml", found)
    if site.organization_number is None:  # not in the file at all: named without a line
        log.add(root / "site.yaml", 0, "organization_number", _SAY["organization_number"])
    for d in portal.districts:
        c = d.config
        found = [("hub", "address")] if c.hub.address == HUB_ADDRESS else []
        found += [("coordinator", "name")] if c.coordinator.name == COORDINATOR else []
        found += [("coordinator", key) for key in ("email", "url") if _placeholder_url(getattr(c.coordinator, key))]
        _report(log, root / "districts" / d.slug / "district.yaml", found)
    starts = (SERVICE_SUMMARY, EVENT_SUMMARY, PLAN_SUMMARY)
    docs: list[Doc[ServiceMeta] | Doc[EventMeta]] = [*portal.shared, *(s for d in portal.districts for s in d.services),
                                                     *(e for d in portal.districts for e in d.events)]
    for doc in docs:
        found = [("summary",)] if doc.meta.summary in starts else []
        _report(log, root.parent / doc.path, found + ([("body",)] if _starting(doc.body) else []))
    translated: list[Doc[Any]] = [*docs, *portal.all_plans]
    for text in (t for doc in translated for t in doc.translations):  # begun as a copy of a new file
        _report(log, root.parent / text.path, [("body",)] if _starting(text.body) else [])
    for plan in portal.all_plans:
        m = plan.meta
        found = [("plan_id",)] if m.plan_id.startswith(PLAN_ID_PLACEHOLDER) else []
        found += [("summary",)] if m.summary in starts else []
        found += [("body",)] if _starting(plan.body) else []
        found += [("contact", "name")] if m.contact is not None and m.contact.name == COORDINATOR else []
        found += [(key, "email") for key, part in (("contact", m.contact), ("respond", m.respond))
                  if part is not None and _placeholder_url(part.email)]
        _report(log, root.parent / plan.path, found)
    return log.sorted()


def _starting(body: Body) -> bool:
    """Whether a body still holds the text ``knutepunkt new`` wrote under the fields."""
    return any(map(body.says, STARTING_TEXTS))


def _report(log: ErrorLog, path: Path, found: list[Loc]) -> None:
    """Each placeholder at its line in ``path`` (the file is read again only when there is one)."""
    if not found:
        return
    quiet = ErrorLog(log.root)  # the file loaded a moment ago: nothing new to say about it
    text = read_text(path, quiet)
    if path.suffix == ".md":  # the fields of a Markdown file are its front matter
        split = split_front_matter(text, path, quiet) if text is not None else None
        doc = split[0] if split is not None else None
    else:
        doc = parse_yaml(text, path, quiet) if text is not None else None
    for loc in found:
        if loc == ("body",):  # the text under the front matter: at the starting sentence's line
            at = next((text[:text.index(s)].count("\n") + 1 for s in STARTING_TEXTS
                       if text is not None and s in text), 1)
            log.add(path, at, "", _SAY["body"])
            continue
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        log.add(path, doc.line(loc) if doc is not None else 1, name, _SAY[str(loc[-1])])
