"""Hostile servers on 127.0.0.1 against the collectors (issue #18): endless or looping
pagination, trickling bodies, huge or broken responses, long Retry-After, links and
redirects to other origins, private addresses, damaged cache entries."""

from __future__ import annotations

import gzip
import json
import logging
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager

import pytest
from werkzeug import Response

from mapper import merge, read
from mapper.cli import main
from mapper.errors import FetchError
from mapper.http import Session


@pytest.fixture
def session(tmp_path):
    return Session(cache_dir=tmp_path / "http", sleep=lambda s: None, timeout=1.0, backoff_s=0.01)


def account(i: int) -> dict:
    return {"id": str(i), "acct": f"user{i}@m.example", "username": f"user{i}", "url": ""}


def status(sid: str) -> dict:
    return {
        "id": sid,
        "url": f"https://m.example/@ana/{sid}",
        "content": "<p>hello</p>",
        "account": account(0),
        "created_at": "2024-01-01T00:00:00Z",
    }


def mastodon_thread(httpserver, sid: str = "1") -> str:
    httpserver.expect_request(f"/api/v1/statuses/{sid}").respond_with_json(status(sid))
    httpserver.expect_request(f"/api/v1/statuses/{sid}/context").respond_with_json(
        {"ancestors": [], "descendants": []}
    )
    httpserver.expect_request(f"/api/v1/statuses/{sid}/favourited_by").respond_with_json([])
    return httpserver.url_for(f"/@ana/{sid}")


def test_link_loop_and_repeated_reblogs_count_once(httpserver, session):
    url = mastodon_thread(httpserver)
    me = httpserver.url_for("/api/v1/statuses/1/reblogged_by")
    # every page links to itself and lists the same two accounts
    httpserver.expect_request("/api/v1/statuses/1/reblogged_by").respond_with_json(
        [account(1), account(2)], headers={"Link": f'<{me}?max_id=5>; rel="next"'}
    )
    from mapper.collect.mastodon import collect

    data = collect(url, session)
    assert [a["id"] for a in data["reblogged_by"]] == ["1", "2"]
    asked = [r for r in httpserver.log if r[0].path.endswith("reblogged_by")]
    assert len(asked) == 2  # the first page, the ?max_id=5 page: no new account → stop


def test_reblogs_are_one_edge_each_not_one_per_page(httpserver, session, tmp_path):
    url = mastodon_thread(httpserver)
    base = httpserver.url_for("/api/v1/statuses/1/reblogged_by")
    for n in range(5):  # five pages, each listing the same two rebloggers, then the end
        httpserver.expect_oneshot_request("/api/v1/statuses/1/reblogged_by").respond_with_json(
            [account(1), account(2)], headers={"Link": f'<{base}?max_id={n}>; rel="next"'}
        )
    from mapper.collect.mastodon import collect

    out = tmp_path / "t.json"
    out.write_text(json.dumps(collect(url, session)))
    conv = merge(read(out))
    weights = Counter()
    for _s, _t, k, w, _n in conv.edges():
        weights[k] += w
    assert weights["retweet"] == 2


def test_cursor_loop_stops(httpserver, session):
    did = "did:plc:abc"
    httpserver.expect_request("/xrpc/com.atproto.identity.resolveHandle").respond_with_json(
        {"did": did}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getPostThread").respond_with_json(
        {"thread": {"post": {"uri": "at://x", "author": {"did": did, "handle": "a.b"}}}}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getRepostedBy").respond_with_json(
        {"repostedBy": [{"did": "did:plc:r1"}], "cursor": "same"}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getLikes").respond_with_json(
        {"likes": [{"actor": {"did": f"did:plc:l{time.monotonic_ns()}"}}], "cursor": "same"}
    )
    httpserver.expect_request("/xrpc/app.bsky.actor.getProfiles").respond_with_json(
        {"profiles": []}
    )
    from mapper.collect.bluesky import collect

    data = collect("https://bsky.app/profile/a.b/post/3k", session, appview=httpserver.url_for(""))
    assert len(data["reposted_by"]) == 1
    likes = [r for r in httpserver.log if r[0].path.endswith("getLikes")]
    assert len(likes) == 2  # the first page, then the cursor it gave; "same" again → stop


