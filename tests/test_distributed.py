"""The Dask engine on a LocalCluster with several shards gives the same results as
one process."""

import os
import re

import pytest

from benchmarks import synth_tweets
from mapper import analyze
from mapper.cli import main
from tests.conftest import EXAMPLE

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    from mapper.distributed import client_for

    c = client_for(None, workers=2)
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


def test_dask_matches_single_process(tmp_path, client, monkeypatch):
    from mapper import distributed

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 3000, 400)
    text = tweets.read_text().splitlines()
    text[2000] = "{not json"  # named by its line number, counted on the workers
    tweets.write_text("\n".join(text) + "\n")
    v2 = synth_tweets.write(tmp_path / "t2.jsonl", 1000, 300, fmt="v2")
    # the same file twice is two inputs (its people's records counted twice), as here
    inputs = [tweets, tweets, v2, EXAMPLE / "thread.txt"]
    shards = distributed.plan(inputs, shard_bytes=500_000)
    assert len(shards) >= 6  # the big file is cut into several byte ranges
    one = analyze(inputs, locations=EXAMPLE / "locations.csv")
    conv, locator = distributed.read_and_locate(inputs, author=None, aliases=None, client=client)
    monkeypatch.setattr(distributed, "SHARD_BYTES", 500_000)
    many = analyze(
        inputs,
        locations=EXAMPLE / "locations.csv",
        engine="dask",
        scheduler=client.scheduler.address,
    )
    assert many.report == one.report
    assert any(p["where"] == "line 2001" for p in many.report["problems"])
    assert sorted(conv.people) == sorted(one.conversation.people)
    assert locator._memo  # location strings were resolved on the workers


def test_shards_keep_line_numbers(tmp_path):
    from mapper.sources import twitter_v1
    from mapper.sources.jsonrecords import split

    path = synth_tweets.write(tmp_path / "t.jsonl", 500, 50)
    text = path.read_text().splitlines()
    text[321] = "{not json"
    path.write_text("\n".join(text) + "\n")
    whole = twitter_v1.read(path)
    parts = [twitter_v1.read(path, shard=r) for r in split(path, 5)]
    assert [p["where"] for c in parts for p in c.problems] == ["line 322"]
    assert whole.problems[0]["where"] == "line 322"
    assert sum(len(c.counts) > 0 for c in parts) == 5


