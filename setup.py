"""Build configuration the TOML cannot say: ``themes/`` (kept at the top of the repository) ships
inside the package as ``hub.themes``, and the CI templates in ``examples/ci/`` as ``hub.ci``, so an
installed tool finds its default theme and the templates it copies with ``importlib.resources``
and never through the repository layout."""

from setuptools import find_namespace_packages, setup

THEMES = ["hub.themes", *(f"hub.themes.{name}" for name in find_namespace_packages(where="themes"))]

setup(
    packages=[*find_namespace_packages(include=["hub", "hub.*"], exclude=["*.__pycache__"]), *THEMES, "hub.ci"],
    package_dir={"hub.themes": "themes", "hub.ci": "examples/ci"},
)
