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
    assert new_person("Ann", handles={"bsky": "ann.bsky.social"}, platform="bluesky").id == (
        "bsky:ann.bsky.social"
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
    people.write_text(
        "id,name,location,handle,url\n,Ann Lee,,ann_t,\n,Bo,,mastodon:bo@x.social,\n"
        ",Cy,,bluesky:cy.bsky.social,\n"
    )
    out = tmp_path / "p.csv"
    assert main(["-q", "people", str(people), "-o", str(out)]) == 0
    text = out.read_text()
    assert "twitter:ann_t" in text and "mastodon:bo@x.social" in text
    # Bluesky ids are bsky:<handle>; the older bluesky: spelling means the same account
    assert "bsky:cy.bsky.social" in text and "bluesky:" not in text


def test_csv_ids_are_the_users_in_merged_from_too(tmp_path):
    from mapper.sources import read

    people = tmp_path / "people.csv"
    people.write_text("id,name,location,handle,url\nann,Ann Lee,Boise,,\n")
    ann = read(people).people["ann"]
    assert ann.merged_from == ["ann (people.csv line 2)"]


def test_interactions_csv_alone_keeps_its_ids_and_names_people_after_them(tmp_path):
    from mapper.sources import read

    f = tmp_path / "interactions.csv"
    f.write_text("source,target,kind\nann,bob,reply\nbob,twitter:Cara,mention\n")
    out = merge(read(f))
    # no record says more than its id: none becomes name:anonymous
    assert {pid: p.name for pid, p in out.people.items()} == {
        "ann": "ann",
        "bob": "bob",
        "twitter:Cara": "Cara",
    }
    assert [(i.source, i.target) for i in out.interactions] == [
        ("ann", "bob"),
        ("bob", "twitter:Cara"),
    ]


def test_older_bluesky_ids_in_an_aliases_file(tmp_path):
    conv = Conversation()
    for h in ("cy.bsky.social", "cy2.bsky.social"):
        conv.add_person(new_person("Cy", handles={"bsky": h}, platform="bluesky"))
    f = tmp_path / "aliases.txt"
    f.write_text("bluesky:cy.bsky.social = bsky:cy2.bsky.social\n")
    out = merge(conv, identity.Aliases.read(f))
    assert set(out.people) == {"bsky:cy.bsky.social"}


def test_platform_table_is_documented():
    # every platform a reader may pass is listed with its namespaces
    assert set(identity.PLATFORM_HANDLES) >= {"twitter", "mastodon", "bluesky", "disqus", "wp"}


# --- names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "fit"),
    [
        ("Jay Baer", "jaybaer", True),
        ("Michael", "Michael Smith", True),
        ("J. Smith", "John Q. Smith", True),
        ("José Núñez", "jose nunez", True),
        ("Anne Marsden", "John Marsden", False),
        ("Michael Smith", "Michael Jones", False),
        ("Smith", "Michael Smith", False),
    ],
)
def test_names_compatible(a, b, fit):
    assert identity.names_compatible(a, b) is fit
    assert identity.names_compatible(b, a) is fit


# --- a shared site URL -------------------------------------------------------------


def _web(name, url=None, source="", conv=None):
    p = new_person(name, url, source=source, platform="web")
    return conv.add_person(p) if conv is not None else p


def test_shared_url_with_different_names_is_two_people():
    conv = Conversation()
    anne = _web("Anne Marsden", "http://www.marsden.example/", "line 1", conv)
    john = _web("John Marsden", "http://marsden.example", "line 2", conv)
    assert anne.id == "url:marsden.example" and john.id == "url:marsden.example#john-marsden"
    # their replies to each other stay replies, not self-loops
    conv.interactions.append(Interaction(john.id, anne.id, "reply", text="Hi mum"))
    conv.interactions.append(Interaction(anne.id, john.id, "reply", text="Hi son"))
    out = merge(conv)
    assert set(out.people) == {"url:marsden.example", "url:marsden.example#john-marsden"}
    assert len(out.interactions) == 2
    assert all(it.source != it.target for it in out.interactions)
    for p in out.people.values():
        notes = [e["value"] for e in p.evidence if e["kind"] == "not merged"]
        assert notes == [
            (
                "shares its URL marsden.example with 1 other record "
                "(different names or accounts); not merged"
            )
        ]


def test_shared_url_with_names_that_fit_is_one_person_with_evidence():
    conv = Conversation()
    a = _web("Michael", "http://simply.example/", "line 1", conv)
    b = _web("Michael Smith", "http://www.simply.example", "line 2", conv)
    c = _web("Michael", "http://simply.example", "line 3", conv)  # same name: folded at once
    assert a is c and a.records == 2 and b.id != a.id
    out = merge(conv)
    assert list(out.people) == ["url:simply.example"]
    p = out.people["url:simply.example"]
    assert p.name == "Michael Smith" and p.records == 3
    merges = [e["value"] for e in p.evidence if e["kind"] == "merge"]
    assert (
        "url:simply.example ~ url:simply.example#michael-smith: same url simply.example "
        "and names that fit" in merges
    )
    assert "2 records with the same site simply.example and name 'Michael'" in merges


