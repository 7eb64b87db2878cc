"""The client Frozen-Flask fetches each page with, without Werkzeug's test round trip.

Frozen-Flask asks ``app.test_client().get(url)`` for every file it writes. The
test client builds the request environment with ``EnvironBuilder``, runs the
app as a WSGI call and wraps what comes back in a new response object: about
0.12 ms a URL, a tenth of a district page's whole cost (docs/benchmarks.md,
issue #15, fifth part). A plain GET with no base URL needs none of that: this
client builds the few environment keys a GET has and hands back the response the
app made, going through the same steps as ``Flask.wsgi_app`` (request context,
dispatch, error handling, teardown). Anything else — a base URL, a query, a
redirect to follow — goes through the real test client.
"""

from __future__ import annotations

import io
import sys
from typing import Any

from flask import Response
from flask.testing import FlaskClient

_ENVIRON = {
    "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "QUERY_STRING": "", "SERVER_NAME": "localhost",
    "SERVER_PORT": "80", "HTTP_HOST": "localhost", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    "CONTENT_TYPE": "", "CONTENT_LENGTH": "0",
    "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
    "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
}


class FreezeClient(FlaskClient):
    """``app.test_client_class`` of the app the build freezes."""

    def get(self, *args: Any, **kw: Any) -> Any:
        url = args[0] if len(args) == 1 else None
        if not isinstance(url, str) or "?" in url or kw.get("base_url") or set(kw) - {"base_url", "follow_redirects"}:
            return super().get(*args, **kw)
        response = self._dispatch(url)
        if kw.get("follow_redirects") and response.status_code in (301, 302, 303, 307, 308):
            response.close()
            return super().get(*args, **kw)
        return response

    def _dispatch(self, path: str) -> Response:
        app = self.application
        # WSGI carries the path as latin-1 text of its UTF-8 bytes, as Werkzeug's own client does.
        environ = dict(_ENVIRON, PATH_INFO=path.encode("utf-8").decode("latin-1"), **{"wsgi.input": io.BytesIO()})
        ctx = app.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response = app.full_dispatch_request()
            except Exception as exc:  # as Flask.wsgi_app: an error page, or raised again when propagating
                error = exc
                exc.add_note(f"(while making {path})")  # the build propagates it: say which page
                response = app.handle_exception(exc)
            except BaseException:
                error = sys.exc_info()[1]
                raise
        finally:
            ctx.pop(None if error is not None and app.should_ignore_error(error) else error)
        # A file sent by send_file is read through, as the test client's response would have it.
        response.direct_passthrough = False
        return response
