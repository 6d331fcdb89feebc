"""Scale benchmarks, each a ratio against a baseline measured in the same run.

- ingest: our v1.1/v2 readers (lines/s) vs a bare typed msgspec decode of the same
  file (only the fields mapper needs): the parsing limit;
- locate: offline resolution of N distinct strings vs a plain dict lookup of
  pre-normalised names;
- graph: our influence computation vs a bare scipy CSR power iteration on the same
  1M-edge graph (and igraph's PageRank when installed), peak memory, and agreement;
- chain: 1M tweets → report.json and a map, seconds and peak memory (gzip too).

    python -m benchmarks.scale [--lines 1000000] [--skip chain]
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

import msgspec
import numpy as np

from benchmarks import synth_tweets


class _U(TypedDict, total=False):
    screen_name: str
    location: str | None


class _E(TypedDict, total=False):
    user: _U


class _M(TypedDict, total=False):
    screen_name: str


class _Ent(TypedDict, total=False):
    user_mentions: list[_M]


class _T(TypedDict, total=False):
    id_str: str
    user: _U
    retweeted_status: _E
    in_reply_to_screen_name: str | None
    entities: _Ent


def ingest(d: Path, lines: int) -> None:
    from mapper.sources import twitter_v1, twitter_v2

    for fmt, module in (("v1", twitter_v1), ("v2", twitter_v2)):
        path = synth_tweets.write(
            d / f"{fmt}.jsonl",
            lines,
            max(1000, lines // 5),
            fmt.replace("v2", "v2pages"),
            realistic=True,
        )
        dec = msgspec.json.Decoder(_T if fmt == "v1" else dict)
        t0 = time.perf_counter()
        with open(path, "rb") as f:
            for line in f:
                dec.decode(line)
        base = lines / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        module.read(path)
        ours = lines / (time.perf_counter() - t0)
        print(
            f"ingest {fmt}: ours {ours:,.0f} lines/s, bare typed decode {base:,.0f} lines/s "
            f"→ {ours / base:.0%} of the parsing limit ({path.stat().st_size / lines:.0f} "
            "bytes/line)"
        )


def locate(n: int) -> None:
    import random

    from mapper.geo.gazetteer import get, norm
    from mapper.geo.locate import Locator

    gz = get()
    rows = gz.db.execute(
        "SELECT name, a1name, cc FROM places WHERE kind='city' ORDER BY random() LIMIT ?", (n,)
    ).fetchall()
    rng = random.Random(1)
    forms = [
        lambda r: r[0],
        lambda r: f"{r[0]}, {r[1] or r[2]}",
        lambda r: f"{r[0]} {r[2]}",
        lambda r: f"{r[0].upper()} | she/her",
        lambda r: f"📍 {r[0]}, {r[2]}",
    ]
    strings = list(dict.fromkeys(rng.choice(forms)(r) for r in rows))
    t0 = time.perf_counter()
    loc = Locator(gz)
    for s in strings:
        loc.resolve(s)
    ours = len(strings) / (time.perf_counter() - t0)
    table = {norm(s): i for i, s in enumerate(strings)}
    keys = [norm(s) for s in strings]
    t0 = time.perf_counter()
    for k in keys:
        table.get(k)
    base = len(keys) / (time.perf_counter() - t0)
    print(
        f"locate: {len(strings):,} distinct strings at {ours:,.0f}/s offline vs "
        f"{base:,.0f}/s plain dict lookup → {ours / base:.2%}"
    )


def graph(nodes: int = 100_000, edges: int = 1_000_000) -> None:
    import tracemalloc

    import scipy.sparse as sp

    from mapper.graph import Edges, influence
    from mapper.model import KINDS

    rng = np.random.default_rng(1)
    # a power-law graph: a few people draw most of the attention (~1M distinct edges)
    src = rng.integers(0, nodes, int(1.1 * edges))
    dst = (rng.pareto(1.1, int(1.1 * edges)) * 50).astype(np.int64) % nodes
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    w = rng.integers(1, 5, len(pairs)).astype(float)
    counts = np.zeros((len(pairs), len(KINDS)), dtype=np.int64)
    counts[:, 0] = w.astype(np.int64)
    e = Edges([f"n{i}" for i in range(nodes)], pairs[:, 0], pairs[:, 1], w, counts)
    ours, t_ours = None, float("inf")
    for _ in range(3):  # best of three, both sides
        t0 = time.perf_counter()
        ours = influence(e)
        t_ours = min(t_ours, time.perf_counter() - t0)
    tracemalloc.start()  # memory in a second run: tracing slows numpy down
    influence(e)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # the baseline: a bare scipy CSR power iteration, nothing else
    t_base = float("inf")
    for _ in range(3):
        x, dt = _bare_pagerank(sp, pairs, w, nodes)
        t_base = min(t_base, dt)
    diff = max(abs(ours[f"n{i}"]["pagerank"] - x[i]) for i in range(0, nodes, 97))
    _report_graph(len(pairs), nodes, t_ours, peak, t_base, diff, pairs, w)


def _bare_pagerank(sp, pairs, w, nodes):
    t0 = time.perf_counter()
    m = sp.csr_array((w, (pairs[:, 0], pairs[:, 1])), shape=(nodes, nodes))
    out = np.asarray(m.sum(axis=1)).ravel()
    dangling = out == 0
    p = sp.diags_array(np.divide(1, out, out=np.zeros_like(out), where=~dangling)) @ m
    pt = p.T.tocsr()
    x = np.full(nodes, 1 / nodes)
    for _ in range(1000):
        new = 0.85 * (pt @ x + x[dangling].sum() / nodes) + 0.15 / nodes
        done = np.abs(new - x).sum() < nodes * 1e-10
        x = new
        if done:
            break
    return x, time.perf_counter() - t0


def _report_graph(n_edges, nodes, t_ours, peak, t_base, diff, pairs, w):
    line = (
        f"graph: {len(pairs):,} edges, {nodes:,} nodes: influence {t_ours:.2f} s "
        f"(peak {peak / 2**20:.0f} MB traced) vs bare scipy power iteration {t_base:.2f} s "
        f"→ {t_ours / t_base:.1f}× ; max |Δ| {diff:.1e}"
    )
    try:
        import igraph

        t0 = time.perf_counter()
        ig = igraph.Graph(n=nodes, edges=pairs.tolist(), directed=True)
        ig.personalized_pagerank(weights=w.tolist(), damping=0.85)
        line += f"; igraph {time.perf_counter() - t0:.2f} s"
    except ImportError:
        pass
    print(line)


# The child's peak from its own VmHWM: ru_maxrss would start at the benchmark
# process's size at fork (Linux copies the parent's RSS high-water mark into the child),
# so every run measured at least the parent's ~0.7 GB.
# It ends as the `mapper` command does (`cli.console`): results kept, then
# `cli.hard_exit` (stdout and stderr flushed, the heap not freed) — or, run against a
# checkout from before that (a baseline), with sys.exit as its command did.
PROBE = (
    "import re, sys, time\nfrom mapper import cli\nt = time.perf_counter()\n"
    "hard = hasattr(cli, 'hard_exit')\nif hard:\n    cli._kept = []\n"
    "rc = cli.main(sys.argv[1:])\n"
    "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "sys.stderr.write(f'TIME {time.perf_counter() - t:.1f} MAXRSS_KB {hwm}\\n')\n"
    "cli.hard_exit(rc) if hard else sys.exit(rc)\n"
)


def _probe(args: list[str]) -> tuple[float, float, float]:
    """``(seconds, peak MB, CPU seconds)`` of one ``mapper ARGS`` in a fresh process
    (CPU: the child's user + system time, from start-up to exit)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([sys.executable, "-c", PROBE, "-q", *args], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    t = r.stderr.rsplit("TIME", 1)[1].split()
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return float(t[0]), int(t[2]) / 1024, cpu


def _bare_decode(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) of a bare msgspec decode of every line of ``path`` (gunzipped
    as read): the floor for any reader of the file."""
    dec = msgspec.json.Decoder()
    t0, c0 = time.perf_counter(), time.process_time()
    with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as f:
        for line in f:
            dec.decode(line)
    return time.perf_counter() - t0, time.process_time() - c0


def _twarc_network(path: Path, out: Path) -> tuple[float, float] | None:
    """``(seconds, peak MB)`` of ``twarc2 network --format gexf`` on ``path``, or
    ``None`` when twarc-network is not installed (``TWARC2`` names its ``twarc2``)."""
    import shutil

    exe = os.environ.get("TWARC2") or shutil.which("twarc2")
    if not exe:
        return None
    t0 = time.perf_counter()
    r = subprocess.run(  # twarc2 asks for a token at start-up; its network command needs none
        [
            "/usr/bin/time",
            "-f",
            "MAXRSS_KB %M",
            exe,
            "--bearer-token",
            "unused",
            "network",
            "--format",
            "gexf",
            str(path),
            str(out),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    dt = time.perf_counter() - t0
    if r.returncode:
        print(f"  twarc2 network failed: {r.stderr[-300:]}")
        return None
    return dt, int(r.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0]) / 1024


def _kept(path: Path, make: Callable[[Path], object]) -> None:
    """``make`` the file ``path`` unless it is there (written whole under another name,
    then renamed)."""
    if path.exists():
        return
    part = path.with_name(".part-" + path.name)
    make(part)
    part.replace(path)


def chain(
    d: Path, lines: int, files: tuple[str, ...] = ("v1", "gz", "v2"), repeat: int = 1
) -> None:
    """The whole chain on realistic corpora (heavy-tailed users, real-looking
    locations): v1.1 lines, v1.1 gzipped, v2 twarc2 pages → report.json + map, each
    against a bare msgspec decode of the same file, in wall time and in CPU time (the
    machine is shared: CPU time moves less with the load); ``files`` picks some of
    them.  ``repeat`` > 1 alternates decode and chain that many times per file and
    prints each pair's ratios, then the ratio of the minimum times (timeit's
    convention: the least disturbed run of each).  Then ``mapper graph -o g.gexf``
    is :func:`peer`."""
    users = max(1000, lines // 5)
    # --data DIR keeps the corpora for the next run: named by their size, and each
    # written under a temporary name, so a run of another size, or after an
    # interrupted one, never measures the wrong file
    v1, gz, v2 = (d / f"chain-{lines}{end}" for end in (".jsonl", ".jsonl.gz", "-v2.jsonl"))

    def gzipped(path: Path) -> None:
        with open(v1, "rb") as f, gzip.open(path, "wb", compresslevel=1) as g:
            while chunk := f.read(1 << 24):
                g.write(chunk)

    _kept(v1, lambda p: synth_tweets.write(p, lines, users, realistic=True))
    _kept(gz, gzipped)
    _kept(v2, lambda p: synth_tweets.write(p, lines, users, "v2pages", realistic=True))
    for name, p in (("v1", v1), ("gz", gz), ("v2", v2)):
        if name not in files:
            continue
        pairs = []
        for _ in range(repeat):
            base, base_cpu = _bare_decode(p)
            t, mb, cpu = _probe(
                [
                    "map",
                    str(p),
                    "-o",
                    str(d / "m.html"),
                    "--report",
                    str(d / "r.json"),
                    "--tiles",
                    "none",
                ]
            )
            pairs.append((base, base_cpu, t, cpu))
            people = len(msgspec.json.decode((d / "r.json").read_bytes())["people"])
            print(
                f"chain: {lines:,} tweets ({p.name}, {p.stat().st_size / 2**20:.0f} MB, "
                f"{people:,} participants) → report.json + map in {t:.1f} s, peak {mb:.0f} MB; "
                f"bare msgspec decode {base:.1f} s → {t / base:.1f}×; CPU {cpu:.1f} s, "
                f"bare decode CPU {base_cpu:.1f} s → {cpu / base_cpu:.1f}× (load "
                f"{_load()})",
                flush=True,
            )
        if repeat > 1:
            print(_repeated(p.name, pairs), flush=True)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _repeated(name: str, pairs: list[tuple[float, float, float, float]]) -> str:
    """Each pair's CPU ratio, and the ratios of the minimum times (wall and CPU)."""
    base, base_cpu, t, cpu = (min(col) for col in zip(*pairs, strict=True))
    each = ", ".join(f"{cpu_ / base_cpu_:.1f}×" for _, base_cpu_, _, cpu_ in pairs)
    return (
        f"chain {name}, {len(pairs)} pairs: CPU ratio of each pair {each}; minimum CPU "
        f"{cpu:.1f} s against the bare decode's minimum {base_cpu:.1f} s → "
        f"{cpu / base_cpu:.1f}× (wall: {t:.1f} s against {base:.1f} s → {t / base:.1f}×)"
    )


