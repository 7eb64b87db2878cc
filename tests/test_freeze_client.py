"""The build's freeze client: the bytes Werkzeug's test client would give, without its round trip."""

from __future__ import annotations

import warnings

import pytest
from conftest import DEMO, tree_digest
from flask import Flask
from flask.testing import FlaskClient
from flask_frozen import Freezer, MissingURLGeneratorWarning

from hub.content.loader import load
from hub.pipeline import steps
from hub.pipeline.client import FreezeClient


def test_every_file_of_the_demo_is_what_the_test_client_would_give(tmp_path, monkeypatch):
    portal = load(DEMO)
    ours = steps.freeze(portal, tmp_path / "ours")
    monkeypatch.setattr(steps, "FreezeClient", FlaskClient)
    theirs = steps.freeze(portal, tmp_path / "theirs")
    assert ours == theirs > 300
    assert tree_digest(tmp_path / "ours") == tree_digest(tmp_path / "theirs")


def test_plain_pages_do_not_take_the_test_clients_round_trip(tree, tmp_path, monkeypatch):
    opened: list[str] = []
    real_open = FlaskClient.open
    monkeypatch.setattr(FlaskClient, "open", lambda self, *a, **kw: opened.append(a[0]) or real_open(self, *a, **kw))
    assert steps.freeze(load(tree.root), tmp_path / "out") > 10
    assert opened == []


def _freeze(app: Flask, dest, urls: list[str], client: type[FlaskClient] = FreezeClient) -> set[str]:
    app.test_client_class = client
    app.config.update(FREEZER_DESTINATION=str(dest), FREEZER_REMOVE_EXTRA_FILES=False)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(lambda: iter(urls))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return freezer.freeze()


def test_a_path_outside_ascii_reaches_the_view_as_written(tmp_path):
    app = Flask(__name__)
    app.add_url_rule("/sted/<name>/", "place", lambda name: f"Velkommen til {name}")
    _freeze(app, tmp_path, ["/sted/Bærum/"])
    assert (tmp_path / "sted/Bærum/index.html").read_text("utf-8") == "Velkommen til Bærum"


@pytest.mark.parametrize("client", [FreezeClient, FlaskClient])
def test_a_failing_view_fails_the_freeze_and_runs_the_teardown_as_with_the_test_client(tmp_path, client):
    app = Flask(__name__)
    torn_down: list[BaseException | None] = []
    app.teardown_request(torn_down.append)

    @app.route("/feil/")
    def broken() -> str:
        raise RuntimeError("a bug in a view")

    with pytest.raises(ValueError, match="500"):
        _freeze(app, tmp_path, ["/feil/"], client)
    assert isinstance(torn_down[0], RuntimeError)  # then the freezer's own context, closed by the error


@pytest.mark.parametrize("client", [FreezeClient, FlaskClient])
def test_a_redirect_is_followed_as_frozen_flask_expects(tmp_path, client):
    app = Flask(__name__)
    app.add_url_rule("/ny/", "new", lambda: "Her er vi nå")
    app.add_url_rule("/gammel/", "old", lambda: app.redirect("/ny/"))
    _freeze(app, tmp_path, ["/gammel/"], client)
    assert (tmp_path / "gammel/index.html").read_text("utf-8") == "Her er vi nå"
