"""Hostile text through every reader into the map, the report and every export:
nothing injected, outputs well-formed, spreadsheet formulas neutralised."""

import csv
import io
import json

import networkx as nx
import pytest

from mapper import analyze
from mapper.cli import main
from mapper.graph import write_graph
from mapper.render import html_of
from mapper.report import people_csv
from tests import hostile


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile.write_all(tmp_path_factory.mktemp("hostile"))


FORMATS = [
    "csv",
    "savedpage",
    "wxr",
    "html",
    "disqus",
    "twitter_v1",
    "twitter_v2",
    "mastodon",
    "bluesky",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_reader_every_output(corpus, fmt, tmp_path):
    res = analyze(corpus[fmt], locate=True)
    assert res.report["participants"] >= 10, res.report["problems"]
    page = html_of(
        res.map(
            tiles="none",
        )
    )
    for marker in hostile.MARKERS:
        assert marker not in page, marker
    assert "\x00" not in page and "\u202e" not in page
    # template syntax in a name stays text: never evaluated by Jinja ({{7*7}} → 49)
    assert "{{7*7}}" not in page and "{% raw %}" not in page and "<Config" not in page
    # GraphML and GEXF stay well-formed XML that tools read back
    for suffix in (".graphml", ".gexf"):
        path = tmp_path / f"g{suffix}"
        write_graph(res.graph, path)
        back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
        assert back.number_of_nodes() == res.graph.number_of_nodes()
    # people.csv parses back, one row per person, no cell a spreadsheet would run
    rows = list(csv.reader(io.StringIO(people_csv(res.report))))
    assert len(rows) == len(res.report["people"]) + 1
    for row in rows[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell
    json.loads(json.dumps(res.report))


def test_report_keeps_the_text_itself(corpus, tmp_path):
    out = tmp_path / "r.json"
    assert main(["-q", "report", str(corpus["csv"][0]), str(corpus["csv"][1]), "-o", str(out)]) == 0
    names = {p["name"] for p in json.loads(out.read_text())["people"]}
    assert "<img src=x onerror=alert(2)>" in names  # data is kept as given, escaped on output
    assert "L" * 100_000 in names


@pytest.mark.browser
def test_browser_no_script_runs(corpus, site):
    from tests.browser import browser, open_page

    chromium, pw = browser()
    root, base = site
    files = [f for fmt in FORMATS for f in corpus[fmt]]
    res = analyze(files, locate=True)
    for mode in ("people", "places"):
        page = html_of(
            res.map(
                tiles="none",
                aggregate=mode,
            )
        )
        (root / f"hostile-{mode}.html").write_text(page)
        found, dialogs, errors = open_page(f"{base}/hostile-{mode}.html", chromium, pw)
        assert dialogs == [] and errors == []
        assert all(h.startswith(("http://", "https://")) for h in found["links"])
        assert not any("alert" in h.lower() and ".example/" not in h for h in found["links"])
        # no <img src=x> anywhere, and only the page's own inline scripts
        assert found["injected"] == page.count("<script>")
        assert found["people" if mode == "people" else "places"] >= 1
