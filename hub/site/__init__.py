"""The Flask app that renders the model: app factory, views, URLs, preview."""
