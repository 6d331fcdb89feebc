"""Damaged caches and failing services (issue #18): geocoder cache keys, damaged
cache and gazetteer files set aside and rebuilt, interrupted gazetteer builds that
leave nothing behind, the geocoder's circuit breaker, impossible answers."""

import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapper import settings
from mapper.geo import gazetteer
from mapper.geo.cache import GeocodeCache
from mapper.geo.geocoders import TemporaryFailure, online_geocoder
from mapper.geo.locate import Locator, locate_people
from mapper.model import Conversation, Person

ROOT = Path(__file__).resolve().parents[1]


def _answer(lat="44.9", lon="-66.98", name="Eastport, Maine, United States"):
    return [{"lat": lat, "lon": lon, "display_name": name, "addresstype": "city"}]


def _geocoder(host, port, cache, **options):
    opts = {"domain": f"{host}:{port}", "scheme": "http", **options}
    g = online_geocoder("nominatim", opts, user_agent="t", cache_path=cache, min_delay_s=0)
    g.sleep = lambda s: None
    return g


# --- cache keys -------------------------------------------------------------------


def test_cache_key_holds_endpoint_and_options(httpserver, tmp_path):
    httpserver.expect_request("/search").respond_with_json(_answer())
    cache = tmp_path / "c.sqlite"
    first = _geocoder("127.0.0.1", httpserver.port, cache)
    assert first.geocode("harbour town")["lat"] == pytest.approx(44.9)
    assert first.geocode("harbour town") is not None
    assert len(httpserver.log) == 1  # answered once, then from the cache
    # another endpoint (other host name), other answer-changing options: asked again
    _geocoder("localhost", httpserver.port, cache).geocode("harbour town")
    assert len(httpserver.log) == 2
    fr = _geocoder("127.0.0.1", httpserver.port, cache, language="fr")
    fr.geocode("harbour town")
    assert len(httpserver.log) == 3
    assert httpserver.log[-1][0].args["accept-language"] == "fr"  # reached the query
    _geocoder("127.0.0.1", httpserver.port, cache, country_codes="ca").geocode("harbour town")
    assert len(httpserver.log) == 4
    # a transport option (the timeout) changes no answer: same key
    _geocoder("127.0.0.1", httpserver.port, cache, timeout="7").geocode("harbour town")
    assert len(httpserver.log) == 4


def test_unknown_geocoder_option_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown option 'colour'"):
        _geocoder("127.0.0.1", 9, tmp_path / "c.sqlite", colour="red")


# --- damaged geocoder cache -----------------------------------------------------------


def _garbage(p: Path) -> None:
    p.write_bytes(os.urandom(8192))


def _truncated(p: Path) -> None:
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE pad (x TEXT)")
    db.executemany("INSERT INTO pad VALUES (?)", [("x" * 1000,)] * 500)
    db.commit()
    db.close()
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


