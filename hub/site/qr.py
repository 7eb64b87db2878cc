"""QR codes as inline SVG (segno), for posters on a hub's notice board: no image file, no request."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape


@lru_cache(maxsize=1024)  # the week and the month poster show the same two codes
def qr_svg(url: str, label: str) -> Markup:
    """The code for ``url`` with the standard quiet zone, dark on white, named for screen readers."""
    import segno  # here: only posters draw codes, and most builds make none (0.07 s of imports)

    svg = segno.make(url, error="m", micro=False).svg_inline(border=4, omitsize=True, svgclass="qr",
                                                             dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
