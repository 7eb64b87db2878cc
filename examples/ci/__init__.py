"""The CI templates that ship with Knutepunkt, installed as the package ``hub.ci`` (see setup.py).

A package, not only a folder, so that ``importlib.resources.files("hub.ci")`` finds them in a
wheel, an sdist and an editable install alike: ``knutepunkt new site --ci github|gitlab`` copies
one into a new content repository. Nothing here is meant to be imported for its code.
"""