def test_a_name_that_fits_several_is_not_merged():
    conv = Conversation()
    _web("Michael Smith", "http://co.example", "line 1", conv)
    _web("Michael Jones", "http://co.example", "line 2", conv)
    m = _web("Michael", "http://co.example", "line 3", conv)
    out = merge(conv)
    assert len(out.people) == 3
    note = [e["value"] for e in out.people[m.id].evidence if e["kind"] == "not merged"]
    assert note and "both fit" in note[0] and "2 other records" in note[0]


def test_heavy_shared_url_counts_instead_of_pairs():
    # 60 Twitter accounts link the same link-in-bio page; one blog commenter links it too
    conv = Conversation()
    for i in range(60):
        p = new_person(f"Person {i}", handles={"twitter": f"p{i}"}, platform="twitter")
        p.urls.append("https://linktr.example/")
        conv.add_person(p)
    blog = _web("Person 7", "http://linktr.example", "line 1", conv)
    out = merge(conv)
    assert len(out.people) == 60
    merged = out.people["twitter:p7"]
    assert blog.id in "".join(merged.merged_from)
    assert any("same url linktr.example" in e["value"] for e in merged.evidence)
    other = out.people["twitter:p8"]
    notes = [e for e in other.evidence if e["kind"] == "not merged"]
    assert len(notes) == 1 and "with 60 other records" in notes[0]["value"]


def test_accounts_of_one_platform_never_merge_by_url():
    conv = Conversation()
    for h in ("ann", "bo"):
        p = new_person("Same Name", handles={"twitter": h}, platform="twitter")
        p.urls.append("https://company.example")
        conv.add_person(p)
    out = merge(conv)
    assert set(out.people) == {"twitter:ann", "twitter:bo"}
    # the rule never ran: nothing to note
    assert not any(p.evidence for p in out.people.values())


def test_two_inputs_with_one_site_and_two_names(tmp_path):
    from mapper.sources import read

    def wxr(name, author):
        return WXR.replace("Lina Ortega", author).replace("@kwame I agree", "Nice")

    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_text(wxr("a", "Lina Ortega"))
    b.write_text(wxr("b", "Kofi Mensah"))
    conv = read([a, b])
    ids = sorted(pid for pid in conv.people if pid.startswith("url:lina.example"))
    assert ids == ["url:lina.example", "url:lina.example#kofi-mensah"]
    sources = {it.source for it in conv.interactions}
    assert set(ids) <= sources


# --- aliases and authors ---------------------------------------------------------------


def test_aliases_force_and_forbid_on_shared_sites(tmp_path):
    conv = Conversation()
    _web("Anne Marsden", "http://marsden.example", "line 1", conv)
    _web("A. M.", "http://marsden.example", "line 2", conv)
    _web("Jo", "http://jo.example", "line 3", conv)
    _web("Jo Lee", "http://jo.example", "line 4", conv)
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("url:marsden.example = A. M.\nJo != Jo Lee\n")
    out = merge(conv, identity.Aliases.read(aliases))
    assert set(out.people) == {"url:marsden.example", "url:jo.example", "url:jo.example#jo-lee"}
    forced = out.people["url:marsden.example"]
    assert any(e["value"].endswith("aliases file") for e in forced.evidence)


def test_byline_author_merges_with_their_own_comments():
    from mapper.model import Post

    conv = Conversation()
    # the byline link goes to the blog's author page: no site of her own
    author = _web("Rosa Díaz", None, "byline", conv)
    post = Post(id="p1", author_id=author.id)
    conv.posts.append(post)
    own = _web("Rosa Diaz", "http://rosa.example/", "line 9", conv)
    guest = _web("Tom", "http://tom.example/", "line 4", conv)
    conv.interactions.append(Interaction(guest.id, author.id, "comment", text="Great"))
    conv.interactions.append(Interaction(own.id, guest.id, "reply", text="Thanks Tom"))
    out = merge(conv)
    assert set(out.people) == {"url:rosa.example", "url:tom.example"}
    assert out.posts[0].author_id == "url:rosa.example"
    rosa = out.people["url:rosa.example"]
    assert any(e["kind"] == "merge" for e in rosa.evidence)
    edges = {(it.source, it.target, it.kind) for it in out.interactions}
    assert edges == {
        ("url:tom.example", "url:rosa.example", "comment"),
        ("url:rosa.example", "url:tom.example", "reply"),
    }


