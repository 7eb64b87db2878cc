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
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from hub.content.languages import OWN_FIELDS
from hub.content.model import (
    TEXT_MAX,
    CapacityFile,
    DistrictConfig,
    EventMeta,
    NewsMeta,
    PageMeta,
    PlanMeta,
    ServiceMeta,
    SiteConfig,
    StreetsFile,
    text_fields,
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
        if "." in path.stem:  # a translation (helsestasjon.pl.md) names no service of its own
            continue
        kinds.add(path.stem)
        m = re.search(r"^service:\s*([a-z0-9-]+)\s*$", path.read_text("utf-8-sig", errors="replace"), re.M)
        if m:
            kinds.add(m.group(1))
    districts = sorted(p.name for p in (content / "districts").iterdir() if p.is_dir()) \
        if (content / "districts").is_dir() else []
    plans = sorted({p.stem for p in [*content.glob("districts/*/planer/*.md"), *content.glob("planer/*.md")]
                    if "." not in p.stem})
    return {"categories": cats, "services": sorted(kinds), "districts": districts, "plans": plans}


class _Limits(GenerateJsonSchema):
    """Every text field's limit (the models' ``str_max_length``, :data:`hub.content.model.TEXT_MAX`) in
    the schema, whichever pydantic made it: 2.14 writes it from the models' config, 2.13 left it out,
    and the committed ``schemas/`` must be the same for both."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out = super().str_schema(schema)
        out.setdefault("maxLength", TEXT_MAX)
        return out


def schema(kind: str, vocab: dict[str, list[str]] | None = None) -> dict[str, Any]:
    model, where = KINDS[kind]
    out = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_Limits)
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


#: The kinds of file a translation may be made of (``helsestasjon.pl.md``, ``district.pl.yaml``).
TRANSLATED = ("district", "service", "event", "page", "news", "plan")


def translation_schema(kind: str) -> dict[str, Any]:
    """A translation's schema: only the kind's text fields (:func:`hub.content.model.text_fields`) and the
    translation's own ``updated`` and ``example``, so an editor flags a structured field at once."""
    model, where = KINDS[kind]
    full = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_Limits)

    def group() -> dict[str, Any]:
        return {"type": "object", "properties": {}, "additionalProperties": False}

    root = group()
    for name in [*text_fields(model), *OWN_FIELDS]:
        node = root
        parts = name.split(".")
        for i, part in enumerate(parts):
            key, many = part.removesuffix("[]"), part.endswith("[]")
            if i == len(parts) - 1:
                node["properties"][key] = full["properties"].get(key, {"type": "string"}) if i == 0 else {
                    "type": "string"}
            else:
                inner = node["properties"].setdefault(key, {"type": "array", "items": group()} if many else group())
                node = inner["items"] if many else inner
    return {**root, "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": full.get("$defs", {}),
            "title": f"Knutepunkt: a translation of the {where} (text only)"}


def write(folder: Path, content: Path | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(content)
    written = []
    found = {kind: schema(kind, vocab) for kind in KINDS} | {
        f"{kind}.translation": translation_schema(kind) for kind in TRANSLATED}
    for kind, data in found.items():
        path = folder / f"{kind}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
        written.append(path)
    return written
