"""Readers on real third-party files and on one small conversation in several formats."""

import pytest

from mapper import merge, read, settings
from mapper.sources import detect, disqus, html, savedpage, wxr
from tests.conftest import DATA


def _shape(conv):
    return (sorted(conv.people), sorted({(i.source, i.target, i.kind) for i in conv.interactions}))


def test_same_conversation_in_three_formats(monkeypatch):
    wxr_conv = merge(read(DATA / "small.wxr.xml"))
    html_conv = merge(read(DATA / "small.html"))
    csv_conv = merge(read([DATA / "small-people.csv", DATA / "small-interactions.csv"]))
    # WordPress's spam comment is left out and named; the page and the CSV never showed it
    assert "url:pills.example" not in wxr_conv.people
    assert wxr_conv.set_aside == {"unapproved": 1}
    assert any("not approved (spam)" in p["what"] for p in wxr_conv.problems)
    assert _shape(wxr_conv) == _shape(html_conv) == _shape(csv_conv)
    # --keep-spam reads it, flagged
    monkeypatch.setattr(settings, "keep_unapproved", True)
    kept = merge(read(DATA / "small.wxr.xml"))
    assert kept.people["url:pills.example"].spam
    people, edges = _shape(html_conv)
    assert people == ["twitter:cara_c", "url:ana.example", "url:bob.example", "url:dan.example"]
    assert ("url:ana.example", "url:bob.example", "reply") in edges
    assert ("url:dan.example", "url:ana.example", "pingback") in edges


def test_sniffing_by_content_not_extension(tmp_path):
    f = tmp_path / "export.txt"
    f.write_bytes((DATA / "small.wxr.xml").read_bytes())
    assert detect(f) is wxr
    g = tmp_path / "page.xml"
    g.write_bytes((DATA / "small.html").read_bytes())
    assert detect(g) is html


def test_wxr_real_files(shared):
    conv = merge(read(shared / "data/wordpress_wxr/isso-wordpress.xml"))
    assert "name:tester" in conv.people  # dc:creator
    assert ("url:example.tld", "name:tester", "comment") in _shape(conv)[1]
    for name in ("valid-wxr-1.0.xml", "valid-wxr-1.1.xml"):
        c = merge(read(shared / "data/wordpress_wxr" / name))
        assert len(c.people) == 2 and len(c.interactions) == 1
    c11 = merge(read(shared / "data/wordpress_wxr/valid-wxr-1.1.xml"))
    assert c11.posts[0].author_id == "name:john-doe"  # display name from wp:author


def test_disqus_real_file(shared):
    path = shared / "data/disqus/isso-disqus.xml"
    assert detect(path) is disqus
    conv = merge(read(path))
    assert ("disqus:user", "name:peter", "reply") in _shape(conv)[1]
    whats = [p["what"] for p in conv.problems]
    assert any("unknown thread 1337" in w for w in whats)
    assert any("deleted" in w for w in whats)
    assert "name:where-am-i" in conv.people  # the orphan's author is kept, not lost


def test_seed_is_saved_page(seed):
    assert detect(seed) is savedpage


@pytest.mark.parametrize("name", ["small.wxr.xml", "small.html"])
def test_byline_or_creator_names_author(name):
    conv = merge(read(DATA / name))
    assert conv.posts[0].author_id == "url:ana.example"
    assert conv.posts[0].author_evidence[0]["kind"] == "byline"
