"""The map: escaping, links, arcs, self-contained output, and what a browser shows."""

import itertools
import json

import pytest

from mapper import analyze
from mapper.cli import main
from mapper.render import esc, great_circle, html_of, render_map, safe_url
from tests.browser import browser, open_page
from tests.conftest import EXAMPLE

HOSTILE = "<img src=x onerror=alert(1)>"


def test_escaping_and_links():
    assert "<" not in esc(HOSTILE) and "`" not in esc("`${alert(1)}`")
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert safe_url("https://ok.example/x") == "https://ok.example/x"


def test_great_circle_crosses_antimeridian_continuously():
    pts = great_circle(35.68, 139.69, 37.77, -122.42)  # Tokyo → San Francisco
    lons = [p[1] for p in pts]
    assert all(abs(b - a) < 20 for a, b in itertools.pairwise(lons))
    assert max(p[0] for p in pts) > 45  # bends north of both ends


@pytest.fixture
def hostile_inputs(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,location,handle,url\n"
        f'evil,"{HOSTILE}","Paris, France",,javascript:alert(2)\n'
        'quote,"Q`${alert(3)}`</script><script>alert(4)</script>","Boise, ID",,https://q.example\n'
        'ok,Plain Person,"Hardwick, Vermont",,http://plain.example\n'
        "lost,Nowhere Person,,,\n"
    )
    inter = tmp_path / "interactions.csv"
    inter.write_text(
        "source,target,kind,weight,at\nevil,ok,comment,1,\nquote,ok,mention,2,\n"
        "lost,ok,comment,1,\n"
    )
    return [people, inter]


def test_map_html_has_no_live_hostile_markup(hostile_inputs, tmp_path):
    res = analyze(hostile_inputs, locate=True)
    page = html_of(
        res.map(
            tiles="none",
        )
    )
    assert HOSTILE not in page and "javascript:alert" not in page
    assert "<script>alert(4)</script>" not in page
    assert "Nowhere Person" in page  # unlocated, listed, not dropped


def test_geojson_and_report_written(tmp_path):
    out = tmp_path / "m.html"
    gj = tmp_path / "m.geojson"
    rep = tmp_path / "r.json"
    assert (
        main(
            [
                "-q",
                "map",
                str(EXAMPLE / "thread.txt"),
                "--locations",
                str(EXAMPLE / "locations.csv"),
                "-o",
                str(out),
                "--geojson",
                str(gj),
                "--report",
                str(rep),
                "--tiles",
                "none",
            ]
        )
        == 0
    )
    r = json.loads(rep.read_text())
    coll = {
        k: json.loads((tmp_path / f"m.{k}.geojson").read_text())
        for k in ("people", "places", "ties")
    }
    assert not gj.exists()  # three files, one geometry type each
    assert len(coll["people"]["features"]) == r["located"]
    assert len(coll["places"]["features"]) == len(r["geography"]["places"])
    assert coll["ties"]["features"]
    for name, kind in (("people", "Point"), ("places", "Point"), ("ties", "MultiLineString")):
        assert coll[name]["type"] == "FeatureCollection"
        for f in coll[name]["features"]:
            assert f["geometry"]["type"] == kind
            props = f["properties"]
            keys = {"name", "admin1", "country_code", "tier"}
            if name == "ties":
                keys = {f"{end}_{k}" for end in ("source", "target") for k in keys}
            assert keys <= set(props)
    maggie = next(
        f for f in coll["people"]["features"] if f["properties"]["name"] == "Maggie Ortiz"
    )
    assert maggie["properties"]["country_code"] == "US" and maggie["properties"]["admin1"]
    page = out.read_text()
    share = r["geography"]["outside_big_cities"]["influence_share"]
    assert f'id=\\"mapper-outside-influence\\">{share:.0%}<' in page
    assert "located participants of known size" in page


def test_aggregated_mode(tmp_path):
    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    m = res.map(
        tiles="none",
        aggregate="places",
    )
    assert m.mapper_mode == "places"
    page = html_of(m)
    assert page.count("participant(s), influence") == len(res.report["geography"]["places"])
    assert "mapper-place" in page


# --- in a real browser (helpers in tests/browser.py, fixture `site` in conftest) ---


@pytest.mark.browser
def test_browser_hostile_map(site, hostile_inputs):
    chromium, pw = browser()
    root, base = site
    res = analyze(hostile_inputs, locate=True)
    (root / "map.html").write_text(
        html_of(
            res.map(
                tiles="none",
            )
        )
    )
    baseline_scripts = html_of(
        res.map(
            tiles="none",
        )
    ).count("<script>")
    found, dialogs, errors = open_page(f"{base}/map.html", chromium, pw)
    assert dialogs == []
    assert errors == []
    assert found["people"] == res.report["located"] == 3
    assert found["arcs"] >= 1 and found["legend"]
    assert "Nowhere Person" in found["unlocated"]
    assert all(h.startswith(("http://", "https://")) for h in found["links"])
    assert not any("alert" in h for h in found["links"])
    assert found["injected"] <= baseline_scripts  # only folium's own inline scripts