def _old_layout(p: Path) -> None:
    # the layout before endpoint-aware keys: its answers may be another server's
    db = sqlite3.connect(p)
    db.execute(
        "CREATE TABLE answers (service TEXT, query TEXT, answer TEXT, PRIMARY KEY (service, query))"
    )
    db.execute(
        "INSERT INTO answers VALUES ('nominatim', 'harbour town', ?)",
        (json.dumps({"answer": {"lat": 1.0, "lon": 2.0, "name": "Wrong", "raw_type": "x"}}),),
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", [_garbage, _truncated, _old_layout])
def test_damaged_geocoder_cache_set_aside_and_rebuilt(httpserver, tmp_path, caplog, damage):
    httpserver.expect_request("/search").respond_with_json(_answer())
    cache = tmp_path / "c.sqlite"
    damage(cache)
    with caplog.at_level(logging.WARNING, logger="mapper"):
        g = _geocoder("127.0.0.1", httpserver.port, cache)
    assert g.geocode("harbour town")["name"].startswith("Eastport")  # never 'Wrong'
    warnings = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    assert len(warnings) == 1 and "set aside" in warnings[0]
    assert len(list(tmp_path.glob("c.sqlite.damaged-*"))) == 1
    g.cache.close()
    # the fresh cache is whole and keeps the answer
    again = _geocoder("127.0.0.1", httpserver.port, cache)
    assert again.geocode("harbour town") is not None
    assert len(httpserver.log) == 1


def test_cache_damaged_while_open_is_rebuilt(tmp_path, caplog):
    cache = GeocodeCache(tmp_path / "c.sqlite")
    cache.put("s", "q", {"answer": None})
    cache.close()
    cache = GeocodeCache(tmp_path / "c.sqlite")
    cache.db.close()
    (tmp_path / "c.sqlite").write_bytes(os.urandom(4096))
    for side in ("-wal", "-shm"):
        Path(f"{tmp_path / 'c.sqlite'}{side}").unlink(missing_ok=True)
    cache.db = sqlite3.connect(tmp_path / "c.sqlite", check_same_thread=False)
    with caplog.at_level(logging.WARNING, logger="mapper"):
        assert cache.get("s", "q") is None  # a miss, not a traceback
    assert "damaged" in caplog.text
    cache.put("s", "q", {"answer": None})
    assert cache.has("s", "q")


def test_stored_answer_off_the_globe_is_a_miss(tmp_path):
    cache = GeocodeCache(tmp_path / "c.sqlite")
    cache.put("s", "far", {"answer": {"lat": 95.0, "lon": 0.0}})
    cache.put("s", "nan", {"answer": {"lat": float("nan"), "lon": 0.0}})
    cache.put("s", "ok", {"answer": {"lat": 45.0, "lon": 7.0}})
    assert cache.get("s", "far") is None and cache.get("s", "nan") is None
    assert cache.get("s", "ok")["answer"]["lat"] == 45.0


# --- damaged and interrupted gazetteer --------------------------------------------------


def test_gazetteer_problems_detected(tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    _garbage(garbage)
    assert gazetteer.problem(garbage) == "not an SQLite database"
    half = tmp_path / "half.sqlite"
    db = sqlite3.connect(half)
    db.execute("CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT)")
    db.commit()
    db.close()
    assert gazetteer.problem(half).startswith("half-built (no ")
    cut = tmp_path / "cut.sqlite"
    _truncated(cut)
    assert gazetteer.problem(cut).startswith("truncated")


def test_real_gazetteer_is_whole_and_a_cut_copy_is_not(tmp_path):
    real = gazetteer.get().path
    assert gazetteer.problem(real) is None
    cut = tmp_path / "cut.sqlite"
    with real.open("rb") as f:
        cut.write_bytes(f.read(4 * 2**20))
    assert gazetteer.problem(cut).startswith("truncated")


def test_damaged_gazetteer_rebuilt_and_interrupted_build_cleans_up(tmp_path):
    """A garbage gazetteer is set aside and a build starts; Ctrl-C during the build
    leaves no temporary file (nor does an earlier build killed outright)."""
    path = tmp_path / "g.sqlite"
    _garbage(path)
    with socket.socket():
        pass
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    stale = tmp_path / f"g.{dead}.tmp"  # a build killed with SIGKILL left this
    stale.write_bytes(b"x" * 1000)
    code = (
        "import logging, sys; logging.basicConfig(stream=sys.stderr, level=logging.INFO);"
        f"from mapper.geo.gazetteer import Gazetteer; Gazetteer({str(path)!r})"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, env=env
    )
    deadline = time.monotonic() + 300
    mine = tmp_path / f"g.{proc.pid}.tmp"
    while not mine.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mine.exists(), "the build never started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "damaged (not an SQLite database); set aside" in err
    assert len(list(tmp_path.glob("g.sqlite.damaged-*"))) == 1
    assert not list(tmp_path.glob("*.tmp"))  # neither its own nor the stale one
    assert not path.exists()  # nothing half-built in place: the next run builds again


# --- circuit breaker, impossible answers, waits -----------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_breaker_stops_asking_offline(tmp_path, caplog):
    port = _closed_port()
    g = _geocoder("127.0.0.1", port, tmp_path / "c.sqlite", timeout="1")
    conv = Conversation()
    for i, where in enumerate(["harbour town", "the old mill", "by the sea", "Paris, France"]):
        conv.add_person(Person(id=f"p{i}", name=f"p{i}", location_text=where))
    with caplog.at_level(logging.WARNING, logger="mapper"):
        locate_people(conv, geocoder=g)
    # one breaker's worth of requests in all, not four retries per string
    assert g.sent == settings.geocoder_max_failures
    assert g.stopped and "stopped asking after 5 failed requests" in g.stopped
    assert caplog.text.count("stopped asking") == 1  # said once
    assert any("stopped asking" in p["what"] for p in conv.problems)
    # the offline answer stands
    assert conv.people["p3"].place is not None
    assert conv.people["p3"].place.country_code == "FR"


@pytest.mark.parametrize(
    "lat, lon",
    [("91", "0"), ("0", "500"), ("nan", "0"), ("0", "-inf"), ("north", "0")],
)
def test_answer_off_the_globe_rejected(httpserver, tmp_path, lat, lon):
    httpserver.expect_request("/search").respond_with_json(_answer(lat, lon))
    g = _geocoder("127.0.0.1", httpserver.port, tmp_path / "c.sqlite")
    loc = Locator(geocoder=g)
    rec = loc.geocode_record("harbour town")
    assert rec["lat"] is None
    assert g.rejected and g.rejected[0][0] == "harbour town"
    assert not g.cache.has(g.scope, "harbour town")  # not cached: a later answer may be sane


def test_long_retry_after_is_capped_with_a_message(httpserver, tmp_path):
    httpserver.expect_request("/search").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "299"}
    )
    g = _geocoder("127.0.0.1", httpserver.port, tmp_path / "c.sqlite")
    waits: list[float] = []
    g.sleep = waits.append
    import urllib3.util.retry

    orig = urllib3.util.retry.time.sleep
    urllib3.util.retry.time.sleep = waits.append
    try:
        with pytest.raises(TemporaryFailure, match="asked to wait 299 s, more than the 60 s"):
            g.geocode("harbour town")
    finally:
        urllib3.util.retry.time.sleep = orig
    assert all(w <= settings.http_max_wait_s for w in waits)


