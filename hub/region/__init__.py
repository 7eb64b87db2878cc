"""The borderless region: a portal built from what member municipalities publish (their manifests)."""
