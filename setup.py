"""Build configuration the TOML cannot say: ``themes/`` (kept at the top of the repository) ships
inside the package as ``hub.themes``, so an installed tool finds its default theme with
``importlib.resources`` and never through the repository layout."""

from setuptools import find_namespace_packages, setup

THEMES = ["hub.themes", *(f"hub.themes.{name}" for name in find_namespace_packages(where="themes"))]

setup(
    packages=[*find_namespace_packages(include=["hub", "hub.*"], exclude=["*.__pycache__"]), *THEMES],
    package_dir={"hub.themes": "themes"},
)