def test_min_delay_above_5s_is_capped_not_an_assertion(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="mapper"):
        g = _geocoder("127.0.0.1", 9, tmp_path / "c.sqlite")
        g2 = online_geocoder(
            "nominatim",
            {"domain": "127.0.0.1:9", "scheme": "http"},
            user_agent="t",
            cache_path=tmp_path / "c.sqlite",
            min_delay_s=600,
        )
    assert g and g2._limited.min_delay_seconds == settings.http_max_wait_s
    assert "--min-delay 600 s capped at 60 s" in caplog.text
    g3 = online_geocoder(
        "nominatim",
        {"domain": "127.0.0.1:9", "scheme": "http"},
        user_agent="t",
        cache_path=tmp_path / "c.sqlite",
        min_delay_s=7,
    )
    assert g3._limited.min_delay_seconds == 7
    with pytest.raises(ValueError, match="--min-delay"):
        online_geocoder(
            "nominatim",
            {"domain": "127.0.0.1:9", "scheme": "http"},
            user_agent="t",
            cache_path=tmp_path / "c.sqlite",
            min_delay_s=float("nan"),
        )


# --- numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf", "-2", "0", "1e-320", "1e300"])
def test_bad_weight_skipped_and_named(tmp_path, weight):
    from mapper import read

    f = tmp_path / "interactions.csv"
    f.write_text(
        "source,target,kind,weight,at\n"
        "url:a.example,url:b.example,comment,2,\n"
        f"url:b.example,url:c.example,comment,{weight},\n"
        "url:c.example,url:a.example,comment,1,\n"
    )
    conv = read(f)
    assert sorted(i.weight for i in conv.interactions) == [1.0, 2.0]
    assert any(":3" in p["where"] or "3" in str(p["where"]) for p in conv.problems)
    assert any("weight" in p["what"] for p in conv.problems)


@pytest.mark.parametrize("coords", [[500, 91], [0, float("nan")], ["x", 1], [1e309, 0]])
def test_tweet_coordinates_off_the_globe_skipped_and_named(tmp_path, coords):
    from mapper import read

    tweets = [
        {
            "id_str": str(n),
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "user": {"id_str": str(10 + n), "screen_name": f"u{n}", "name": f"U{n}"},
            "text": "hello @u0",
            "entities": {"user_mentions": [{"screen_name": "u0", "id_str": "10"}]},
            "coordinates": {"type": "Point", "coordinates": c},
        }
        for n, c in enumerate([[2.35, 48.85], coords])
    ]
    f = tmp_path / "tweets.jsonl"
    f.write_text("\n".join(json.dumps(t) for t in tweets) + "\n")
    conv = read(f)
    points = [
        e["value"] for p in conv.people.values() for e in p.evidence if e["kind"] == "coordinates"
    ]
    assert points == [(48.85, 2.35)]
    # NaN and 1e309 are not JSON: the whole line is skipped and named
    named = ("off the globe", "not numbers", "not valid JSON")
    assert any(w in p["what"] for p in conv.problems for w in named)


