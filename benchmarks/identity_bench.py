"""Identity merging at scale (issue #20): merge time per 100k people against a plain
dict pass over the same keys in the same run, at 10k, 100k and 1M people, and the
share of a whole ``mapper report`` on tweets that merging takes.

Two populations, both with a heavy-tailed distribution of profile URLs (a few URLs
shared by thousands of accounts: ``instagram.com``, ``linktr.ee``, a company site;
many shared by 2–3; link-in-bio pages ``linktr.ee/<name>``; personal sites):

- ``mixed``: Twitter accounts (80 %), Mastodon accounts (8 %) and blog commenters
  without an account (12 %, some of them the same person as an account: same name
  and site), names drawn from 200 × 200 first and last names so that names collide,
  three counted interactions per person and one comment per commenter — the URL,
  handle, name and author rules all run;
- ``tweet-only``: Twitter accounts only (every person already has one platform id),
  as the tweet readers build them — nothing can merge.

The baseline (``dict pass``) touches the same keys once, the floor of any grouping
merge: every record's id, handles, URLs and name into a dict of lists, and every
interaction key into a new dict.  Merge and baseline run on the same conversation
(the baseline first: the merge changes the records it is given); each figure is the
best of five runs at 10k people, of three at 100k.

The ``report`` part writes twarc2-style lines (``benchmarks.synth_tweets``, v2, with
the same URL distribution on the authors: hundreds of URLs each shared by thousands)
and runs ``mapper report`` on them in this process, timing ``identity.merge`` inside
the run against the whole command.

    python -m benchmarks.identity_bench [--people 10000 100000 1000000] [--tweets 1000000]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from benchmarks import synth_tweets
from mapper import identity
from mapper.ids import new_person
from mapper.model import Conversation, Interaction

FIRST = [f"{a}{b}" for a in ("Al", "Be", "Ca", "Da", "El", "Fa", "Ge", "Ha", "Io", "Ja")
         for b in ("na", "ric", "mon", "la", "tt", "xi", "ra", "do", "ne", "sh",
                   "vin", "ly", "mo", "ta", "ke", "ro", "sa", "li", "bo", "che")]  # fmt: skip
LAST = [f"{a}{b}" for a in ("Smi", "Jon", "Bro", "Gar", "Mil", "Dav", "Rod", "Mar", "Her", "Lop")
        for b in ("th", "es", "wn", "cia", "ler", "is", "riguez", "tinez", "nandez", "ez",
                  "son", "sen", "berg", "ford", "ley", "ton", "well", "more", "field", "man")]  # fmt: skip
#: URLs shared by thousands of accounts in real profiles
HOT = [
    "https://www.instagram.com/",
    "https://linktr.ee",
    "http://facebook.com",
    "https://www.youtube.com/",
    "https://acme-corp.com/",
]


def url_for(rng: random.Random, handle: str, sites: int) -> str | None:
    """One profile URL from a heavy-tailed distribution (``None``: no URL, 40 %)."""
    r = rng.random()
    if r < 0.40:
        return None
    if r < 0.45:  # a few URLs shared by thousands
        return HOT[int(rng.random() * len(HOT))]
    if r < 0.55:  # link-in-bio pages: one host, one page each
        return f"https://linktr.ee/{handle}"
    if r < 0.80:  # organisations: power law, a few big, most with 1-3 people
        return f"https://www.org{synth_tweets._zipf_choice(rng, sites, 1.3)}.example.org/"
    return f"http://{handle}.example.com"


def people_conv(n: int, kind: str, seed: int = 1) -> Conversation:
    """A conversation of about ``n`` people, built the way the readers build them."""
    rng = random.Random(seed)
    conv = Conversation(inputs=[f"synthetic-{kind}-{n}"])
    sites = max(10, n // 10)
    ids: list[str] = []
    accounts: list[tuple[str, str | None]] = []  # (name, url) of accounts, for commenters
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        r = rng.random() if kind == "mixed" else 0.0
        if r < 0.80:
            handle = f"u{i}"
            p = new_person(name, handles={"twitter": handle}, platform="twitter")
        elif r < 0.88:
            handle = f"u{i}@mastodon.social"
            p = new_person(name, handles={"mastodon": handle}, platform="mastodon")
        else:
            handle = f"c{i}"
            if accounts and rng.random() < 0.3:  # an account's owner, commenting on a blog
                name, url = accounts[int(rng.random() * len(accounts))]
            else:
                url = url_for(rng, handle, sites)
            p = new_person(name, url, platform="web")
            ids.append(conv.add_person(p).id)
            continue
        url = url_for(rng, handle.split("@")[0], sites)
        if url:  # as the tweet readers do: the profile URL is kept as it is
            p.urls.append(url)
        if len(accounts) < 50_000:
            accounts.append((name, url))
        ids.append(conv.add_person(p).id)
    post_author = ids[0]
    for pid in ids:  # three counted interactions per person, to power-law targets
        for _ in range(3):
            conv.count(pid, ids[synth_tweets._zipf_choice(rng, len(ids))], "mention")
        if not pid.startswith(("twitter:", "mastodon:")):
            text = f"comment by {pid}"
            conv.interactions.append(Interaction(pid, post_author, "comment", text=text))
    return conv


def dict_pass(conv: Conversation) -> float:
    """Seconds for one dict pass over the keys the merge looks at."""
    t0 = time.perf_counter()
    groups: dict[object, list[str]] = {}
    for pid, p in conv.people.items():
        groups.setdefault(pid, []).append(pid)
        for platform, h in p.handles.items():
            groups.setdefault((platform, h.lower()), []).append(pid)
        for u in p.urls:
            groups.setdefault(u, []).append(pid)
        groups.setdefault(p.name.lower(), []).append(pid)
    same: dict[str, str] = {}  # the renaming a fold does, here with nobody renamed
    renamed = {(same.get(s, s), same.get(t, t), k): v for (s, t, k), v in conv.counts.items()}
    kept = [it for it in conv.interactions if it.source != it.target]
    dt = time.perf_counter() - t0
    del groups, renamed, kept
    return dt


def url_shape(conv: Conversation) -> str:
    """How the profile URLs are shared: the most shared, and how many are shared."""
    by: Counter[str] = Counter()
    for p in conv.people.values():
        for u in {identity.normalize_url(u) for u in p.urls}:
            if u:
                by[u] += 1
    sizes = Counter(by.values())
    big = sum(c for s, c in sizes.items() if s >= 1000)
    few = sizes[2] + sizes[3]
    return f"{len(by):,} URLs, top shared by {max(by.values()):,}, {big} by ≥1,000, {few:,} by 2–3"


def merge_scale(kind: str, sizes: list[int]) -> tuple[list[float], list[float]]:
    """Print merge vs dict pass at each size; return the seconds per 100k people of
    both."""
    per, base_per = [], []
    for n in sizes:
        # best of five at 10k, three at 100k, one at 1M (a 10k merge takes tens of
        # milliseconds: one run is mostly noise on a shared machine); the merge changes
        # its input, so each run gets a fresh conversation
        dt = base = float("inf")
        for _ in range(5 if n <= 10_000 else 3 if n < 1_000_000 else 1):
            conv = people_conv(n, kind)
            gc.collect()
            base = min(base, dict_pass(conv))
            gc.collect()
            t0 = time.perf_counter()
            out = identity.merge(conv)
            dt = min(dt, time.perf_counter() - t0)
        shape = url_shape(conv)
        people = len(conv.people)
        scale = people / 100_000
        per.append(dt / scale)
        base_per.append(base / scale)
        notes = sum(1 for p in out.people.values() for e in p.evidence if e["kind"] == "not merged")
        print(
            f"merge {kind:10} {people:>9,} records → {len(out.people):>9,} people: "
            f"{dt / scale:6.3f} s per 100k vs dict pass {base / scale:6.3f} s → "
            f"{dt / base:4.1f}×  ({notes:,} 'not merged' notes; {shape})",
            flush=True,
        )
        del conv, out
        gc.collect()
    return per, base_per


def v2_url_of(users: int) -> Callable[[int], str | None]:
    """Profile URLs for ``users`` synthetic accounts, heavy-tailed as above: 256 URLs
    each shared by about 1 % of the accounts (2,000 of 200k, the issue's case)."""
    rng = random.Random(3)
    urls: list[str | None] = []
    for a in range(users):
        r = rng.random()
        if r < 0.25:
            urls.append(f"https://shared{int(rng.random() * 256)}.example.org/")
        else:
            urls.append(url_for(rng, f"u{a}", max(10, users // 10)))
    return urls.__getitem__


def report_share(d: Path, tweets: int, users: int) -> None:
    """``mapper report`` on twarc2-style tweets: the share of its time spent merging."""
    from mapper.cli import main

    path = synth_tweets.write(d / "tweets.jsonl", tweets, users, "v2", url_of=v2_url_of(users))
    spent: list[float] = []
    merge = identity.merge

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return merge(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    identity.merge = timed  # the pipeline looks it up on the module at each run
    try:
        gc.collect()
        t0 = time.perf_counter()
        rc = main(["-q", "report", str(path), "-o", str(d / "report.json")])
        total = time.perf_counter() - t0
    finally:
        identity.merge = merge
    if rc:
        raise RuntimeError(f"mapper report exited {rc}")
    people = len(__import__("json").loads((d / "report.json").read_bytes())["people"])
    print(
        f"report tweet-only: {tweets:,} tweets, {people:,} people: mapper report {total:.1f} s, "
        f"identity.merge {sum(spent):.2f} s → {sum(spent) / total:.1%} of the run",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--tweets", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["mixed", "tweet-only", "report"])
    args = ap.parse_args(argv)
    for kind in ("mixed", "tweet-only"):
        if kind not in args.skip:
            per, base = merge_scale(kind, args.people)
            growth = ", ".join(f"{x / per[0]:.2f}" for x in per)
            base_growth = ", ".join(f"{x / base[0]:.2f}" for x in base)
            print(
                f"merge {kind}: time per 100k people relative to the smallest size: merge "
                f"{growth}; dict pass {base_growth}"
            )
    if "report" not in args.skip:
        with tempfile.TemporaryDirectory() as d:
            report_share(Path(d), args.tweets, args.users)
    print(
        f"(benchmark process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
