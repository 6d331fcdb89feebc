"""Platform readers on every real file in ../shared/data/, and the live collectors
against a real HTTP server on 127.0.0.1 speaking each API's shape."""

import gzip
import json
import shutil
from collections import Counter

import pytest
from werkzeug import Response

from mapper import merge, read
from mapper.cli import main
from mapper.sources import bluesky, detect, mastodon, twitter_v1, twitter_v2

# people, interactions per kind, people with a profile location, problems: pinned after
# checking them against the files by eye; a change in any reader shows up here.
EXPECTED = {
    # Changed for issue #13: an embedded original (retweeted_status, quoted_status,
    # includes.tweets) is now a tweet of its own author, so its mentions, replies and
    # quotes count as that author's (they were dropped before); a v2 retweet whose
    # original is missing is credited to its "RT @x:"; tests/test_reference_counts.py
    # checks every figure against a stdlib count of the raw JSON.
    "twitter_v1/python-twitter-get_home_timeline.json": (
        twitter_v1,
        20,
        {"retweet": 14, "mention": 3, "quote": 1},
        12,
        0,
    ),
    "twitter_v1/python-twitter-get_mentions.json": (
        twitter_v1,
        22,
        {"reply": 13, "mention": 14, "quote": 2},
        13,
        0,
    ),
    "twitter_v1/python-twitter-get_retweets.json": (twitter_v1, 15, {"retweet": 14}, 8, 0),
    "twitter_v1/python-twitter-streaming-lines.jsonl": (
        twitter_v1,
        279,
        {"reply": 29, "mention": 173, "quote": 8},
        57,
        0,
    ),
    "twitter_v1/twitter-ruby-statuses.json": (
        twitter_v1,
        34,
        {"mention": 12, "retweet": 6, "reply": 2},
        20,
        0,
    ),
    # the same 100 tweets, flattened and as raw pages: the same figures (a quote of a
    # tweet not included goes to the author its link names; a page's mention without
    # an id finds its included user by name, with the profile location)
    "twitter_v2/twarc-csv-flat.jsonl": (
        twitter_v2,
        183,
        {"retweet": 45, "mention": 43, "reply": 46, "quote": 17},
        119,
        0,
    ),
    "twitter_v2/twarc-csv-noflat.jsonl": (
        twitter_v2,
        183,
        {"retweet": 45, "mention": 43, "reply": 46, "quote": 17},
        119,
        1,
    ),
    "twitter_v2/twarc-csv-geo_tweets.jsonl": (twitter_v2, 4, {"reply": 1, "mention": 2}, 3, 0),
    "twitter_v2/twarc-csv-streaming_output_with_error.jsonl": (
        twitter_v2,
        11,
        {"quote": 1, "reply": 3},
        10,
        1,
    ),
    "mastodon/mastodon4j-context.json": (mastodon, 2, {"reply": 2}, 0, 0),
    "mastodon/mastodon4j-public_timeline.json": (mastodon, 19, {}, 1, 0),
    "bluesky/thread_view_post_with_embed_media.json": (bluesky, 1, {}, 0, 0),
    # a follow list gives profiles, not participants (issue #13; README "Counting rules")
    "bluesky/get_follows.json": (bluesky, 0, {}, 0, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reader_counts_on_real_files(shared, name):
    module, people, kinds, with_location, problems = EXPECTED[name]
    path = shared / "data" / name
    assert detect(path) is module
    conv = merge(read(path))
    assert len(conv.people) == people
    found: Counter = Counter()
    for _s, _t, kind, _w, number in conv.edges():
        found[kind] += number
    assert dict(found) == kinds
    assert sum(1 for p in conv.people.values() if p.location_text) == with_location
    assert len(conv.problems) == problems


def test_v1_retweet_not_double_counted(shared):
    conv = merge(read(shared / "data/twitter_v1/python-twitter-get_retweets.json"))
    # 14 retweets of @jack: retweet edges, and the "RT @jack" never also a mention
    assert {(t, k) for _s, t, k, _w, _n in conv.edges()} == {("twitter:jack", "retweet")}


def test_v2_error_line_counted_not_fatal(shared):
    conv = read(shared / "data/twitter_v2/twarc-csv-streaming_output_with_error.jsonl")
    assert conv.problems[0]["where"] == "line 8"
    assert "not valid JSON" in conv.problems[0]["what"]
    assert len(conv.people) >= 10  # the seven good lines before it are all there


def test_v2_geo_is_location_evidence(shared):
    conv = merge(read(shared / "data/twitter_v2/twarc-csv-geo_tweets.jsonl"))
    ev = [
        e
        for p in conv.people.values()
        for e in p.evidence
        if e["kind"] in ("coordinates", "tweet place")
    ]
    assert ev


def test_gzip_input(shared, tmp_path):
    src = shared / "data/twitter_v1/python-twitter-streaming-lines.jsonl"
    gz = tmp_path / "lines.jsonl.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    assert len(merge(read(gz)).people) == 279


def test_flat_and_pages_agree_on_people(shared):
    flat = merge(read(shared / "data/twitter_v2/twarc-csv-flat.jsonl"))
    pages = merge(read(shared / "data/twitter_v2/twarc-csv-noflat.jsonl"))
    assert set(flat.people) == set(pages.people)
    assert flat.counts == pages.counts  # the same 100 tweets, the same interactions


def test_report_and_map_on_every_shared_file(shared, tmp_path):
    for name in EXPECTED:
        out = tmp_path / "m.html"
        rep = tmp_path / "r.json"
        assert (
            main(
                [
                    "-q",
                    "map",
                    str(shared / "data" / name),
                    "-o",
                    str(out),
                    "--report",
                    str(rep),
                    "--tiles",
                    "none",
                ]
            )
            == 0
        ), name
        r = json.loads(rep.read_text())
        assert r["participants"] == EXPECTED[name][1]


def test_same_person_on_twitter_and_a_blog(tmp_path):
    tweets = tmp_path / "t.jsonl"
    tweets.write_text(
        json.dumps(
            {
                "id_str": "1",
                "text": "great post",
                "created_at": "Wed Dec 09 19:40:11 +0000 2015",
                "user": {"screen_name": "cara_c", "name": "Cara C", "location": "Galway, Ireland"},
                "entities": {"user_mentions": []},
            }
        )
        + "\n"
    )
    from tests.conftest import DATA

    conv = merge(read([DATA / "small.html", tweets]))
    cara = conv.people["twitter:cara_c"]
    assert cara.location_text == "Galway, Ireland"  # from the tweet
    assert [p for p in conv.people if "cara" in p] == ["twitter:cara_c"]  # one person
    assert ("twitter:cara_c", "url:ana.example", "comment") in {
        (i.source, i.target, i.kind) for i in conv.interactions
    }  # her blog comment


# --- collectors against a local server -------------------------------------------


@pytest.fixture
def session(tmp_path):
    from mapper.http import Session

    return Session(cache_dir=tmp_path / "http", sleep=lambda s: None, timeout=1.0)


def test_mastodon_collector(shared, httpserver, session, tmp_path):
    timeline = json.loads((shared / "data/mastodon/mastodon4j-public_timeline.json").read_text())
    context = json.loads((shared / "data/mastodon/mastodon4j-context.json").read_text())
    status = dict(timeline[0], id="6886000")
    accounts = [s["account"] for s in timeline]
    base = httpserver.url_for("")
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000").respond_with_json(status)
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/context").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/context").respond_with_json(context)
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/reblogged_by").respond_with_json(
        accounts[:5],
        headers={"Link": f'<{base}api/v1/statuses/6886000/reblogged_by?max_id=9>; rel="next"'},
    )
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/reblogged_by").respond_with_data(
        "", status=500
    )
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/reblogged_by").respond_with_json(
        accounts[5:8]
    )
    httpserver.expect_oneshot_request("/api/v1/statuses/6886000/favourited_by").respond_with_json(
        []
    )
    waits = []
    session.sleep = waits.append
    from mapper.collect.mastodon import collect

    data = collect(f"{base}@someone/6886000", session)
    assert len(data["reblogged_by"]) == 8 and waits[0] == 3.0
    out = tmp_path / "thread.json"
    out.write_text(json.dumps(data))
    conv = merge(read(out))
    kinds = Counter(k for _s, _t, k, _w, _n in conv.edges())
    assert kinds["retweet"] == len(
        {mastodon.acct_of(a) for a in accounts[:8]} - {mastodon.acct_of(status["account"])}
    )
    assert kinds["reply"] == 2


