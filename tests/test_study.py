"""The Python API for Jupyter: Study stages and caching, tables, charts, the notebook."""

import json

import pytest

import mapper
from mapper.cli import main
from tests.conftest import EXAMPLE, ROOT


@pytest.fixture
def study():
    return mapper.Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")


def test_stages_cached_and_only_dependants_rerun(study):
    first = study.report
    assert study.report is first  # cached
    assert study.runs["read"] == study.runs["graph"] == study.runs["influence"] == 1
    study.set_location("@samuelokafor", "Lagos, Nigeria")
    assert study.report["located"] == first["located"] + 1
    # places changed: geography and the report re-ran, reading and influence did not
    assert study.runs["read"] == study.runs["graph"] == study.runs["influence"] == 1
    assert study.runs["geography"] == study.runs["report"] == 2
    study.set_location("Samuel Okafor", None)
    assert study.report["located"] == first["located"]


def test_set_location_by_coordinates_and_errors(study):
    study.set_location("twitter:samuelokafor", (6.45, 3.39))
    assert study.conversation.people["twitter:samuelokafor"].place.name == "Lagos"
    with pytest.raises(KeyError):
        study.set_location("nobody at all", "Paris")
    with pytest.raises(ValueError, match="not a place the gazetteer knows"):
        study.set_location("Samuel Okafor", "somewhere over the rainbow")


def test_overrides_as_dict_and_dataframe():
    import pandas as pd

    conv = mapper.read(EXAMPLE / "thread.txt")
    mapper.locate(conv, {"@samuelokafor": "Lagos, Nigeria", "June Marr": (43.07, -89.40)})
    assert conv.people["twitter:samuelokafor"].place.name == "Lagos"
    assert conv.people["url:marefarms.example"].place.source == "user"
    conv2 = mapper.read(EXAMPLE / "thread.txt")
    df = pd.DataFrame({"id": ["twitter:samuelokafor"], "location": ["Abuja, Nigeria"]})
    mapper.locate(conv2, df)
    assert conv2.people["twitter:samuelokafor"].place.name == "Abuja"


def test_tables(study):
    people = study.people
    assert people.index[0] == "twitter:maggieortiz"
    assert set(people.columns) >= {"name", "place", "tier", "pagerank", "lat", "lon"}
    assert len(people) == len(study.report["people"])
    assert study.edges.weight.sum() == study.report["interactions"]
    assert study.places.participants.sum() == study.report["located"]


def test_summary_card_escapes(tmp_path):
    f = tmp_path / "people.csv"
    f.write_text('id,name,location\nx,"<script>alert(1)</script>",Paris\n')
    g = tmp_path / "interactions.csv"
    g.write_text("source,target,kind\nx,y,comment\n")
    card = mapper.Study([f, g])._repr_html_()
    assert "<script>" not in card and "participants" in card


def test_charts_from_api_and_cli(study, tmp_path):
    fig = study.chart_tiers()
    heights = [b.get_height() for b in fig.axes[0].patches]
    assert len(heights) == 8  # two bars per known-size tier, on the one base
    by = study.geography["by_tier"]
    known = ("metropolis", "city", "town", "small_town")
    assert heights[:4] == [by[t]["participant_share"] for t in known]
    assert "located participants of known size" in fig.axes[0].get_title()
    assert study.chart_ties().axes[0].get_xlabel().startswith("distance")
    out = tmp_path / "charts"
    assert (
        main(
            [
                "-q",
                "report",
                str(EXAMPLE / "thread.txt"),
                "--locations",
                str(EXAMPLE / "locations.csv"),
                "-o",
                str(tmp_path / "r.json"),
                "--charts",
                str(out),
            ]
        )
        == 0
    )
    for name in ("tiers.png", "ties.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((tmp_path / "r.json").read_text())["located"] == 9


def test_save_writes_everything(study, tmp_path):
    paths = study.save(tmp_path / "out")
    assert sorted(p.name for p in paths) == [
        "map.html",
        "people.csv",
        "report.json",
        "tiers.png",
        "ties.png",
    ]


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path
