"""Spec: what search engines and link previews read — JSON-LD and Open Graph, read with extruct.

Every page's structured data and share tags name the page's own absolute URL, in all three
layouts (at the root, under a subpath, one district alone); addresses are PostalAddress;
events carry what Google's Event documentation asks for; share cards are real 1200×630 PNGs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import extruct
import pytest
from conftest import DEMO, EPOCH
from PIL import Image, ImageColor

from hub.pipeline.steps import build
from hub.theme import Theme

OG_LOCALE = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB", "pl": "pl_PL", "ar": "ar_EG"}  # others: CLDR's likely territory
EVENT_PROPERTIES = {"name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode", "description",
                    "organizer", "url", "image"}
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, str]]:
    """name → (output folder, base_url, path of the output folder under base_url)."""
    root = tmp_path_factory.mktemp("layouts")
    sub = root / "content-subpath"
    shutil.copytree(DEMO, sub)
    site = sub / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("base_url: https://knutepunkt.example.no/",
                                                    "base_url: https://www.example.no/kommune/knutepunkt/"), "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(DEMO, root / "root", search=False)
        build(sub, root / "subpath", search=False)
        build(DEMO, root / "alone", search=False, district="bragernes")
    return {"root": (root / "root", "https://knutepunkt.example.no/", ""),
            "subpath": (root / "subpath", "https://www.example.no/kommune/knutepunkt/", ""),
            "alone": (root / "alone", "https://knutepunkt.example.no/", "bragernes/")}


def own_url(base: str, prefix: str, out: Path, page: Path) -> str:
    rel = page.relative_to(out).as_posix()
    return base + prefix + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def og(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in data["opengraph"]:
        for key, value in block["properties"]:
            found.setdefault(key, []).append(value)
    return found


def _addresses(node, found: list) -> None:
    if isinstance(node, dict):
        if "address" in node:
            found.append(node["address"])
        for v in node.values():
            _addresses(v, found)
    elif isinstance(node, list):
        for v in node:
            _addresses(v, found)


@pytest.mark.parametrize("layout", ["root", "subpath", "alone"])
def test_every_page_names_its_own_absolute_url_in_json_ld_and_open_graph(layouts, layout):
    out, base, prefix = layouts[layout]
    pages = sorted(p for p in out.rglob("*.html"))
    assert len(pages) > (20 if layout == "alone" else 200)
    events = blocks = 0
    for page in pages:
        html = page.read_text("utf-8")
        url = own_url(base, prefix, out, page)
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=False)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        assert canonical and canonical.group(1) == url, page
        tags = og(data)
        assert tags["og:url"] == [url], page
        lang = re.search(r'<html lang="(\w+)"', html).group(1)
        assert tags["og:locale"] == [OG_LOCALE[lang]]
        for key in ("og:title", "og:description", "og:site_name", "og:type", "og:image:alt"):
            assert tags.get(key) and tags[key][0].strip(), (page, key)
        assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
        image = tags["og:image"][0]
        assert image.startswith(base) and image.endswith("/deling.png"), (page, image)
        card = out / image[len(base) + len(prefix):] if image.startswith(base + prefix) else None
        if card is not None:
            assert card.is_file(), image
        for ld in data["json-ld"]:
            blocks += 1
            nodes = ld.get("@graph", [ld])  # a plan's page: the plan first, then its public meetings
            main = nodes[0]
            assert main["url"] == url and main["@id"] == url, (page, main["url"])
            if main["@type"] == "Legislation":  # a plan has an area and an id, not an address
                assert main["legislationIdentifier"] and main["legislationLegalForce"].startswith("https://schema.org/")
                assert main["spatialCoverage"]["geo"]["@type"] == "GeoShape", page
            for node in nodes:
                if node["@type"] == "Legislation":
                    continue
                found: list = []
                _addresses(node, found)
                assert found, page
                for address in found:
                    assert address["@type"] == "PostalAddress" and address["addressCountry"] == "NO", address
                    assert address["streetAddress"] and address["addressLocality"], address
                if node["@type"] == "Event":
                    events += 1
                    assert set(node) >= EVENT_PROPERTIES, (page, EVENT_PROPERTIES - set(node))
                    assert OFFSET.match(node["startDate"]) and OFFSET.match(node["endDate"])
                    assert node["location"]["address"]["@type"] == "PostalAddress"
                    assert node["organizer"]["name"] and node["description"]
    assert blocks > (10 if layout == "alone" else 100) and events > (3 if layout == "alone" else 30)


def test_cancelled_occurrences_say_so_in_structured_data_and_the_share_text(layouts):
    out, _, _ = layouts["root"]
    page = out / "bragernes/program/helsestasjon-drop-in/index.html"
    html = page.read_text("utf-8")
    assert "EventScheduled" in html  # its next date is held
    cancelled = []
    for p in out.rglob("program/*/index.html"):
        text = p.read_text("utf-8")
        if "EventCancelled" in text:
            cancelled.append(p)
            assert re.search(r'<meta property="og:description" content="[^"]*\(avlyst\)', text), p
    assert cancelled, "the demo has an event whose next date is cancelled"


def test_event_share_text_has_the_date_and_the_place(layouts):
    out, _, _ = layouts["root"]
    html = (out / "bragernes/program/helsestasjon-drop-in/index.html").read_text("utf-8")
    desc = re.search(r'<meta property="og:description" content="([^"]+)"', html).group(1)
    assert re.search(r"\d{1,2}\. \w+ 20\d\d, 12\.00–14\.00", desc) and "Bragernes kvartal" in desc, desc


def test_share_cards_are_1200_by_630_and_the_same_bytes_every_build(layouts, tmp_path, monkeypatch):
    out, _, _ = layouts["root"]
    cards = sorted(out.rglob("deling.png"))
    assert len(cards) == 11  # the municipality and each district
    for card in cards:
        with Image.open(card) as im:
            assert im.size == (1200, 630) and im.format == "PNG"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(DEMO, tmp_path / "again", search=False)
    assert (tmp_path / "again/bragernes/deling.png").read_bytes() == (out / "bragernes/deling.png").read_bytes()


def test_a_share_card_is_drawn_in_the_themes_brand_and_background_colours(layouts):
    out, _, _ = layouts["root"]
    css = Theme.of("default").css_variables()
    brand, background = ImageColor.getrgb(css["brand"]), ImageColor.getrgb(css["bg"])
    with Image.open(out / "bragernes/deling.png") as im:
        rgb = im.convert("RGB")
        colours = {c for _, c in rgb.getcolors(1 << 16)}
        # the brand colour above, the page's background in the footer band
        assert rgb.getpixel((5, 5)) == brand and rgb.getpixel((5, 625)) == background
    # every other colour is a smoothed edge: a blend of the two, never a third colour
    for c in colours:
        t = max(range(3), key=lambda i: abs(background[i] - brand[i]))
        share = (c[t] - brand[t]) / (background[t] - brand[t])
        assert all(abs(brand[i] + share * (background[i] - brand[i]) - c[i]) <= 2 for i in range(3)), c
