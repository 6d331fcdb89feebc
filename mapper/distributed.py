"""Beyond one machine: reading, merging and locating over input shards with Dask.

``analyze(..., engine="dask")`` runs the pipeline (:mod:`mapper._pipeline`) with
:class:`DaskEngine`: it cuts the inputs into shards (each file; big
uncompressed JSON Lines files into byte ranges at line boundaries), reads them on
Dask workers, folds the shards' people and counted interactions together in input
order, resolves the distinct location strings on the workers in chunks, then does
the rest (merge, spam, evidence, influence, geography) in the client on the reduced
data — the same functions as the single-process path, so the results are the same.
A local cluster is started unless a scheduler address is given.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Conversation
from .settings import Settings, applied

log = logging.getLogger("mapper")

#: JSON Lines files larger than this (bytes) are cut into several shards
SHARD_BYTES = 64 * 2**20


def plan(
    inputs: Iterable[str | Path], shard_bytes: int = SHARD_BYTES
) -> list[tuple[str, tuple[int, int, int] | None]]:
    """The shards: ``(path, byte range or None for the whole file)``, in input order."""
    from .sources import detect, twitter_v1, twitter_v2
    from .sources.base import head_bytes
    from .sources.jsonrecords import split

    out: list[tuple[str, tuple[int, int, int] | None]] = []
    for path in inputs:
        path = str(path)
        reader = detect(path)
        plain = not head_bytes(path, 2).startswith(b"\x1f\x8b")
        size = os.path.getsize(path)
        if reader in (twitter_v1, twitter_v2) and plain and size > shard_bytes:
            out.extend((path, r) for r in split(path, -(-size // shard_bytes)))
        else:
            out.append((path, None))
    return out


def read_shard(
    path: str,
    shard: tuple[int, int, int] | None,
    author: str | None,
    cfg: Settings | None = None,
) -> Conversation:
    """Read one shard (runs on a worker, under the client's settings ``cfg``)."""
    from .sources import detect, read, twitter_v1, twitter_v2

    with applied(cfg):
        reader = detect(path)
        if shard is not None and reader in (twitter_v1, twitter_v2):
            return reader.read(path, author=author, shard=shard)
        return read([path], author=author)


def resolve_chunk(texts: list[str], cfg: Settings | None = None) -> dict[str, Any]:
    """Resolve location strings offline (runs on a worker, under the client's
    settings ``cfg``: its cache directory holds the gazetteer)."""
    from .geo.locate import Locator

    with applied(cfg):
        loc = Locator()
        return {t: loc.resolve(t) for t in texts}


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
    )
    return Client(cluster)


class DaskEngine:
    """The Dask engine of :mod:`mapper._pipeline`: ``read`` runs over input shards on
    the workers and folds their conversations in input order; ``locator`` resolves
    the distinct location strings on the workers in chunks.  Merging, spam and every
    later stage run in the client, in the pipeline's order, on the reduced data."""

    def __init__(
        self,
        scheduler: str | None = None,
        client: Any = None,
        shard_bytes: int = SHARD_BYTES,
    ):
        self.scheduler, self.shard_bytes = scheduler, shard_bytes
        self._client, self._own = client, client is None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = client_for(self.scheduler)
        return self._client

    def read(self, inputs: list[str | Path], author: str | None) -> Conversation:
        client = self.client
        shards = plan(inputs, self.shard_bytes)
        log.info("dask: %d shard(s) on %s", len(shards), client.scheduler.address)
        futures = client.map(
            read_shard,
            [p for p, _ in shards],
            [r for _, r in shards],
            [author] * len(shards),
            [Settings.current()] * len(shards),
            pure=False,
        )
        conv = Conversation()
        for part in client.gather(futures):  # in input order: same result as one process
            conv.extend(part)
        conv.inputs = list(dict.fromkeys(conv.inputs))  # a file cut in shards is one input
        return conv

    def locator(self, conv: Conversation) -> Any:
        from .geo.locate import Locator

        client = self.client
        texts = sorted({p.location_text for p in conv.people.values() if p.location_text})
        chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
        locator = Locator()
        for answers in client.gather(
            client.map(resolve_chunk, chunks, [Settings.current()] * len(chunks))
        ):
            # keep what resolved; the rest is asked again here, where an online
            # geocoder (if any) can have its turn
            locator._memo.update({t.strip(): a for t, a in answers.items() if a[0].resolved})
        return locator

    def close(self) -> None:
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
    shard_bytes: int = SHARD_BYTES,
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
