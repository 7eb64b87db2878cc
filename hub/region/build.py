"""``region build``: read region.yaml → fetch every member → render → publish (atomic, like a portal build)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.content.errors import ContentErrors, ErrorLog
from hub.content.loader import validate
from hub.content.source import parse_yaml, read_text
from hub.pipeline.steps import publish
from hub.region import site
from hub.region.config import RegionConfig
from hub.region.fetch import BUDGET, Fetched, MemberError, fetch_all


class RegionError(Exception):
    """The region cannot be built without losing a member (one message per member)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class RegionResult:
    members: list[Fetched]
    pages: int
    warnings: list[str]


def read_config(path: Path) -> RegionConfig:
    """region.yaml, validated like content: every error with file, line and field."""
    log = ErrorLog(path.parent)
    text = read_text(path, log) if path.is_file() else None
    if text is None and not log:
        log.add(path, 0, "", "filen finnes ikke")
    doc = parse_yaml(text, path, log) if text is not None else None
    config = validate(RegionConfig, doc, path, log) if doc is not None else None
    if config is None or log:
        raise ContentErrors(log.sorted())
    return config


def build_region(region_file: Path, out: Path, cache: Path, *, timeout: float = BUDGET,
                 now: dt.datetime | None = None) -> RegionResult:
    """``timeout`` is each member's time in seconds, every try together; members are fetched side by side."""
    config = read_config(region_file)
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(ZoneInfo(config.timezone)).date()
    fetched = fetch_all(config.members, region_file, cache, timeout=timeout, now=now)
    errors = [str(f) for f in fetched if isinstance(f, MemberError)]
    if errors:
        raise RegionError(errors)
    members = [f for f in fetched if isinstance(f, Fetched)]
    out = out.resolve()
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        written = site.render(config, members, staging, today, now)
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    warnings: list[str] = []
    for f in members:
        warnings += [f.warning] if f.warning else []
        warnings += [f"medlemmet {f.member.slug!r}: {note}" for note in f.notes]
    return RegionResult(members, len(written), warnings)
