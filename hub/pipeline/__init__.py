"""Freezing, search indexing, incremental rebuilds and the atomic publish."""
