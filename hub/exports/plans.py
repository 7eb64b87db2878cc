"""Open data of plans and hearings: ``apne-data/planer.json`` and ``planer.csv``.

Each plan with its national id, the SOSI code and Norwegian name of its type and status, the
process steps with their dates, its documents (absolute links, type and size), the area as
GeoJSON, where to send input, and what is open on the build's "today". The JSON Schema it
follows ships in the package (``planer.schema.json``) and is published beside it; the tests
validate the export against that file, so the contract is kept by a file, not by this code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from hub.content.codelists import PLANSTATUS, PLANTYPE
from hub.content.model import DOCUMENT_TYPES
from hub.content.structure import Plan, Portal
from hub.time import planning

SCHEMA_FILE = "planer.schema.json"


def schema_text() -> str:
    """The JSON Schema of ``planer.json``, as shipped inside the package."""
    return files("hub.exports").joinpath(SCHEMA_FILE).read_text("utf-8")


def _step(s: Any) -> dict[str, Any]:
    out = {"step": s.step, "date": s.date, "from": s.from_, "to": s.to, "deadline": s.due, "note": s.note}
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in out.items() if v is not None}


def plan_record(portal: Portal, plan: Plan, url: str, document_url: Callable[[str], str]) -> dict[str, Any]:
    """One plan as open data (``document_url`` turns a file name into its absolute URL)."""
    m = plan.meta
    today = portal.today
    current = planning.current_step(m.steps, today)
    open_step = plan.open_step(today)
    documents = []
    for d in m.documents:
        found = plan.attachment(d.file) if d.file else None
        doc: dict[str, Any] = {"title": d.title, "kind": d.kind, "date": d.date.isoformat() if d.date else None,
                               "url": document_url(d.file) if d.file else d.url,
                               "media_type": DOCUMENT_TYPES[d.extension][1] if d.extension in DOCUMENT_TYPES else None,
                               "size": found.size if found else None}
        documents.append({k: v for k, v in doc.items() if v is not None})
    out: dict[str, Any] = {
        "plan_id": m.plan_id, "title": m.title, "summary": m.summary, "url": url,
        "type": {"code": m.type, "name": PLANTYPE[m.type]}, "status": {"code": m.status, "name": PLANSTATUS[m.status]},
        "case_number": m.case_number, "districts": list(plan.districts),
        "steps": [_step(s) for s in m.steps], "current_step": current.step if current else None,
        "open_for_input_until": open_step.due.isoformat() if open_step and open_step.due else None,
        "documents": documents, "area": m.area,
        "respond": {k: v for k, v in {"email": m.respond.email, "form_url": m.respond.form_url}.items() if v}
        if m.respond else None,
        "example": m.example or None,
    }
    return {k: v for k, v in out.items() if v is not None}


def export(portal: Portal, plans: list[dict[str, Any]]) -> dict[str, Any]:
    site = portal.site
    return {"generated": portal.today.isoformat(),
            "municipality": {"name": site.name, "organization_number": site.organization_number,
                             "base_url": site.base_url},
            "plans": plans}


COLUMNS = ("plan_id", "title", "url", "type_code", "type_name", "status_code", "status_name", "case_number",
           "districts", "current_step", "open_for_input_until", "steps", "documents", "area")


def csv_text(data: dict[str, Any]) -> str:
    """One row per plan; steps as ``horing:2026-11-04/2026-12-16`` joined by ``;``, documents as their
    URLs joined by spaces, the area as GeoJSON text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in data["plans"]:
        steps = ";".join(f"{s['step']}:{s.get('from') or s.get('date') or ''}"
                         + (f"/{s['deadline']}" if "deadline" in s else "") for s in p["steps"])
        w.writerow([p["plan_id"], p["title"], p["url"], p["type"]["code"], p["type"]["name"], p["status"]["code"],
                    p["status"]["name"], p.get("case_number", ""), " ".join(p["districts"]),
                    p.get("current_step", ""), p.get("open_for_input_until", ""), steps,
                    " ".join(d["url"] for d in p["documents"]),
                    json.dumps(p["area"], separators=(",", ":")) if "area" in p else ""])
    return buf.getvalue()
