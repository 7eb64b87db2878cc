"""Spec: the installed libraries' versions, read from their folders' names (hub/installed.py), are the ones
Python reports."""

from importlib.metadata import distributions

from hub.installed import version


def test_every_installed_distribution_has_the_version_importlib_metadata_reports():
    from importlib.metadata import version as reported

    names = {d.metadata["Name"] for d in distributions()}
    assert len(names) > 20  # this environment's flask, pydantic, shapely … and Knutepunkt itself
    assert {name: version(name) for name in names} == {name: reported(name) for name in names}


def test_a_name_is_found_however_it_is_spelt_and_a_missing_one_is_a_dash():
    assert version("Jinja2") == version("jinja2") == version("JINJA2")
    assert version("pydantic-core") == version("pydantic_core") != "-"
    assert version("no-such-library-here") == "-"
