"""The Dask engine against one process (issue #19), on this machine.

1. The same synthetic v1.1 corpus (``--lines`` tweets, a tenth as many users) is
   analysed with locating, once by the single-process path and once by
   ``--engine dask`` on a ``--workers``-worker LocalCluster (1 thread each), each
   in a child process so that process's peak RSS is the driver's own (the Dask
   workers are processes of their own).  Printed: whether report.json is
   byte-identical, each stage's seconds, the driver's peak memory and the ratios
   (wall time dask/local, driver peak dask/local), the workers' peak memory.
2. A simulated bigger cluster: each read task's time on its worker is known, so the
   read time of ``W`` one-thread workers is the longest queue of a
   longest-task-first schedule of those tasks; the driver's serial part (planning,
   folding shards, merge, spam, graph, PageRank, geography, report) is measured.
   Printed for W = 1, 2, 4, 8 (``--simulate``): read time, total, and the serial
   fraction of the single-process time (Amdahl: the speed-up can never pass its
   inverse).  The tasks' times come from the 2-worker run on this 2-core machine,
   shared with other jobs: they are what one core does, not a cluster's.

    python -m benchmarks.dask_scale [--lines 200000] [--workers 2] [--shard-mb 16]

Cluster start-up (about 2–5 s) is printed apart and not counted in the wall time.
"""

from __future__ import annotations

import argparse
import heapq
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import synth_tweets


def _stages(run, cpu: dict[str, float]) -> dict[str, float]:
    """Every stage of ``run`` in order, timed (wall seconds; CPU seconds of this
    process, every thread, into ``cpu``)."""
    from mapper._pipeline import STAGES

    out = {}
    for stage in STAGES:
        t0, c0 = time.perf_counter(), time.process_time()
        run.product(stage.name)
        out[stage.name] = time.perf_counter() - t0
        cpu[stage.name] = time.process_time() - c0
    return out


