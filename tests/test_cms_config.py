"""Spec: Decap's configuration is made from the content models, and its forms refuse what check refuses."""

from __future__ import annotations

import re

import pytest
from conftest import DEMO, ROOT, errors_of
from pydantic import ValidationError

from hub.content.model import OpeningHours
from hub.editor import decap


@pytest.fixture(scope="module")
def config():
    return decap.config(DEMO, ROOT, {"name": "github", "repo": "kommune/knutepunkt", "branch": "main"})


def _collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def _field(fields, *path):
    for name in path:
        found = next(f for f in fields if f["name"] == name)
        fields = found.get("fields", [])
    return found


def test_one_collection_per_district_and_kind_plus_the_site_and_shared_services(config):
    names = [c["name"] for c in config["collections"]]
    districts = sorted(p.name for p in (DEMO / "districts").iterdir())
    assert names[:3] == ["innstillinger", "felles-tjenester", "felles-planer"]
    for slug in districts:
        assert [f"{slug}", f"{slug}-tjenester", f"{slug}-program", f"{slug}-sider", f"{slug}-nyheter",
                f"{slug}-planer"] == [n for n in names if n == slug or n.startswith(f"{slug}-")]
    services = _collection(config, "bragernes-tjenester")
    assert services["folder"] == "content/districts/bragernes/services" and services["format"] == "frontmatter"
    assert _collection(config, "bragernes")["files"][0]["file"] == "content/districts/bragernes/district.yaml"


def test_github_and_gitlab_save_through_merge_requests(config):
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    local = decap.config(DEMO, ROOT, {"name": "git-gateway"}, local_port=8081)
    assert "publish_mode" not in local and local["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1"


def test_labels_are_norwegian_and_widgets_fit_the_fields(config):
    fields = _collection(config, "bragernes-program")["fields"]
    assert _field(fields, "title")["label"] == "Tittel" and _field(fields, "title")["required"]
    assert _field(fields, "date")["widget"] == "datetime" and _field(fields, "date")["format"] == "YYYY-MM-DD"
    assert _field(fields, "dates")["field"]["widget"] == "datetime"
    assert _field(fields, "repeat", "days")["widget"] == "select"
    assert _field(fields, "repeat", "days")["options"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert fields[-1] == {"name": "body", "label": "Tekst", "widget": "markdown", "required": False}
    weekly = _field(_collection(config, "bragernes")["files"][0]["fields"], "hub", "hours", "weekly")
    assert [f["label"] for f in weekly["fields"]] == ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
                                                       "søndag"]


def test_categories_and_services_are_the_sites_own_lists(config):
    import yaml

    service = _collection(config, "bragernes-tjenester")["fields"]
    site = yaml.safe_load((DEMO / "site.yaml").read_text("utf-8"))
    assert _field(service, "category")["options"] == sorted(c["slug"] for c in site["categories"])
    event = _collection(config, "bragernes-program")["fields"]
    assert "helsestasjon" in _field(event, "service")["options"]


# "9-5" is the one form the pattern lets through and the model refuses (a regular expression cannot
# compare the two times); the form's save then fails in `check` and the preview with the model's message.
@pytest.mark.parametrize("text", ["10.00-16.00", "kl. 10–16", "10-16 og 17-20", "stengt", "19.00-01.00", "9-16",
                                  "25:00-26:00", "1030-1600", "10.5-12", "morgen"])
def test_the_form_pattern_agrees_with_the_model(config, text):
    weekly = _field(_collection(config, "bragernes")["files"][0]["fields"], "hub", "hours", "weekly")
    pattern, message = _field(weekly["fields"], "tue")["pattern"]
    try:
        OpeningHours.model_validate({"weekly": {"tue": text}})
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.search(pattern, text)) == accepted
    assert message.startswith("Skriv tidsrom som 09:00-16:00")


def test_nothing_inside_an_optional_object_is_required_in_the_form(config):
    """Decap checks required fields of an empty optional object; the loader checks them when it is filled."""
    location = _field(_collection(config, "bragernes-tjenester")["fields"], "location")
    assert not location["required"] and not any(f["required"] for f in location["fields"])


def test_the_admin_page_has_its_own_policy(config):
    policy = decap.csp({"name": "github", "repo": "a/b"}, None)
    assert "connect-src 'self' blob: https://api.github.com;" in policy and "style-src 'self' 'unsafe-inline'" in policy
    assert "http:" not in policy.replace("https:", "")


