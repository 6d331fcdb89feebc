"""Flaky services and interruptions: bounded retries, nothing cached wrongly,
nothing asked twice after a restart, nothing half-written."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest
from werkzeug import Response

from mapper.files import write_atomic
from mapper.geo.geocoders import online_geocoder
from mapper.geo.locate import Locator

ANSWER = [
    {
        "lat": "44.9",
        "lon": "-66.98",
        "display_name": "Eastport, Maine, United States",
        "addresstype": "city",
    }
]


def test_refused_connection_is_temporary_and_not_cached(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    g = online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{port}", "scheme": "http", "timeout": "1"},
        user_agent="t",
        cache_path=tmp_path / "c.sqlite",
        min_delay_s=0,
    )
    g.sleep = lambda s: None
    rec = Locator(geocoder=g).geocode_record("the harbour town")
    assert rec["lat"] is None and "unresolved for now" in rec["reason"]
    assert g.sent == g.max_retries + 1
    assert not g.cache.has(g.scope, "the harbour town")


def test_5xx_burst_then_answer(httpserver, tmp_path):
    for _ in range(3):
        httpserver.expect_oneshot_request("/search").respond_with_data("busy", status=503)
    httpserver.expect_oneshot_request("/search").respond_with_json(ANSWER)
    g = online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{httpserver.port}", "scheme": "http"},
        user_agent="t",
        cache_path=tmp_path / "c.sqlite",
        min_delay_s=0,
    )
    waits = []
    g.sleep = waits.append
    assert g.geocode("the harbour town")["name"].startswith("Eastport")
    assert waits == [2.0, 4.0, 8.0]  # exponential backoff, bounded by max_retries


def test_public_nominatim_keeps_one_request_a_second(tmp_path):
    with pytest.raises(ValueError, match="at most one request a second"):
        online_geocoder(
            "nominatim", {}, user_agent="t", cache_path=tmp_path / "c.sqlite", min_delay_s=0.1
        )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_and_resume_sends_no_query_twice(httpserver, tmp_path, sig):
    asked: Counter = Counter()

    def slow(request):
        asked[request.args["q"]] += 1
        time.sleep(0.15)
        return Response(json.dumps(ANSWER), content_type="application/json")

    httpserver.expect_request("/search").respond_with_handler(slow)
    queries = [f"harbour hamlet number {i}" for i in range(12)]
    cmd = [
        sys.executable,
        "-m",
        "mapper",
        "geocode",
        "--geocoder",
        "nominatim",
        "--geocoder-option",
        f"domain=127.0.0.1:{httpserver.port}",
        "--geocoder-option",
        "scheme=http",
        "--user-agent",
        "mapper-tests",
        "--min-delay",
        "0",
        "--cache",
        str(tmp_path / "geo.sqlite"),
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    proc.stdin.write("\n".join(queries) + "\n")  # small: fits in the pipe at once
    proc.stdin.close()
    proc.stdin = None
    first = [json.loads(proc.stdout.readline()) for _ in range(4)]
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == (130 if sig == signal.SIGINT else 143), err
    assert "interrupted" in err and "Traceback" not in err
    answered = [x["query"] for x in first] + [
        json.loads(x)["query"] for x in out.splitlines() if x.strip()
    ]
    assert 4 <= len(answered) < len(queries)
    from mapper.geo.gazetteer import norm

    same = online_geocoder(  # the run's service, endpoint and options: its cache scope
        "nominatim",
        {"domain": f"127.0.0.1:{httpserver.port}", "scheme": "http"},
        user_agent="mapper-tests",
        cache_path=tmp_path / "geo.sqlite",
        min_delay_s=0,
    )
    assert all(same.cache.has(same.scope, norm(q)) for q in answered)  # written as it went
    same.cache.close()
    asked_before = Counter(asked)
    # run again: every answer already obtained is re-used; the rest are asked once
    again = subprocess.run(
        cmd, input="\n".join(queries) + "\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert [json.loads(x)["name"] for x in again.stdout.splitlines()] == ["Eastport"] * 12
    assert set(asked) == set(queries)
    # no answer obtained in the first run is asked for again; a query that was in
    # flight at the signal (sent, never answered) is the only one that may be resent
    assert all(asked[q] == 1 for q in answered), asked
    resent = [q for q in queries if asked[q] > 1]
    assert len(resent) <= 1 and all(asked_before[q] == 1 for q in resent)


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("the old map")

    def boom(src, dst):
        raise KeyboardInterrupt  # interrupted at the last moment

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "the new map" * 1000)
    assert target.read_text() == "the old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary left


def test_interrupted_map_run_leaves_no_partial_output(tmp_path):
    """SIGTERM during a whole ``mapper map`` run: either the finished file or none."""
    from tests.conftest import EXAMPLE

    out = tmp_path / "m.html"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mapper",
            "map",
            str(EXAMPLE / "thread.txt"),
            "-o",
            str(out),
            "--tiles",
            "none",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "m.html"]
    assert leftovers == []
    if out.exists():
        assert out.read_text().rstrip().endswith("</html>")
