"""One table of what was tried against mapper and what was lost (nothing, we hope).

Runs, for real: the hostile-input corpus through every reader into the map, the
report and every export; faults injected into an online geocoder on 127.0.0.1
(throttling with Retry-After, 5xx bursts, timeouts, refused connections); random
mutations of real-format files through every reader.

    python -m benchmarks.robustness [--fuzz 300]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import random
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import networkx as nx

from mapper import analyze, sources
from mapper.graph import write_graph
from mapper.render import html_of
from mapper.report import people_csv
from tests import hostile
from tests.test_fuzz import mutate, seed_files

ANSWER = json.dumps([{"lat": "44.9", "lon": "-66.98", "display_name": "Eastport, Maine"}])


def injection(tmp: Path) -> list[tuple]:
    rows = []
    corpus = hostile.write_all(tmp / "hostile")
    for fmt, files in corpus.items():
        res = analyze(files, locate=True)
        page = html_of(
            res.map(
                tiles="none",
            )
        )
        injected = sum(page.count(m) for m in hostile.MARKERS) + page.count("{{7*7}}")
        for suffix in (".graphml", ".gexf"):
            write_graph(res.graph, tmp / f"g{suffix}")
            (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(tmp / f"g{suffix}")
        formulas = sum(
            1
            for row in list(csv.reader(io.StringIO(people_csv(res.report))))[1:]
            for cell in row
            if cell[:1] in ("=", "+", "-", "@")
        )
        names = {p["name"].replace("\x00", "") for p in res.report["people"]}
        lost = sum(
            1
            for n in hostile.NAMES
            if n.replace("\x00", "") not in names and n.replace("\x00", "").strip() not in names
        )
        rows.append(
            (
                "injection",
                f"{fmt}: {len(hostile.NAMES)} hostile names/URLs/texts",
                f"{injected} live markup, {formulas} formula cells",
                lost,
            )
        )
    return rows


class _Flaky(BaseHTTPRequestHandler):
    plan: ClassVar[list[str]] = []
    lock = threading.Lock()

    seen = 0

    def do_GET(self):
        with self.lock:
            step = self.plan.pop(0) if self.plan else "ok"
            _Flaky.seen += 1
        if step == "429":
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.end_headers()
        elif step == "503":
            self.send_response(503)
            self.end_headers()
        elif step == "slow":
            time.sleep(1.5)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(ANSWER.encode())

    def log_message(self, *args):
        pass


def faults(tmp: Path) -> list[tuple]:
    from mapper.geo.geocoders import TemporaryFailure, online_geocoder

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    cases = [
        ("429 with Retry-After: 1", ["429"]),
        ("5xx burst (3 × 503)", ["503"] * 3),
        ("timeout (answer after 1.5 s, client waits 0.5 s)", ["slow"]),
    ]
    for i, (name, plan) in enumerate(cases):
        _Flaky.plan, _Flaky.seen = list(plan), 0
        g = online_geocoder(
            "nominatim",
            {"domain": f"127.0.0.1:{server.server_port}", "scheme": "http", "timeout": "0.5"},
            user_agent="mapper-robustness",
            cache_path=tmp / f"c{i}.sqlite",
            min_delay_s=0,
        )
        g.sleep = lambda s: time.sleep(min(s, 1.0))
        t0 = time.monotonic()
        ans = g.geocode(f"harbour town {i}")
        first_run = _Flaky.seen
        again = online_geocoder(
            "nominatim",
            {"domain": f"127.0.0.1:{server.server_port}", "scheme": "http"},
            user_agent="x",
            cache_path=tmp / f"c{i}.sqlite",
            min_delay_s=0,
        )
        again.geocode(f"harbour town {i}")
        rows.append(
            (
                "geocoder fault",
                name,
                (
                    f"answered after {first_run} request(s), {time.monotonic() - t0:.1f} s; "
                    f"re-run sent {_Flaky.seen - first_run}"
                ),
                0 if ans else 1,
            )
        )
    server.shutdown()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    g = online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{port}", "scheme": "http", "timeout": "0.5"},
        user_agent="x",
        cache_path=tmp / "refused.sqlite",
        min_delay_s=0,
    )
    g.sleep = lambda s: None
    try:
        g.geocode("harbour town")
        outcome = "answered?!"
    except TemporaryFailure:
        cached = g.cache.has(g.scope, "harbour town")
        outcome = f"unresolved for now after {g.sent} tries; cached as failure: {cached}"
    rows.append(("geocoder fault", "connection refused", outcome, 0))
    return rows


def xml_damage(tmp: Path) -> list[tuple]:
    """Damaged and hostile XML exports (tests/data/blog/blog.wxr.xml: 6 comments and
    replies read when whole): how many each keeps, its time and peak memory.  "lost"
    counts undamaged comments not kept; a damaged comment is named, not counted lost,
    and a refused file (entities) loses nothing by design."""
    import gzip
    import tracemalloc

    from tests.conftest import DATA

    base = (DATA / "blog" / "blog.wxr.xml").read_bytes()
    cut = base.index(b"<wp:comment_id>31</wp:comment_id>")
    head, tail = base.split(b"<![CDATA[Hello.]]>")
    cases: list[tuple[str, bytes | None, int]] = [
        ("junk line before <?xml", b"PHP Warning: x\n" + base, 6),
        ("blank lines + BOM before <?xml", b"\n\n\xef\xbb\xbf" + base, 6),
        ("UTF-16", base.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16"), 6),
        ("bad bytes in one comment", base.replace(b"We got", b"We \xff\xfe got"), 6),
        ("file cut inside its last comment", base[:cut], 5),
        ("broken markup in one comment", base.replace(b"<![CDATA[Hello.]]>", b"x < y"), 5),
        ("DOCTYPE with entities (billion laughs)", None, 0),
        ("300 MB token in a 0.3 MB .gz (its item: 2)", b"", 4),
    ]
    lol = b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rows = []
    for i, (name, data, want) in enumerate(cases):
        f = tmp / f"xml{i}.xml"
        if data is None:
            f.write_bytes(base.replace(b"<rss ", lol + b"\n<rss ", 1))
        elif not data:
            f = tmp / f"xml{i}.xml.gz"
            with gzip.open(f, "wb") as g:
                g.write(head)
                for _ in range(300):
                    g.write(b"a" * (1 << 20))
                g.write(tail)
        else:
            f.write_bytes(data)
        tracemalloc.start()
        t0 = time.monotonic()
        conv = sources.read(f) if data is not None else sources.wxr.read(f)
        took = time.monotonic() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        got = sum(1 for it in conv.interactions if it.kind in ("comment", "reply"))
        rows.append(
            (
                "damaged XML",
                name,
                (
                    f"{got} comment(s) kept, {len(conv.problems)} problem(s) named, "
                    f"{took:.1f} s, {peak:.0f} MB peak"
                ),
                max(0, want - got),
            )
        )
    return rows


def fuzz(tmp: Path, n: int) -> list[tuple]:
    seeds = seed_files(tmp / "fuzzseeds")
    rng = random.Random(1)
    ops = ["truncate", "insert", "overwrite", "utf16", "latin1", "deep", "huge-number", "nul"]
    tracebacks = clean_errors = parsed = 0
    for i in range(n):
        src = rng.choice(seeds)
        path = tmp / f"fz{i}{src.suffix}"
        path.write_bytes(
            mutate(
                src.read_bytes(), rng.choice(ops), rng.random(), rng.randbytes(rng.randint(1, 64))
            )
        )
        try:
            sources.read(path)
            parsed += 1
        except sources.InputError as e:
            clean_errors += 1
            tracebacks += "internal error" in str(e)
        except Exception:  # noqa: BLE001 - counting exactly these
            tracebacks += 1
        path.unlink()
    return [
        (
            "fuzzing",
            (
                f"{n} mutated files (truncation, random bytes, encodings, "
                "deep nesting, huge numbers, NULs)"
            ),
            (
                f"{parsed} parsed with problems noted, {clean_errors} refused with a message, "
                f"{tracebacks} tracebacks"
            ),
            tracebacks,
        )
    ]


def _measured(fn):
    """``(result, seconds, peak MB)`` of ``fn()`` (peak of Python allocations)."""
    import tracemalloc

    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        result = fn()
    finally:
        secs = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, secs, peak


def caches_and_numbers(tmp: Path) -> list[tuple]:
    """Damaged caches, a geocoder that cannot connect, impossible numbers, terminal
    escapes, the people.csv round trip (issue #18)."""
    import logging
    import os
    import sqlite3

    from mapper import read
    from mapper.geo import gazetteer
    from mapper.geo.cache import GeocodeCache
    from mapper.geo.geocoders import TemporaryFailure, online_geocoder
    from mapper.report import safe_cell
    from mapper.terminal import escape

    logging.getLogger("mapper").setLevel(logging.ERROR)
    rows: list[tuple] = []

    def damaged_cache(name: str, damage) -> None:
        path = tmp / f"geo-{name}.sqlite"
        damage(path)

        def run():
            c = GeocodeCache(path)
            c.put("s", "q", {"answer": None})
            ok = c.has("s", "q")
            c.close()
            return ok

        ok, secs, peak = _measured(run)
        aside = len(list(tmp.glob(f"geo-{name}.sqlite.damaged-*")))
        rows.append(
            (
                "damaged cache",
                f"geocoder cache: {name}",
                f"set aside: {aside}, fresh cache works: {ok}, {secs:.2f} s, {peak:.0f} MB peak",
                0 if ok and aside == 1 else 1,
            )
        )

    def garbage(p: Path) -> None:
        p.write_bytes(os.urandom(65536))

    def truncated(p: Path) -> None:
        db = sqlite3.connect(p)
        db.execute("CREATE TABLE pad (x TEXT)")
        db.executemany("INSERT INTO pad VALUES (?)", [("x" * 1000,)] * 500)
        db.commit()
        db.close()
        p.write_bytes(p.read_bytes()[:100_000])

    def old_layout(p: Path) -> None:
        db = sqlite3.connect(p)
        db.execute("CREATE TABLE answers (service TEXT, query TEXT, answer TEXT)")
        db.commit()
        db.close()

    for name, damage in [
        ("garbage bytes", garbage),
        ("truncated", truncated),
        ("another layout (keyed by service only)", old_layout),
    ]:
        damaged_cache(name, damage)

    real = gazetteer.default_path()
    cases = [("garbage bytes", garbage), ("truncated", truncated)]
    if real.exists():

        def cut_real(p: Path) -> None:
            with real.open("rb") as f:
                p.write_bytes(f.read(8 * 2**20))

        cases.append(("first 8 MB of the real one", cut_real))

    def half(p: Path) -> None:
        db = sqlite3.connect(p)
        db.execute("CREATE TABLE places (id INTEGER PRIMARY KEY)")
        db.commit()
        db.close()

    cases.append(("half-built (places only)", half))
    for name, damage in cases:
        path = tmp / f"gz-{name[:8]}.sqlite"
        damage(path)
        why, secs, peak = _measured(lambda p=path: gazetteer.problem(p))
        rows.append(
            (
                "damaged cache",
                f"gazetteer: {name}",
                f"detected ({why}); set aside and rebuilt, {secs:.3f} s",
                0 if why else 1,
            )
        )

    # a geocoder that cannot connect: the breaker, not 14 s of backoff per string
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    g = online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{port}", "scheme": "http", "timeout": "1"},
        user_agent="x",
        cache_path=tmp / "off.sqlite",
        min_delay_s=0,
    )
    waited: list[float] = []
    g.sleep = waited.append

    def offline():
        for i in range(500):
            with contextlib.suppress(TemporaryFailure):
                g.geocode(f"harbour town {i}")

    _, secs, peak = _measured(offline)
    rows.append(
        (
            "geocoder fault",
            "offline, 500 strings",
            (
                f"{g.sent} requests, {sum(waited):.0f} s backoff in all, stopped: "
                f"{g.stopped is not None}, {secs:.1f} s"
            ),
            0,
        )
    )

    # impossible numbers
    f = tmp / "interactions.csv"
    bad = ["nan", "inf", "-inf", "-1", "0", "1e-320", "1e300", "lots"]
    lines = ["source,target,kind,weight,at"]
    for i in range(1000):
        w = bad[i % len(bad)] if i % 5 == 0 else "1"
        lines.append(f"url:a{i}.example,url:b{i}.example,comment,{w},")
    f.write_text("\n".join(lines) + "\n")
    conv, secs, peak = _measured(lambda: read(f))
    good = sum(1 for i in range(1000) if i % 5)
    kept = len(conv.interactions)
    named = sum(1 for p in conv.problems if "weight" in p["what"])
    rows.append(
        (
            "bad numbers",
            "1000 weights, 200 NaN/inf/negative/subnormal/huge",
            f"{kept} kept, {named} named, {secs:.2f} s, {peak:.0f} MB peak",
            good - kept,
        )
    )
    tweets = []
    for i in range(200):
        c = [2.35, 48.85] if i % 2 else [[500, 91], [0, -181], ["x", 1], [200, 0]][i % 8 // 2]
        tweets.append(
            json.dumps(
                {
                    "id_str": str(i),
                    "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                    "user": {"id_str": str(1000 + i), "screen_name": f"u{i}", "name": f"U{i}"},
                    "text": "hi",
                    "coordinates": {"type": "Point", "coordinates": c},
                }
            )
        )
    f = tmp / "tweets.jsonl"
    f.write_text("\n".join(tweets) + "\n")
    conv, secs, peak = _measured(lambda: read(f))
    points = sum(1 for p in conv.people.values() for e in p.evidence if e["kind"] == "coordinates")
    named = sum(1 for p in conv.problems if "coordinates" in p["what"])
    rows.append(
        (
            "bad numbers",
            "200 tweets, 100 with coordinates off the globe",
            f"{points} points kept, {named} named, {len(conv.people)} people kept, {secs:.2f} s",
            100 - points,
        )
    )

    # terminal escapes
    raw = (
        sum(any(ch in escape(v) for ch in "\x1b\x07\r\x9b\u202e") for v in hostile.VALUES)
        if hasattr(hostile, "VALUES")
        else 0
    )
    nasty = [
        "\x1b]0;title\x07",
        "\x1b]52;c;ZXZpbA==\x07",
        "a\rmapper: fake",
        "\x9b2J",
        "\u202eevil",
    ]
    raw += sum(any(ch in escape(v) for ch in "\x1b\x07\r\x9b\u202e") for v in nasty)
    rows.append(
        (
            "terminal",
            f"{len(nasty)} escape/bidi sequences in names",
            f"{raw} reach the terminal raw",
            raw,
        )
    )

    # people.csv round trip
    from mapper.files import unguard_cell

    ids = ["=1+1", "-x", "+y", "@ana", "'quoted", "-", "plain"]
    back = sum(unguard_cell(safe_cell(i).strip()) == i.strip() for i in ids)
    rows.append(
        (
            "people.csv",
            f"{len(ids)} ids starting with = - + @ '",
            f"{back} of {len(ids)} match back after the formula guard",
            len(ids) - back,
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fuzz", type=int, default=300)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = (
            injection(tmp)
            + faults(tmp)
            + caches_and_numbers(tmp)
            + xml_damage(tmp)
            + fuzz(tmp, args.fuzz)
        )
    out = io.StringIO()
    out.write(f"| {'what':15} | {'tried':62} | {'outcome':70} | lost |\n")
    out.write(f"|{'-' * 17}|{'-' * 64}|{'-' * 72}|------|\n")
    for what, tried, outcome, lost in rows:
        out.write(f"| {what:15} | {tried[:62]:62} | {outcome[:70]:70} | {lost:4} |\n")
    out.write(f"\nrecords lost in all: {sum(r[3] for r in rows)}\n")
    print(out.getvalue())
    return 0 if sum(r[3] for r in rows) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
