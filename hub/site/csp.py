"""The pages' Content-Security-Policy, for the portal and the region alike (no Flask to import).

No inline script or style, nothing from other origins. 'wasm-unsafe-eval' lets Pagefind compile
its WebAssembly; it does not allow eval() of JavaScript. Serve the same policy as a header where
the host allows it (docs/quality.md), adding frame-ancestors 'none'.
"""

from __future__ import annotations

from collections.abc import Iterable


def policy(search_origins: Iterable[str] = ()) -> str:
    """The policy; ``search_origins`` are other sites whose Pagefind bundles the search reads (a region's
    members): ``connect-src`` only, since Pagefind's code always comes from the page's own origin."""
    extra = "".join(" " + o for o in search_origins)
    return (f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
            f"font-src 'self'; connect-src 'self'{extra}; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")