def test_wp_author_merges_with_own_comments_under_a_fuller_name():
    from mapper.model import Post

    conv = Conversation()
    author = conv.add_person(
        new_person("Rosa", handles={"wp": "rosa@blog.example"}, platform="wp", source="login")
    )
    conv.posts.append(Post(id="p1", author_id=author.id))
    _web("Rosa Díaz", "http://blog.example/", "comment 3", conv)
    _web("Ron Diaz", "http://ron.example/", "comment 4", conv)
    out = merge(conv)
    assert set(out.people) == {"wp:rosa@blog.example", "url:ron.example"}


def test_evidence_index_is_a_set_and_survives_hand_edits():
    p = new_person("Ann", platform="web")
    for _ in range(3):
        p.add_evidence("profile location", "Boise", "a")
    assert len(p.evidence) == 1
    p.evidence.append({"kind": "note", "value": "x", "source": "by hand"})
    p.add_evidence("note", "x", "again")
    assert len(p.evidence) == 2
    q = new_person("Ann", platform="web")
    q.add_evidence("note", "x", "another source")
    from mapper.model import absorb

    absorb(p, q)  # same kind and value from another source is kept, as before
    assert len(p.evidence) == 3


def test_aliases_file_reads_ids_with_hash_and_equals(tmp_path):
    f = tmp_path / "aliases.txt"
    f.write_text(
        "# a comment\n"
        "url:site.example#jo-lee != Jo  # Jo is someone else\n"
        "url:facebook.com/profile.php?id=12 = @jo_lee\n"
        "a=b\n"
    )
    al = identity.Aliases.read(f)
    assert al.different == [("url:site.example#jo-lee", "Jo")]
    assert al.same == [("url:facebook.com/profile.php?id=12", "@jo_lee"), ("a", "b")]


def test_profile_urls_keep_the_query_that_names_the_person():
    conv = Conversation()
    a = _web("Ana Souza", "http://www.facebook.com/profile.php?id=1001", "c1", conv)
    b = _web("Bia Lima", "http://www.facebook.com/profile.php?id=1002&ref=x", "c2", conv)
    assert a.id == "url:facebook.com/profile.php?id=1001" != b.id
    assert len(merge(conv).people) == 2


# --- merge cost: the fast paths give the answers of the general ones -------------------

URL_SHAPES = [
    "http://www.SimplyCast.com/",
    "HTTP://WWW.X.COM//a/",
    "x.com",
    "1.2.3.4/a",
    "https://linktr.ee/u1",
    "https://x.co.uk/~me/;v=1",
    "http://x.com/%20a/",
    "http://x.com:80/",
    "http://user@x.com/",
    "ftp://x.com/a",
    "mailto:a@b.com",
    "http://x.com/a#frag",
    "http://x.com/a\\b",
    "http://exämple.com/a",
    "http://x.com/a b",
    "http://x.com./",
    "http://[::1]/a",
    "http://x",
    "localhost",
    "https://blog.example.org/me/?utm=x",
]


@pytest.mark.parametrize("url", URL_SHAPES)
def test_plain_url_fast_path_agrees_with_urlsplit(url):
    from mapper import ids

    assert ids.normalize_url(url) == ids._split_url(url.strip())


def test_plain_url_fast_path_agrees_on_generated_urls():
    from hypothesis import given
    from hypothesis import strategies as st

    from mapper import ids

    part = st.text("aZ09-._~%;:@/?#\\ äE", min_size=1, max_size=8)

    @given(st.sampled_from(["", "http://", "HTTPS://", "ftp://", "//"]), part, part, part)
    def agree(scheme, a, b, path):
        u = f"{scheme}{a}.{b}/{path}".strip()
        assert ids.normalize_url(u) == ids._split_url(u)

    agree()


def test_renamed_counts_fold_and_the_input_keeps_its_own():
    # two records of one person, each mentioned by the same account: one edge of two
    conv = Conversation()
    a = _web("Ann Lee", "http://ann.example", "c1", conv)
    tw = new_person("Ann Lee", handles={"twitter": "annlee"}, platform="twitter")
    tw.urls.append("https://www.ann.example/")
    conv.add_person(tw)
    bob = conv.add_person(new_person("Bob", handles={"twitter": "bob"}, platform="twitter"))
    conv.count(bob.id, a.id, "mention", 1.0, 2)
    conv.count(bob.id, tw.id, "mention", 1.0, 3)
    conv.count(a.id, tw.id, "mention")  # becomes a self-loop: dropped
    before = {k: list(v) for k, v in conv.counts.items()}
    out = merge(conv)
    assert out.counts == {("twitter:bob", "twitter:annlee", "mention"): [2.0, 5]}
    assert conv.counts == before
