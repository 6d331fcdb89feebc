"""The offline basemap: land and country outlines from Natural Earth 1:110m.

``mapper/data/basemap-110m.json`` (≈ 140 kB, public domain; made by
``benchmarks/make_basemap.py``) is embedded in every HTML map in a pane *under* the
tile layer, so the map still shows continents and borders with no network, behind a
firewall or with ``--tiles none``; the static infographic draws the same outlines.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from branca.element import MacroElement
from folium.template import Template

#: Colours: land, its outlines (coasts and borders), and the sea behind it.
LAND = "#f1efe8"
OUTLINE = "#a8a39a"
SEA = "#d6e4ee"


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The basemap as a GeoJSON FeatureCollection (lon/lat degrees, 0.01° precision)."""
    text = resources.files("mapper").joinpath("data/basemap-110m.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def rings() -> list[list[tuple[float, float]]]:
    """Every polygon ring of the basemap as ``(lon, lat)`` degree pairs (outer rings
    and holes alike: drawn filled, holes are lakes too small to matter at 1:110m)."""
    out: list[list[tuple[float, float]]] = []
    for f in load()["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            out.extend([(float(x), float(y)) for x, y in ring] for ring in poly[:1])
    return out


class BasemapLayer(MacroElement):
    """The basemap as a non-interactive Leaflet GeoJSON layer in its own pane (z-index
    150, under the tiles' 200), with the sea colour as the map's background."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.createPane("mapper-basemap");
            map.getPane("mapper-basemap").style.zIndex = 150;
            map.getContainer().style.background = "{{ this.sea }}";
            L.geoJSON({{ this.data }}, {
                pane: "mapper-basemap", interactive: false,
                style: {color: "{{ this.outline }}", weight: 0.7, fillColor: "{{ this.land }}",
                        fillOpacity: 1, className: "mapper-basemap"}
            }).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "BasemapLayer"
        # the file's names are plain ASCII country names with no braces or "</"
        self.data = json.dumps(load(), separators=(",", ":")).replace("</", "<\\/")
        self.land, self.outline, self.sea = LAND, OUTLINE, SEA
