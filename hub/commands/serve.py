"""``knutepunkt serve``: live preview on 127.0.0.1 that reloads on save."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
from pathlib import Path

import click

from hub.commands import CONTENT


@click.command("serve")
@CONTENT
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--theme", default="default", show_default=True)
@click.option("--admin", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Serve this folder (made by 'knutepunkt cms') at /admin/.")
def command(content: Path, port: int, host: str, theme: str, admin: Path | None) -> None:
    """Preview the portal; pages reload when content or theme files change."""
    from werkzeug.serving import make_server

    from hub.pipeline.incremental import ParsedDistricts, inputs
    from hub.site.preview import Preview
    from hub.theme import find_theme

    if not content.is_dir():  # before anything watches it: the preview shows broken content, not a missing folder
        from hub.commands import report
        from hub.content.errors import ContentErrors, ErrorLog
        from hub.content.loader import MISSING_CONTENT

        log = ErrorLog(content)
        log.add(content, 0, "", MISSING_CONTENT)
        report(ContentErrors(log.errors), outcome="Forhåndsvisningen startet ikke.")
    # The port first, in our words: werkzeug's own message is English and comes after the preview started.
    try:
        listening = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        why = {errno.EADDRINUSE: "porten er i bruk av et annet program",
               errno.EACCES: "porter under 1024 krever administrator"}.get(exc.errno or 0, os.strerror(exc.errno or 0))
        click.echo(f"knutepunkt serve: kan ikke lytte på {host}:{port}: {why}; velg en annen med --port, "
                   f"f.eks. --port {port + 1 if port >= 1024 else 8000}", err=True)
        sys.exit(2)
    # Districts parsed by an earlier preview of this content, beside it like a build's cache
    # (their fingerprints are taken when first needed: not before a first start's first page).
    parsed = ParsedDistricts(content.resolve().parent / ".knutepunkt-cache" / "preview",
                             lambda: inputs(content, find_theme(theme), options="preview"))
    preview = Preview(content, theme, admin, parsed)
    observer = preview.watch()
    server = make_server(host, port, preview.app, threaded=True, fd=listening.fileno())
    listening.close()  # the server holds its own copy of the socket
    click.echo(f"Forhåndsvisning på http://{host}:{server.port}/ (Ctrl+C for å stoppe)", err=True)
    # Stopped by a terminal (Ctrl+C), a closed terminal (SIGHUP: the private build runs in a session of
    # its own and would not hear it) or an editor or service manager (SIGTERM): clean up in every case.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    # Python leaves SIGINT ignored when it starts ignored (a job a script started with '&'): stop then too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
        preview.close()