def test_cli_engine_dask(tmp_path, client):
    out = tmp_path / "r.json"
    assert (
        main(
            [
                "-q",
                "report",
                str(EXAMPLE / "thread.txt"),
                "--engine",
                "dask",
                "--scheduler",
                client.scheduler.address,
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert out.exists()


def test_pinned_settings_reach_the_workers(client):
    from mapper.settings import Settings
    from tests.conftest import DATA

    wxr = [DATA / "blog" / "blog.wxr.xml"]
    cfg = Settings.current().replace(keep_unapproved=True)
    here = analyze(wxr, settings=cfg)
    there = analyze(wxr, settings=cfg, engine="dask", scheduler=client.scheduler.address)
    # the workers read with the run's settings (unapproved comments kept), not their own
    assert there.report == here.report
    assert "unapproved" not in there.report["set_aside"]
    assert (
        "unapproved"
        in analyze(wxr, engine="dask", scheduler=client.scheduler.address).report["set_aside"]
    )


def _serve(httpserver, path):
    """``path`` at a URL of the test server, with byte ranges (as S3 or any static
    file server gives them): what fsspec asks for when a worker reads its range."""
    from werkzeug import Response

    data = path.read_bytes()

    def handler(request):
        rng = request.headers.get("Range")
        if not rng:
            return Response(data, 200, headers={"Accept-Ranges": "bytes"})
        a, b = rng.removeprefix("bytes=").split("-")
        lo, hi = int(a), min(int(b) if b else len(data) - 1, len(data) - 1)
        return Response(
            data[lo : hi + 1],
            206,
            headers={"Content-Range": f"bytes {lo}-{hi}/{len(data)}", "Accept-Ranges": "bytes"},
        )

    httpserver.expect_request(f"/{path.name}").respond_with_handler(handler)
    return httpserver.url_for(f"/{path.name}")


def test_dask_urls_and_gzip_match_single_process(tmp_path, client, httpserver, monkeypatch):
    """Inputs named by URL (http with byte ranges, file://) and a gzip file: the
    workers cut the ranges at line boundaries themselves; the report is the one
    the single process makes from the same files, byte for byte."""
    import json

    from mapper import distributed

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 3000, 400)
    text = tweets.read_text().splitlines()
    text[1234] = "{not json"  # a problem named with its line, past the first shard
    tweets.write_text("\n".join(text) + "\n")
    v2 = synth_tweets.write(tmp_path / "t2.jsonl.gz", 1000, 300, fmt="v2")
    url = _serve(httpserver, tweets)
    monkeypatch.setattr(distributed, "SHARD_BYTES", 300_000)
    shards = distributed.plan([url, v2.as_uri()])
    assert len(shards) >= 4 and shards[-1] == (v2.as_uri(), None)  # gzip: one shard
    one = analyze([tweets, v2, EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    many = analyze(
        [url, v2.as_uri(), EXAMPLE / "thread.txt"],
        locations=EXAMPLE / "locations.csv",
        engine="dask",
        scheduler=client.scheduler.address,
    )
    got = json.dumps(many.report).replace(url, str(tweets)).replace(v2.as_uri(), str(v2))
    assert got == json.dumps(one.report)
    assert any(p["where"] == "line 1235" for p in one.report["problems"])


def test_worker_with_an_empty_cache_and_no_shared_disk(tmp_path, httpserver):
    """A worker whose cache directory is empty and elsewhere than the driver's, given
    its input by URL: the gazetteer reaches it from the driver (over Dask, not the
    disk), it reads and locates, and the report is the single process's."""
    import json

    from dask.distributed import Client, LocalCluster

    from mapper.distributed import WORKER_CACHE_ENV

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 800, 200)
    url = _serve(httpserver, tweets)
    own = tmp_path / "worker-cache"
    cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={WORKER_CACHE_ENV: str(own)},
        scheduler_kwargs={"dashboard": False},
    )
    try:
        with Client(cluster) as c:
            many = analyze([url], locate=True, engine="dask", scheduler=c.scheduler.address)
            placed = c.run(lambda: __import__("os").environ[WORKER_CACHE_ENV])
    finally:
        cluster.close()
    one = analyze([tweets], locate=True)
    assert list(placed.values()) == [str(own)]
    assert [p.name for p in own.glob("gazetteer-*.sqlite")]  # shipped to its own cache
    assert json.dumps(many.report).replace(url, str(tweets)) == json.dumps(one.report)
    assert one.report["geography"]  # people were located


def test_a_url_needs_the_dask_engine(tmp_path, capsys):
    assert main(["-q", "report", "https://example.org/t.jsonl", "-o", str(tmp_path / "r")]) != 0
    assert "--engine dask" in capsys.readouterr().err


@pytest.mark.parametrize("as_records", [False, True])
def test_combined_shards_fold_as_the_shards_do(tmp_path, monkeypatch, as_records):
    """The tree reduction's step: shards combined on a worker (in any grouping of
    consecutive ranges) fold into the conversation the shards give one by one, the
    same as the file read whole — folded as columns (Twitter accounts read on the
    fast path) or, as other inputs are, as records."""
    import copy

    from mapper import columns, distributed
    from mapper.columns import Reducer, combine
    from mapper.sources import twitter_v1

    if as_records:
        monkeypatch.setattr(columns, "_combine_columns", columns._combine_records)

    import json

    path = synth_tweets.write(tmp_path / "t.jsonl", 1500, 200)
    text = path.read_text().splitlines()
    box = [[[2.2, 48.8], [2.4, 48.8], [2.4, 48.9], [2.2, 48.9]]]
    for i in range(0, len(text), 23):  # places from tweets: evidence, a place to keep
        tweet = json.loads(text[i])
        if i % 2:
            tweet["coordinates"] = {"type": "Point", "coordinates": [-0.1 + i / 1e4, 51.5]}
        else:
            tweet["place"] = {
                "full_name": "Paris, France",
                "country_code": "FR",
                "place_type": "city",
                "bounding_box": {"type": "Polygon", "coordinates": box},
            }
        text[i] = json.dumps(tweet)
    text[700] = "{not json"
    path.write_text("\n".join(text) + "\n")
    shards = distributed.plan([path], shard_bytes=300_000)
    assert len(shards) >= 6
    cols = [distributed.read_columns(str(p), r, i, None) for i, (p, r) in enumerate(shards)]

    def fold(parts):
        r = Reducer()
        for c in parts:
            r.add(c)
        return r.result()

    whole = twitter_v1.read(path)
    one_by_one = fold(copy.deepcopy(cols))
    grouped = copy.deepcopy(cols)
    tree = fold([combine(*grouped[:1]), combine(*grouped[1:4]), combine(*grouped[4:])])
    nested = copy.deepcopy(cols)
    top = combine(combine(*nested[:3]), combine(*nested[3:]))
    assert len(top.tasks) == len(cols) and len(top.merges) == 3
    from mapper.columns import CountTable
    from mapper.graph import fold as fold_graph

    local = fold_graph(whole)
    for conv in (one_by_one, tree, fold([top])):
        assert isinstance(conv.counts, CountTable) and conv.counts.columns() is not None
        edges = fold_graph(conv)  # from the arrays
        assert edges.nodes == local.nodes
        for a, b in zip(edges.__dict__.values(), local.__dict__.values(), strict=True):
            assert (a == b) if isinstance(a, list) else (a.tolist() == b.tolist())
        assert conv.people == whole.people
        assert sum(bool(p.evidence) for p in conv.people.values()) > 10
        assert conv.counts == whole.counts
        assert list(conv.counts) == list(whole.counts)
        assert conv.problems == whole.problems


def test_read_shards_leave_the_workers_once_combined(tmp_path, client, monkeypatch):
    """The tree reduction's leaves (each shard's columns) are dropped from the
    workers once combined: the client keeps no future of theirs, so a worker's memory
    holds the shards in flight, not every shard it read."""
    import time

    from mapper import columns, distributed

    path = synth_tweets.write(tmp_path / "t.jsonl", 1500, 200)
    engine = distributed.DaskEngine(client=client, shard_bytes=300_000)
    held: list[list[str]] = []
    add = columns.Reducer.add

    def in_memory(dask_scheduler=None):
        return [str(k) for k, ts in dask_scheduler.tasks.items() if ts.state == "memory"]

    def watched(self, cols):
        # while the client folds the input's one table, what do the workers still hold?
        for _ in range(200):  # the scheduler releases them as the combines end
            reads = [k for k in client.run_on_scheduler(in_memory) if "read_columns" in k]
            if not reads:
                break
            time.sleep(0.1)
        held.append(reads)
        add(self, cols)

    monkeypatch.setattr(columns.Reducer, "add", watched)
    engine.read([path], None)
    assert len(engine.task_seconds) >= 6  # several shards were read and combined
    assert held == [[]]


def test_identity_merge_renames_the_arrays(tmp_path):
    """The identity merge renames the Dask engine's ties as arrays (no dict of
    tuples made): the same ties, sums, order and dropped ties to oneself as the dict."""
    import copy

    import numpy as np

    from mapper import identity
    from mapper.columns import CountTable
    from mapper.ids import new_person
    from mapper.model import KINDS, Conversation

    conv = Conversation()
    conv.add_person(new_person("Ann", handles={"twitter": "ann"}, platform="twitter"))
    conv.add_person(new_person("Ann", handles={"bsky": "ann.bsky.social"}, platform="bluesky"))
    for h in ("bo", "cy"):
        conv.add_person(new_person(h, handles={"twitter": h}, platform="twitter"))
    ann, bann, bo, cy = list(conv.people)
    for s, t, k, w in [
        (bo, ann, "mention", 1.0),
        (cy, bo, "reply", 0.5),
        (bo, bann, "mention", 0.25),
        (ann, bann, "quote", 1.0),  # a tie to oneself once merged
        (bann, cy, "retweet", 1.0),
        (ann, cy, "retweet", 2.0),
    ]:
        conv.count(s, t, k, w)
    aliases = tmp_path / "aliases.txt"
    aliases.write_text(f"{ann} = {bann}\n")
    names = list(conv.people)
    code = {n: i for i, n in enumerate(names)}
    keys, values = list(conv.counts), list(conv.counts.values())
    arrays = copy.deepcopy(conv)
    arrays.counts = CountTable(  # type: ignore[assignment]
        names,
        np.array([code[s] for s, _, _ in keys]),
        np.array([code[t] for _, t, _ in keys]),
        np.array([KINDS.index(k) for *_, k in keys]),
        np.array([w for w, _ in values], float),
        np.array([n for _, n in values]),
    )
    want = identity.merge(conv, identity.Aliases.read(aliases))
    got = identity.merge(arrays, identity.Aliases.read(aliases))
    assert len(want.people) == 3
    assert isinstance(got.counts, CountTable) and got.counts.columns() is not None
    assert list(got.counts.items()) == list(want.counts.items())
    assert want.counts[(bo, ann, "mention")] == [1.25, 2]
    assert want.counts[(ann, cy, "retweet")] == [3.0, 2]
    assert len(want.counts) == 3  # ann → bann dropped


def test_worker_tasks_run_with_the_clients_gc_threshold():
    """A worker's task runs with the client's young-generation GC threshold (a CLI
    command raises it), restored when the last task under it ends."""
    import gc

    from mapper.columns import client_gc

    before = gc.get_threshold()
    with client_gc(before[0] + 1000):
        assert gc.get_threshold()[0] == before[0] + 1000
        with client_gc(before[0] + 1000):  # a URL's read nests a read
            pass
        assert gc.get_threshold()[0] == before[0] + 1000
    assert gc.get_threshold() == before
    with client_gc(None):
        assert gc.get_threshold() == before


def test_worker_tasks_run_with_the_heap_of_one_process(monkeypatch):
    """Under a nanny's ``MALLOC_TRIM_THRESHOLD_`` (glibc's dynamic thresholds off), a
    worker's tasks run with the thresholds glibc reaches in one process, and the
    worker's are put back when the last task ends; without it nothing is set."""
    from mapper import columns

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, what: int, value: int) -> int:
            calls.append((what, value))
            return 1

    monkeypatch.setattr(columns, "_LIBC", [Libc()])
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    with columns.client_gc(700):
        big = columns._TASK_MMAP_THRESHOLD
        assert calls == [(columns._M_MMAP_THRESHOLD, big), (columns._M_TRIM_THRESHOLD, 2 * big)]
        with columns.client_gc(700):  # nested: set once
            pass
        assert len(calls) == 2
    assert calls[2:] == [
        (columns._M_MMAP_THRESHOLD, 128 * 1024),
        (columns._M_TRIM_THRESHOLD, 65536),
    ]
    calls.clear()
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_")
    with columns.client_gc(700):
        pass
    assert calls == []


@pytest.fixture
def s3_env(monkeypatch, tmp_path):
    """An S3-compatible server on 127.0.0.1 (moto's, in a thread of this process) and
    the environment that points boto at it — never at the network: its address,
    test credentials, no config file, no instance metadata.  Yields the environment
    (for the workers) and a filesystem to put objects with."""
    pytest.importorskip("s3fs")
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem(endpoint_url=env["AWS_ENDPOINT_URL"])
    fs.mkdir("mapper-test")
    try:
        yield env, fs
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


def test_dask_s3_urls_match_single_process(tmp_path, s3_env, monkeypatch):
    """Inputs on an S3-compatible server (``s3://`` through s3fs): a big tweet file
    cut into byte ranges that the workers move to line boundaries, and a gzip input
    read whole; the report is the single process's on the same files, byte for byte.
    The workers reach the server with the environment they were started with."""
    import json

    from dask.distributed import Client, LocalCluster

    from mapper import distributed

    env, fs = s3_env
    tweets = synth_tweets.write(tmp_path / "t.jsonl", 3000, 400)
    text = tweets.read_text().splitlines()
    text[1234] = "{not json"  # a problem named with its line, past the first shard
    tweets.write_text("\n".join(text) + "\n")
    v2 = synth_tweets.write(tmp_path / "t2.jsonl.gz", 1000, 300, fmt="v2")
    fs.put_file(str(tweets), "mapper-test/t.jsonl")
    fs.put_file(str(v2), "mapper-test/t2.jsonl.gz")
    url, gz = "s3://mapper-test/t.jsonl", "s3://mapper-test/t2.jsonl.gz"
    monkeypatch.setattr(distributed, "SHARD_BYTES", 300_000)
    shards = distributed.plan([url, gz])
    assert len(shards) >= 4 and shards[-1] == (gz, None)  # gzip: one shard
    one = analyze([tweets, v2, EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env=env,
        scheduler_kwargs={"dashboard": False},
    )
    try:
        with Client(cluster) as c:
            many = analyze(
                [url, gz, EXAMPLE / "thread.txt"],
                locations=EXAMPLE / "locations.csv",
                engine="dask",
                scheduler=c.scheduler.address,
            )
    finally:
        cluster.close()
    got = json.dumps(many.report).replace(url, str(tweets)).replace(gz, str(v2))
    assert got == json.dumps(one.report)
    assert any(p["where"] == "line 1235" for p in one.report["problems"])


def test_cli_commands_run_on_a_worker(tmp_path, client, monkeypatch):
    """``--engine dask``: the command runs as one task on a worker (reading, locating
    and every later stage on the cluster); the client writes the files it gets back,
    byte for byte the single process's, and logs what the task logged."""
    from mapper import distributed

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 1500, 300)
    real, pids = distributed._command, tmp_path / "pids"

    def watched(command, args, *rest):
        with open(pids, "a") as f:  # where the command ran
            f.write(f"{args.command} {os.getpid()}\n")
        return real(command, args, *rest)

    monkeypatch.setattr(distributed, "_command", watched)  # pickled by value to the worker
    engine = ["--engine", "dask", "--scheduler", client.scheduler.address]
    loc = ["--locations", str(EXAMPLE / "locations.csv")]
    for cmd, outs in (
        ("report", ["-o", "r.json"]),
        ("map", ["-o", "m.html", "--report", "mr.json", "--geojson", "g.geojson"]),
        ("people", ["-o", "p.csv"]),
        ("graph", ["-o", "g.graphml"]),
    ):
        for where, extra in (("one", []), ("many", engine)):
            d = tmp_path / where
            d.mkdir(exist_ok=True)
            argv = ["-q", cmd, str(tweets), *loc, *[str(d / o) if "." in o else o for o in outs]]
            assert main([*argv, *extra]) == 0
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "many").iterdir())
    assert len(one) == 8  # three GeoJSON files beside the map
    ran = [line.split() for line in pids.read_text().splitlines()]
    assert [c for c, _ in ran] == ["report", "map", "people", "graph"]
    assert all(int(pid) != os.getpid() for _, pid in ran)  # on a worker, not here
    for name in one:
        a, b = ((tmp_path / d / name).read_bytes() for d in ("one", "many"))
        if name.endswith(".html"):  # folium names each element at random
            a, b = (re.sub(rb"_[0-9a-f]{32}", b"_", x) for x in (a, b))
        assert a == b, name


