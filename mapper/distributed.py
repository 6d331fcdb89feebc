"""Beyond one machine: reading, merging and locating over input shards with Dask.

``analyze(..., engine="dask")`` cuts the inputs into shards (each file; big
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


def read_shard(path: str, shard: tuple[int, int, int] | None, author: str | None) -> Conversation:
    """Read one shard (runs on a worker)."""
    from .sources import detect, twitter_v1, twitter_v2

    reader = detect(path)
    if shard is not None and reader in (twitter_v1, twitter_v2):
        return reader.read(path, author=author, shard=shard)
    from .sources import read

    return read([path], author=author)


def resolve_chunk(texts: list[str], cache_dir: str) -> dict[str, Any]:
    """Resolve location strings offline (runs on a worker)."""
    from . import settings
    from .geo.locate import Locator

    settings.cache_dir = Path(cache_dir)
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


def read_and_locate(
    inputs: list[str | Path],
    *,
    author: str | None,
    aliases: Any,
    scheduler: str | None = None,
    client: Any = None,
    shard_bytes: int = SHARD_BYTES,
):
    """``(conversation, locator)``: the inputs read over shards and merged, and a
    :class:`~mapper.geo.locate.Locator` already holding every profile location
    string resolved on the workers."""
    from . import identity, settings, spam
    from .geo.locate import Locator

    own = client is None
    client = client or client_for(scheduler)
    try:
        shards = plan(inputs, shard_bytes)
        log.info("dask: %d shard(s) on %s", len(shards), client.scheduler.address)
        futures = client.map(
            read_shard,
            [p for p, _ in shards],
            [r for _, r in shards],
            [author] * len(shards),
            pure=False,
        )
        conv = Conversation()
        for part in client.gather(futures):  # in input order: same result as one process
            conv.extend(part)
        conv.inputs = list(dict.fromkeys(conv.inputs))  # a file cut in shards is one input
        conv = identity.merge(conv, identity.Aliases.read(aliases) if aliases else None)
        spam.flag_spam(conv)
        texts = sorted({p.location_text for p in conv.people.values() if p.location_text})
        chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
        locator = Locator()
        for answers in client.gather(
            client.map(resolve_chunk, chunks, [str(settings.cache_dir)] * len(chunks))
        ):
            # keep what resolved; the rest is asked again here, where an online
            # geocoder (if any) can have its turn
            locator._memo.update({t.strip(): a for t, a in answers.items() if a[0].resolved})
        return conv, locator
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
