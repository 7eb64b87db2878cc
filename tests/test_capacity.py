"""Spec: a service says whether it takes applicants from other municipalities, for which period, as of when.

From a service's own ``capacity:`` or from ``content/capacity.yaml`` (regenerated daily from a case
system export; an entry for one district wins over one for every district, and both over the file's
own). Shown on the service page, in JSON-LD (Offer availability) and in the open data.
"""

from __future__ import annotations

import json
import re

import pytest
from test_content_errors import errors_of

from hub.content.loader import load
from hub.pipeline.steps import build

CAPACITY = """
services:
  - service: helsestasjon
    status: limited
    from: 2027-01-01
    to: 2027-06-30
    note: Plass for barn over ett år.
    updated: 2026-11-23
"""


def test_the_daily_file_wins_over_the_service_file_and_one_district_over_all(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: Helsestasjon\nservice: helsestasjon\n"
               "category: helse\nsummary: x\ncapacity: {status: open, updated: 2026-11-01}\n---\n")
    portal = load(tree.root)
    d = portal.districts[0]
    assert portal.capacity(d, d.services[0]).status == "open"  # only the service file says anything
    tree.write("capacity.yaml", CAPACITY)
    portal = load(tree.root)
    assert portal.capacity(d, d.services[0]).status == "limited"
    tree.write("capacity.yaml", CAPACITY + "  - {service: helsestasjon, district: nordby, status: closed, "
               "updated: 2026-11-23}\n")
    assert load(tree.root).capacity(d, d.services[0]).status == "closed"


def test_a_bad_capacity_file_names_file_line_and_field(tree):
    tree.write("capacity.yaml", """
services:
  - {service: helsestasjon, status: kanskje, updated: 2026-11-23}
  - {service: helsestasjon, status: open}
""")
    assert errors_of(tree) == [
        "content/capacity.yaml:2: services[0].status: må være en av: 'open', 'limited' eller 'closed' (fikk 'kanskje')",
        "content/capacity.yaml:3: services[1].updated: mangler (feltet er påkrevd)",
    ]


def test_capacity_for_a_service_or_district_that_does_not_exist_is_an_error(tree):
    tree.write("capacity.yaml", """
services:
  - {service: tannlege, status: open, updated: 2026-11-23}
  - {service: helsestasjon, district: sorby, status: open, updated: 2026-11-23}
""")
    assert errors_of(tree) == [
        "content/capacity.yaml:2: services[0].service: ukjent tjeneste 'tannlege'; bruk 'service'-nøkkelen til en "
        "tjeneste",
        "content/capacity.yaml:3: services[1].district: ukjent kommunedel 'sorby'",
    ]


@pytest.fixture
def site(tree, tmp_path, monkeypatch):
    tree.write("capacity.yaml", CAPACITY)
    out = tmp_path / "site"
    build(tree.root, out, search=False)
    return out


def test_the_service_page_says_it_in_norwegian(site):
    html = (site / "nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", re.search(r"<dt>Tar imot søkere fra andre kommuner</dt> <dd>(.*?)</dd>",
                                            html, re.S).group(1))
    assert " ".join(text.split()) == ("delvis, fra 1. januar 2027 til 30. juni 2027. Plass for barn over ett år. "
                                      "(oppdatert 23. november 2026)")


def test_structured_data_and_open_data_carry_it(site):
    html = (site / "nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["offers"] == {"@type": "Offer", "availability": "https://schema.org/LimitedAvailability",
                            "availabilityStarts": "2027-01-01", "availabilityEnds": "2027-06-30",
                            "description": "Plass for barn over ett år."}
    data = json.loads((site / "apne-data/hsds.json").read_text("utf-8"))
    assert data["services"][0]["x_capacity"] == {"status": "limited", "from": "2027-01-01", "to": "2027-06-30",
                                                 "note": "Plass for barn over ett år.", "updated": "2026-11-23"}
    csv = (site / "apne-data/services.csv").read_text("utf-8").splitlines()
    assert csv[0].endswith("x_capacity_status,x_capacity_from,x_capacity_to,x_capacity_note,x_capacity_updated")
    assert csv[1].endswith("limited,2027-01-01,2027-06-30,Plass for barn over ett år.,2026-11-23")
