"""Blog readers (saved HTML, WXR, Disqus) on the project's own fixtures (every markup
and rule, invented people) and on the real files in ../shared/data, checked against
counts a small independent script below takes from the raw files."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from mapper import merge, settings
from mapper.sources import detect, disqus, html, read, wxr
from tests.conftest import DATA

BLOG = DATA / "blog"


def _edges(conv) -> set[tuple[str, str, str]]:
    return {(i.source, i.target, i.kind) for i in conv.interactions}


def _kinds(conv) -> Counter:
    return Counter(i.kind for i in conv.interactions)


# --- saved HTML: every markup ------------------------------------------------------


def test_theme_markup_cite_text_strong_b_pingbacks_and_unreadable_comment():
    conv = merge(read(BLOG / "themes.html"))
    edges = _edges(conv)
    # byline boilerplate stripped; the author is the one who answers in the thread
    assert conv.posts[0].author_id == "name:lea-martin"
    assert conv.people["name:lea-martin"].name == "Léa Martin"
    assert ("url:paul.example", "name:lea-martin", "comment") in edges  # cite (no .fn)
    # .comment-author text without "dit :"; replies in ul.children inside a div
    assert ("name:lea-martin", "url:paul.example", "reply") in edges
    assert ("name:zoe-petit", "name:lea-martin", "reply") in edges  # <strong> name
    assert ("name:hugo-blanc", "name:lea-martin", "comment") in edges  # <b> name
    # "@Paul merci" opening a reply to Paul is the reply alone; Zoé's "@Paul Durand" a mention
    assert ("name:lea-martin", "url:paul.example", "mention") not in edges
    assert ("name:zoe-petit", "url:paul.example", "mention") in edges
    # the unreadable comment is named; its reply is attached to its nearest readable ancestor
    bad = [p for p in conv.problems if "without a readable author" in p["what"]]
    assert len(bad) == 1 and bad[0]["where"] == "line 33"
    assert ("name:ines-roux", "name:hugo-blanc", "reply") in edges
    # pingback and trackback from one site: one participant; the blog's own: internal link
    assert [i.kind for i in conv.interactions if i.source == "url:campagne.example"] == [
        "pingback",
        "pingback",
    ]
    assert conv.set_aside == {"internal_links": 1}
    assert not any("village.example" in pid for pid in conv.people if pid != "name:lea-martin")
    # the reply form's markup is not a comment
    assert "name:not-a-comment" not in conv.people


def test_epoch_plugin_markup_nests_by_epoch_child():
    conv = merge(read(BLOG / "epoch.html"))
    assert conv.posts[0].author_id == "name:sam-reed"  # meta author, "Posted by" stripped
    assert _edges(conv) == {
        ("url:amy.example", "name:sam-reed", "comment"),
        ("name:carl-moss", "url:amy.example", "reply"),  # author as plain text
        ("url:amy.example", "name:carl-moss", "reply"),
        ("url:dee.example", "name:sam-reed", "comment"),
    }
    assert not conv.problems


def test_custom_themes_and_bridgy_webmentions():
    conv = merge(read(BLOG / "custom.html"))
    unknown = "post-author:news.example"  # no byline: one unknown author for the site
    assert _edges(conv) == {
        ("name:ola-berg", unknown, "comment"),  # span.author
        ("name:per-lund", "name:ola-berg", "reply"),
        ("name:kim-ek", unknown, "comment"),  # data-username, not the "Profile" link
        ("twitter:rita_r", unknown, "retweet"),  # Bridgy repost
        ("twitter:sven_s", unknown, "share"),  # Bridgy like
    }


def test_declared_windows_1251_charset():
    conv = merge(read(BLOG / "cp1251.html"))
    names = {p.name for p in conv.people.values()}
    assert {"Иван Петров", "Мария Соколова"} <= names
    assert _kinds(conv) == Counter({"comment": 1, "reply": 1})


def test_unknown_author_is_one_per_site_not_per_post():
    conv = merge(read(BLOG / "blog.wxr.xml"))
    placeholders = [pid for pid in conv.people if pid.startswith("post-author:")]
    assert placeholders == ["post-author:hilltown.example"]  # two authorless posts, one person


# --- WXR and Disqus rules -----------------------------------------------------------


def test_wxr_moderation_pingbacks_and_author_comments():
    conv = merge(read(BLOG / "blog.wxr.xml"))
    edges = _edges(conv)
    nora = "name:nora-quinn"
    assert conv.posts[0].author_id == nora  # "Posted by" stripped from the display name
    assert ("url:omar.example", nora, "comment") in edges
    # the author answering as a logged-in user (comment_user_id) is the author; the
    # "@Omar Hale" opening her reply is no extra mention
    assert (nora, "url:omar.example", "reply") in edges
    assert (nora, "url:omar.example", "mention") not in edges
    # pending, spam and trash are left out, named and counted
    assert conv.set_aside == {"unapproved": 3, "internal_links": 1}
    whats = " ".join(p["what"] for p in conv.problems)
    for status in ("pending", "spam", "trash"):
        assert f"not approved ({status})" in whats
    assert not {"url:pia.example", "url:watches.example", "url:troll.example"} & set(conv.people)
    # a reply to the pending comment points at its nearest kept ancestor
    assert ("url:quentin.example", "url:omar.example", "reply") in edges
    # two pingbacks from one site: one participant; the blog's own pingback is not a person
    assert conv.people["url:valley.example"].name == "valley.example"
    assert [pid for pid in conv.people if "hilltown" in pid] == ["post-author:hilltown.example"]
    # "@Omar" in another post finds the commenter, never a twitter: id
    assert ("url:sid.example", "url:omar.example", "mention") in edges
    assert not any(pid.startswith("twitter:") for pid in conv.people)
    assert any("undeclared namespace prefix 'atom:'" in p["what"] for p in conv.problems)


def test_pingbacks_with_one_excerpt_from_two_posts_are_two_links(tmp_path):
    def ping(cid: int, url: str) -> str:
        return (
            f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
            f"<wp:comment_author>Valley Blog</wp:comment_author>"
            f"<wp:comment_author_url>{url}</wp:comment_author_url>"
            "<wp:comment_content>[...] source [...]</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved>"
            "<wp:comment_type>pingback</wp:comment_type></wp:comment>"
        )

    f = tmp_path / "pings.xml"
    f.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<link>http://hill.example</link><item><title>About</title>"
        "<link>http://hill.example/about/</link><dc:creator>nora</dc:creator>"
        "<wp:post_id>1</wp:post_id>"
        + ping(1, "http://valley.example/a/")
        + ping(2, "http://valley.example/b/")
        + ping(3, "http://valley.example/b/")  # the same link saved twice: once
        + "</item></channel></rss>\n"
    )
    conv = merge(read(f))
    assert [(i.source, i.kind) for i in conv.interactions] == [
        ("url:valley.example", "pingback")
    ] * 2


def test_keep_spam_reads_unapproved_comments(monkeypatch):
    monkeypatch.setattr(settings, "keep_unapproved", True)
    conv = merge(read(BLOG / "blog.wxr.xml"))
    assert conv.set_aside == {"internal_links": 1}
    assert conv.people["url:watches.example"].spam and conv.people["url:troll.example"].spam
    assert not conv.people["url:pia.example"].spam  # pending is not spam
    assert ("url:quentin.example", "url:pia.example", "reply") in _edges(conv)


def test_keep_spam_on_a_run_reads_unapproved(tmp_path):
    from mapper.cli import main

    out = tmp_path / "r.json"
    assert main(["-q", "report", str(BLOG / "blog.wxr.xml"), "-o", str(out), "--keep-spam"]) == 0
    import json

    rep = json.loads(out.read_text())
    assert rep["set_aside"] == {"internal_links": 1}
    assert main(["-q", "report", str(BLOG / "blog.wxr.xml"), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["set_aside"] == {"unapproved": 3, "internal_links": 1}


def test_disqus_reply_habit_spam_and_deleted_parents():
    conv = merge(read(BLOG / "blog-disqus.xml"))
    assert _edges(conv) == {
        ("disqus:tessg", "disqus:fieldowner", "comment"),
        ("disqus:vbloom", "disqus:tessg", "reply"),  # "@tessg …" is the reply alone
        ("disqus:vbloom", "disqus:umaw", "mention"),  # another user named: a mention
        ("disqus:umaw", "disqus:fieldowner", "comment"),
        ("name:xena-anon", "disqus:umaw", "reply"),  # parent deleted: its parent instead
    }
    assert conv.set_aside == {"unapproved": 1}
    assert any("deleted post" in p["what"] for p in conv.problems)


# --- damaged and hostile XML --------------------------------------------------------


def _wxr_variant(tmp_path: Path, data: bytes, name: str = "v.xml") -> Path:
    f = tmp_path / name
    f.write_bytes(data)
    return f


WXR = (BLOG / "blog.wxr.xml").read_bytes()


@pytest.mark.parametrize(
    "make",
    [
        lambda b: b"PHP Warning: headers already sent\n" + b,
        lambda b: b"\n\n" + b,
        lambda b: b"\xef\xbb\xbf" + b,
        lambda b: b.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16"),
        lambda b: b.replace(b"We got fibre", b"We got \xff\xfe fibre"),
        lambda b: b.replace(b"We got fibre", b"We got \x01 fibre"),
    ],
    ids=["junk", "blank-lines", "bom", "utf16", "bad-bytes", "control-char"],
)
def test_damage_before_or_inside_records_keeps_every_record(tmp_path, make):
    want = merge(read(BLOG / "blog.wxr.xml"))
    f = _wxr_variant(tmp_path, make(WXR))
    assert detect(f) is wxr
    got = merge(read(f))
    assert _edges(got) == _edges(want)
    seen = {(p["where"], p["what"]) for p in want.problems}
    new = [p for p in got.problems if (p["where"], p["what"]) not in seen]
    for p in new:  # each repair is named with its line
        assert p["where"].startswith("line ")


def test_truncated_file_keeps_complete_comments_of_its_last_item(tmp_path):
    cut = WXR.index(b"<wp:comment_id>31</wp:comment_id>")
    conv = merge(read(_wxr_variant(tmp_path, WXR[:cut])))
    edges = _edges(conv)
    assert ("url:rosa.example", "post-author:hilltown.example", "comment") in edges
    assert ("url:quentin.example", "url:omar.example", "reply") in edges  # earlier items whole
    assert not any(s == "url:sid.example" for s, _, _ in edges)  # the cut comment
    whats = [p["what"] for p in conv.problems]
    assert any("<item> cut short" in w for w in whats)
    assert any("comment cut short" in w for w in whats)


def test_broken_markup_costs_only_its_item(tmp_path):
    data = WXR.replace(b"<![CDATA[Hello.]]>", b"Hello < world </wp:oops")
    conv = merge(read(_wxr_variant(tmp_path, data)))
    assert ("url:quentin.example", "url:omar.example", "reply") in _edges(conv)  # item 1
    assert ("url:omar.example", "post-author:hilltown.example", "comment") in _edges(conv)
    assert any("malformed XML in <item>" in p["what"] for p in conv.problems)
    # read part by part: the broken comment is named and skipped, the next one kept
    assert ("url:sid.example", "post-author:hilltown.example", "comment") in _edges(conv)
    assert any(p["where"] == "item 3 comment 30" for p in conv.problems)


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_doctype_with_entities_is_refused(tmp_path, doctype):
    data = WXR.replace(b"<rss ", doctype + b"\n<rss ", 1).replace(b"Hello.", b"&b; &x;")
    conv = wxr.read(_wxr_variant(tmp_path, data))
    assert not conv.people and not conv.interactions
    assert "refused unsafe XML" in conv.problems[0]["what"]


def test_giant_token_is_capped_not_slow(tmp_path, monkeypatch):
    """One giant text token in a small .gz: the record is skipped at the cap, the scan
    gives up after 4 × the cap, memory stays bounded (no wall-clock assertion here)."""
    monkeypatch.setattr(settings, "xml_max_record_mb", 1)
    f = tmp_path / "bomb.xml.gz"
    head, tail = WXR.split(b"<![CDATA[Hello.]]>")
    with gzip.open(f, "wb") as g:
        g.write(head)
        for _ in range(64):
            g.write(b"a" * (1 << 20))
        g.write(tail)
    conv = wxr.read(f)
    whats = [p["what"] for p in conv.problems]
    assert any("record longer than 1 MB" in w for w in whats)
    assert any("without a record (a giant token?)" in w for w in whats)
    assert ("url:omar.example", "post-author:hilltown.example", "comment") in _edges(conv)


def test_truncated_disqus_export_keeps_posts_before(tmp_path):
    data = (BLOG / "blog-disqus.xml").read_bytes()
    f = tmp_path / "d.xml"
    f.write_bytes(data[: data.index(b'<post dsq:id="102">') + 40])
    conv = merge(disqus.read(f))
    assert ("disqus:vbloom", "disqus:tessg", "reply") in _edges(conv)
    assert any("cut short" in p["what"] for p in conv.problems)


# --- the real files, against counts taken from the raw files -----------------------

# per page: how to find its comments and their authors, written for that page alone
_HTML_REF = {
    "readability-wordpress-source.html": ("article.epoch-single-comment", ".epoch-child"),
    "readability-002-source.html": ("li.comment[id*=comment-]", "ol.children"),
    "parser-blisterreview.com.html": ("li.comment[id*=comment-]", "ul.children"),
    "newspaper-pewresearch.org1.html": ("li.comment[id*=comment-]", "ol.children"),
    "newspaper-uproxx.com2.html": ("li.comment[id*=comment-]", "ul.children"),
    "graby-framablog.html": ("li.comment[id*=comment-]", "ul.children"),
    "graby-timothysykes-keepol.html": ("li.comment[id*=comment-]", "ol.children"),
    "wordpress-webmention-notizblog-org.html": ("li.webmention", "ul.children"),
}
# the README of ../shared/data: (comments, replies, participants)
_HTML_README = {
    "readability-wordpress-source.html": (13, 9, 10),
    "readability-002-source.html": (2, 1, 2),
    "parser-blisterreview.com.html": (22, 10, 17),
    "newspaper-pewresearch.org1.html": (24, 8, 17),
    "newspaper-uproxx.com2.html": (6, 1, 6),
    "graby-framablog.html": (8, 3, 7),
    "graby-timothysykes-keepol.html": (19, 9, 11),
    "wordpress-webmention-notizblog-org.html": (8, 0, 7),
}


def _ref_author(el) -> str:
    for sel in ("a.epoch-author-link", "[data-username]", "span.author", ".fn"):
        hit = el.select_one(sel)
        if hit is not None:
            return (hit.get("data-username") or hit.get_text(" ", strip=True)).strip()
    box = el.select_one(".epoch-comment-author")
    return box.get_text(" ", strip=True).split("·")[0].strip() if box else ""


def _html_reference(path: Path):
    item_sel, children_sel = _HTML_REF[path.name]
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    items = soup.select(item_sel)
    replies, self_replies, names = 0, 0, set()
    for el in items:
        name = _ref_author(el)
        names.add(name)
        holder = el.find_parent(class_=children_sel.split(".")[1])
        if holder is not None:
            replies += 1
            parent = holder.find_parent(["li", "div"], id=True)
            parent_item = parent if item_sel.startswith("li") else parent.select_one(item_sel)
            if parent_item is not None and _ref_author(parent_item) == name:
                self_replies += 1
    return len(items), replies, len(names), self_replies


@pytest.mark.parametrize("name", sorted(_HTML_REF))
def test_real_saved_pages_agree_with_reference_counts(shared, name):
    path = shared / "data" / "saved_html" / name
    comments, replies, participants, self_replies = _html_reference(path)
    assert (comments, replies, participants) == _HTML_README[name]
    conv = merge(read(path))
    assert detect(path) is html
    kinds = _kinds(conv)
    acting = {i.source for i in conv.interactions if i.kind != "mention"}
    if name.startswith("wordpress-webmention"):
        # Bridgy webmentions are reposts and likes of their Twitter authors (README rule)
        assert kinds == Counter({"retweet": 5, "share": 3})
    else:
        # a reply to oneself is no interaction (README rule)
        assert kinds["reply"] == replies - self_replies
        assert kinds["comment"] == comments - replies
    assert abs(len(acting) - participants) <= max(1, 0.05 * participants)
    assert not [p for p in conv.problems if "without a readable author" in p["what"]]


def _wxr_reference(path: Path):
    ns = {"wp": "http://wordpress.org/export/1.2/"}
    tree = etree.parse(str(path), etree.XMLParser(recover=True, resolve_entities=False))
    own = {
        _host(tree.findtext("channel/link")),
        _host(tree.findtext("channel/wp:base_blog_url", namespaces=ns)),
    }
    raw = Counter()
    kept_people, kept = set(), Counter()
    ping_sites = set()
    for item in tree.iter("item"):
        own.add(_host(item.findtext("link")))
    for item in tree.iter("item"):
        approved_ids = set()
        comments = item.findall("wp:comment", ns)
        for c in comments:
            if (c.findtext("wp:comment_approved", namespaces=ns) or "1") == "1":
                approved_ids.add(c.findtext("wp:comment_id", namespaces=ns))
        for c in comments:
            t = c.findtext("wp:comment_type", namespaces=ns) or ""
            approved = (c.findtext("wp:comment_approved", namespaces=ns) or "1") == "1"
            parent = c.findtext("wp:comment_parent", namespaces=ns) or "0"
            raw["all"] += 1
            raw["pending"] += not approved
            raw[t or ("reply" if parent != "0" else "top")] += 1
            if not approved:
                continue
            url = c.findtext("wp:comment_author_url", namespaces=ns) or ""
            if t in ("pingback", "trackback"):
                if _host(url) in own:
                    kept["internal"] += 1
                else:
                    kept["pingback"] += 1
                    ping_sites.add(_host(url))
                continue
            author = (c.findtext("wp:comment_author", namespaces=ns) or "").strip()
            if not (author or url):
                continue
            kept_people.add(author.lower() or url)
            kept["reply" if parent in approved_ids else "comment"] += 1
    return raw, kept, len(kept_people), len(ping_sites)


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    host = (urlsplit((url or "").strip()).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# README: raw counts (all wp:comment, pending, pingbacks, trackbacks, replies)
_WXR_README = {
    "timothyfitz.github.com-wordpress.xml": {
        "all": 381,
        "pending": 24,
        "pingback": 174,
        "trackback": 1,
        "reply": 4,
    },
    "paralisiafacial.com-wordpress.xml": {"all": 628, "pending": 0, "pingback": 5, "reply": 237},
    "bitcoinfrance.github.io-wordpress.xml": {
        "all": 235,
        "pending": 0,
        "pingback": 42,
        "reply": 107,
    },
    "thegraphicsoffice-wordpress.xml": {"all": 2, "pending": 2, "pingback": 1, "trackback": 1},
}


@pytest.mark.parametrize("name", sorted(_WXR_README))
def test_real_wxr_exports_agree_with_reference_counts(shared, name):
    path = shared / "data" / "wordpress_wxr" / name
    raw, kept, people, sites = _wxr_reference(path)
    for key, n in _WXR_README[name].items():
        assert raw[key] == n, key
    got = read(path)  # as read: the merge then drops self-loops and repeated texts
    kinds = _kinds(got)
    # pending comments are left out and counted; own-site pingbacks are internal links
    assert got.set_aside.get("unapproved", 0) == raw["pending"]
    assert got.set_aside.get("internal_links", 0) == kept["internal"]
    assert kinds["pingback"] == kept["pingback"]
    ping_people = {s for s, _, k in _edges(got) if k == "pingback"}
    assert len(ping_people) == sites  # one participant per site
    for kind in ("comment", "reply"):
        assert abs(kinds[kind] - kept[kind]) <= max(2, 0.03 * kept[kind]), kind
    conv = merge(got)
    # pingbacks from two posts of one site with the same excerpt are two links
    assert _kinds(conv)["pingback"] == kept["pingback"]
    commenters = {i.source for i in conv.interactions if i.kind in ("comment", "reply")}
    assert abs(len(commenters) - people) <= max(2, 0.05 * people)


def test_real_disqus_export_agrees_with_reference_counts(shared):
    path = shared / "data" / "disqus" / "disqus-to-github-issues-go-evanlin_20210517.xml"
    d, dsq = "{http://disqus.com}", "{http://disqus.com/disqus-internals}id"
    root = etree.parse(str(path)).getroot()
    posts = root.findall(f"{d}post")
    threads = [t for t in root.findall(f"{d}thread") if len(t)]
    spam = {p.get(dsq) for p in posts if p.findtext(f"{d}isSpam") == "true"}
    deleted = {p.get(dsq) for p in posts if p.findtext(f"{d}isDeleted") == "true"}
    replies = [p for p in posts if p.find(f"{d}parent") is not None]
    assert (len(threads), len(posts), len(replies), len(spam), len(deleted)) == (
        2519,
        189,
        74,
        13,
        8,
    )
    who = {
        p.get(dsq): (p.findtext(f"{d}author/{d}username") or p.findtext(f"{d}author/{d}name"))
        for p in posts
    }
    assert len(set(who.values())) == 93
    kept = {k: v for k, v in who.items() if k not in spam and k not in deleted}
    conv = merge(read(path))
    assert conv.set_aside == {"unapproved": len(spam - deleted)}
    assert len([p for p in conv.problems if "deleted post" in p["what"]]) == len(deleted)
    commenters = {i.source for i in conv.interactions if i.kind in ("comment", "reply")}
    assert abs(len(commenters) - len(set(kept.values()))) <= 2
    assert not any(pid.startswith("twitter:") for pid in conv.people)


def test_wordpress_rest_comments_follow_the_blog_rules(tmp_path):
    import json

    def c(cid, name, url, content, parent=0, type_="comment", status="approved"):
        return {
            "id": cid,
            "parent": parent,
            "author_name": name,
            "author_url": url,
            "content": {"rendered": f"<p>{content}</p>"},
            "type": type_,
            "status": status,
            "date_gmt": "2024-05-01T10:00:00",
        }

    thread = {
        "source": "https://meadow.example/2024/05/post/",
        "post": {"id": 5, "link": "https://meadow.example/2024/05/post/", "title": "Post"},
        "comments": [
            c(1, "Ann Lee", "https://ann.example", "Lovely."),
            c(2, "Ben Ray", "https://ben.example", "@Ann Lee indeed", parent=1),
            c(3, "Held Back", "https://held.example", "pending", status="hold"),
            c(4, "Other » A", "https://other.example/a/", "[…]", type_="pingback"),
            c(5, "Other » B", "https://other.example/b/", "[…]", type_="pingback"),
            c(6, "Meadow » More", "https://meadow.example/more/", "[…]", type_="pingback"),
        ],
    }
    f = tmp_path / "wp.json"
    f.write_text(json.dumps(thread))
    conv = merge(read(f))
    unknown = "post-author:meadow.example"
    assert _edges(conv) == {
        ("url:ann.example", unknown, "comment"),
        ("url:ben.example", "url:ann.example", "reply"),  # no extra mention
        ("url:other.example", unknown, "pingback"),
    }
    assert conv.set_aside == {"unapproved": 1, "internal_links": 1}


@pytest.mark.parametrize(
    "name",
    [
        "wordpress_wxr/isso-wordpress.xml",
        "wordpress_wxr/valid-wxr-1.0.xml",
        "wordpress_wxr/valid-wxr-1.1.xml",
        "disqus/isso-disqus.xml",
    ],
)
def test_small_real_exports_account_for_every_comment(shared, name):
    # no reference counts in ../shared/data/README.md: every raw comment or post is an
    # interaction as read (acts on oneself are dropped only by the merge) or named
    path = shared / "data" / name
    tree = etree.parse(str(path), etree.XMLParser(recover=True, resolve_entities=False))
    tag = "comment" if name.startswith("wordpress") else "post"
    raw = [e for e in tree.iter() if isinstance(e.tag, str) and etree.QName(e).localname == tag]
    conv = read(path)
    kept = [i for i in conv.interactions if i.kind in ("comment", "reply", "pingback")]
    named = [p for p in conv.problems if "skipped" in p["what"] or "no interaction" in p["what"]]
    assert len(raw) == len(kept) + len(named) > 0


def test_real_small_disqus_export_agrees_with_reference_counts(shared):
    path = shared / "data" / "disqus" / "schnack-disqus.xml"
    d = "{http://disqus.com}"
    posts = etree.parse(str(path)).getroot().findall(f"{d}post")
    replies = [p for p in posts if p.find(f"{d}parent") is not None]
    authors = {p.findtext(f"{d}author/{d}username") for p in posts}
    assert (len(posts), len(replies), len(authors)) == (5, 3, 2)
    conv = read(path)  # as read (the merge then drops replies to oneself)
    assert _kinds(conv) == Counter({"comment": 2, "reply": 3})
    assert {i.source for i in conv.interactions} == {f"disqus:{a}" for a in authors}