def test_plans_have_a_collection_per_district_and_one_for_the_whole_municipality(config):
    plans = _collection(config, "bragernes-planer")
    assert plans["folder"] == "content/districts/bragernes/planer"
    # documents are uploaded beside the plan, into planer/<plan>/, and the field keeps the file name
    assert (plans["media_folder"], plans["public_folder"]) == ("{{filename}}", "")
    assert _collection(config, "felles-planer")["folder"] == "content/planer"
    fields = plans["fields"]
    status = _field(fields, "status")
    assert status["widget"] == "select" and {"label": "2 Planforslag", "value": 2} in status["options"]
    assert {"label": "35 Detaljregulering", "value": 35} in _field(fields, "type")["options"]
    assert _field(fields, "documents", "file")["widget"] == "file"
    assert [o for o in _field(fields, "steps", "step")["options"]] == ["oppstart", "horing", "vedtak", "kunngjoring"]
    assert "area" not in [f["name"] for f in fields]  # the GeoJSON polygon is edited in the file
    assert fields[-1]["widget"] == "markdown"


def test_titles_become_ascii_file_names_and_uploads_go_to_the_published_media_folder(config):
    """Decap's own slug options: "Åpent hus – kafé" → apent-hus-kafe.md (its browser test shows it)."""
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert (config["media_folder"], config["public_folder"]) == ("content/media", "/media")


def test_only_real_district_folders_become_collections(tree, tmp_path):
    from conftest import DISTRICT

    tree.write("districts/.DS_Store", b"\x00\x00\x00\x01Bud1")  # what Finder leaves behind
    tree.write("districts/.git-keep/x", "x")
    tree.write("districts/notater/les-meg.txt", "ikke en kommunedel")
    tree.write("elsewhere/district.yaml", DISTRICT)
    (tree.root / "districts/lenke").symlink_to(tree.root / "elsewhere", target_is_directory=True)
    (tree.root / "districts/.DS_Store").touch()
    assert decap.districts_of(tree.root) == [("nordby", "Nordby")]
    names = [c["name"] for c in decap.config(tree.root, tree.root.parent, {"name": "git-gateway"})["collections"]]
    assert not any(n.startswith((".", "notater", "lenke")) for n in names)


def test_a_picture_from_another_site_is_reported_even_where_the_page_uploads_none(tree):
    """The sanitiser drops pictures from other hosts (trackers), so ``check`` must say so: a page whose
    only picture is elsewhere, one written as HTML, and one named without /media/ (not one in code)."""
    tree.write("districts/nordby/pages/kart.md", "---\ntitle: Kart\n---\n![Kart over biblioteket](https://kart.example/k.png)\n"
               '\n<img src="//sporing.example/p.gif" alt="">\n\n![Bibliotek](bibliotek.png)\n\n'
               'Som kode vises `<img src="https://x.example/a.png">` som tekst:\n\n```\n![Logo](https://x.example/l.png)\n```\n')
    assert errors_of(tree.root) == [
        "content/districts/nordby/pages/kart.md:4: bildet 'https://kart.example/k.png' må lastes opp i "
        "redigeringsverktøyet (ligge i content/media/); bilder fra andre nettsteder vises ikke",
        "content/districts/nordby/pages/kart.md:6: bildet '//sporing.example/p.gif' må lastes opp i "
        "redigeringsverktøyet (ligge i content/media/); bilder fra andre nettsteder vises ikke",
        "content/districts/nordby/pages/kart.md:8: bildet 'bibliotek.png' må ligge i content/media/ (last det opp "
        "i redigeringsverktøyet) og skrives /media/bibliotek.png",
    ]


def test_what_the_editor_saves_is_checked_pictures_included(tree):
    tree.write("media/kafe.png", b"\x89PNG\r\n\x1a\n")
    tree.write("media/Bilde med mellomrom.png", b"\x89PNG\r\n\x1a\n")
    tree.write("media/tegning.svg", "<svg onload='alert(1)'/>")
    tree.write("districts/nordby/pages/kafe.md", "---\ntitle: Kafé\n---\n![Kaffe på bordet](/media/kafe.png)\n\n"
               "![](/media/kafe.png)\n\n![Logo](https://sporing.example/p.png)\n\n[Meny](/media/meny.pdf)\n")
    assert errors_of(tree.root) == [
        "content/districts/nordby/pages/kafe.md:6: bildet /media/kafe.png mangler alternativ tekst: skriv hva "
        "bildet viser mellom [ ]",
        "content/districts/nordby/pages/kafe.md:8: bildet 'https://sporing.example/p.png' må lastes opp i "
        "redigeringsverktøyet (ligge i content/media/); bilder fra andre nettsteder vises ikke",
        "content/districts/nordby/pages/kafe.md:10: finner ikke /media/meny.pdf i content/media/",
        "content/media/Bilde med mellomrom.png: filnavnet kan bare ha bokstavene a–z, tall, - _ og . (last filen "
        "opp på nytt i redigeringsverktøyet, eller gi den et slikt navn)",
        "content/media/tegning.svg: filtypen .svg kan ikke publiseres; bruk .avif, .gif, .jpeg, .jpg, .pdf, .png, "
        ".webp",
    ]