def test_locations_file_off_globe_not_placed(tmp_path):
    from mapper.geo.locate import Locator

    p = Person(id="p", name="p")
    loc = Locator()
    for lat, lon in [("91", "500"), ("nan", "0"), ("0", "inf")]:
        assert loc._override(p, {"lat": lat, "lon": lon}) is None
    assert loc._override(p, {"lat": "48.85", "lon": "2.35"}) is not None


# --- terminal ------------------------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07Paris\r\x9b2J\u202eecnarF"


def test_escape_shows_controls():
    from mapper.terminal import escape

    out = escape(HOSTILE + "\tok\n")
    assert not any(c in out for c in "\x1b\x07\r\x9b\u202e")
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out and out.endswith("\tok\n")


def test_geocode_output_is_terminal_safe_and_the_same_json(capsys):
    from mapper.cli import main

    assert main(["geocode", HOSTILE]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\r\x9b\u202e")
    assert json.loads(out)["query"] == HOSTILE  # the same value, written as \\u escapes


def test_log_lines_are_escaped():
    from mapper.terminal import SafeFormatter

    rec = logging.LogRecord("mapper", logging.WARNING, __file__, 1, "%s: %s", ("in", HOSTILE), None)
    line = SafeFormatter("mapper: %(message)s").format(rec)
    assert line.startswith("mapper: in: ") and "\x1b" not in line and "\u202e" not in line


# --- exact coordinates --------------------------------------------------------------


@pytest.mark.parametrize("exact", [False, True])
def test_report_keeps_post_gps_only_with_exact(tmp_path, exact):
    from mapper.cli import main

    tweets = [
        {
            "id_str": str(n),
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "user": {"id_str": str(10 + n), "screen_name": f"u{n}", "name": f"U{n}"},
            "text": "hello @u0",
            "entities": {"user_mentions": [{"screen_name": "u0", "id_str": "10"}]},
            "coordinates": {"type": "Point", "coordinates": [2.3012345, 48.8712345]},
        }
        for n in range(2)
    ]
    f = tmp_path / "tweets.jsonl"
    f.write_text("\n".join(json.dumps(t) for t in tweets) + "\n")
    out = tmp_path / "report.json"
    args = ["report", str(f), "--locate", "-o", str(out)] + (["--exact"] if exact else [])
    assert main(args) == 0
    text = out.read_text()
    assert ("48.8712345" in text) is exact and ("2.3012345" in text) is exact
    people = json.loads(text)["people"]
    assert all(p["place"] and p["place"]["lat"] is not None for p in people)  # the centre


# --- people.csv round trip -----------------------------------------------------------


def test_people_csv_round_trip(tmp_path):
    import csv

    from mapper import read
    from mapper.cli import main

    src = tmp_path / "in.csv"
    with src.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "location"])
        w.writerow(["=1+1", "=HYPERLINK(1)", "Paris, France"])
        w.writerow(["-dash", "+plus", "Berlin"])
        w.writerow(["@at", "'s-Hertogenbosch fan", "Lyon, France"])
        w.writerow(["'quoted", "Plain", ""])
    first = tmp_path / "people.csv"
    assert main(["people", str(src), "-o", str(first)]) == 0
    body = first.read_text()
    assert "\n=" not in body and ",=" not in body and ",@" not in body  # guarded
    again = read(first)
    before = read(src)
    assert {(p.id, p.name) for p in again.people.values()} == {
        (p.id, p.name) for p in before.people.values()
    }
    # given back as --locations, unchanged: the same places
    second = tmp_path / "people2.csv"
    assert main(["people", str(src), "--locations", str(first), "-o", str(second)]) == 0
    rows = lambda f: sorted(  # noqa: E731
        (r["id"], r["place"], r["place_source"]) for r in csv.DictReader(f.open())
    )
    assert rows(first) == rows(second)


def test_people_csv_back_does_not_beat_gps(tmp_path):
    from mapper.cli import main

    tweets = [
        {
            "id_str": str(n),
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "user": {
                "id_str": str(10 + n),
                "screen_name": f"u{n}",
                "name": f"U{n}",
                "location": "Berlin, Germany",
            },
            "text": "hello @u0",
            "entities": {"user_mentions": [{"screen_name": "u0", "id_str": "10"}]},
            "coordinates": {"type": "Point", "coordinates": [2.35, 48.85]},
        }
        for n in range(2)
    ]
    f = tmp_path / "tweets.jsonl"
    f.write_text("\n".join(json.dumps(t) for t in tweets) + "\n")
    first, second = tmp_path / "p1.csv", tmp_path / "p2.csv"
    assert main(["people", str(f), "-o", str(first)]) == 0
    assert main(["people", str(f), "--locations", str(first), "-o", str(second)]) == 0
    assert first.read_text() == second.read_text()
    assert "Paris" in first.read_text()


