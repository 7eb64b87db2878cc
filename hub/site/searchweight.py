"""How much a word counts in search, by where it stands on a page.

Pagefind counts body text 1 and a page's title (its h1) 7 (h2 to h6: 6 to 2). A page is found
first for what it is about: its summary, and the words it is about besides its title (a service's
keywords and name; a district's names, areas and hub), weigh more than its body text, and the
parts of its compounds (:mod:`hub.site.compounds`) less. Sections that only list other pages are
not indexed at all (``data-pagefind-ignore`` in the templates). The templates (``macros.html``:
``search_meta``) and the region's own records (:mod:`hub.region.index`) use these numbers.
"""

from __future__ import annotations

SUMMARY = 3
ABOUT = 5
PARTS = 0.5
#: For the templates: ``data-pagefind-weight="{{ search_weight.summary }}"``.
WEIGHTS = {"summary": SUMMARY, "about": ABOUT, "parts": PARTS}
