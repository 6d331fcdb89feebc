"""Every threshold, limit and default in one place.

The module attributes below are the process-wide values (the defaults, or what the
environment variables named below set); change them at run time
(``mapper.settings.long_tie_km = 40``) or in tests with ``monkeypatch.setattr``.

:class:`Settings` is the same set of values as one typed, frozen object, with the unit
and meaning of each.  The pipeline takes one explicitly (``Options(settings=...)``;
by default a snapshot of the module attributes when each stage runs), applies it for
the duration of each stage with :func:`applied`, and ships it to Dask workers with
each task, so a worker never depends on the state it was started with.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs

#: Version of the report format and the package (kept in step with pyproject).
version = "0.1.0"

# The defaults (see Settings below for what each one means and its unit).
cache_dir = Path(os.environ.get("MAPPER_CACHE_DIR") or platformdirs.user_cache_dir("mapper"))
user_agent = f"mapper/{version} (social-leadership geography mapper)"
http_timeout_s = 20.0
http_total_timeout_s = 120.0
http_max_response_mb = 64.0
http_max_wait_s = 60.0
collect_max_pages = 1000
geocoder_max_failures = 5
# limits on what an input can make mapper do
max_document_mb = float(os.environ.get("MAPPER_MAX_DOCUMENT_MB") or 512)
max_decompressed_mb = float(os.environ.get("MAPPER_MAX_DECOMPRESSED_MB") or 16384)
# city-size tiers, decided on the population of a place's urban area (geo/metro.py)
metropolis_population = 1_000_000
city_population = 100_000
town_population = 10_000
metro_radius_km_at_1m = 30.0  # tuned on tests/data/metro-eval/metros-dev.tsv only
metro_radius_exponent = 0.5
metro_radius_max_km = 80.0
metro_core_min_population = 5_000
metro_section_density = 8_000.0
metro_section_min_population = 50_000
# geography
long_tie_km = 32.0
# influence
pagerank_alpha = 0.85
pagerank_tol = 1.0e-10
# spam
spam_min_sales_words = 2
spam_max_on_topic_share = 0.30
# locating: how much each kind of evidence is trusted (0–1; the strongest wins)
confidence_user = 1.0
confidence_post_point = 0.95
confidence_post_place = 0.9
confidence_geocoder = 0.7
confidence_text = 0.4
confidence_subdomain = 0.3
confidence_tld = 0.2
subdomain_min_population = 100_000
# inference from the network
infer_max_dispersion_km = 50.0
infer_min_neighbours = 2
infer_max_rounds = 10
infer_snap_km = 50.0
infer_confidence_base = 0.2
infer_confidence_per_neighbour = 0.1
infer_confidence_max = 0.6
# reading
keep_unapproved = False
xml_max_record_mb = float(os.environ.get("MAPPER_XML_MAX_RECORD_MB") or 16)
# map
aggregate_threshold = 2000
max_arcs = 3000
names_per_place = 10
bluesky_appview = os.environ.get("MAPPER_BLUESKY_APPVIEW") or "https://public.api.bsky.app"
asset_base_url: str | None = os.environ.get("MAPPER_ASSET_BASE_URL") or None


@dataclass(frozen=True)
class Settings:
    """Every threshold and limit the pipeline uses, typed, with its unit."""

    #: Where caches (gazetteer index, geocoder answers, HTTP responses, map assets)
    #: live; ``MAPPER_CACHE_DIR`` overrides the per-user cache directory.
    cache_dir: Path
    #: User agent sent with every HTTP request the project makes itself.
    user_agent: str
    #: Timeout of one HTTP request, in seconds.
    http_timeout_s: float
    #: Longest time one HTTP response may take, headers and body, in seconds (a body
    #: trickling in a byte at a time ends here).
    http_total_timeout_s: float
    #: Largest HTTP response body mapper accepts, in MB after decompression.
    http_max_response_mb: float
    #: Longest wait (seconds) a server's ``Retry-After`` or rate-limit reset may ask
    #: for; a longer one ends the fetch with a message instead of a silent wait.
    http_max_wait_s: float
    #: Most pages a collector fetches for one list (comments, reblogs, likes).
    collect_max_pages: int
    #: An online geocoder stops asking for the rest of the run after this many failed
    #: requests in a row (connection refused, timeouts, 5xx), says so once and keeps
    #: the offline answers (0: never stops).
    geocoder_max_failures: int

    #: Largest document (MB, after gunzip) a reader holds in memory at once: a whole
    #: HTML page, saved page, CSV or XML file (``--max-input-mb``,
    #: ``MAPPER_MAX_DOCUMENT_MB``).
    max_document_mb: float
    #: Largest decompressed content (MB) streamed out of one ``.gz`` input; a gzip bomb
    #: stops here (``--max-decompressed-mb``, ``MAPPER_MAX_DECOMPRESSED_MB``).
    max_decompressed_mb: float

    #: A place's tier is decided on the population (people) of the urban area (metro)
    #: it belongs to, not of the municipality (``mapper/geo/metro.py``): from this
    #: many people it is a ``metropolis``, …
    metropolis_population: int
    #: … from this many a ``city``, …
    city_population: int
    #: … from this many a ``town``, below a ``small_town``.
    town_population: int
    #: A core of 1,000,000 people gathers every place within this radius (km), …
    metro_radius_km_at_1m: float
    #: … the radius scaling as (population / 1 M) ** this exponent (0.5: a disc of
    #: constant density; 100,000 → 9.5 km, 10,000 → 3 km), …
    metro_radius_exponent: float
    #: … up to this radius (km), for the largest cores.
    metro_radius_max_km: float
    #: Only places of at least this many people are cores that gather others.
    metro_core_min_population: int
    #: A place inside the own footprint of a bigger place (of at least
    #: ``metro_section_min_population`` people), a disc holding the bigger place's
    #: population at this density (people/km²), is a section of it (a borough, a
    #: ward) and is not counted twice.
    metro_section_density: float
    metro_section_min_population: int

    #: Distance in km above which a tie counts as long (32 km ≈ 20 miles); the report
    #: gives it as ``tie_km.long_tie_km`` beside ``share_over_long_tie_km``.
    long_tie_km: float

    #: PageRank damping factor (the chance of following an edge rather than jumping).
    pagerank_alpha: float
    #: PageRank convergence tolerance (L1 change summed over nodes, unitless).
    pagerank_tol: float

    #: A comment is promotional only with at least this many sales phrases.
    spam_min_sales_words: int
    #: …and only when fewer than this share (0–1) of its words occur in the post or in
    #: other people's comments.
    spam_max_on_topic_share: float

    #: Confidence (0–1) of a place from the user's locations file.
    confidence_user: float
    #: Confidence (0–1) of exact coordinates attached to a person's post.
    confidence_post_point: float
    #: Confidence (0–1) of a named place attached to a person's post.
    confidence_post_place: float
    #: Confidence (0–1) of an online geocoder's answer for a profile location.
    confidence_geocoder: float
    #: Confidence (0–1) of a place named in the person's own words in the thread.
    confidence_text: float
    #: Confidence (0–1) of a city subdomain of the person's site (``detroit.x.com``).
    confidence_subdomain: float
    #: Confidence (0–1) of the country-code TLD of the person's site.
    confidence_tld: float
    #: A subdomain names a city only if that city has at least this many people.
    subdomain_min_population: int

    #: Inference places a person only when their located neighbours' weighted median
    #: distance (km) to the guessed point is at most this.
    infer_max_dispersion_km: float
    #: …and at least this many located neighbours agree.
    infer_min_neighbours: int
    #: Rounds of propagation (a place can travel this many hops along a chain).
    infer_max_rounds: int
    #: An inferred point is named after the nearest gazetteer place within this many km.
    infer_snap_km: float
    #: Confidence of an inferred place: base + per_neighbour × neighbours, at most max,
    #: scaled down by the dispersion (all 0–1).
    infer_confidence_base: float
    infer_confidence_per_neighbour: float
    infer_confidence_max: float

    #: Read blog comments a moderator did not approve (WordPress pending, spam, trash;
    #: Disqus ``isSpam``); ``--keep-spam`` sets it.  Off, they are named in ``problems``
    #: and counted in report.json ``set_aside.unapproved``.
    keep_unapproved: bool
    #: Longest record (a WXR ``<item>``, a Disqus ``<post>``) read from an XML export,
    #: in MB of text (10⁶ characters); a longer one is skipped and named
    #: (``MAPPER_XML_MAX_RECORD_MB``).
    xml_max_record_mb: float

    #: Above this many located people the map draws one circle per place.
    aggregate_threshold: int
    #: At most this many arcs (the strongest) are drawn; the report keeps every edge.
    max_arcs: int
    #: Names listed in a place's popup in aggregated mode.
    names_per_place: int
    #: Public Bluesky AppView (no login needed); ``MAPPER_BLUESKY_APPVIEW`` overrides.
    bluesky_appview: str
    #: Base URL assets (Leaflet, etc.) are fetched from for ``--self-contained``;
    #: ``None`` means the URLs folium itself uses (``MAPPER_ASSET_BASE_URL``).
    asset_base_url: str | None

    @classmethod
    def current(cls) -> Settings:
        """The module attributes as they are now."""
        mod = sys.modules[__name__]
        return cls(**{f: getattr(mod, f) for f in FIELDS})

    def replace(self, **changes: object) -> Settings:
        """A copy with ``changes`` (field names as keywords)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