def test_stages_on_a_worker_match_single_process(tmp_path, client):
    """The stages run as one task on a worker (:func:`mapper.distributed.on_worker`),
    its engine cutting a file into byte ranges from there: the single process's report."""
    from mapper import distributed
    from mapper._pipeline import Options, Run

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 3000, 400)
    text = tweets.read_text().splitlines()
    text[1500] = "{not json"
    tweets.write_text("\n".join(text) + "\n")
    inputs = [str(tweets), str(EXAMPLE / "thread.txt")]

    def stages(inputs):
        engine = distributed.DaskEngine(shard_bytes=300_000)
        run = Run(inputs, Options(locate=True), engine=engine)
        run.run_all()
        from mapper.report import to_dict

        return to_dict(run.product("report")), len(engine.task_seconds)

    (report, shards), cpu = distributed.on_worker(client, stages, inputs)
    assert shards >= 4 and cpu > 0
    assert report == analyze(inputs, locate=True).report
    assert any(p["where"] == "line 1501" for p in report["problems"])


def test_report_rows_encoded_on_the_workers_match_single_process(tmp_path, client):
    """In the finishing task the report's ties are encoded on the workers, a slice
    each (:func:`mapper.distributed.spread_ties`), and so are the people's rows, from
    the table of people kept there (:func:`mapper.distributed.spread_people`):
    report.json byte for byte the single process's, indented and compact, with and
    without exact coordinates, with places inferred from the network; most records made
    from the columns, the ones the stages changed (merged by an aliases file) sent whole."""
    from mapper import distributed, report
    from mapper._pipeline import Options, Run

    tweets = synth_tweets.write(tmp_path / "t.jsonl", 3000, 400)
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("twitter:u1 = twitter:u2\ntwitter:u3 = @u4\n")
    spec = distributed._people_spec

    def written(inputs, limit, exact, options):
        saved = (
            distributed.SPREAD_TIES,
            distributed.SPREAD_PEOPLE,
            distributed.PEOPLE_SLICE,
            report._TIE_SLICE,
            report.INDENT_LIMIT,
        )
        # here, on the worker (restored: the module's client serves other tests)
        distributed.SPREAD_TIES, distributed.SPREAD_PEOPLE, distributed.PEOPLE_SLICE = 1, 1, 37
        report._TIE_SLICE, report.INDENT_LIMIT = 500, limit
        sent: list[int] = []

        def counted(*args):
            specs, common = spec(*args)
            sent.extend(r for s in specs for r in s["sent"])
            return specs, common

        distributed._people_spec = counted
        try:
            engine = distributed.DaskEngine(shard_bytes=300_000)
            with Run(inputs, Options(locate=True, release=True, **options), engine=engine) as run:
                typed = run.run_all().product("report")
                assert typed.ties.encoded_by is not None and len(typed.ties) > 1000
                assert typed.people.encoded_by is not None and len(typed.people) > 300
                # what locating gave most records from their profile strings alone, noted
                # as it went (Locator.record): sent as the strings' codes
                # (one per record of the conversation: fewer than the table's once merged)
                marks = engine._kept.marks if engine._kept is not None else []
                assert len(marks) == len(typed.people)
                assert sum(m is not None for m in marks) > len(marks) // 2
                report.write_report(typed, tmp_path / f"dask{limit}.json", exact=exact)
                assert len(engine.people_seconds) == -(-len(typed.people) // 37)
        finally:
            (
                distributed.SPREAD_TIES,
                distributed.SPREAD_PEOPLE,
                distributed.PEOPLE_SLICE,
                report._TIE_SLICE,
                report.INDENT_LIMIT,
            ) = saved
            distributed._people_spec = spec
        return (tmp_path / f"dask{limit}.json").read_bytes(), len(sent)

    for options in ({}, {"aliases": str(aliases)}, {"infer": True}):
        with Run([str(tweets)], Options(locate=True, **options)) as run:
            typed = run.run_all().product("report")
        for limit, exact in ((report.INDENT_LIMIT, False), (1000, False), (1000, True)):
            (got, sent), _ = distributed.on_worker(
                client, written, [str(tweets)], limit, exact, options
            )
            old = report.INDENT_LIMIT
            report.INDENT_LIMIT = limit
            try:
                report.write_report(typed, tmp_path / "one.json", exact=exact)
            finally:
                report.INDENT_LIMIT = old
            assert got == (tmp_path / "one.json").read_bytes(), (limit, exact, options)
            assert got.startswith(b"{\n") == (limit > 1000)
            assert sent < len(typed.people) // 10
            assert bool(sent) == ("aliases" in options), sent


def test_a_local_cluster_says_nothing_when_the_dashboard_port_is_taken():
    """The local cluster ``--engine dask`` starts has no dashboard and puts its HTTP
    server on a free port: no "Port 8787 is already in use" warning on the user's
    terminal when another Dask cluster runs on the machine."""
    import socket
    import warnings

    from mapper.distributed import client_for

    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 8787))  # as another cluster's dashboard would
        taken.listen()
    except OSError:
        pass  # already taken by one
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            c = client_for(None, workers=1)
            cluster = c.cluster
            c.close()
            cluster.close()
    finally:
        taken.close()
    assert not [w for w in seen if "already in use" in str(w.message)]


