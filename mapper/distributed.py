"""Beyond one machine: reading, merging and locating over input shards with Dask.

``analyze(..., engine="dask")`` runs the pipeline (:mod:`mapper._pipeline`) with
:class:`DaskEngine`, which swaps how ``read`` and ``locate`` work, not the order:

* :func:`plan` cuts the inputs (paths or fsspec URLs) into shards: big uncompressed
  JSON Lines inputs into nominal byte ranges, the rest one shard per input; the
  client reads only sizes and heads;
* :func:`read_columns` (on a worker) moves its range to line boundaries, reads it
  with the ordinary reader (a URL's range through a local temporary copy) and sends
  back :class:`~mapper.columns.ShardColumns`;
* the shards of an input cut into ranges are combined on the cluster, :data:`FAN_IN`
  at a time, level after level (:func:`~mapper.columns.combine`, a tree reduction):
  the client receives one table per input and folds them in input order
  (:class:`~mapper.columns.Reducer`): the same conversation as one process, its
  counted interactions kept as arrays (:class:`~mapper.columns.CountTable`) that the
  graph fold reads as they are;
* :func:`resolve_chunk` (on a worker) resolves distinct location strings with the
  gazetteer in the worker's own cache directory (:func:`worker_cache_dir`), sent
  there by :func:`ship_gazetteer` when missing;
* merge, spam, graph, influence, geography and report then run where the engine
  runs: in the client for the Python API; for the CLI (:func:`command_on_cluster`)
  the whole command is one task on a worker (:func:`on_worker`), whose output files
  the client fetches a chunk at a time (:func:`fetch`) and writes.

A local cluster is started unless a scheduler address is given.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from pathlib import Path
from typing import Any

from .columns import Reducer, ShardColumns, client_gc, from_conversation
from .errors import MapperError
from .model import Conversation
from .settings import Settings, applied

log = logging.getLogger("mapper")

#: JSON Lines files larger than this (bytes) are cut into several shards
SHARD_BYTES = 64 * 2**20

#: shards combined by one task of the tree reduction on the cluster
FAN_IN = 4

#: the modules the stages after reading import (:meth:`DaskEngine._warm_up`)
_LATER_MODULES = (
    ".identity",
    ".spam",
    ".geo.locate",
    ".sources.locations",
    ".graph",
    "scipy.sparse",
    ".geography",
    ".report",
)


def plan(
    inputs: Iterable[str | Path], shard_bytes: int | None = None
) -> list[tuple[str, tuple[int, int, int] | None]]:
    """The shards: ``(path, byte range or None for the whole file)``, in input order;
    inputs bigger than ``shard_bytes`` (default :data:`SHARD_BYTES`) are cut into
    nominal ranges ``(offset, length, -1)`` that the workers move to line boundaries
    (the driver reads no more than a file's head: counting the lines before each cut
    was a serial pass over every byte)."""
    shard_bytes = shard_bytes or SHARD_BYTES
    from .sources import detect, twitter_v1, twitter_v2
    from .sources.base import head_bytes

    out: list[tuple[str, tuple[int, int, int] | None]] = []
    for path in inputs:
        path = str(path)
        if is_url(path):
            out.extend(_plan_url(path, shard_bytes))
            continue
        reader = detect(path)
        plain = not head_bytes(path, 2).startswith(b"\x1f\x8b")
        size = os.path.getsize(path)
        if reader in (twitter_v1, twitter_v2) and plain and size > shard_bytes:
            out.extend((path, r) for r in _ranges(size, shard_bytes))
        else:
            out.append((path, None))
    return out


def is_url(path: str | Path) -> bool:
    """Whether ``path`` is a URL for fsspec (``file://``, ``https://``, ``s3://``, ...)."""
    return isinstance(path, str) and "://" in path


#: bytes of a URL's head fetched by the driver to tell its format
_HEAD = 65536


def _plan_url(url: str, shard_bytes: int) -> list[tuple[str, tuple[int, int, int] | None]]:
    """The shards of one URL: nominal byte ranges ``(offset, length, -1)`` that the
    workers move to line boundaries (``-1``: line numbers are known only after the
    read), or the whole input (gzip, or another format than tweet lines).  The
    driver reads only the URL's size and first 64 kB."""
    import fsspec

    from .sources import READERS, twitter_v1, twitter_v2
    from .sources.base import sniff_text

    fs, p = fsspec.core.url_to_fs(url)
    size = fs.size(p) or 0
    head = fs.cat_file(p, start=0, end=min(_HEAD, size)) if size else b""
    if url.endswith(".gz") or head.startswith(b"\x1f\x8b") or size <= shard_bytes:
        return [(url, None)]
    text = sniff_text(head)
    reader = next((r for r in READERS if r.sniff(text)), None)
    if reader not in (twitter_v1, twitter_v2):
        return [(url, None)]
    return [(url, r) for r in _ranges(size, shard_bytes)]


def _ranges(size: int, shard_bytes: int) -> list[tuple[int, int, int]]:
    """Nominal ranges ``(offset, length, -1)`` of about ``shard_bytes`` covering ``size``."""
    n = -(-size // shard_bytes)
    step = -(-size // n)
    return [(i * step, min(step, size - i * step), -1) for i in range(n)]


def _aligned(path: str, offset: int, length: int) -> tuple[int, int, int]:
    """A nominal range of a local file moved to line boundaries (a line belongs to the
    range it starts in), as the reader's ``(start, end, 1)``."""
    with open(path, "rb") as f:

        def line_start(pos: int) -> int:
            if pos <= 0:
                return 0
            f.seek(pos - 1)
            f.readline()  # to the end of the line holding byte pos - 1
            return f.tell()

        start, end = line_start(offset), line_start(offset + length)
    return (start, max(start, end), 1)


def _count_lines(path: str, start: int, end: int) -> int:
    """The lines of a local file that start in ``[start, end)`` (at line boundaries;
    the last line of the file counts with or without its newline)."""
    lines, left, last = 0, end - start, b"\n"
    with open(path, "rb") as f:
        f.seek(start)
        while left > 0:
            chunk = f.read(min(left, 1 << 24))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            left -= len(chunk)
            last = chunk[-1:]
    return lines + (last != b"\n")


def read_shard(
    path: str,
    shard: tuple[int, int, int] | None,
    author: str | None,
    cfg: Settings | None = None,
    by_handle: set[str] | None = None,
) -> Conversation:
    """Read one shard (runs on a worker, under the client's settings ``cfg``);
    ``by_handle`` (a v1.1 range): receives the ids of the people the reader first
    met in it by ``@handle`` (:func:`mapper.sources.twitter_v1.read`)."""
    from .sources import detect, read, twitter_v1, twitter_v2

    with applied(_on_worker(cfg)):
        reader = detect(path)
        if shard is not None and reader is twitter_v1:
            return twitter_v1.read(path, author=author, shard=shard, by_handle=by_handle)
        if shard is not None and reader is twitter_v2:
            return reader.read(path, author=author, shard=shard)
        return read([path], author=author)


def read_columns(
    path: str,
    shard: tuple[int, int, int] | None,
    part: int,
    author: str | None,
    cfg: Settings | None = None,
    young: int | None = None,
) -> ShardColumns:
    """Read one shard and return it as columns (runs on a worker): what the driver
    folds with :func:`mapper.columns.reduce`.  ``part`` is the shard's place in its
    input (0 for the first or only one); ``young``: the client's young-generation GC
    threshold (:func:`~mapper.columns.client_gc`)."""
    with client_gc(young):
        return _read_columns(path, shard, part, author, cfg)


def _read_columns(
    path: str,
    shard: tuple[int, int, int] | None,
    part: int,
    author: str | None,
    cfg: Settings | None = None,
) -> ShardColumns:
    from .sources import detect, twitter_v1, twitter_v2

    t0, c0 = time.perf_counter(), time.thread_time()
    if is_url(path):
        cols = _read_url(path, shard, part, author, cfg)
        cols.seconds, cols.cpu = time.perf_counter() - t0, time.thread_time() - c0
        return cols
    lines = 0
    relative = shard is not None and shard[2] < 0
    if shard is not None and shard[2] < 0:  # cut here, at line boundaries
        shard = _aligned(path, shard[0], shard[1])
        if shard[0] == shard[1]:  # a range inside one long line: nothing starts here
            return ShardColumns(input=str(path), part=part, lines=0, relative=True)
    with applied(cfg):
        reader = detect(path)
    fast = {twitter_v1: "v1", twitter_v2: "v2"}.get(reader, "") if shard is not None else ""
    # the people a later range of a v1.1 file first met by @handle: the reader counts
    # a record for each that the whole file would not (it met them earlier)
    via: set[str] | None = set() if fast == "v1" and part > 0 else None
    from .sources.jsonrecords import SHARD_LINES

    counted: list[int] = []
    token = SHARD_LINES.set(counted)  # the reader counts the range's lines as it reads
    try:
        conv = read_shard(path, shard, author, cfg, via)
    finally:
        SHARD_LINES.reset(token)
    if relative and shard is not None:
        lines = counted[0] if len(counted) == 1 else _count_lines(path, shard[0], shard[1])
    cols = from_conversation(conv, str(path), part if shard is not None else 0, fast, via)
    cols.relative, cols.lines = relative, lines
    cols.seconds, cols.cpu = time.perf_counter() - t0, time.thread_time() - c0
    return cols


def _read_url(
    url: str,
    shard: tuple[int, int, int] | None,
    part: int,
    author: str | None,
    cfg: Settings | None,
) -> ShardColumns:
    """Read a URL's shard on a worker: the byte range moved to line boundaries (or
    the whole input, gzip as it is) copied to a local temporary file, read by the
    ordinary reader, and the temporary name replaced by the URL in what it wrote.
    Line numbers count from the shard's start; :func:`~mapper.columns.reduce` adds
    the lines of the shards before it."""
    import shutil
    import tempfile
    from urllib.parse import urlsplit

    import fsspec
    from fsspec.utils import read_block

    name = Path(urlsplit(url).path).name or "input"
    with tempfile.TemporaryDirectory(prefix="mapper-shard-") as tmp:
        local = Path(tmp) / name
        if shard is None:
            with fsspec.open(url, "rb") as f, open(local, "wb") as out:
                shutil.copyfileobj(f, out, 1 << 20)
            cols = read_columns(str(local), None, 0, author, cfg)
        else:
            offset, length, _ = shard
            with fsspec.open(url, "rb") as f:
                block = read_block(f, offset, length, delimiter=b"\n")
            if not block.strip():  # a range inside one long line: nothing starts here
                return ShardColumns(input=url, part=part, lines=block.count(b"\n"), relative=True)
            local.write_bytes(block)
            cols = read_columns(str(local), (0, len(block), 1), part, author, cfg)
            cols.lines, cols.relative = block.count(b"\n"), True
            del block
        cols.input = url
        cols.part = part
        cols.renamed(str(local), url)
    return cols


#: Environment variable naming a worker's own cache directory (for the gazetteer);
#: without it a worker uses ``MAPPER_CACHE_DIR``, else its user's cache directory.
WORKER_CACHE_ENV = "MAPPER_WORKER_CACHE_DIR"


def worker_cache_dir() -> Path:
    """The cache directory of the process this runs in (a worker's own, never the
    driver's: a remote worker cannot see the driver's disk)."""
    import platformdirs

    return Path(
        os.environ.get(WORKER_CACHE_ENV)
        or os.environ.get("MAPPER_CACHE_DIR")
        or platformdirs.user_cache_dir("mapper")
    )


def _on_worker(cfg: Settings | None) -> Settings:
    """The client's settings with this worker's own cache directory."""
    return (cfg or Settings.current()).replace(cache_dir=worker_cache_dir())


def resolve_chunk(texts: list[str], cfg: Settings | None = None) -> dict[str, Any]:
    """Resolve location strings offline (runs on a worker, under the client's
    settings ``cfg`` but with the worker's own cache directory, where its gazetteer
    is built on first use, once per worker process)."""
    from .geo.locate import Locator

    with applied(_on_worker(cfg)):
        loc = Locator()
        return {_key(t): loc.resolve(t) for t in texts}


def _key(text: str) -> str:
    """The locator's memo key of a location string (``Locator.resolve``'s)."""
    return " ".join(text.split())


def _cluster_locator() -> Any:
    from .geo.locate import Locator

    class ClusterLocator(Locator):
        """A locator holding the workers' answers: resolved ones in its memo, the
        others used as they are unless an online geocoder is set (then it asks)."""

        def __init__(self) -> None:
            super().__init__()
            self.unresolved: dict[str, Any] = {}

        def resolve(self, text: str) -> Any:
            # the memo first (the workers' resolved answers; never a key of
            # ``unresolved`` unless a geocoder answered it): the key made once, not
            # twice, per person
            key = _key(text)
            hit = self._memo.get(key)
            if hit is not None:
                return hit
            if self.geocoder is None:
                hit = self.unresolved.get(key)
                if hit is not None:
                    return hit
            return super().resolve(text)

    return ClusterLocator()


def _gazetteer_state(name: str) -> tuple[str, bool]:
    """``(path, present)`` of gazetteer file ``name`` in this worker's cache directory."""
    path = worker_cache_dir() / name
    return str(path), path.exists()


def _receive(name: str, chunk: bytes, offset: int, last: bool) -> None:
    """Write a chunk of the shipped gazetteer (runs on a worker); the last one renames
    the temporary file into the worker's cache directory."""
    path = worker_cache_dir() / name
    tmp = path.with_suffix(f".{os.getpid()}.part")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "r+b" if offset else "wb") as f:
        f.seek(offset)
        f.write(chunk)
    if last:
        os.replace(tmp, path)


#: bytes of the gazetteer sent to the workers at a time
SHIP_CHUNK = 2 * 2**20


def ship_gazetteer(client: Any, path: Path) -> list[str]:
    """Copy the driver's gazetteer file into the cache directory of every worker that
    has none (a worker started with an empty cache would otherwise build it, about a
    minute of CPU); the driver holds one chunk at a time.  Returns the workers sent to."""
    states = client.run(_gazetteer_state, path.name)
    need = [w for w, (_, present) in states.items() if not present]
    if not need:
        return []
    size = path.stat().st_size
    log.info("dask: sending the gazetteer (%d MB) to %d worker(s)", size >> 20, len(need))
    with open(path, "rb") as f:
        offset = 0
        while True:
            chunk = f.read(SHIP_CHUNK)
            last = offset + len(chunk) >= size
            client.run(_receive, path.name, chunk, offset, last, workers=need)
            offset += len(chunk)
            if last:
                break
    return need


def client_for(scheduler: str | None, workers: int | None = None):
    """A Dask client: to ``scheduler`` when given, else to a new local cluster."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=workers or min(4, os.cpu_count() or 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # no dashboard, and its HTTP server on a free port: the default one (8787)
        # warned of "already in use" on stderr whenever another cluster ran here
        scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
    )
    return Client(cluster)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused (as it was before, after): folding a
    table makes a record per person and nothing cyclic, and each collection
    the allocations trigger walks every object the client holds (a third of the
    client's fold of 1M tweets' people, profiled in one process)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class DaskEngine:
    """The Dask engine of :mod:`mapper._pipeline`: ``read`` runs over input shards on
    the workers and folds their conversations in input order; ``locator`` resolves
    the distinct location strings on the workers in chunks.  Merging, spam and every
    later stage run in the client, in the pipeline's order, on the reduced data."""

    def __init__(
        self,
        scheduler: str | None = None,
        client: Any = None,
        shard_bytes: int | None = None,
        ship_gazetteer: bool = True,
    ):
        self.scheduler, self.shard_bytes = scheduler, shard_bytes
        self.ship_gazetteer = ship_gazetteer
        #: where the driver's time went (seconds): the read's wall time, the part of
        #: it spent waiting for workers, folding shards, summing counts; locating
        self.timings: dict[str, float] = {}
        #: each read task's ``(wall, CPU)`` seconds on its worker, in shard order, and
        #: each combine task's (the tree reduction's steps)
        self.task_seconds: list[tuple[float, float]] = []
        self.merge_seconds: list[tuple[float, float]] = []
        #: each task's that encoded a slice of the report's ties (:func:`spread_ties`)
        self.spread_seconds: list[tuple[float, float]] = []
        #: each task's that encoded a slice of the report's people (:func:`spread_people`)
        self.people_seconds: list[tuple[float, float]] = []
        #: the one table of people the combine tree made, kept on its worker (:class:`Kept`)
        self._kept: Kept | None = None
        self._client, self._own = client, client is None

    @property
    def client(self) -> Any:
        if self._client is None:
            task = _TASK_CLIENT.get()  # inside on_worker's task: its client, not a new one
            self._client, self._own = task or client_for(self.scheduler), task is None
        return self._client

    def read(self, inputs: list[str | Path], author: str | None) -> Conversation:
        client = self.client
        # the module's value when not given, read now (so a test can lower it)
        p0, c0 = time.perf_counter(), time.thread_time()
        shards = plan(inputs, self.shard_bytes or SHARD_BYTES)
        self.timings["plan"] = time.perf_counter() - p0
        self.timings["plan_cpu"] = (c1 := time.thread_time()) - c0
        log.info("dask: %d shard(s) on %s", len(shards), client.scheduler.address)
        # a shard's place in its input: 0 where an input starts (the same file given
        # twice is two inputs, as in one process)
        parts: list[int] = []
        for _, r in shards:
            parts.append(0 if r is None or r[0] == 0 else parts[-1] + 1)
        reads = client.map(
            read_columns,
            [p for p, _ in shards],
            [r for _, r in shards],
            parts,
            [author] * len(shards),
            [Settings.current()] * len(shards),
            [gc.get_threshold()[0]] * len(shards),  # the client's (a CLI command's)
            pure=False,
        )
        futures = self._tree(client, shards, reads)
        packed = in_task()
        # one table of people (one input, combined on the cluster) read by the finishing
        # task: kept where it is, for report.json's people's rows (spread_people)
        keep = futures[0] if packed and len(futures) == 1 else None
        if packed:  # unpickled in this task's thread, where its CPU is counted
            futures = [client.submit(_packed, _same, f, pure=False) for f in futures]
        # the client keeps no other future of a combined shard: the workers drop its
        # columns once combined, instead of holding every shard they read until the end
        del reads
        self.timings["submit_cpu"] = time.thread_time() - c1
        # folded in input order as they come (the same result as one process); each
        # shard's columns are dropped once folded, so the driver holds one at a time
        if packed:  # the later stages' modules imported while the workers read
            self._warm_up(futures)
        reducer = Reducer()
        kept: Kept | None = None
        t0 = time.perf_counter()
        waited = 0.0
        got = t0
        for fut in futures:
            w0 = time.perf_counter()
            cols = fut.result()
            if packed:
                cols = pickle.loads(cols)
            got = time.perf_counter()
            waited += got - w0
            fut.release()
            self.task_seconds.extend(cols.tasks or [(cols.seconds, cols.cpu)])
            self.merge_seconds.extend(cols.merges)
            kept = Kept(keep, cols) if keep is not None else None
            with _no_gc():
                reducer.add(cols)
            del cols
        w0 = time.perf_counter()
        with _no_gc():
            conv = reducer.result()
        if kept is not None and list(conv.people) == kept.ids:  # its records, in its order
            kept.made = list(conv.people.values())
            self._kept = kept
        end = time.perf_counter()
        # fold_tail: the client's work after the last shard arrived (the rest of the
        # folding overlaps the workers still reading)
        self.timings.update(
            read_wall=end - t0,
            read_waited=waited,
            fold=end - t0 - waited,
            fold_tail=end - got,
            sum_counts=end - w0,
        )
        return conv

    def _warm_up(self, futures: list) -> None:
        """Import what the stages after reading import (the geocoder, networkx, SciPy,
        the report: ~0.8 s of CPU) while the workers read, where it is off the serial
        path unless the reads are done first.  Runs in :func:`on_worker`'s task (the
        client's stages are the Python API's, which may never run them).  Timed:
        ``warm_cpu`` (this thread's CPU) and ``warm_overlapped`` (1.0 when the reads
        were still running when it ended, else 0.0: then it was serial)."""
        import importlib

        c0 = time.thread_time()
        for name in _LATER_MODULES:
            importlib.import_module(name, __package__)
        self.timings["warm_cpu"] = time.thread_time() - c0
        self.timings["warm_overlapped"] = float(not all(f.done() for f in futures))

    def _tree(self, client: Any, shards: list, reads: list) -> list:
        """The shards of each input cut into line ranges combined on the cluster,
        :data:`FAN_IN` at a time, level after level (:func:`~mapper.columns.combine`),
        into one shard per input: the client receives and folds one table per input
        rather than one per shard.  Other shards are passed on as they are."""
        from .columns import combine_under

        young = gc.get_threshold()[0]

        out: list = []
        run: list = []  # the current input's ranged shards, in order

        def flush() -> None:
            level = run[:]
            while len(level) > 1:
                level = [
                    client.submit(combine_under, young, *level[i : i + FAN_IN], pure=False)
                    if len(level[i : i + FAN_IN]) > 1
                    else level[i]
                    for i in range(0, len(level), FAN_IN)
                ]
            out.extend(level)
            run.clear()

        for (_, r), fut in zip(shards, reads, strict=True):
            if r is not None and r[0] != 0 and run:
                run.append(fut)
                continue
            flush()
            if r is None:
                out.append(fut)
            else:
                run.append(fut)
        flush()
        return out

    def locator(self, conv: Conversation) -> Any:
        client = self.client
        texts = sorted({p.location_text for p in conv.people.values() if p.location_text})
        chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
        t0 = time.perf_counter()
        locator = _cluster_locator()  # the driver's own gazetteer, for what else it looks up
        if self._kept is not None and in_task():  # what it gives each person, for their rows
            locator.record = self._kept.marks
        if chunks and self.ship_gazetteer:
            ship_gazetteer(client, locator.gz.path)
        w0 = time.perf_counter()
        cfgs = [Settings.current()] * len(chunks)
        if in_task():  # unpickled in this task's thread, where its CPU is counted
            futures = client.map(_packed, [resolve_chunk] * len(chunks), chunks, cfgs, pure=False)
            done = [pickle.loads(b) for b in client.gather(futures)]
        else:
            futures = client.map(resolve_chunk, chunks, cfgs)
            done = client.gather(futures)
        self.timings["locate_waited"] = time.perf_counter() - w0
        for answers in done:
            for key, answer in answers.items():
                if answer[0].resolved:
                    locator._memo[key] = answer
                else:  # used unless an online geocoder is to have its turn
                    locator.unresolved[key] = answer
        self.timings["locate_wall"] = time.perf_counter() - t0
        return locator

    def ties(self, edges: Any) -> Any:
        """The report's ties (:func:`mapper.report.ties`); in :func:`on_worker`'s task,
        their rows for report.json are encoded on the workers when it is written
        (:func:`spread_ties`)."""
        from .report import ties

        made = ties(edges)
        if in_task():
            spread_ties(self.client, made, self.spread_seconds)
        return made

    def finished(self, report: Any) -> Any:
        """The report (:func:`mapper.report.build_report`'s); in :func:`on_worker`'s task,
        with the people kept on the workers (:class:`Kept`), their rows for report.json
        are encoded there when it is written (:func:`spread_people`)."""
        from .report import People

        kept, people = self._kept, report.people
        if kept is None or not in_task() or len(people) < SPREAD_PEOPLE:
            return report
        if isinstance(people, People):  # (report.ranked's)
            spread_people(self.client, kept, people, self.people_seconds)
        return report

    def close(self) -> None:
        self._kept = None
        if self._own and self._client is not None:
            cluster = getattr(self._client, "cluster", None)
            self._client.close()
            if cluster is not None:
                cluster.close()
            self._client = None


def read_and_locate(
    inputs: list[str | Path],
    *,
    author: str | None,
    aliases: Any,
    scheduler: str | None = None,
    client: Any = None,
    shard_bytes: int | None = None,
) -> tuple[Conversation, Any]:
    """``(conversation, locator)``: the inputs read over shards, merged and spam
    flagged (the pipeline's stages up to ``spam``), and a
    :class:`~mapper.geo.locate.Locator` already holding every profile location
    string resolved on the workers."""
    from ._pipeline import Options, Run

    engine = DaskEngine(scheduler=scheduler, client=client, shard_bytes=shard_bytes)
    with Run(inputs, Options(author=author, aliases=aliases), engine=engine) as run:
        conv = run.product("spam")
        return conv, engine.locator(conv)


# --- the finishing stages as one task on a worker (the CLI's --engine dask) ------------

#: the Dask client of the task this runs in (:func:`on_worker`): a
#: :class:`DaskEngine` made inside the task submits its read and locate tasks through
#: it instead of connecting again
_TASK_CLIENT: ContextVar[Any] = ContextVar("mapper_task_client", default=None)


def in_task() -> bool:
    """Whether this runs inside :func:`on_worker`'s task."""
    return _TASK_CLIENT.get() is not None


def on_worker(client: Any, fn: Any, *args: Any, young: int | None = None) -> tuple[Any, float]:
    """``(fn(*args), CPU seconds)``, run as one task on a worker of ``client`` under
    the client's settings (with the worker's own cache directory) and young-generation
    GC threshold ``young``; a :class:`DaskEngine` made inside submits its tasks from
    there (the task leaves the worker's thread pool while it waits, so that worker
    reads too).  The CPU seconds are the task's thread's: its share of the serial part
    (what it receives from other tasks is sent to it pickled, unpickled in that thread).
    The files ``fn`` writes are not synced to the worker's disk (:data:`mapper.files.DURABLE`):
    they are the client's to fetch and write."""
    fut = client.submit(_task, fn, args, Settings.current(), young, pure=False)
    try:
        return fut.result()
    finally:
        fut.release()


def _task(fn: Any, args: tuple, cfg: Settings, young: int | None) -> tuple[Any, float]:
    from dask.distributed import worker_client

    c0 = time.thread_time()
    was = gc.isenabled()
    from .files import DURABLE

    with worker_client() as c, client_gc(young), applied(_on_worker(cfg)):
        token, durable = _TASK_CLIENT.set(c), DURABLE.set(False)  # its files: the client's
        try:
            out = fn(*args)
        finally:
            DURABLE.reset(durable)
            _TASK_CLIENT.reset(token)
            if was:  # a CLI command pauses the collector once its inputs are read
                gc.enable()
    return out, time.thread_time() - c0


def _packed(fn: Any, *args: Any) -> bytes:
    """``fn(*args)`` pickled (runs on a worker): the task that receives it unpickles
    it in its own thread, where its CPU is counted (:func:`on_worker`)."""
    import pickle

    return pickle.dumps(fn(*args), protocol=5)


#: fewer ties than this are encoded where the report is written (:func:`spread_ties`)
SPREAD_TIES = 20_000


def spread_ties(client: Any, made: Any, seconds: list[tuple[float, float]] | None = None) -> None:
    """Have the rows of ``made`` (a :class:`mapper.report.Ties`) for report.json
    encoded on the workers, a slice per task, when :func:`mapper.report.write_report`
    starts (``made.encoded_by``: the tasks run while it makes the people's rows; a
    command that writes no report.json submits none) and received, in order, when it
    reaches ``edges``: the edges rows (600k at 1M tweets, 0.6 s of CPU to make and
    encode) off the serial path.  The same function encodes them as in one process
    (:func:`mapper.report.encode_ties`): the same bytes.  Each task's ``(wall, CPU)``
    seconds are appended to ``seconds`` as it is received."""
    if len(made) < SPREAD_TIES:
        return

    def start() -> Iterator[bytes]:
        [nodes] = client.scatter([list(made.nodes)], hash=False)  # sent once, not per task
        futures = [client.submit(_encoded, nodes, *part, pure=False) for part in made.slices()]
        return _received(futures, seconds)

    made.encoded_by = start


def _received(futures: list, seconds: list[tuple[float, float]] | None) -> Iterator[Any]:
    """What each task of ``futures`` gives (``(data, (wall, CPU seconds))`` pickled), in
    order, unpickled in this thread (the finishing task's: serial); each task's seconds
    appended to ``seconds``."""
    for fut in futures:
        data, took = pickle.loads(fut.result())
        fut.release()
        if seconds is not None:
            seconds.append(took)
        yield data


#: fewer people than this are encoded where the report is written (:func:`spread_people`)
SPREAD_PEOPLE = 5_000

#: ranked people whose rows one task encodes (:func:`spread_people`)
PEOPLE_SLICE = 8192


class Kept:
    """The one table of people the combine tree made (an input cut into ranges: the
    finishing task folds it into ``made``, one record per row, in its order), left on
    its worker after the read: report.json's people's rows are made there from its
    columns (:func:`spread_people`).  Holds the future and what the stages after
    reading may change of a record, as it was read (to tell the records they changed)."""

    def __init__(self, future: Any, cols: ShardColumns) -> None:
        self.future = future
        # (lists the fold drops from ``cols``, not copies)
        self.ids, self.names, self.location = cols.ids, cols.names, cols.location
        self.records: list[int] = cols.records.tolist()
        #: the evidence entries each record had as read (the stages only append)
        self.evidence = {i: len(e) for i, e in cols.evidence.items()}
        self.made: list[Any] = []
        #: what locating gave each record from its profile string alone, in the
        #: conversation's order (``Locator.record``): sent as the string's codes
        self.marks: list[Any] = []


def spread_people(
    client: Any, kept: Kept, people: Any, seconds: list[tuple[float, float]] | None = None
) -> None:
    """Have the rows of report.json's ``people`` (``people``: a
    :class:`mapper.report.People` of the records folded from ``kept``) encoded on the
    workers, :data:`PEOPLE_SLICE` ranked people a task, when
    :func:`mapper.report.write_report` starts (``people.encoded_by``), and received in
    order.  Each task makes its records from the kept table's columns by
    :func:`mapper.columns._people` — the rule the fold made them by — gives them what
    the stages after reading decided, sent as arrays (:func:`_people_spec`: place,
    evidence added, spam, score), and encodes them by
    :func:`mapper.report.encode_people`, as one process does: the same bytes.  A record
    the stages changed otherwise (merged, renamed, named) is sent whole."""

    def start(exact: bool) -> Iterator[bytes]:
        specs, shared = _people_spec(kept, people, PEOPLE_SLICE)
        # pickled here: given as they are, Dask walks every list looking for futures
        # (half a million calls at 1M tweets, more than the rows cost to encode)
        [common] = client.scatter([pickle.dumps(shared, protocol=5)], hash=False)
        futures = [
            client.submit(
                _people_rows, kept.future, common, pickle.dumps(spec, protocol=5), exact, pure=False
            )
            for spec in specs
        ]
        return chain.from_iterable(_received(futures, seconds))  # each task's batches

    people.encoded_by = start


def _people_spec(kept: Kept, people: Any, size: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What :func:`_people_rows` needs besides the kept table: for each slice of
    ``size`` ranked people, each row's record in the table (or the record itself,
    ``sent``, when the stages changed it other than by a place, evidence appended and
    the spam flag: a merged, renamed or named record); and once for every task, in
    the table's order, each record's place and evidence appended (codes into the
    distinct places' and entries' values), spam flag and score.  Read in the table's
    order, each record once with its fields together: the records, their evidence and
    places were made in that order, and a pass over 84.5k of them in rank order cost
    as much as encoding their rows (cache misses, at 1M tweets)."""
    from itertools import compress, repeat
    from operator import and_, attrgetter, is_, is_not, itemgetter

    import numpy as np

    from .model import Place

    n, m = len(people), len(kept.made)
    # each row's record in the table, -1 for another (a merged record); read in the
    # order the rows were made (report.ranked's), then ranked
    unranked, order = getattr(people, "unranked", None), getattr(people, "order", None)
    rows = people if unranked is None or len(unranked) != n else unranked
    persons = list(map(attrgetter("person"), rows))
    # the conversation's records the table's, in its order (nothing merged: most inputs)
    aligned = rows is unranked and n == m and all(map(is_, persons, kept.made))
    if aligned:
        idx = np.array(order, np.int64)
    else:
        made = dict(zip(map(id, kept.made), range(m), strict=True))  # (kept.made: alive)
        idx = np.fromiter(map(made.get, map(id, persons), repeat(-1)), np.int64, n)
        if rows is unranked:
            idx = idx[order]
    del persons
    # each record's ranked row (the rank order's inverse), -1 for one merged away
    rank = np.full(m, -1, np.int64)
    rank[idx[idx >= 0]] = np.flatnonzero(idx >= 0)
    # a record merged away has no row; two rows never name one record
    listed = rank >= 0
    got = attrgetter("id", "name", "location_text", "records", "evidence", "place", "spam")
    pid, name, location, records, evidence, place_of, spam = zip(*map(got, kept.made), strict=True)
    # what the stages may change of a record not merged, besides its place, evidence
    # (appended) and spam flag: its id and name (identity's renaming and naming); its
    # location and records (never, as far as the stages go: checked all the same)
    ok = listed.copy()
    ok &= np.fromiter(map(is_, pid, kept.ids), bool, m)
    ok &= np.fromiter(map(is_, name, kept.names), bool, m)
    ok &= np.fromiter(map(is_, location, kept.location), bool, m)
    ok &= np.array(records, np.int64) == np.array(kept.records, np.int64)
    # the evidence entries the stages appended (locating: one, most records)
    had = np.zeros(m, np.int64)
    if kept.evidence:
        had[list(kept.evidence)] = list(kept.evidence.values())
    added = np.fromiter(map(len, evidence), np.int64, m) - had
    ok &= added >= 0
    entries: dict[tuple[Any, ...], int] = {}
    tail = np.full(m, -1, np.int64)
    places: dict[tuple[Any, ...], int] = {}
    code = np.full(m, -1, np.int64)
    fields = attrgetter(*Place.__dataclass_fields__)
    # what locating gave a record from its profile string alone (most records), coded
    # once per string: where the record's last entry and place are still the very
    # objects it gave (``kept.marks``, noted in the conversation's order: the table's)
    marked = np.zeros(m, bool)
    reps: list[Place] = []  # one place per string, for the checks below
    if aligned and len(kept.marks) == m:
        marks = kept.marks
        sel = np.flatnonzero(
            ok & (added == 1) & np.fromiter(map(is_not, marks, repeat(None)), bool, m)
        ).tolist()
        mk = list(map(marks.__getitem__, sel))
        last = map(itemgetter(-1), map(evidence.__getitem__, sel))
        own = map(is_, map(place_of.__getitem__, sel), map(itemgetter(1), mk))
        same = list(map(and_, map(is_, last, map(itemgetter(0), mk)), own))
        sel, mk = list(compress(sel, same)), list(compress(mk, same))
        hit_of = list(map(id, map(itemgetter(2), mk)))
        by_hit: dict[int, tuple[int, int]] = {}
        for h, (entry, pl, _) in dict(zip(hit_of, mk, strict=True)).items():
            by_hit[h] = (
                _codes([tuple(entry.items())], entries)[0],
                _codes([fields(pl)], places)[0] if pl is not None else -1,
            )
            if pl is not None:
                reps.append(pl)
        pairs = list(map(by_hit.__getitem__, hit_of))
        tail[sel] = list(map(itemgetter(0), pairs))
        code[sel] = list(map(itemgetter(1), pairs))
        marked[sel] = True
    one = np.flatnonzero(ok & (added == 1) & ~marked).tolist()
    last = map(itemgetter(-1), map(evidence.__getitem__, one))
    tail[one] = _codes(list(map(tuple, map(dict.items, last))), entries)
    more: dict[int, tuple[int, ...]] = {}
    for i in np.flatnonzero(ok & (added > 1)).tolist():
        more[i] = tuple(_codes([tuple(e.items()) for e in evidence[i][-int(added[i]) :]], entries))
        ok[i] &= -2 not in more[i]
    # an entry is made again from its items: text values only (1 == 1.0 == True, not in JSON)
    bad = [c for k, c in entries.items() if any(v is not None and type(v) is not str for _, v in k)]
    ok &= tail != -2
    if bad:
        ok &= ~np.isin(tail, bad)
        for i, codes in more.items():
            ok[i] &= not set(codes).intersection(bad)
    # places: each record's a copy (locating's), coded by their values and made again
    # from them: each field's values of one type (and None), as 1 == 1.0, not in JSON
    has_place = np.fromiter(map(is_not, place_of, repeat(None)), bool, m)
    located = np.flatnonzero(has_place & ~marked).tolist()
    placed = list(map(place_of.__getitem__, located))
    values = list(map(fields, placed))
    code[located] = _codes(values, places)
    ok &= code != -2
    values += map(fields, reps)
    mixed = any(
        len(set(map(type, field)) - {type(None)}) > 1 for field in zip(*values, strict=False)
    )
    if mixed or set(map(type, placed + reps)) - {Place}:
        ok[has_place] = False  # (never, as locating makes them: sent whole)
    # the scores of the records listed, in the table's order (their rows were made in it)
    in_table = unranked if aligned else np.fromiter(people, object, n)[rank[listed]].tolist()
    score = attrgetter("score.pagerank", "score.in_degree", "score.out_degree")
    columns: list[Any] = []
    for values_of in zip(*map(score, in_table), strict=True) if in_table else ((), (), ()):
        full = np.full(m, None, object)
        full[listed] = values_of
        columns.append(full.tolist())
    # each row: its record's index when made again from the table, else sent whole
    use = np.where(idx >= 0, ok[np.maximum(idx, 0)], False)
    idx[~use] = -1
    sent = {r: people[r] for r in np.flatnonzero(~use).tolist()}
    specs = [
        {
            "idx": idx[first : first + size],
            "sent": {r - first: x for r, x in sent.items() if first <= r < first + size},
        }
        for first in range(0, n, size)
    ]
    common = {
        "places": list(places),
        "entries": list(entries),
        "place": code,
        "added": tail,
        "more": {i: c for i, c in more.items() if ok[i]},
        "spam": spam,
        "pagerank": columns[0],
        "in_degree": columns[1],
        "out_degree": columns[2],
    }
    return specs, common


def _codes(keys: list[Any], distinct: dict[Any, int]) -> list[int]:
    """Each key's code in ``distinct``, where new keys are added in the order first met;
    -2 for a key that cannot be one (an unhashable value)."""
    try:
        new = dict.fromkeys(keys)
    except TypeError:
        return [_code(k, distinct) for k in keys]
    for k in new:
        if k not in distinct:
            distinct[k] = len(distinct)
    return list(map(distinct.__getitem__, keys))


def _code(key: Any, distinct: dict[Any, int]) -> int:
    """:func:`_codes` for one key (the slow path, when a key of the batch is unhashable)."""
    try:
        return distinct.setdefault(key, len(distinct))
    except TypeError:
        return -2


def _people_rows(table: ShardColumns, common: bytes, packed: bytes, exact: bool) -> bytes:
    """``(rows, (wall, CPU seconds))`` pickled (runs on a worker, :func:`spread_people`):
    the rows of report.json's ``people`` of one slice of the ranked people, as
    :func:`mapper.report.encode_people` makes them in one process, from ``table`` (the
    kept table of people, :class:`Kept`), ``common`` and ``packed`` (:func:`_people_spec`'s
    columns of every record and one slice's rows, pickled)."""
    from .columns import _people
    from .model import Place
    from .products import Ranked, Score
    from .report import encode_people

    t0, c0 = time.perf_counter(), time.thread_time()
    c, spec = pickle.loads(common), pickle.loads(packed)
    places = [Place(*values) for values in c["places"]]
    entries = [dict(k) for k in c["entries"]]
    place, added, more, spam = c["place"].tolist(), c["added"].tolist(), c["more"], c["spam"]
    pagerank, in_degree, out_degree = c["pagerank"], c["in_degree"], c["out_degree"]
    records, profile_only = table.records.tolist(), table.profile_only.tolist()
    lines_at = table.lines_at.tolist()
    sent, idx = spec["sent"], spec["idx"].tolist()
    # the records as the fold made them (the same function), then as the stages left them
    made = iter(_people(table, records, profile_only, lines_at, [i for i in idx if i >= 0]))
    rows = []
    for r, i in enumerate(idx):
        if i < 0:
            rows.append(sent[r])
            continue
        p = next(made)
        if added[i] >= 0:
            p.evidence = [*p.evidence, entries[added[i]]]
        elif i in more:
            p.evidence = [*p.evidence, *(entries[e] for e in more[i])]
        p.place = places[place[i]] if place[i] >= 0 else None
        p.spam = spam[i]
        rows.append(Ranked(p, Score(pagerank[i], in_degree[i], out_degree[i])))
    data = list(encode_people(rows, exact))
    took = (time.perf_counter() - t0, time.thread_time() - c0)
    return pickle.dumps((data, took), protocol=5)


def _encoded(nodes: list[str], *part: Any) -> bytes:
    """``(encode_ties(nodes, *part), (wall, CPU seconds))`` pickled (runs on a worker,
    :func:`spread_ties`)."""
    from .report import encode_ties

    t0, c0 = time.perf_counter(), time.thread_time()
    data = encode_ties(nodes, *part)
    took = (time.perf_counter() - t0, time.thread_time() - c0)
    return pickle.dumps((data, took), protocol=5)


def _same(x: Any) -> Any:
    return x


#: the CLI commands run as one task on a worker by ``--engine dask``, with the options
#: naming the files they write (each written by the client from the bytes it gets back)
REMOTE_COMMANDS: dict[str, tuple[str, ...]] = {
    "report": ("output",),
    "people": ("output",),
    "graph": ("output",),
    "map": ("output", "report", "geojson"),
}

#: the options naming a small file the command reads besides its inputs: sent to the
#: worker when it cannot see the client's copy
_SIDE_FILES = ("aliases", "locations")


def command_on_cluster(args: Any, command: Any) -> int | None:
    """Run CLI ``command`` (``mapper.cli``'s function, given ``--engine dask``) on
    ``args`` as one task on a worker
    (:func:`on_worker`): reading over shards, locating and every later stage happen on
    the cluster, and the client only writes the files (report, map, CSV, graph) the
    task sends back, prints what it printed and logs what it logged.  The client's
    memory is then Dask's and the outputs', not the people's, ties' and report's.
    ``None`` (run it in the client as before) for a command writing to standard
    output, drawing charts or asking an online geocoder (its cache is the client's)."""
    names = REMOTE_COMMANDS.get(args.command)
    if names is None or getattr(args, "charts", None) or getattr(args, "geocoder", None):
        return None
    outputs = {n: str(getattr(args, n)) for n in names if getattr(args, n, None)}
    if not outputs or "-" in outputs.values():
        return None
    side: dict[str, tuple[str, bytes]] = {}
    for name in _SIDE_FILES:
        value = getattr(args, name, None)
        if value and Path(value).is_file():
            side[name] = (str(value), Path(value).read_bytes())
    client = client_for(args.scheduler)
    try:
        locating = args.command == "map" or getattr(args, "locate", False)
        locating = locating or (args.command == "people" and not args.no_locate)
        if locating:
            from .geo import gazetteer

            path = gazetteer.default_path()
            if not path.exists():
                gazetteer.get()  # built here once, as the client did before
            ship_gazetteer(client, path)
        level = logging.getLogger("mapper").getEffectiveLevel()
        got, _ = on_worker(
            client, _command, command, args, outputs, side, level, young=gc.get_threshold()[0]
        )
        from .files import write_atomic

        if "error" in got:  # raised in the task: logged there, raised here
            for level, message in got["logs"]:
                log.log(level, "%s", message)
            raise got["error"]
        try:
            for level, message in got["logs"]:
                log.log(level, "%s", message)
            for path, there, size in got["files"]:  # a chunk at a time: never whole here
                write_atomic(path, fetch(client, got["worker"], there, size))
        finally:
            client.submit(_remove, got["dir"], workers=[got["worker"]], pure=False).result()
    finally:
        if args.scheduler is None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    if got["stdout"]:
        import sys

        from .terminal import escape

        sys.stdout.write(escape(got["stdout"]) if sys.stdout.isatty() else got["stdout"])
    return int(got["code"])


#: bytes of a task's output file fetched from its worker at a time (:func:`fetch`)
FETCH_CHUNK = 2 * 2**20


def fetch(client: Any, worker: str, path: str, size: int) -> Iterator[bytes]:
    """The bytes of file ``path`` of ``worker`` (a task's output), a chunk at a time:
    the client holds one chunk, not the file (a 1M-tweet report.json is larger than
    the rest of the client's memory).  A chunk is a sixteenth of the file, from
    :data:`FETCH_CHUNK` to 4× that: a round trip costs the client ~3 ms of CPU (75 of
    them for a 150 MB report at 2 MB), and a sixteenth of a report is a small part of
    what the single process that made it held (it held the people and ties it lists)."""
    step = min(max(size // 16, FETCH_CHUNK), 4 * FETCH_CHUNK)
    for offset in range(0, size, step):
        fut = client.submit(_chunk, path, offset, step, workers=[worker], pure=False)
        yield fut.result()
        fut.release()


def _chunk(path: str, offset: int, size: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


def _remove(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def worker_address() -> str:
    """The address of the worker this task runs on."""
    from dask.distributed import get_worker

    return str(get_worker().address)


class _Records(logging.Handler):
    """Keeps ``(level, message)`` of each record (a task's log, replayed by the client)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _command(
    command: Any,
    args: Any,
    outputs: dict[str, str],
    side: dict[str, tuple[str, bytes]],
    level: int,
) -> dict[str, Any]:
    """:func:`command_on_cluster`'s task: the command run with its outputs written to
    a temporary directory of the worker, read back as bytes."""
    import contextlib
    import copy
    import io
    import tempfile

    logger = logging.getLogger("mapper")
    saved = logger.handlers[:], logger.level, logger.propagate
    handler = _Records(level)
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    printed = io.StringIO()
    args = copy.copy(args)
    files: list[tuple[str, str, int]] = []
    tmp = tempfile.mkdtemp(prefix="mapper-out-")  # removed by the client once fetched
    try:
        where: dict[str, Path] = {}
        for name, path in outputs.items():
            d = Path(tmp) / name
            d.mkdir()
            setattr(args, name, str(d / Path(path).name))
            where[name] = d
        for name, (path, data) in side.items():
            if not Path(path).is_file():  # not on this worker's disk: the client's copy
                d = Path(tmp) / "side" / name
                d.mkdir(parents=True)
                (d / Path(path).name).write_bytes(data)
                setattr(args, name, str(d / Path(path).name))
        with contextlib.redirect_stdout(printed):
            try:
                code = command(args)
            except MapperError as e:  # the user's mistake: the client says it, not Dask
                _remove(tmp)
                return {"error": e, "logs": handler.records}
        for name, d in where.items():
            base = Path(outputs[name]).parent
            for f in sorted(d.rglob("*")):
                if f.is_file():
                    files.append((str(base / f.relative_to(d)), str(f), f.stat().st_size))
    except BaseException:
        _remove(tmp)
        raise
    finally:
        logger.handlers[:], _, logger.propagate = saved
        logger.setLevel(saved[1])
    # what the command said names its files where the client writes them, not here
    stdout, logs = printed.getvalue(), handler.records
    for mine, there, _ in sorted(files, key=lambda f: -len(f[1])):
        stdout = stdout.replace(there, mine)
        logs = [(level, message.replace(there, mine)) for level, message in logs]
    return {
        "code": code,
        "files": files,
        "worker": worker_address(),
        "dir": tmp,
        "stdout": stdout,
        "logs": logs,
    }
