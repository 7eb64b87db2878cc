"""Starting files for ``knutepunkt new``: valid, commented, never overwriting."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(name: str) -> str:
    """A URL-safe slug from a Norwegian name: "Åssiden" → "assiden", "Sjøsiden bydel" → "sjosiden-bydel"."""
    text = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def district(name: str) -> dict[str, str]:
    return {
        "district.yaml": f"""# yaml-language-server: $schema=../../../schemas/district.json
# Kommunedelen og knutepunktet. Se docs/koordinator.md for alle felt.
name: {name}
official_name: {name}
intro: Knutepunktet i {name} er en møteplass med kommunale tjenester nær der du bor.
hub:
  name: Knutepunkt {name}
  address: Gateadresse 1, 0000 Sted
  hours:
    weekly:                  # mon tue wed thu fri sat sun; flere tidsrom: "09:00-11:30, 12:00-16:00"
      mon: "09:00-16:00"
      tue: "09:00-16:00"
      wed: "09:00-16:00"
      thu: "09:00-16:00"
      fri: "09:00-15:00"
    exceptions: []           # f.eks. - {{date: 2026-12-31, closed: true, note: Nyttårsaften}}
coordinator:
  name: Navn Navnesen
  email: knutepunkt@example.no
""",
        "index.md": f"Velkommen til knutepunktet i {name}.\n",
    }


def service(name: str, category: str) -> str:
    return f"""---
# yaml-language-server: $schema=../../../../schemas/service.json
title: {name}
service: {slugify(name)}        # samme nøkkel i alle kommunedeler som har tjenesten
category: {category}            # en av kategoriene i content/site.yaml
summary: Én setning om hva tjenesten gjør.
# hours:                        # uten hours gjelder knutepunktets åpningstider
#   weekly:
#     fri: "12:00-14:00"
audience: [Alle]
keywords: []
---
Skriv mer om tjenesten her, i Markdown.
"""


def event(name: str) -> str:
    return f"""---
# yaml-language-server: $schema=../../../../schemas/event.json
title: {name}
summary: Én setning om arrangementet.
repeat:                         # fast økt; for ett arrangement: date: 2026-12-05
  days: [tue]
  from: 2026-01-06
  # until: 2026-06-16
  # skip: [2026-04-07]          # holdes ikke (vises ikke)
start: "12:00"
end: "14:00"
audience: [Alle]
---
Beskriv arrangementet her.
"""


def plan(name: str) -> str:
    return f"""---
# yaml-language-server: $schema=../../../../schemas/plan.json
# En plan og planprosessen. Se docs/medvirkning.md for alle felt og kodelistene.
title: {name}
summary: Én setning om hva planen gjør.
plan_id: "0000-{slugify(name).replace('-', '')[:16].upper()}"   # bytt til kommunenummer-planID, som i planregisteret
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
contact: {{name: Navn Navnesen, email: planlegger@example.no}}
respond:
  email: postmottak@example.no  # innspill på e-post: siden lager emnefeltet med plan-ID og tittel
  # form_url: https://…         # eller kommunens skjema
---
Skriv om planen her, i Markdown: hva den gjelder, og hva som skjer videre.
"""


def write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (raises FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