def peer(d: Path, lines: int) -> None:
    """``mapper graph -o g.gexf`` on realistic twarc2 pages against twarc-network."""
    users = max(1000, lines // 5)
    v2 = synth_tweets.write(d / "peer-v2.jsonl", lines, users, "v2pages", realistic=True)
    t, mb, _ = _probe(["graph", str(v2), "-o", str(d / "g.gexf")])
    line = f"graph: {lines:,} v2 tweets → mapper graph -o g.gexf in {t:.1f} s, peak {mb:.0f} MB"
    theirs = _twarc_network(v2, d / "t.gexf")
    if theirs is None:
        line += "; twarc-network not installed or failed (pip install twarc-network; or set TWARC2)"
    else:
        line += (
            f"; twarc2 network --format gexf {theirs[0]:.1f} s, peak {theirs[1]:.0f} MB "
            f"→ {theirs[0] / t:.1f}× faster, {mb / theirs[1]:.0%} of its memory"
        )
    print(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument(
        "--skip", nargs="*", default=[], choices=["ingest", "locate", "graph", "chain", "peer"]
    )
    ap.add_argument(
        "--chain",
        nargs="+",
        default=["v1", "gz", "v2"],
        choices=["v1", "gz", "v2"],
        help="the chain's inputs: v1.1 lines, the same gzipped, v2 twarc2 pages",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="the chain N times per input, alternating with the bare decode: every "
        "pair's ratio, then the ratio of the minimum times",
    )
    ap.add_argument(
        "--data",
        type=Path,
        help="keep the chain's corpora in DIR and use them again when there "
        "(one set per --lines, named by it; a 1M-tweet set takes ~10 min to write)",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        if "ingest" not in args.skip:
            ingest(Path(d), min(args.lines, 200_000))
        if "locate" not in args.skip:
            locate(100_000)
        if "graph" not in args.skip:
            graph()
        if "chain" not in args.skip:
            if args.data:
                args.data.mkdir(parents=True, exist_ok=True)
            chain(args.data or Path(d), args.lines, tuple(args.chain), max(1, args.repeat))
        if "peer" not in args.skip:
            peer(Path(d), min(args.lines, 200_000))
    print(
        f"(benchmark process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