def test_cli_on_a_worker_logs_the_users_paths(tmp_path, client, capsys):
    """The messages of a command run on a worker name the files where the client writes
    them, not the worker's temporary directory (removed once they are fetched)."""
    tweets = synth_tweets.write(tmp_path / "t.jsonl", 200, 50)
    engine = ["--engine", "dask", "--scheduler", client.scheduler.address]
    html, csv = tmp_path / "out" / "m.html", tmp_path / "out" / "p.csv"
    assert main(["map", str(tweets), "-o", str(html), "--tiles", "none", *engine]) == 0
    assert main(["people", str(tweets), "--no-locate", "-o", str(csv), *engine]) == 0
    err = capsys.readouterr().err
    assert f"map written to {html} (" in err
    assert f"participants written to {csv}" in err
    assert "mapper-out-" not in err


def test_a_commands_error_on_a_worker_is_the_clients(tmp_path, client, capsys):
    """An input error met by the command's task on a worker ends the command as it
    would in one process: one line, exit status 1, no file left behind."""
    out = tmp_path / "r.json"
    engine = ["--engine", "dask", "--scheduler", client.scheduler.address]
    missing = str(tmp_path / "missing.jsonl")
    assert main(["report", missing, "-o", str(out), *engine]) == 1
    assert f"mapper: error: {missing}: no such file" in capsys.readouterr().err
    assert not out.exists()


def test_a_task_on_a_worker_writes_without_syncing(client):
    """A command run on a worker writes temporary copies the client fetches and writes
    itself (synced): no fsync there (issue #19), and the client's writes still sync."""
    from mapper import distributed, files

    def durable() -> bool:
        from mapper.files import DURABLE

        return DURABLE.get()

    assert files.DURABLE.get()
    there, _ = distributed.on_worker(client, durable)
    assert there is False
    assert files.DURABLE.get()
