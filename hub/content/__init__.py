"""Reading content: files → validated, immutable model."""
