"""Editing in the browser: Decap CMS configured from the content models."""