@pytest.mark.browser
def test_browser_example_map_and_screenshot(site, tmp_path):
    chromium, pw = browser()
    root, base = site
    out = root / "example.html"
    assert (
        main(
            [
                "-q",
                "map",
                str(EXAMPLE / "thread.txt"),
                "--locations",
                str(EXAMPLE / "locations.csv"),
                "-o",
                str(out),
                "--tiles",
                "none",
                "--self-contained",
            ]
        )
        == 0
    )
    assert "https://cdn.jsdelivr.net" not in out.read_text()  # everything inlined
    shot = tmp_path / "example.png"
    found, dialogs, errors = open_page(f"{base}/example.html", chromium, pw, screenshot=shot)
    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    assert found["people"] == res.report["located"]
    assert found["basemap"] > 100  # with no tiles the offline country outlines show
    assert not dialogs and not errors
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
def test_browser_places_mode_and_seed_thread(site, seed, tmp_path):
    chromium, pw = browser()
    root, base = site
    locs = tmp_path / "locations.csv"
    locs.write_text(
        'id,name,location\ntwitter:jaybaer,Jay Baer,"Bloomington, Indiana"\n'
        'url:tommartin.typepad.com,Tom Martin,"Louisville, KY"\n'
        'twitter:olammi,Outi,"Tampere, Finland"\n'
    )
    res = analyze([seed], locations=locs)
    for mode, selector in (("people", "people"), ("places", "places")):
        page = root / f"seed-{mode}.html"
        page.write_text(
            html_of(
                res.map(
                    tiles="none",
                    aggregate=mode,
                )
            )
        )
        found, dialogs, errors = open_page(f"{base}/{page.name}", chromium, pw)
        assert not dialogs and not errors
        expected = (
            res.report["located"] if mode == "people" else len(res.report["geography"]["places"])
        )
        assert found[selector] == expected
        assert found["arcs"] >= 1  # e.g. Tom Martin ↔ Jay Baer, Outi → Jay Baer
        unlocated = res.report["participants"] - res.report["located"]
        assert f"{unlocated} not located" in found["unlocated"]


def test_privacy_place_centre_unless_exact(tmp_path):
    tweets = tmp_path / "t.jsonl"
    rows = [
        {
            "id_str": "1",
            "text": "hello @bob",
            "user": {"screen_name": "amy", "name": "Amy"},
            "coordinates": {"type": "Point", "coordinates": [-116.2101, 43.6199]},
            "entities": {"user_mentions": [{"screen_name": "bob", "name": "Bob"}]},
        },
        {
            "id_str": "2",
            "text": "hi",
            "user": {"screen_name": "bob", "name": "Bob", "location": "Paris, KY"},
        },
    ]
    tweets.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = analyze([tweets], locate=True)
    amy = res.conversation.people["twitter:amy"].place
    assert amy.name == "Boise" and amy.source == "post"
    assert (amy.point_lat, amy.point_lon) == (43.6199, -116.2101)
    from mapper.render import geojson

    def amy_xy(exact):
        feats = geojson(res.typed.people, res.typed.ties, res.typed.geography, exact=exact)[
            "people"
        ]["features"]
        return next(
            f["geometry"]["coordinates"]
            for f in feats
            if f["properties"].get("id") == "twitter:amy"
        )

    assert amy_xy(False) == [amy.lon, amy.lat]  # the place's centre
    assert amy_xy(True) == [-116.2101, 43.6199]  # only when asked
    page = html_of(
        res.map(
            tiles="none",
        )
    )
    assert "43.6199" not in page and "-116.2101" not in page


def test_offline_basemap_in_every_map():
    """The packaged Natural Earth outlines: within the size budget, every coordinate
    in range, and embedded (under the tiles) whatever the tiles."""
    from importlib import resources

    from mapper.basemap import load, rings

    raw = resources.files("mapper").joinpath("data/basemap-110m.json").read_bytes()
    assert len(raw) <= 300_000
    data = load()
    assert len(data["features"]) > 150 and "Natural Earth" in data["source"]
    pts = [pt for ring in rings() for pt in ring]
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pts)
    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    for tiles in ("none", "OpenStreetMap"):
        m = render_map(res.typed.people, res.typed.ties, res.typed.geography, tiles=tiles)
        page = html_of(m)
        assert 'createPane("mapper-basemap")' in page and '"name":"Germany"' in page


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(760, 480), (1400, 900)])
def test_browser_layout_for_embedding(site, width, height):
    """A 760×480 blog embed starts with the panel and layer control collapsed (a small
    share of the window); 1400×900 shows them open. Both: the post's title in <title>,
    flows with arrows, labels, the basemap, and a clicked circle's popup clear of the panel."""
    from tests.browser import inspect_layout

    chromium, pw = browser()
    root, base = site
    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    t = res.typed
    assert t.geography is not None
    page = html_of(render_map(t.people, t.ties, t.geography, tiles="none", title="A post"))
    (root / "layout.html").write_text(page)
    found = inspect_layout(f"{base}/layout.html", chromium, pw, width, height)
    assert not found["errors"]
    assert found["title"].startswith("A post — map of")
    assert found["flows"] > 0 and found["arrows"] == found["flows"]
    assert found["labels"] == 5 and found["basemap"] > 100
    assert found["popup_clear"] is True
    wide = width >= 900
    assert found["panel_open"] is wide and found["control_expanded"] is wide
    if not wide:
        assert found["panel_share"] < 0.1