def child(mode: str, path: Path, report: Path, workers: int, shard_mb: float) -> dict:
    """One run (in a child process): timings, peak RSS (MB), report written."""
    from mapper._pipeline import Options, Run
    from mapper.report import to_dict

    out: dict = {"mode": mode}
    if mode == "local":
        run = Run([path], Options(locate=True))
        out["stages"] = _stages(run, out.setdefault("cpu", {}))
    else:
        from dask.distributed import Client, LocalCluster

        from mapper.distributed import DaskEngine

        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        out["startup"] = time.perf_counter() - t0
        engine = DaskEngine(client=client, shard_bytes=int(shard_mb * 2**20))
        run = Run([path], Options(locate=True), engine=engine)
        out["stages"] = _stages(run, out.setdefault("cpu", {}))
        out["timings"] = engine.timings
        out["tasks"] = engine.task_seconds
        out["merges"] = engine.merge_seconds
        out["worker_peak_mb"] = sorted(
            v / 1024
            for v in client.run(
                lambda: __import__("resource").getrusage(0).ru_maxrss  # RUSAGE_SELF
            ).values()
        )
        client.close()
        cluster.close()
    report.write_text(json.dumps(to_dict(run.product("report"))))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _spawn(mode: str, path: Path, report: Path, workers: int, shard_mb: float) -> dict:
    r = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.dask_scale", "--child", mode, str(path)),
            *(str(report), "--workers", str(workers), "--shard-mb", str(shard_mb)),
        ],
        capture_output=True,
        text=True,
    )
    if r.returncode:
        raise RuntimeError(r.stderr[-3000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def makespan(tasks: list[float], workers: int) -> float:
    """Seconds until the last of ``tasks`` ends on ``workers`` one-thread workers,
    longest task first, each to the worker free first."""
    free = [0.0] * workers
    for t in sorted(tasks, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + t)
    return max(free)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shard-mb", type=float, default=16)
    ap.add_argument("--simulate", type=int, nargs="*", default=[1, 2, 4, 8])
    ap.add_argument("--child", nargs=3, metavar=("MODE", "INPUT", "REPORT"))
    args = ap.parse_args(argv)
    if args.child:
        mode, path, report = args.child
        print(json.dumps(child(mode, Path(path), Path(report), args.workers, args.shard_mb)))
        return 0
    with tempfile.TemporaryDirectory() as d:
        path = synth_tweets.write(Path(d) / "t.jsonl", args.lines, args.lines // 10)
        mb = path.stat().st_size / 2**20
        local = _spawn("local", path, Path(d) / "local.json", 1, args.shard_mb)
        dask = _spawn("dask", path, Path(d) / "dask.json", args.workers, args.shard_mb)
        same = (Path(d) / "local.json").read_bytes() == (Path(d) / "dask.json").read_bytes()
    t_local, t_dask = sum(local["stages"].values()), sum(dask["stages"].values())
    c_local, c_dask = sum(local["cpu"].values()), sum(dask["cpu"].values())
    print(f"dask_scale: {args.lines:,} v1.1 tweets ({mb:.0f} MB), locating on")
    print(f"  report.json identical: {'yes' if same else 'NO'}")
    print("  stage       local wall  CPU s   dask wall  driver CPU s")
    for name in local["stages"]:
        print(
            f"  {name:<10} {local['stages'][name]:9.2f} {local['cpu'][name]:7.2f} "
            f"{dask['stages'][name]:10.2f} {dask['cpu'][name]:8.2f}"
        )
    print(
        f"  total      {t_local:9.2f} {c_local:7.2f} {t_dask:10.2f} {c_dask:8.2f}   "
        f"wall dask/local {t_dask / t_local:.2f}× ({args.workers} workers × 1 thread, "
        f"{len(dask['tasks'])} shards of {args.shard_mb:g} MB, {len(dask['merges'])} "
        f"combine tasks; cluster start-up {dask['startup']:.1f} s not counted)"
    )
    print(
        f"  driver peak: local {local['peak_mb']:.0f} MB, dask {dask['peak_mb']:.0f} MB "
        f"({dask['peak_mb'] / local['peak_mb']:.2f}×); workers' peaks "
        + ", ".join(f"{m:.0f}" for m in dask["worker_peak_mb"])
        + " MB"
    )
    tm = dask["timings"]
    reads = [c for _, c in dask["tasks"]]
    merges = [c for _, c in dask["merges"]]
    print(
        f"  workers: read tasks {sum(w for w, _ in dask['tasks']):.2f} s wall, "
        f"{sum(reads):.2f} s CPU (the single process's read: {local['cpu']['read']:.2f} s CPU); "
        f"combine tasks {sum(w for w, _ in dask['merges']):.2f} s wall, {sum(merges):.2f} s CPU"
    )
    print(
        f"  driver: read {tm['read_wall']:.2f} s of which waiting for workers "
        f"{tm['read_waited']:.2f} s, folding {tm['fold']:.2f} s (summing counts "
        f"{tm['sum_counts']:.2f} s); locating {tm.get('locate_wall', 0):.2f} s "
        f"(waiting {tm.get('locate_waited', 0):.2f} s)"
    )
    # the serial part is the driver's own work: its CPU time (every thread: the
    # comms' unpickling too), against the single process's CPU time (a shared
    # machine stretches wall times; CPU times much less)
    fraction = c_dask / c_local
    print(
        f"  serial driver part {c_dask:.2f} s CPU = {fraction:.0%} of the single process's "
        f"{c_local:.2f} s CPU (Amdahl: speed-up below {1 / fraction:.1f}× however many "
        f"workers); by wall time {t_dask - tm['read_waited'] - tm.get('locate_waited', 0):.2f} s"
    )
    locate_work = tm.get("locate_waited", 0.0)  # worker-seconds, roughly
    print("  simulated W one-thread workers, each on a core of its own (task CPU times):")
    print("     W   read s   total s   speed-up vs local CPU")
    for w in args.simulate:
        # the combine tasks run beside the reads; the root's starts after the last read
        read = makespan(reads + merges[:-1], w) + (merges[-1] if merges else 0.0)
        total = c_dask + read + locate_work / w
        print(f"  {w:4d} {read:8.2f} {total:9.2f} {c_local / total:10.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