#: The names of every setting (the fields of :class:`Settings`).
FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Settings))


class _Frame:
    """One ``applied`` settings in force: the values it replaced and how many blocks
    (threads of one worker, nested calls) are inside it."""

    def __init__(self, cfg: Settings, before: dict[str, object]):
        self.cfg, self.before, self.inside = cfg, before, 0


_frames: list[_Frame] = []
_frames_lock = threading.Lock()


@contextmanager
def applied(cfg: Settings | None) -> Iterator[Settings]:
    """Make ``cfg`` the process-wide values for the duration of the block, then put
    back what was there (``None``: the current values, unchanged).

    Blocks that apply the same settings share them: the values are put back when the
    last one leaves, so the threads of a Dask worker running one run's tasks (each
    under the run's settings) never see another's restore.  Different settings at the
    same time in two threads of one process are not supported: they are process-wide."""
    mod = sys.modules[__name__]
    if cfg is None:
        yield Settings.current()
        return
    with _frames_lock:
        if _frames and _frames[-1].cfg == cfg:
            frame = _frames[-1]
        else:
            frame = _Frame(cfg, {f: getattr(mod, f) for f in FIELDS})
            _frames.append(frame)
            for f in FIELDS:
                setattr(mod, f, getattr(cfg, f))
        frame.inside += 1
    try:
        yield cfg
    finally:
        with _frames_lock:
            frame.inside -= 1
            # put back from the top while the top frames are left by everyone
            while _frames and _frames[-1].inside == 0:
                for f, value in _frames.pop().before.items():
                    setattr(mod, f, value)
