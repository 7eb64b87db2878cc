"""Smoke test of benchmarks/search_quality.py: it runs judged queries in Chromium and prints the metrics.

The full judged set is a benchmark (its numbers are in docs/search.md), not a test: here three
queries, one of them judged wrongly on purpose, show that the script runs every search page and
that what it prints depends on what the search page found.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "search_quality.py"

QUERIES = """
tuned:
  - {q: bibliotk, kind: typo, first: [/tjenester/bibliotek/, /*/tjenester/bibliotek/]}
  - {q: nav kontor, kind: two-word, first: [/tjenester/nav-veiledning/, /*/tjenester/nav-veiledning/]}
held_out:
  - {q: helsestasjon, kind: service, first: [/nowhere/]}  # no such page: never found
"""


def test_a_query_is_a_hit_at_the_rank_of_the_first_result_that_should_come_first():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from search_quality import Query, metrics
    finally:
        sys.path.remove(str(SCRIPT.parent))
    q = Query("nav", "service", ("/tjenester/nav-veiledning/", "/*/tjenester/nav-veiledning/"), "bragernes", "tuned")
    assert q.rank(["/bragernes/", "/bragernes/tjenester/nav-veiledning/"]) == 2
    assert q.rank(["/tjenester/nav-veiledning/"]) == 1
    assert q.rank(["/bragernes/"] * 10 + ["/tjenester/nav-veiledning/"]) is None  # past the first page
    assert q.rank(["http://127.0.0.1:8000/fjell/tjenester/nav-veiledning/"]) == 1
    assert metrics([1, 3, None, 2]) == (0.25, 0.75, (1 + 1 / 3 + 1 / 2) / 4)


@pytest.mark.browser
def test_the_script_runs_the_queries_on_every_search_page_and_prints_the_metrics(demo_site, tmp_path):
    queries = tmp_path / "queries.yaml"
    queries.write_text(QUERIES, "utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), "--queries", str(queries), "--site", str(demo_site), "--misses"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for page in ("district", "merged", "light"):
        assert f"| {page} | tuned | 2 | 100% | 100% | 1.00 |" in out, out
        assert f"| {page} | held-out | 1 | 0% | 0% | 0.00 |" in out, out
    assert "- merged [held_out] 'helsestasjon' (service): rank -; first /" in out
