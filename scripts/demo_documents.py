"""Make the demo plans' documents: tiny one-page PDFs that say they are examples.

The demo's plans are invented; their documents are too. Each PDF is written by hand (a few
hundred bytes, Helvetica, no images), so the demo stays small and the bytes never change.
Usage: python scripts/demo_documents.py [content]
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Plan folder → file name → the lines on the page (the first is the heading).
DOCUMENTS: dict[str, dict[str, list[str]]] = {
    "districts/bragernes/planer/bragernes-kvartal": {
        "plankart.pdf": ["Plankart", "Detaljregulering for Bragernes kvartal (planforslag)"],
        "planbeskrivelse.pdf": ["Planbeskrivelse", "Detaljregulering for Bragernes kvartal (planforslag)"],
        "bestemmelser.pdf": ["Planbestemmelser", "Detaljregulering for Bragernes kvartal (planforslag)"],
        "ros-analyse.pdf": ["ROS-analyse", "Risiko og sårbarhet, Bragernes kvartal"],
        "innspill-oppstart.pdf": ["Innspill ved oppstart", "Samlet, med kommunens kommentarer"],
    },
    "districts/konnerud/planer/konnerud-sentrum-b3": {
        "plankart.pdf": ["Plankart", "Detaljregulering for Konnerud sentrum, felt B3 (vedtatt)"],
        "bestemmelser.pdf": ["Planbestemmelser", "Detaljregulering for Konnerud sentrum, felt B3 (vedtatt)"],
    },
    "planer/sykkelvei-konnerud-bragernes": {
        "varsel-om-oppstart.pdf": ["Varsel om oppstart av planarbeid",
                                   "Områderegulering for gang- og sykkelvei Konnerud–Bragernes"],
    },
}


def _text(s: str) -> bytes:
    """A PDF string in WinAnsi (Latin-1 for Norwegian letters), with ( ) and \\ escaped."""
    raw = s.replace("–", "-").encode("latin-1")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF with a heading, the lines, and a note that it is an example."""
    rows = [b"BT /F1 20 Tf 56 770 Td " + _text(lines[0]) + b" Tj ET"]
    for i, line in enumerate([*lines[1:], "EKSEMPEL: et oppdiktet dokument i demoportalen."]):
        rows.append(b"BT /F1 12 Tf 56 %d Td " % (740 - 20 * i) + _text(line) + b" Tj ET")
    stream = b"\n".join(rows)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main(content: Path) -> None:
    for folder, files in DOCUMENTS.items():
        for name, lines in files.items():
            path = content / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf(lines))
            print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content"))
