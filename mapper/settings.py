"""Defaults in one place.

Every threshold the pipeline uses lives here so that a reader can find it, a
test can change it, and the README can document it.  Change them at run time
(``mapper.settings.long_tie_km = 40``) or through the environment variables
named below.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

#: Version of the report format and the package (kept in step with pyproject).
version = "0.1.0"

#: Where caches (gazetteer index, geocoder answers, map assets) live.
#: ``MAPPER_CACHE_DIR`` overrides the per-user cache directory.
cache_dir = Path(os.environ.get("MAPPER_CACHE_DIR") or platformdirs.user_cache_dir("mapper"))

#: User agent sent with every HTTP request the project makes itself.
user_agent = f"mapper/{version} (social-leadership geography mapper)"

#: HTTP timeout in seconds for one request.
http_timeout_s = 20.0

# --- city-size tiers (population of the place's urban area, people) -----------
#: A place's tier is decided on the population of the metro (urban area) it belongs
#: to, not of the municipality: metropolis ≥ 1,000,000 > city ≥ 100,000 > town ≥
#: 10,000 > small_town.  The metro rule is in ``mapper/geo/metro.py``:
metropolis_population = 1_000_000
city_population = 100_000
town_population = 10_000
#: A core of 1,000,000 people gathers every place within this radius (km) ...
metro_radius_km_at_1m = 40.0
#: ... and the radius scales as (population / 1 M) ** this exponent (100,000 → 16 km)
metro_radius_exponent = 0.4
#: ... up to this radius (km), for the largest cores.
metro_radius_max_km = 80.0
#: Only places of at least this many people are cores that gather others.
metro_core_min_population = 5_000
#: A place inside the own footprint of a bigger place (of at least
#: ``metro_section_min_population``), a disc holding the bigger place's population at
#: this density (people/km²), is a section of it (a borough, a ward) and is not
#: counted twice.
metro_section_density = 8_000.0
metro_section_min_population = 50_000

#: Distance in km above which a tie counts as "long" (32 km ≈ 20 miles).
long_tie_km = 32.0

# --- influence ---------------------------------------------------------------
#: PageRank damping factor and convergence tolerance (L1, summed over nodes).
pagerank_alpha = 0.85
pagerank_tol = 1.0e-10

# --- map -----------------------------------------------------------------------
#: Above this many located people the map draws one circle per place.
aggregate_threshold = 2000
#: At most this many arcs are drawn (the strongest); the report keeps every edge.
max_arcs = 3000
#: Names listed in a place's popup in aggregated mode.
names_per_place = 10
#: Public Bluesky AppView (no login needed).
bluesky_appview = os.environ.get("MAPPER_BLUESKY_APPVIEW") or "https://public.api.bsky.app"
#: Base URL assets (Leaflet, etc.) are fetched from for ``--self-contained``;
#: ``None`` means the URLs folium itself uses.
asset_base_url: str | None = os.environ.get("MAPPER_ASSET_BASE_URL") or None
