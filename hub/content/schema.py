"""JSON Schema for each content file type, from the same pydantic models that validate it.

Editors (VS Code with the YAML extension) read these through the
``# yaml-language-server: $schema=…`` line at the top of each file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from hub.content.model import (
    CapacityFile,
    DistrictConfig,
    EventMeta,
    NewsMeta,
    PageMeta,
    PlanMeta,
    ServiceMeta,
    SiteConfig,
    StreetsFile,
)

KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "site": (SiteConfig, "content/site.yaml"),
    "district": (DistrictConfig, "content/districts/<kommunedel>/district.yaml"),
    "service": (ServiceMeta, "front matter of services/*.md"),
    "event": (EventMeta, "front matter of programme/*.md"),
    "page": (PageMeta, "front matter of pages/*.md"),
    "news": (NewsMeta, "front matter of news/*.md"),
    "plan": (PlanMeta, "front matter of planer/*.md"),
    "capacity": (CapacityFile, "content/capacity.yaml"),
    "streets": (StreetsFile, "content/districts/<kommunedel>/streets.yaml"),
}


def vocabulary(content: Path | None) -> dict[str, list[str]]:
    """Category slugs and service keys of a content folder, so editors flag unknown references too."""
    if content is None or not (content / "site.yaml").is_file():
        return {}
    try:
        site = yaml.safe_load((content / "site.yaml").read_text("utf-8-sig")) or {}
        cats = sorted({c["slug"] for c in site.get("categories", []) if isinstance(c, dict) and "slug" in c})
    except (yaml.YAMLError, OSError, TypeError, AttributeError):
        return {}
    kinds: set[str] = set()
    for path in [*content.glob("districts/*/services/*.md"), *content.glob("services/*.md")]:
        kinds.add(path.stem)
        m = re.search(r"^service:\s*([a-z0-9-]+)\s*$", path.read_text("utf-8-sig", errors="replace"), re.M)
        if m:
            kinds.add(m.group(1))
    districts = sorted(p.name for p in (content / "districts").iterdir() if p.is_dir()) \
        if (content / "districts").is_dir() else []
    plans = sorted({p.stem for p in [*content.glob("districts/*/planer/*.md"), *content.glob("planer/*.md")]})
    return {"categories": cats, "services": sorted(kinds), "districts": districts, "plans": plans}


def schema(kind: str, vocab: dict[str, list[str]] | None = None) -> dict[str, Any]:
    model, where = KINDS[kind]
    out = model.model_json_schema(by_alias=True, mode="validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = f"Knutepunkt: {where}"
    props = out.get("properties", {})
    if vocab and vocab.get("categories") and kind in ("service", "event") and "category" in props:
        props["category"] = {**props["category"], "enum": vocab["categories"]}
        props["category"].pop("anyOf", None)
    if vocab and vocab.get("services") and kind == "event":
        props["service"] = {"enum": vocab["services"], "title": "Service"}
    if vocab and vocab.get("plans") and kind == "event":
        props["plan"] = {"enum": vocab["plans"], "title": "Plan"}
    if vocab and vocab.get("districts") and kind == "plan":
        props["districts"] = {**props["districts"], "items": {"enum": vocab["districts"]}}
    return out


def write(folder: Path, content: Path | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(content)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        text = json.dumps(schema(kind, vocab), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        path.write_text(text, "utf-8")
        written.append(path)
    return written
