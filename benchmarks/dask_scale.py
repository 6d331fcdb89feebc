"""The Dask engine against one process (issue #19), on this machine.

1. The same synthetic v1.1 corpus (``--lines`` tweets, a tenth as many users) is
   analysed with locating, once by the single-process path and once by
   ``--engine dask`` on a ``--workers``-worker LocalCluster (1 thread each), each
   in a child process so that process's peak RSS is the driver's own (the Dask
   workers are processes of their own).  Printed: whether report.json is
   byte-identical, each stage's seconds, the driver's peak memory and the ratios
   (wall time dask/local, driver peak dask/local), the workers' peak memory.
   As the CLI's ``--engine dask`` does since issue #19's fifth pass, every stage runs as
   one task on a worker (:func:`mapper.distributed.on_worker`) and the client writes
   report.json from the bytes it fetches; the stage table then shows that task's
   thread CPU and its worker's peak RSS, and the serial part is the client's CPU plus
   the task's (less the later stages' imports the task does while the workers read,
   when they were still reading: that is counted as a task beside the reads).
   ``--client-stages``: the stages in the client instead (the Python API's way).
2. A simulated bigger cluster: each read task's time on its worker is known, so the
   read time of ``W`` one-thread workers is the longest queue of a
   longest-task-first schedule of those tasks; the serial part (planning,
   folding shards, merge, spam, graph, PageRank, geography, report and its writing)
   is measured.
   Printed for W = 1, 2, 4, 8 (``--simulate``): read time, total, and the serial
   fraction of the single-process time (Amdahl: the speed-up can never pass its
   inverse).  The tasks' times come from the 2-worker run on this 2-core machine,
   shared with other jobs: they are what one core does, not a cluster's.

    python -m benchmarks.dask_scale [--lines 200000] [--workers 2] [--shard-mb 16]
        [--input CORPUS] [--local-cluster] [--client-stages]

The cluster is started as a real one is: a ``dask scheduler`` process and
``dask worker`` processes, the benchmark's process being only the client (its CPU
is the driver's; the scheduler's is printed apart); ``--local-cluster`` uses a
``LocalCluster`` instead, whose scheduler runs inside the client's process.  Both
runs write report.json as the CLI does (:func:`mapper.report.write_report`), run with
the CLI's young-generation GC threshold (``mapper.cli.GC_YOUNG``; the workers' tasks
too, :func:`mapper.columns.client_gc`), pause the cyclic collector once the inputs
are read (``mapper.cli._analyze``) and drop
the interactions after the graph stage as the CLI does (``Options.release``); the
peak RSS after each stage is printed.  Cluster start-up (about 2–7 s) is printed
apart and not counted in the wall time.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import synth_tweets


def _finish(path: str, shard_bytes: int) -> dict:
    """The CLI's ``--engine dask`` work as one task on a worker
    (:func:`mapper.distributed.on_worker`, as :func:`~mapper.distributed.command_on_cluster`
    runs a command): every stage, timed in this task's thread (its CPU seconds are the
    serial part's), and report.json as bytes for the client to write."""
    from mapper._pipeline import Options, Run
    from mapper.distributed import DaskEngine, worker_address
    from mapper.report import write_report

    engine = DaskEngine(shard_bytes=shard_bytes)
    out: dict = {"before_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    run = Run([path], Options(locate=True, release=True), engine=engine)
    out["stages"] = _stages(
        run, out.setdefault("cpu", {}), out.setdefault("peaks", {}), time.thread_time
    )
    d = tempfile.mkdtemp(prefix="dask-scale-out-")  # the client fetches it, then removes it
    c0 = time.thread_time()
    write_report(run.product("report"), Path(d) / "report.json")
    out["write_cpu"] = time.thread_time() - c0
    out["report_at"] = (worker_address(), d, (Path(d) / "report.json").stat().st_size)
    out["timings"] = engine.timings
    out["tasks"] = engine.task_seconds
    out["merges"] = engine.merge_seconds
    out["spread"] = engine.spread_seconds  # the report's ties encoded on the workers
    out["people_spread"] = engine.people_seconds  # and its people's rows
    out["finish_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _stages(
    run, cpu: dict[str, float], peaks: dict[str, float], clock=time.process_time
) -> dict[str, float]:
    """Every stage of ``run`` in order, timed (wall seconds; CPU seconds of this
    process, every thread, into ``cpu``; the process's peak RSS in MB so far, after
    each stage, into ``peaks``).  The cyclic collector is paused once the read stage
    is done, as a CLI command does (``mapper.cli._analyze``)."""
    import gc

    from mapper._pipeline import STAGES

    out = {}
    for stage in STAGES:
        t0, c0 = time.perf_counter(), clock()
        run.product(stage.name)
        if run.options.release and stage.name == "graph":  # as Run.run_all
            run._release_interactions()
        if stage.name == "read":
            gc.disable()
        out[stage.name] = time.perf_counter() - t0
        cpu[stage.name] = clock() - c0
        peaks[stage.name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _worker_peaks(client) -> list[float]:
    """Each worker process's peak RSS in MB, smallest first."""
    return sorted(
        v / 1024
        for v in client.run(
            lambda: __import__("resource").getrusage(0).ru_maxrss  # RUSAGE_SELF
        ).values()
    )


def _cluster(workers: int, scheduler_apart: bool):
    """``(client, stop)``: a client of ``workers`` one-thread worker processes and
    ``stop()``, which ends them and returns the scheduler's CPU seconds since the
    workers joined (``None``
    when the scheduler ran in this process).  ``scheduler_apart``: the scheduler
    and the workers are started as a real cluster's are (``dask scheduler`` and
    ``dask worker`` processes), so this process is only the client (a
    ``LocalCluster`` runs its scheduler inside the client's process, and its CPU
    counted as the driver's)."""
    from dask.distributed import Client, LocalCluster

    if not scheduler_apart:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)

        def stop_local() -> None:
            client.close()
            cluster.close()

        return client, stop_local
    import psutil

    d = tempfile.mkdtemp(prefix="dask-scale-")
    sfile = str(Path(d) / "scheduler.json")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    sched = subprocess.Popen(
        [
            *(sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file"),
            *(sfile, "--host", "127.0.0.1", "--port", "0", "--no-dashboard"),
        ],
        **quiet,
    )
    while not Path(sfile).exists():
        time.sleep(0.1)
    nanny = subprocess.Popen(
        [
            *(sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", sfile),
            *("--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"),
        ],
        **quiet,
    )
    client = Client(scheduler_file=sfile)
    client.wait_for_workers(workers)
    before = psutil.Process(sched.pid).cpu_times()  # its start-up not counted

    def stop() -> float:
        cpu = psutil.Process(sched.pid).cpu_times()
        client.close()
        for p in (nanny, sched):
            p.terminate()
            p.wait(30)
        shutil.rmtree(d, ignore_errors=True)
        return cpu.user + cpu.system - before.user - before.system

    return client, stop


def child(
    mode: str,
    path: Path,
    report: Path,
    workers: int,
    shard_mb: float,
    scheduler_apart: bool,
) -> dict:
    """One run (in a child process): timings, peak RSS (MB), report written."""
    import gc

    from mapper._pipeline import Options, Run
    from mapper.cli import GC_YOUNG
    from mapper.report import write_report

    young = gc.get_threshold()  # as a CLI command runs (mapper.cli.main)
    gc.set_threshold(max(young[0], GC_YOUNG), *young[1:])

    out: dict = {"mode": mode}
    if mode == "local":
        run = Run([path], Options(locate=True, release=True))  # as the CLI runs
        out["before_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["stages"] = _stages(run, out.setdefault("cpu", {}), out.setdefault("peaks", {}))
    elif mode == "dask":  # the CLI's way: the stages as one task on a worker
        from mapper.distributed import _remove, fetch, on_worker
        from mapper.files import write_atomic

        t0 = time.perf_counter()
        client, stop = _cluster(workers, scheduler_apart)
        out["startup"] = time.perf_counter() - t0
        out["before_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        w0, c0 = time.perf_counter(), time.process_time()
        got, task_cpu = on_worker(
            client, _finish, str(path), int(shard_mb * 2**20), young=gc.get_threshold()[0]
        )
        worker, d, size = got.pop("report_at")  # fetched a chunk at a time, as the CLI does
        write_atomic(report, fetch(client, worker, str(Path(d) / "report.json"), size))
        client.submit(_remove, d, workers=[worker], pure=False).result()
        out["client_wall"], out["client_cpu"] = time.perf_counter() - w0, time.process_time() - c0
        out["task_cpu"] = task_cpu
        out.update(got)
        out["worker_peak_mb"] = _worker_peaks(client)
        out["scheduler_cpu"] = stop()
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return out
    else:  # the Python API's way: the stages in the client
        from mapper.distributed import DaskEngine

        t0 = time.perf_counter()
        client, stop = _cluster(workers, scheduler_apart)
        out["startup"] = time.perf_counter() - t0
        engine = DaskEngine(client=client, shard_bytes=int(shard_mb * 2**20))
        run = Run([path], Options(locate=True, release=True), engine=engine)
        out["before_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["stages"] = _stages(run, out.setdefault("cpu", {}), out.setdefault("peaks", {}))
        out["timings"] = engine.timings
        out["tasks"] = engine.task_seconds
        out["merges"] = engine.merge_seconds
        out["worker_peak_mb"] = _worker_peaks(client)
        out["scheduler_cpu"] = stop()
    # as the CLI writes it (streamed: the report's dict is never held whole)
    w0, c0 = time.perf_counter(), time.process_time()
    write_report(run.product("report"), report)
    out["write"] = (time.perf_counter() - w0, time.process_time() - c0)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _spawn(
    mode: str,
    path: Path,
    report: Path,
    workers: int,
    shard_mb: float,
    local_cluster: bool,
) -> dict:
    r = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.dask_scale", "--child", mode, str(path)),
            *(str(report), "--workers", str(workers), "--shard-mb", str(shard_mb)),
            *(["--local-cluster"] if local_cluster else []),
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
    ap.add_argument(
        "--local-cluster",
        action="store_true",
        help="a LocalCluster (its scheduler inside the client's process) instead of "
        "a scheduler and workers started as processes of their own",
    )
    ap.add_argument(
        "--client-stages",
        action="store_true",
        help="the stages after reading in the client (the Python API's way) instead of "
        "one task on a worker (the CLI's)",
    )
    ap.add_argument("--input", type=Path, help="this v1.1 corpus (e.g. one kept from a run before)")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "INPUT", "REPORT"))
    args = ap.parse_args(argv)
    if args.child:
        mode, path, report = args.child
        print(
            json.dumps(
                child(
                    mode,
                    Path(path),
                    Path(report),
                    args.workers,
                    args.shard_mb,
                    not args.local_cluster,
                )
            )
        )
        return 0
    with tempfile.TemporaryDirectory() as d:
        path = args.input or synth_tweets.write(Path(d) / "t.jsonl", args.lines, args.lines // 10)
        mb = path.stat().st_size / 2**20
        spawn = (args.shard_mb, args.local_cluster)
        load0 = os.getloadavg()[0]
        local = _spawn("local", path, Path(d) / "local.json", 1, *spawn)
        mode = "dask-client" if args.client_stages else "dask"
        dask = _spawn(mode, path, Path(d) / "dask.json", args.workers, *spawn)
        same = (Path(d) / "local.json").read_bytes() == (Path(d) / "dask.json").read_bytes()
    # the report's writing counted in both (the CLI's task writes it on the worker)
    t_local = sum(local["stages"].values()) + local["write"][0]
    c_local = sum(local["cpu"].values()) + local["write"][1]
    remote = mode == "dask"
    if remote:  # the client's whole wait and its CPU, plus the finishing task's CPU
        t_dask, c_dask = dask["client_wall"], dask["client_cpu"] + dask["task_cpu"]
    else:
        t_dask = sum(dask["stages"].values()) + dask["write"][0]
        c_dask = sum(dask["cpu"].values()) + dask["write"][1]
    # the finishing task's imports of the later stages, done while the workers read:
    # parallel work (a task beside the reads), not serial, unless the reads ended first
    tm = dask["timings"]
    overlapped = tm.get("warm_cpu", 0.0) * tm.get("warm_overlapped", 0.0)
    c_dask -= overlapped
    what = f"{args.lines:,} v1.1 tweets" if args.input is None else str(args.input)
    print(f"dask_scale: {what} ({mb:.0f} MB), locating on")
    print(f"  load average (1 min): {load0:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"  report.json identical: {'yes' if same else 'NO'}")
    if remote:
        print(
            "  the stages after planning run as one task on a worker (the CLI's --engine "
            "dask): its thread's CPU and that worker's peak RSS below; the client writes "
            "report.json from the bytes it gets back"
        )
    where = "task CPU s" if remote else "driver CPU s"
    print(f"  stage       local wall  CPU s  peak MB   dask wall  {where}  peak MB")
    for name in local["stages"]:
        print(
            f"  {name:<10} {local['stages'][name]:9.2f} {local['cpu'][name]:7.2f} "
            f"{local['peaks'][name]:7.0f} {dask['stages'][name]:10.2f} "
            f"{dask['cpu'][name]:8.2f} {dask['peaks'][name]:12.0f}"
        )
    if remote:
        print(
            f"  (client: {dask['client_cpu']:.2f} s CPU; the task writing the report "
            f"{dask['write_cpu']:.2f} s CPU; the task's CPU in all {dask['task_cpu']:.2f} s, "
            f"of which {tm.get('warm_cpu', 0.0):.2f} s importing the later stages while "
            f"the workers read ({'overlapped: not counted as serial' if overlapped else 'after the reads ended: counted as serial'}))"
        )
    print(
        f"  total      {t_local:9.2f} {c_local:7.2f} {t_dask:10.2f} {c_dask:8.2f}   "
        f"wall dask/local {t_dask / t_local:.2f}× ({args.workers} workers × 1 thread, "
        f"{len(dask['tasks'])} shards of {args.shard_mb:g} MB, {len(dask['merges'])} "
        f"combine tasks; cluster start-up {dask['startup']:.1f} s not counted)"
    )
    sched = dask.get("scheduler_cpu")
    print(
        "  scheduler: inside the client's process (a LocalCluster; its CPU is the driver's)"
        if sched is None
        else f"  scheduler: a process of its own (dask scheduler), {sched:.2f} s CPU "
        "(not the driver's; beside the workers' tasks, not after them)"
    )
    print(
        f"  driver peak: local {local['peak_mb']:.0f} MB, dask {dask['peak_mb']:.0f} MB "
        f"({dask['peak_mb'] / local['peak_mb']:.2f}×); workers' peaks "
        + ", ".join(f"{m:.0f}" for m in dask["worker_peak_mb"])
        + " MB"
        + (f" (the finishing task's worker {dask['finish_peak_mb']:.0f} MB)" if remote else "")
        + f"; before reading (modules, client): local {local['before_mb']:.0f} MB, "
        f"dask {dask['before_mb']:.0f} MB"
    )
    reads = [c for _, c in dask["tasks"]]
    merges = [c for _, c in dask["merges"]]
    print(
        f"  workers: read tasks {sum(w for w, _ in dask['tasks']):.2f} s wall, "
        f"{sum(reads):.2f} s CPU (the single process's read: {local['cpu']['read']:.2f} s CPU); "
        f"combine tasks {sum(w for w, _ in dask['merges']):.2f} s wall, {sum(merges):.2f} s CPU"
    )
    print(
        f"  driver: planning {tm.get('plan_cpu', 0):.2f} s CPU, submitting the tasks "
        f"{tm.get('submit_cpu', 0):.2f} s CPU; read {tm['read_wall']:.2f} s of which waiting for workers "
        f"{tm['read_waited']:.2f} s, folding {tm['fold']:.2f} s (summing counts "
        f"{tm['sum_counts']:.2f} s); locating {tm.get('locate_wall', 0):.2f} s "
        f"(waiting {tm.get('locate_waited', 0):.2f} s)"
    )
    # the serial part is the driver's own work: its CPU time (every thread: the
    # comms' unpickling too) — with the stages on a worker, the client's CPU and the
    # finishing task's (what it receives is unpickled in its thread) — against the
    # single process's CPU time (a shared machine stretches wall times; CPU times less)
    fraction = c_dask / c_local
    who = "client + finishing task" if remote else "driver"
    print(
        f"  serial part ({who}) {c_dask:.2f} s CPU = {fraction:.0%} of the single process's "
        f"{c_local:.2f} s CPU (Amdahl: speed-up below {1 / fraction:.1f}× however many "
        f"workers); by wall time {t_dask - tm['read_waited'] - tm.get('locate_waited', 0):.2f} s"
    )
    # the floor of that fraction while every person is in one process: the single
    # process's own stages after reading (PageRank, the influence stage, among them)
    after = c_local - local["cpu"]["read"]
    print(
        f"  the single process's stages after reading: {after:.2f} s CPU = "
        f"{after / c_local:.0%} of its CPU (PageRank, the influence stage, "
        f"{local['cpu']['influence']:.2f} s = {local['cpu']['influence'] / c_local:.1%})"
    )
    spread = [c for _, c in dask.get("spread", [])]
    if spread:
        print(
            f"  the report's ties encoded on the workers: {len(spread)} tasks, "
            f"{sum(spread):.2f} s CPU (parallel: not in the serial part)"
        )
    rows = [c for _, c in dask.get("people_spread", [])]
    if rows:
        print(
            f"  the report's people's rows made on the workers from the kept table: "
            f"{len(rows)} tasks, {sum(rows):.2f} s CPU (parallel: not in the serial part)"
        )
    spread += rows
    locate_work = tm.get("locate_waited", 0.0)  # worker-seconds, roughly
    print("  simulated W one-thread workers, each on a core of its own (task CPU times):")
    print("     W   read s   total s   speed-up vs local CPU")
    for w in args.simulate:
        # the combine tasks run beside the reads; the root's starts after the last read
        beside = [overlapped] if overlapped else []
        read = makespan(reads + merges[:-1] + beside, w) + (merges[-1] if merges else 0.0)
        # the ties' and people's encoding tasks run beside the finishing task's writing
        total = c_dask + read + locate_work / w + sum(spread) / w
        print(f"  {w:4d} {read:8.2f} {total:9.2f} {c_local / total:10.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
