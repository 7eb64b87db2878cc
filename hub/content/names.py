"""What a file or folder may be called: the names that become the portal's addresses.

Light on purpose: ``knutepunkt new`` names what it writes with :func:`slugify`, and the loader
refuses any other name (with the name to use) before a model is read.
"""

from __future__ import annotations

import re
import unicodedata

#: A slug: a district's folder, a content file's name, a service's key ("apent-hus").
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(name: str) -> str:
    """A URL-safe slug from a Norwegian name: "Åssiden" → "assiden", "Sjøsiden bydel" → "sjosiden-bydel"."""
    text = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