# --- '-' and directories -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["map", "{inp}", "-o", "-"],
        ["map", "{inp}", "-o", "{tmp}/m.html", "--report", "-"],
        ["map", "{inp}", "-o", "{tmp}/m.html", "--geojson", "-"],
        ["graph", "{inp}", "-o", "-"],
        ["map", "{inp}", "-o", "{tmp}"],
        ["report", "{inp}", "-o", "{tmp}"],
        ["people", "{inp}", "-o", "{tmp}"],
        ["map", "{inp}", "-o", "{tmp}/m.html", "--report", "{tmp}"],
    ],
)
def test_dash_and_directory_outputs_are_usage_errors(tmp_path, capsys, monkeypatch, args):
    from mapper.cli import main
    from tests.conftest import DATA

    monkeypatch.chdir(tmp_path)
    argv = [a.format(inp=DATA / "small-people.csv", tmp=tmp_path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("give a file name" in err)
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [["report"], ["people"], ["map", "-o", "x.html"]])
def test_input_directory_is_one_clear_error(tmp_path, capsys, command):
    from mapper.cli import main

    assert main([command[0], str(tmp_path), *command[1:]]) != 0
    assert "is a directory, not a file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", [["report"], ["people"], ["map", "-o", "x.html"], ["graph", "-o", "g.gexf"]]
)
def test_dash_input_is_a_usage_error(tmp_path, capsys, monkeypatch, command):
    from mapper.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("id,name\nx,X\n")  # a file named '-' is not read either
    assert main([command[0], "-", *command[1:]]) == 2
    assert "standard input is not an input" in capsys.readouterr().err


def test_gazetteers_of_other_versions_pruned_once_unused(tmp_path):
    """An upgrade leaves the old version's gazetteer (about 115 MB) in the cache
    directory: it is removed once no run has opened it for STALE_AFTER_DAYS days, while
    one used recently (another installed version), the current one and files outside
    the cache directory stay."""
    from mapper import settings
    from mapper.geo import gazetteer

    current = gazetteer.get().path
    assert current.parent == settings.cache_dir
    now = time.time()
    old = settings.cache_dir / "gazetteer-v1-mtest-dold.sqlite"
    aside = settings.cache_dir / "gazetteer-v1-mtest-dold.sqlite.damaged-1"
    recent = settings.cache_dir / "gazetteer-v1-mtest-drecent.sqlite"
    elsewhere = tmp_path / "gazetteer-v1-mtest-dold.sqlite"
    try:
        for p in (old, aside, recent, elsewhere):
            p.write_bytes(b"x")
        stale = now - (gazetteer.STALE_AFTER_DAYS + 1) * 86400
        for p in (old, aside, elsewhere):
            os.utime(p, (stale, stale))
        os.utime(recent, (now - 86400, now - 86400))
        gazetteer.Gazetteer(current)  # opening the current one prunes its directory
        assert not old.exists() and not aside.exists()
        assert recent.exists() and elsewhere.exists() and current.exists()
        assert sorted(gazetteer.prune_stale(elsewhere.with_name("other.sqlite"), now=now)) == [
            elsewhere
        ]
    finally:
        for p in (old, aside, recent):
            p.unlink(missing_ok=True)


def test_gazetteer_in_use_is_marked_daily(tmp_path):
    """Opening marks the file used (its modification time) at most once a day, so a
    recent build's time is kept and a read-only file is no error."""
    from mapper.geo import gazetteer

    p = tmp_path / "g.sqlite"
    p.write_bytes(b"x")
    now = time.time()
    os.utime(p, (now - 3 * 86400, now - 3 * 86400))
    gazetteer.mark_used(p, now=now)
    assert abs(p.stat().st_mtime - now) < 1
    os.utime(p, (now - 3600, now - 3600))
    gazetteer.mark_used(p, now=now)
    assert abs(p.stat().st_mtime - (now - 3600)) < 1  # within the day: untouched
    gazetteer.mark_used(tmp_path / "missing.sqlite", now=now)  # no error
