"""``region.yaml``: the region's name and address, and its members, each a built portal folder or a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from hub.content.model import Lang, Model, Slug, Text, Url

#: Hosts a member may be served from over plain http (tests, a web team's preview on its own machine).
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def _source(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return value.rstrip("/") + "/"
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return value.rstrip("/") + "/"  # a portal served on this machine (tests, a web team's preview)
    if parts.scheme:
        raise ValueError("et medlem er en mappe med en bygget portal eller en https://-adresse")
    return value


class Member(Model):
    slug: Slug  # a short, stable name: the cache and the pages use it
    source: Annotated[str, Field(min_length=1), AfterValidator(_source)]

    def is_url(self) -> bool:
        return self.source.startswith(("https://", "http://"))

    def folder(self, region_file: Path) -> Path:
        return (region_file.parent / self.source).resolve()


#: ``search: auto`` builds the region's own index from this many members on.
INDEX_FROM = 10


class RegionConfig(Model):
    name: Text
    base_url: Url
    language: Lang = "nb"
    timezone: str = "Europe/Oslo"
    #: ``members``: merge the members' own Pagefind bundles in the browser (full text of every page);
    #: ``index``: one bundle of the region's own from the manifests (light at any size; docs/region.md);
    #: ``auto``: members below :data:`INDEX_FROM` members, index from there.
    search: Literal["auto", "members", "index"] = "auto"
    members: tuple[Member, ...] = Field(min_length=1)

    @property
    def search_mode(self) -> Literal["members", "index"]:
        """How the region's search works: merging the members' bundles costs a first query about 20
        requests per member (74 at 3 members, 1,014 at 50; docs/benchmarks.md), the index about 24."""
        if self.search == "auto":
            return "index" if len(self.members) >= INDEX_FROM else "members"
        return self.search
