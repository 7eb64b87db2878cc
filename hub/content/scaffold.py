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


def write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (raises FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