def test_missing_did_is_one_line_exit_1(httpserver, tmp_path, capsys):
    httpserver.expect_request("/xrpc/com.atproto.identity.resolveHandle").respond_with_json({})
    out = tmp_path / "b.json"
    rc = main(
        [
            "collect",
            "bluesky",
            "https://bsky.app/profile/a.b/post/3k",
            "--appview",
            httpserver.url_for(""),
            "-o",
            str(out),
            "--no-cache",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 1 and "no DID" in err and "\n" not in err and not out.exists()


def wp_post(httpserver, total_pages: str) -> str:
    httpserver.expect_request("/blog/hello/").respond_with_data("<html></html>")
    httpserver.expect_request("/wp-json/wp/v2/posts").respond_with_json(
        [{"id": 7, "link": httpserver.url_for("/blog/hello/"), "title": {"rendered": "Hi"}}]
    )
    return httpserver.url_for("/blog/hello/")


def test_wordpress_endless_total_pages_stops_on_empty_page(httpserver, session):
    url = wp_post(httpserver, "1000000000")
    httpserver.expect_request(
        "/wp-json/wp/v2/comments",
        query_string={"post": "7", "per_page": "100", "page": "1", "orderby": "id", "order": "asc"},
    ).respond_with_json(
        [{"id": 1, "author_name": "Bob", "post": 7}], headers={"X-WP-TotalPages": "1000000000"}
    )
    httpserver.expect_request("/wp-json/wp/v2/comments").respond_with_json(
        [], headers={"X-WP-TotalPages": "1000000000"}
    )
    from mapper.collect.wordpress import collect

    data = collect(url, session)
    assert len(data["comments"]) == 1
    assert len([r for r in httpserver.log if r[0].path.endswith("comments")]) == 2


def test_wordpress_page_cap(httpserver, session, monkeypatch):
    from mapper import settings

    monkeypatch.setattr(settings, "collect_max_pages", 3)
    url = wp_post(httpserver, "1000000000")
    n = iter(range(10**6))
    httpserver.expect_request("/wp-json/wp/v2/comments").respond_with_handler(
        lambda _r: Response(
            json.dumps([{"id": next(n), "author_name": "x", "post": 7}]),
            headers={"X-WP-TotalPages": "1000000000"},
            content_type="application/json",
        )
    )
    from mapper.collect.wordpress import collect

    assert len(collect(url, session)["comments"]) == 3


def test_wordpress_plain_permalinks(httpserver, session):
    api = httpserver.url_for("/index.php") + "?rest_route=/"
    httpserver.expect_request("/", query_string="p=7").respond_with_data(
        "<html></html>", headers={"Link": f'<{api}>; rel="https://api.w.org/"'}
    )
    httpserver.expect_request(
        "/index.php", query_string={"rest_route": "/wp/v2/posts/7"}
    ).respond_with_json({"id": 7, "link": httpserver.url_for("/?p=7")})
    httpserver.expect_request(
        "/index.php",
        query_string={
            "rest_route": "/wp/v2/comments",
            "post": "7",
            "per_page": "100",
            "page": "1",
            "orderby": "id",
            "order": "asc",
        },
    ).respond_with_json([{"id": 1, "author_name": "Bob", "post": 7}])
    from mapper.collect.wordpress import collect

    data = collect(httpserver.url_for("/?p=7"), session)
    assert data["post"]["id"] == 7 and len(data["comments"]) == 1


def test_wordpress_no_pretty_permalinks_falls_back_to_rest_route(httpserver, session):
    httpserver.expect_request("/hello/").respond_with_data("<html></html>")  # no discovery
    httpserver.expect_request("/wp-json/wp/v2/posts").respond_with_data("", status=404)
    httpserver.expect_request(
        "/", query_string={"rest_route": "/wp/v2/posts", "slug": "hello", "_embed": "author"}
    ).respond_with_json([{"id": 7}])
    httpserver.expect_request("/").respond_with_json([])
    from mapper.collect.wordpress import collect

    assert collect(httpserver.url_for("/hello/"), session)["post"]["id"] == 7


def test_link_to_another_origin_is_refused(httpserver, session):
    url = mastodon_thread(httpserver)
    port = httpserver.port
    httpserver.expect_request("/api/v1/statuses/1/reblogged_by").respond_with_json(
        [account(1)],
        headers={"Link": f'<http://127.0.0.1:{port}/internal/secrets>; rel="next"'},
    )
    httpserver.expect_request("/internal/secrets").respond_with_json([{"id": "secret"}])
    from mapper.collect.mastodon import collect

    with pytest.raises(FetchError, match="refused: another origin"):
        collect(url, session)
    assert not [r for r in httpserver.log if r[0].path == "/internal/secrets"]


def test_api_discovery_and_redirects_to_another_origin_are_refused(httpserver, session):
    port = httpserver.port
    httpserver.expect_request("/blog/hello/").respond_with_data(
        "", headers={"Link": f'<http://127.0.0.1:{port}/wp-json/>; rel="https://api.w.org/"'}
    )
    from mapper.collect.wordpress import collect

    with pytest.raises(FetchError, match="another origin"):
        collect(httpserver.url_for("/blog/hello/"), session)
    httpserver.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{port}/internal"}
    )
    s = Session(cache_dir=None, timeout=1.0)
    s.allow(httpserver.url_for("/"))
    with pytest.raises(FetchError, match="another origin"):
        s.get(httpserver.url_for("/jump"))
    assert not [r for r in httpserver.log if r[0].path == "/internal"]


def test_redirect_on_the_same_origin_is_followed_and_loops_end(httpserver, tmp_path, capsys):
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_json({"ok": 1})
    assert Session(cache_dir=None).get_json(httpserver.url_for("/a"))[0] == {"ok": 1}
    httpserver.expect_request("/api/v1/statuses/9").respond_with_data(
        "", status=302, headers={"Location": "/api/v1/statuses/9"}
    )
    rc = main(
        [
            "collect",
            "mastodon",
            httpserver.url_for("/@a/9"),
            "-o",
            str(tmp_path / "x.json"),
            "--no-cache",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 1 and "too many redirects" in err and "\n" not in err


def test_private_address_refused_unless_typed(httpserver):
    name = socket.gethostname()
    try:
        addr = socket.gethostbyname(name)
    except OSError:
        pytest.skip("this machine's host name does not resolve")
    import ipaddress

    if ipaddress.ip_address(addr).is_global:
        pytest.skip("this machine's host name resolves to a public address")
    s = Session(cache_dir=None, timeout=1.0)
    s.allow(f"http://{name}:{httpserver.port}/")
    with pytest.raises(FetchError, match="private, loopback or link-local"):
        s.check(f"http://{name}:{httpserver.port}/x")
    Session(cache_dir=None, allow_private=True).check(f"http://{name}:{httpserver.port}/x")
    typed = Session(cache_dir=None)
    typed.allow(f"http://{addr}:{httpserver.port}/")
    typed.check(f"http://{addr}:{httpserver.port}/x")  # the user typed the address: allowed


def test_trickling_body_hits_the_total_deadline(httpserver):
    sent = [0]  # chunks the server had sent when the client gave up

    def trickle(_request):
        def body():
            yield b"["
            for _ in range(100):
                time.sleep(0.2)
                sent[0] += 1
                yield b" "
            yield b"]"

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(trickle)
    s = Session(cache_dir=None, timeout=1.0, total_timeout=1.0)
    with pytest.raises(FetchError, match=r"no complete answer within 1 s"):
        s.get(httpserver.url_for("/slow"))
    # bounded by the total deadline, not by the body's end (the timeout per read alone
    # never fires on a trickle): counted in chunks, not by the clock
    assert sent[0] < 100


def test_response_size_cap(httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 5000)
    with pytest.raises(FetchError, match="larger than"):
        Session(cache_dir=None, max_bytes=1000).get(httpserver.url_for("/big"))

    def chunked(_request):
        return Response((b"y" * 500 for _ in range(10)), content_type="text/plain")

    httpserver.expect_request("/chunked").respond_with_handler(chunked)
    with pytest.raises(FetchError, match="larger than"):
        Session(cache_dir=None, max_bytes=1000).get(httpserver.url_for("/chunked"))
    # a gzip bomb is measured after decompression
    bomb = gzip.compress(b"0" * 200_000)
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="larger than"):
        Session(cache_dir=None, max_bytes=100_000).get(httpserver.url_for("/bomb"))


def test_bad_gzip_and_short_bodies_are_fetch_errors(httpserver):
    httpserver.expect_request("/badgz").respond_with_data(
        b"\x1f\x8bnot gzip at all", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="compressed body is damaged"):
        Session(cache_dir=None).get(httpserver.url_for("/badgz"))
    # werkzeug fixes Content-Length itself: a raw socket server sends the lie
    lie = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1, 2"
    with raw_server(lie) as url, pytest.raises(FetchError, match="shorter than announced"):
        Session(cache_dir=None, timeout=1.0, total_timeout=3.0, max_retries=0).get(url)


@contextmanager
def raw_server(answer: bytes):
    """A server on 127.0.0.1 that answers every connection with ``answer`` and closes."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    srv.settimeout(5)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(answer)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.getsockname()[1]}/x"
    finally:
        srv.close()
        t.join(timeout=6)


def test_long_retry_after_is_not_obeyed_silently(httpserver, tmp_path, capsys):
    httpserver.expect_request("/api/v1/statuses/3").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "299"}
    )
    waits: list[float] = []
    s = Session(cache_dir=None, sleep=waits.append)
    with pytest.raises(FetchError, match="asks to wait 299 s"):
        s.get(httpserver.url_for("/api/v1/statuses/3"))
    assert waits == [] and len(httpserver.log) == 1
    rc = main(
        [
            "collect",
            "mastodon",
            httpserver.url_for("/@a/3"),
            "-o",
            str(tmp_path / "x.json"),
            "--no-cache",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 1 and "299 s" in err and "\n" not in err


def test_retry_after_that_is_not_a_time(httpserver, caplog):
    httpserver.expect_ordered_request("/x").respond_with_data(
        "", status=503, headers={"Retry-After": "soon"}
    )
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    waits: list[float] = []
    s = Session(cache_dir=None, sleep=waits.append, backoff_s=0.5)
    with caplog.at_level(logging.WARNING, logger="mapper"):
        assert s.get_json(httpserver.url_for("/x"))[0] == {"ok": True}
    assert waits == [0.5] and "not a time" in caplog.text
    httpserver.expect_request("/y").respond_with_data(
        "", status=429, headers={"Retry-After": "soon"}
    )
    with pytest.raises(FetchError, match="gave up after 5 tries"):
        s.get(httpserver.url_for("/y"))


def test_damaged_cache_entry_is_set_aside_and_fetched_again(httpserver, tmp_path, caplog):
    httpserver.expect_request("/x").respond_with_json({"a": 1})
    cache = tmp_path / "c"
    assert Session(cache_dir=cache).get_json(httpserver.url_for("/x"))[0] == {"a": 1}
    (entry,) = cache.glob("*.json")
    for damage in (b"", b"\x00garbage", b'{"url": 3}', entry.read_bytes()[:20]):
        entry.write_bytes(damage)
        with caplog.at_level(logging.WARNING, logger="mapper"):
            assert Session(cache_dir=cache).get_json(httpserver.url_for("/x"))[0] == {"a": 1}
        assert "damaged" in caplog.text
        caplog.clear()
    assert len(httpserver.log) == 5
    assert list(cache.glob("*.damaged"))


def test_a_refused_connection_is_logged_with_its_url(caplog):
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/x"
    waits: list[float] = []
    s = Session(cache_dir=None, sleep=waits.append, backoff_s=0.5)
    with caplog.at_level(logging.WARNING, logger="mapper"), pytest.raises(FetchError, match=url):
        s.get(url)
    ours = [r.getMessage() for r in caplog.records if r.name == "mapper"]
    assert len(ours) == len(waits) > 0 and all(m.startswith(f"{url}: no answer") for m in ours)
