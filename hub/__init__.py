"""Knutepunkt: static district portals from a folder of Markdown and YAML."""

__version__ = "0.1.0"
