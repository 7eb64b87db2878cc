"""The themes that ship with Knutepunkt, installed as the package ``hub.themes`` (see setup.py).

A package, not only a folder, so that ``importlib.resources.files("hub.themes")`` finds them in a
wheel, an sdist and an editable install alike; nothing here is meant to be imported for its code.
"""
