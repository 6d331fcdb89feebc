"""The shared helpers that replaced hand-written plumbing: HTML-in-JSON text through
BeautifulSoup, and the one great-circle helper (scalars and arrays alike)."""

from __future__ import annotations

import numpy as np
import pytest

from mapper.geo.distance import haversine_km
from mapper.sources.base import html_text


def test_html_text_from_mastodon_and_wordpress_markup():
    status = (
        '<p>Hello <span class="h-card"><a href="https://x.example/@ann">@<span>ann</span></a>'
        "</span> &amp; all</p><p>line&nbsp;two<br>three</p>"
    )
    assert html_text(status) == "Hello @ann & all\nline\xa0two\nthree"
    assert html_text("<p>Great <b>post</b> &lt;3</p>", " ") == "Great  post  <3"
    assert html_text("a < b and c > d") == "a < b and c > d"  # not a tag: kept
    assert html_text("Boise, ID") == "Boise, ID"
    assert html_text(None) == "" and html_text("") == ""


def test_one_great_circle_helper_for_scalars_and_arrays():
    paris, london = (48.8566, 2.3522), (51.5074, -0.1278)
    one = haversine_km(*paris, *london)
    assert isinstance(one, float) and one == pytest.approx(343.9, abs=0.5)
    many = haversine_km(
        np.array([paris[0], 0.0]), np.array([paris[1], 0.0]), london[0], np.array([london[1], 1.0])
    )
    assert isinstance(many, np.ndarray)
    assert many[0] == pytest.approx(one)
    # the same formula either way: a degree of longitude on the equator
    assert haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.195, abs=0.01)
