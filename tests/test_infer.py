"""Locating the unlocated from their network, and how wrong it is."""

import json

import pytest

from mapper import analyze
from mapper.cli import main
from mapper.geo.infer import evaluate, propagate
from mapper.render import html_of

BOISE, PARIS = (43.6135, -116.2035), (48.8534, 2.3488)


def test_hand_checkable_propagation():
    known = {"a": BOISE, "b": BOISE, "c": BOISE, "p": PARIS}
    nbrs = {
        "x": {"a": 2, "b": 1, "c": 1},  # three Boise friends → Boise
        "y": {"a": 1, "p": 1},  # Boise and Paris disagree → left alone
        "z": {"x": 1, "c": 1},  # placed in round 2, via x
        "lonely": {"a": 1},  # one neighbour is not enough
        "a": {},
        "b": {},
        "c": {},
        "p": {},
    }
    g = propagate(known, nbrs, max_dispersion_km=50, min_neighbours=2)
    assert set(g) == {"x", "z"}
    assert g["x"].lat == pytest.approx(BOISE[0]) and g["x"].lon == pytest.approx(BOISE[1])
    assert g["x"].dispersion_km == pytest.approx(0, abs=1e-6)
    assert g["x"].neighbours == 3 and g["z"].neighbours == 2


def test_synthetic_planted_structure_beats_both_baselines():
    from benchmarks.synth_graph import planted

    truth, nbrs = planted(n=1200, places=40)
    r = evaluate(truth, nbrs, hide=0.2, seeds=range(3))
    m, b = r["method"], r["baselines"]
    assert m["n"] > 50
    for base in ("global_median", "random_neighbour"):
        assert m["median_km"] < b[base]["median_km"]
        assert m["within_40km"] > b[base]["within_40km"]


@pytest.fixture
def csv_inputs(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,location\n"
        'a,Ann,"Boise, ID"\nb,Bo,"Boise, ID"\nc,Cy,"Meridian, ID"\n'
        'p,Pia,"Paris, France"\nx,Xu,\ny,Yan,\n'
    )
    inter = tmp_path / "interactions.csv"
    inter.write_text(
        "source,target,kind,weight,at\n"
        "x,a,comment,1,\nx,b,reply,1,\nc,x,mention,1,\ny,a,comment,1,\n"
        "y,p,comment,1,\na,p,comment,1,\n"
    )
    return [people, inter]


def test_inferred_never_masquerade(csv_inputs, tmp_path):
    res = analyze(csv_inputs, infer=True)
    x = res.conversation.people["x"]
    assert x.place.source == "network" and x.place.name == "Boise" and x.place.dispersion_km < 50
    assert res.conversation.people["y"].place is None
    rep = res.report
    assert rep["located"] == 4 and rep["inferred"] == 1
    assert rep["geography"]["by_tier"]["unlocated"]["participants"] == 2  # x not counted
    assert rep["geography_with_inferred"]["by_tier"]["unlocated"]["participants"] == 1
    page = html_of(
        res.map(
            tiles="none",
        )
    )
    assert "mapper-inferred" in page and "Inferred from their network" in page
    out = tmp_path / "people-out.csv"  # not the input people.csv: that is refused
    assert main(["-q", "people", *map(str, csv_inputs), "--infer", "-o", str(out)]) == 0
    row = next(r for r in out.read_text().splitlines() if r.startswith("x,"))
    assert ",network," in row
    # without --infer nothing is guessed
    assert analyze(csv_inputs, locate=True).conversation.people["x"].place is None


def test_evaluate_inference_json(csv_inputs, capsys):
    assert main(["-q", "evaluate-inference", *map(str, csv_inputs), "--json", "--seeds", "3"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert set(r) == {"method", "baselines"}
    assert set(r["baselines"]) == {"global_median", "random_neighbour"}
    for block in (r["method"], *r["baselines"].values()):
        assert set(block) == {"median_km", "within_40km", "within_161km", "coverage", "n"}


def test_evaluate_inference_on_real_tweets(shared, capsys):
    path = shared / "data/twitter_v2/twarc-csv-flat.jsonl"
    assert main(["-q", "evaluate-inference", str(path)]) == 0
    assert "network inference" in capsys.readouterr().out


def test_study_with_inference_reruns_after_a_change(csv_inputs):
    import mapper

    s = mapper.Study(csv_inputs, infer=True)
    assert s.report["inferred"] == 1
    s.set_location("y", "Boise, ID")  # now y is stated, and x's neighbourhood is unchanged
    assert s.report["located"] == 5 and s.report["inferred"] == 1
    assert s.runs["infer"] == 2 and s.runs["graph"] == 1
