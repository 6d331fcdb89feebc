"""The static infographic (PNG/SVG/PDF, no browser), charts that show in Jupyter
without touching the backend, and the notebook's chart cells producing images."""

import json
import struct

import pytest

import mapper
from mapper.cli import main
from tests.conftest import EXAMPLE, ROOT

ARGS = [str(EXAMPLE / "thread.txt"), "--locations", str(EXAMPLE / "locations.csv")]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_by_extension_size_not_blank_with_legend(tmp_path):
    import io

    from matplotlib.image import imread

    out = tmp_path / "map.png"
    assert main(["-q", "map", *ARGS, "-o", str(out), "--size", "1800x1100"]) == 0
    data = out.read_bytes()
    assert _png_size(data) == (1800, 1100)
    pixels = imread(io.BytesIO(data))
    # not blank: many distinct colours (basemap, sea, circles, text)
    flat = {tuple(px) for px in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}
    assert len(flat) > 50
    default = tmp_path / "d.png"
    assert main(["-q", "map", *ARGS, "-o", str(default)]) == 0
    assert _png_size(default.read_bytes())[0] >= 1600


def test_svg_and_pdf_and_what_the_figure_holds(tmp_path):
    svg, pdf = tmp_path / "m.svg", tmp_path / "m.pdf"
    assert main(["-q", "map", *ARGS, "-o", str(svg)]) == 0
    assert main(["-q", "map", *ARGS, "-o", str(pdf)]) == 0
    text = svg.read_text()
    assert "<svg" in text and "Big-city metro" in text and "Leading From the Back Roads" in text
    assert pdf.read_bytes()[:5] == b"%PDF-"
    study = mapper.Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")
    fig = study.infographic(size=(1600, 1000))
    assert tuple(fig.get_size_inches() * fig.dpi) == (1600, 1000)
    legends = [leg for ax in fig.axes for leg in [ax.get_legend(), *ax.artists] if leg]
    titles = {leg.get_title().get_text() for leg in legends if hasattr(leg, "get_title")}
    assert "Place size (circle colour)" in titles  # tier legend
    assert "Circle area: influence (PageRank)" in titles  # size key
    texts = [t.get_text() for t in fig.texts]
    assert "Leading From the Back Roads" in texts


def test_bad_size_is_a_usage_error(tmp_path):
    assert main(["-q", "map", *ARGS, "-o", str(tmp_path / "m.png"), "--size", "big"]) == 2


def test_charts_leave_the_backend_alone(monkeypatch):
    import matplotlib

    before = matplotlib.get_backend()
    calls = []
    monkeypatch.setattr(matplotlib, "use", lambda *a, **k: calls.append(a))
    study = mapper.Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")
    for fig in (study.chart_tiers(), study.chart_ties(), study.infographic(size=(800, 500))):
        assert fig._repr_png_()[:4] == b"\x89PNG"  # what Jupyter displays
    assert not calls and matplotlib.get_backend() == before


def test_notebook_chart_cells_show_images(tmp_path):
    """Run notebooks/explore.ipynb and check that every cell drawing a chart or the
    infographic leaves an image output (nbmake alone checks only for errors)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    # the notebook finds data/example from its working directory's parents
    client.resources["metadata"]["path"] = str(ROOT / "notebooks")
    client.execute()
    drawing = [
        c
        for c in nb.cells
        if c.cell_type == "code" and any(k in c.source for k in ("chart_", ".infographic("))
    ]
    assert len(drawing) >= 3
    for cell in drawing:
        kinds = {k for o in cell.get("outputs", []) for k in o.get("data", {})}
        assert "image/png" in kinds, cell.source
    json.dumps(nb)  # the executed notebook stays in memory: nothing written to the repo


def test_tables_one_vocabulary_edges_with_names_and_km():
    study = mapper.Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")
    people, places, edges = study.people, study.places, study.edges
    assert "country_code" in people.columns and "country" not in people.columns
    assert "country_code" in places.columns
    assert {"source_name", "target_name", "km"} <= set(edges.columns)
    row = edges[edges.source == "twitter:maggieortiz"].iloc[0]
    assert row.source_name == "Maggie Ortiz" and isinstance(row.target_name, str)
    located = edges.dropna(subset=["km"])
    assert len(located) and (located.km >= 0).all() and (located.km < 20_100).all()


def test_geodataframes_explore():
    pytest.importorskip("geopandas", reason="geopandas is the optional [geo] extra")
    study = mapper.Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")
    gp, gl = study.geo_people(), study.geo_places()
    assert len(gp) == study.report["located"] and str(gp.crs) == "EPSG:4326"
    assert set(gp.geometry.geom_type) == {"Point"} and "country_code" in gl.columns
    assert len(gl) == len(study.places)
    m = gl.explore()  # a folium map, as in a notebook
    assert "Map" in type(m).__name__