def test_mastodon_collector_malformed_and_timeout(httpserver, session, tmp_path):
    import time

    from mapper.collect.mastodon import collect
    from mapper.http import FetchError

    httpserver.expect_request("/api/v1/statuses/1").respond_with_data(
        "<html>oops", content_type="text/html"
    )
    with pytest.raises(FetchError, match="not JSON"):
        collect(httpserver.url_for("/@x/1"), session)

    started = []

    def slow(_request):
        started.append(1)
        time.sleep(1.2)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/v1/statuses/2").respond_with_handler(slow)
    session.max_retries = 1
    with pytest.raises(FetchError, match="gave up"):
        collect(httpserver.url_for("/@x/2"), session)
    # the server answers the abandoned requests after the client gave up: wait until it
    # has logged them, or they land in the log of the test after this one
    for _ in range(100):
        if sum(r.path == "/api/v1/statuses/2" for r, _ in httpserver.log) >= len(started):
            break
        time.sleep(0.05)
    # the CLI turns that into a message and exit 1
    assert (
        main(
            [
                "-q",
                "collect",
                "mastodon",
                httpserver.url_for("/@x/1"),
                "-o",
                str(tmp_path / "x.json"),
                "--no-cache",
            ]
        )
        == 1
    )
    assert main(["-q", "collect", "mastodon", "not a url", "-o", str(tmp_path / "y.json")]) == 2


