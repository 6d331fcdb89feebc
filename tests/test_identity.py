"""Identity: namespaced ids, and the merge rules on small invented records."""

from __future__ import annotations

import pytest

from mapper import identity
from mapper.cli import main
from mapper.identity import handle_person, merge, new_person
from mapper.model import Conversation, Interaction

# --- ids are namespaced by where they came from ---------------------------------


def test_ids_are_namespaced_by_platform():
    assert new_person("Ann", handles={"twitter": "Ann_T"}, platform="twitter").id == "twitter:ann_t"
    assert new_person("Ann", handles={"disqus": "ann"}, platform="disqus").id == "disqus:ann"
    assert new_person("Ann", handles={"mastodon": "ann@x.social"}, platform="mastodon").id == (
        "mastodon:ann@x.social"
    )
    assert new_person("Ann", handles={"bluesky": "ann.bsky.social"}, platform="bluesky").id == (
        "bluesky:ann.bsky.social"
    )
    assert new_person("Ann", handles={"wp": "ann@blog.example"}, platform="wp").id == (
        "wp:ann@blog.example"
    )
    assert new_person("Ann Lee", "http://www.ann.example/", platform="web").id == "url:ann.example"
    assert new_person("Ann Lee", platform="web").id == "name:ann-lee"


def test_only_twitter_evidence_makes_a_twitter_id():
    # a blog or Disqus record cannot carry a twitter handle of its own
    with pytest.raises(ValueError, match="cannot carry a 'twitter' handle"):
        new_person("ann", handles={"twitter": "ann"}, platform="web")
    with pytest.raises(ValueError, match="cannot carry a 'twitter' handle"):
        new_person("ann", handles={"twitter": "ann"}, platform="disqus")
    with pytest.raises(ValueError, match="unknown platform"):
        new_person("ann", platform="myspace")
    # ... but a twitter.com / x.com URL is Twitter evidence on any platform
    assert new_person("Ann", "https://x.com/ann_t", platform="web").id == "twitter:ann_t"
    assert new_person("Ann", "http://twitter.com/ann_t", platform="disqus").handles == {
        "twitter": "ann_t"
    }
    # "@ann" in a blog comment is a name; in a tweet it is the Twitter account
    assert handle_person("@ann", platform="web").id == "name:ann"
    assert handle_person("@ann", platform="twitter").id == "twitter:ann"
    assert handle_person("ann", platform="disqus").id == "disqus:ann"


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Invented blog</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>A post</title><link>http://blog.example/a-post/</link>
<wp:post_id>7</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Lina Ortega</wp:comment_author>
<wp:comment_author_url>http://lina.example/</wp:comment_author_url>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>
<wp:comment_content>@kwame I agree with you</wp:comment_content></wp:comment>
</item></channel></rss>
"""


def test_blog_mention_is_not_a_twitter_id(tmp_path):
    from mapper.sources import read

    p = tmp_path / "blog.xml"
    p.write_text(WXR)
    conv = read([p])
    assert "name:kwame" in conv.people
    assert not any(pid.startswith("twitter:") for pid in conv.people)


def test_blog_username_and_twitter_handle_stay_apart(tmp_path):
    # the same spelling on Disqus and on Twitter, with no Twitter evidence on the Disqus side
    conv = Conversation()
    d = conv.add_person(new_person("kwame", handles={"disqus": "kwame"}, platform="disqus"))
    t = conv.add_person(new_person("Kwame A.", handles={"twitter": "kwame"}, platform="twitter"))
    other = conv.add_person(new_person("Lina", handles={"twitter": "lina"}, platform="twitter"))
    conv.interactions.append(Interaction(d.id, other.id, "reply"))
    conv.interactions.append(Interaction(t.id, other.id, "mention"))
    out = merge(conv)
    assert {"disqus:kwame", "twitter:kwame"} <= set(out.people)


def test_csv_handles_are_the_users_word(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,name,location,handle,url\n,Ann Lee,,ann_t,\n,Bo,,mastodon:bo@x.social,\n")
    out = tmp_path / "p.csv"
    assert main(["-q", "people", str(people), "-o", str(out)]) == 0
    text = out.read_text()
    assert "twitter:ann_t" in text and "mastodon:bo@x.social" in text


def test_platform_table_is_documented():
    # every platform a reader may pass is listed with its namespaces
    assert set(identity.PLATFORM_HANDLES) >= {"twitter", "mastodon", "bluesky", "disqus", "wp"}