def test_geojson_ranges_and_antimeridian():
    """A tie across the Pacific is cut at ±180° into pieces that meet there; every
    coordinate of every collection is within range (RFC 7946)."""
    from hypothesis import given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    from mapper.flows import split_antimeridian

    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    t = res.typed
    from mapper.render import geojson

    for coll in geojson(t.people, t.ties, t.geography).values():
        for f in coll["features"]:
            g = f["geometry"]
            pts = (
                [g["coordinates"]]
                if g["type"] == "Point"
                else [c for line in g["coordinates"] for c in line]
            )
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pts)
    # Tokyo → San Francisco crosses the antimeridian
    pieces = split_antimeridian(great_circle(35.68, 139.69, 37.77, -122.42))
    assert len(pieces) == 2 and pieces[0][-1][0] == 180.0 and pieces[1][0][0] == -180.0
    assert pieces[0][-1][1] == pieces[1][0][1]

    @hsettings(max_examples=200, deadline=None)
    @given(st.floats(-89, 89), st.floats(-180, 180), st.floats(-89, 89), st.floats(-180, 180))
    def in_range(lat1, lon1, lat2, lon2):
        for piece in split_antimeridian(great_circle(lat1, lon1, lat2, lon2)):
            assert len(piece) >= 2
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in piece)

    in_range()


@pytest.mark.browser
def test_browser_ten_thousand_people_not_a_hairball(site, record_property):
    """10,000 synthetic people in real places: the map draws places, at most the
    strongest flows of its zoom level (the widest at full width), never thousands of
    arcs. The open time is reported (``record_property``), never asserted."""
    from benchmarks.map_bench import synthetic
    from mapper._pipeline import Run
    from mapper.flows import TOP, ZOOMS, cell_deg, cluster_flows, top_at
    from tests.browser import inspect_layout

    chromium, pw = browser()
    root, base = site
    rep = Run.of_conversation(synthetic(10_000)).product("report")
    assert rep.geography is not None
    m = render_map(rep.people, rep.ties, rep.geography, tiles="none")
    assert m.mapper_mode == "places"
    (root / "big.html").write_text(html_of(m))
    found = inspect_layout(f"{base}/big.html", chromium, pw, 1400, 900)
    record_property("open_seconds_10k", round(found["opened_s"], 2))
    print(f"10,000 people: map opened in {found['opened_s']:.1f} s")
    assert not found["errors"]
    zoom = found["zoom"]
    level = max(z for z in ZOOMS if z <= zoom) if zoom >= ZOOMS[0] else ZOOMS[0]
    pos = {p.id: (p.place.lat, p.place.lon) for p in rep.people if p.place is not None}
    ties = [(t.source, t.target, float(t.weight)) for t in rep.ties]
    expected = cluster_flows(pos, ties, cell_deg(level), top_at(level))
    assert len(cluster_flows(pos, ties, cell_deg(level), 10**6)) > 10 * len(expected)
    assert 0 < found["flows"] == len(expected) <= TOP  # the strongest, not a hairball
    assert max(found["flow_widths"]) == 8.0  # the strongest flow at full width
    assert found["basemap"] > 100 and found["labels"] == 5


def test_cluster_flows_matches_a_plain_loop():
    """The NumPy clustering gives the flows a plain loop over the ties gives: cells of
    ``cell`` degrees, centres the mean of the located ids, within-cell ties dropped."""
    import math
    import random

    from mapper.flows import cluster_flows

    rng = random.Random(7)
    places = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(300)]
    pos = {f"p{i}": rng.choice(places) for i in range(2000)}
    ids = [*pos, "nowhere"]
    ties = [(rng.choice(ids), rng.choice(ids), float(rng.randint(1, 4))) for _ in range(6000)]
    for cell in (40.0, 5.0, 0.5):

        def key(p, cell=cell):
            return (math.floor(p[0] / cell), math.floor(p[1] / cell))

        members: dict = {}
        for p in pos.values():
            members.setdefault(key(p), []).append(p)
        centre = {
            k: (sum(p[0] for p in v) / len(v), sum(p[1] for p in v) / len(v))
            for k, v in members.items()
        }
        sums: dict = {}
        for s, t, w in ties:
            if s in pos and t in pos and key(pos[s]) != key(pos[t]):
                acc = sums.setdefault((key(pos[s]), key(pos[t])), [0.0, 0])
                acc[0] += w
                acc[1] += 1
        want = sorted(sums.items(), key=lambda kv: (-kv[1][0], kv[0]))[:50]
        got = cluster_flows(pos, ties, cell, top=50)
        assert [(f.weight, f.ties) for f in got] == [(w, n) for _, (w, n) in want]
        for f, ((ka, kb), _) in zip(got, want, strict=True):
            assert f.a == pytest.approx(centre[ka]) and f.b == pytest.approx(centre[kb])