def test_bluesky_collector(shared, httpserver, session, tmp_path):
    thread = json.loads(
        (shared / "data/bluesky/thread_view_post_with_embed_media.json").read_text()
    )
    follows = json.loads((shared / "data/bluesky/get_follows.json").read_text())
    did = thread["thread"]["post"]["author"]["did"]
    httpserver.expect_request("/xrpc/com.atproto.identity.resolveHandle").respond_with_json(
        {"did": did}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getPostThread").respond_with_json(thread)
    httpserver.expect_oneshot_request("/xrpc/app.bsky.feed.getRepostedBy").respond_with_json(
        {"repostedBy": follows["follows"][:3], "cursor": "c1"}
    )
    httpserver.expect_oneshot_request("/xrpc/app.bsky.feed.getRepostedBy").respond_with_json(
        {"repostedBy": follows["follows"][3:5]}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getLikes").respond_with_json(
        {"likes": [{"actor": follows["follows"][5]}]}
    )
    httpserver.expect_request("/xrpc/app.bsky.actor.getProfiles").respond_with_json(
        {"profiles": [follows["subject"], *follows["follows"]]}
    )
    from mapper.collect.bluesky import collect

    data = collect(
        "https://bsky.app/profile/test.marshal.dev/post/3kmabc",
        session,
        appview=httpserver.url_for(""),
    )
    assert len(data["reposted_by"]) == 5 and len(data["liked_by"]) == 1
    out = tmp_path / "b.json"
    out.write_text(json.dumps(data))
    conv = merge(read(out))
    kinds = Counter(k for _s, _t, k, _w, _n in conv.edges())
    assert kinds == {"retweet": 5, "share": 1}


def test_wordpress_collector(httpserver, session, tmp_path):
    api = httpserver.url_for("/wp-json/")
    httpserver.expect_request("/2020/05/small-towns/").respond_with_data(
        f'<html><head><link rel="https://api.w.org/" href="{api}"></head></html>',
        content_type="text/html",
    )
    post = {
        "id": 7,
        "link": httpserver.url_for("/2020/05/small-towns/"),
        "author": 3,
        "title": {"rendered": "Small towns online"},
        "content": {"rendered": "<p>Hi</p>"},
        "_embedded": {"author": [{"id": 3, "name": "Ana Author", "url": "http://ana.example"}]},
    }
    httpserver.expect_request("/wp-json/wp/v2/posts").respond_with_json([post])

    def c(i, name, url, parent=0, author=0, text="Nice", kind="comment"):
        return {
            "id": i,
            "post": 7,
            "parent": parent,
            "author": author,
            "author_name": name,
            "author_url": url,
            "date_gmt": "2020-05-01T10:00:00",
            "content": {"rendered": f"<p>{text}</p>"},
            "type": kind,
        }

    page1 = [
        c(1, "Bob Builder", "http://www.bob.example/", text="Small towns rule. Ask @cara_c"),
        c(2, "Ana Author", "http://ana.example", parent=1, author=3),
    ]
    page2 = [
        c(3, "Cara C", "https://twitter.com/cara_c"),
        c(4, "Dan's Blog", "http://dan.example/", kind="pingback"),
    ]
    httpserver.expect_request(
        "/wp-json/wp/v2/comments",
        query_string={"post": "7", "per_page": "100", "page": "1", "orderby": "id", "order": "asc"},
    ).respond_with_json(page1, headers={"X-WP-TotalPages": "2"})
    httpserver.expect_request(
        "/wp-json/wp/v2/comments",
        query_string={"post": "7", "per_page": "100", "page": "2", "orderby": "id", "order": "asc"},
    ).respond_with_json(page2, headers={"X-WP-TotalPages": "2"})
    out = tmp_path / "comments.json"
    from mapper.collect.wordpress import collect

    out.write_text(json.dumps(collect(httpserver.url_for("/2020/05/small-towns/"), session)))
    conv = merge(read(out))
    # the same conversation as tests/data/small.html, collected live
    from tests.conftest import DATA

    html_conv = merge(read(DATA / "small.html"))
    assert sorted(conv.people) == sorted(html_conv.people)
    assert {(i.source, i.target, i.kind) for i in conv.interactions} == {
        (i.source, i.target, i.kind) for i in html_conv.interactions
    }


def test_http_cache_prevents_refetch(httpserver, tmp_path):
    from mapper.http import Session

    httpserver.expect_request("/x").respond_with_json({"a": 1})
    s1 = Session(cache_dir=tmp_path / "c")
    assert s1.get_json(httpserver.url_for("/x"))[0] == {"a": 1}
    s2 = Session(cache_dir=tmp_path / "c")
    assert s2.get_json(httpserver.url_for("/x"))[0] == {"a": 1}
    assert len(httpserver.log) == 1 and s2.sent == 0
    shutil.rmtree(tmp_path / "c")


def test_two_accounts_sharing_a_site_stay_two_people(shared):
    # a coach and her team list the same site: same URL, different Twitter accounts
    conv = read(shared / "data/twitter_v1/python-twitter-streaming-lines.jsonl")
    assert {"twitter:jennyrowlanduf", "twitter:gatorsgym"} <= set(conv.people)
    # two accounts of one platform cannot be one person: the URL rule does not even run
    # for them (identity costs nothing where nothing can merge), so no pair is noted
    assert not any(e["kind"] == "merge" for e in conv.people["twitter:gatorsgym"].evidence)
