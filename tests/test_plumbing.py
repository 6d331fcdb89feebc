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


def test_tally_is_the_dict_conversation_count_makes():
    # the twitter readers count into integer columns (mapper.tally, issue #17): the
    # table must be, to whoever reads it, the dict Conversation.count would have made
    # (same ties in the order first met, same sums), and fold to the same edges
    import random

    from mapper.graph import fold
    from mapper.model import KINDS, Conversation, Person
    from mapper.tally import Tally

    rng = random.Random(7)
    ids = [f"twitter:u{i}" for i in range(40)]
    kinds = [str(k) for k in KINDS]
    events = [(rng.choice(ids), rng.choice(ids), rng.choice(kinds)) for _ in range(3000)]
    conv, tally = Conversation(), Tally()
    for s, t, k in events:
        conv.count(s, t, k)
        tally.count(s, t, k)
    with pytest.raises(ValueError, match="unknown interaction kind"):
        tally.count("a", "b", "like")
    table = tally.table()
    assert len(table) == len(conv.counts)
    assert list(table.items()) == list(conv.counts.items())
    other = Conversation(people={i: Person(id=i, name=i) for i in ids})
    other.counts = tally.table()  # type: ignore[assignment]
    conv.people = other.people
    a, b = fold(conv), fold(other)
    assert a.nodes == b.nodes and (a.src == b.src).all() and (a.dst == b.dst).all()
    assert (a.weight == b.weight).all() and (a.counts == b.counts).all()
    assert len(Tally().table()) == 0
    # code written when counts was always a dict: copy() and repr read as the dict's
    copied = tally.table().copy()
    assert type(copied) is dict and copied == conv.counts
    assert repr(tally.table()) == f"CountTable({conv.counts!r})"
