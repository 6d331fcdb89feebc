"""Collect a Bluesky thread over the public AppView (no login): getPostThread
with full depth, who reposted and liked the post, and the profiles involved."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tqdm.auto import tqdm

from .. import settings
from ..errors import FetchError, UsageError
from ..http import Session
from .paging import Pager

_post_url = re.compile(r"^/profile/([^/]+)/post/([A-Za-z0-9]+)/?$")


def parse_url(url: str) -> tuple[str, str]:
    """``(handle or DID, record key)`` for ``https://bsky.app/profile/HANDLE/post/ID``."""
    m = _post_url.match(urlsplit(url).path or "")
    if not m:
        raise UsageError(f"{url}: not a Bluesky post URL (https://bsky.app/profile/HANDLE/post/ID)")
    return m.group(1), m.group(2)


def _did_key(actor: Any) -> str | None:
    did = actor.get("did") if isinstance(actor, dict) else None
    return did if isinstance(did, str) and did else None


def _cursor_pages(
    session: Session, url: str, params: dict[str, Any], key: str, desc: str
) -> list[dict[str, Any]]:
    """Every actor of a cursor-paginated list, once each (see :mod:`.paging`)."""
    pager = Pager(f"{url} ({desc})", _did_key)
    cursor: str | None = None
    with tqdm(desc=desc, unit="profile", disable=None, leave=False) as bar:
        while pager.visit(cursor or ""):
            page, _ = session.get_json(
                url, {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
            )
            if not isinstance(page, dict):
                raise FetchError(f"{url}: expected an object with {key!r}")
            raw = page.get(key) or []
            items = [x.get("actor", x) for x in raw if isinstance(x, dict)]
            new = pager.add(items)
            bar.update(new)
            cursor = page.get("cursor") if isinstance(page.get("cursor"), str) else None
            if not cursor or not new:
                break
    return pager.items()


def _authors(node: Any, acc: dict[str, dict], depth: int = 0) -> None:
    # iterative over replies would be nicer; the depth cap keeps recursion bounded
    if not isinstance(node, dict) or depth > 900:
        return
    post = node.get("post")
    if isinstance(post, dict) and isinstance(post.get("author"), dict):
        did = post["author"].get("did")
        if isinstance(did, str):
            acc[did] = post["author"]
    _authors(node.get("parent"), acc, depth + 1)
    for child in node.get("replies") or []:
        _authors(child, acc, depth + 1)


def collect(url: str, session: Session | None = None, appview: str | None = None) -> dict[str, Any]:
    """Everything ``mapper.sources.bluesky`` needs for the thread at ``url``."""
    session = session or Session()
    root = (appview or settings.bluesky_appview).rstrip("/")
    session.allow(root)  # the AppView the user typed, or the public one
    base = root + "/xrpc"
    actor, rkey = parse_url(url)
    did = actor
    if not actor.startswith("did:"):
        res, _ = session.get_json(f"{base}/com.atproto.identity.resolveHandle", {"handle": actor})
        found = res.get("did") if isinstance(res, dict) else None
        if not isinstance(found, str) or not found.startswith("did:"):
            raise FetchError(f"{base}: resolveHandle gave no DID for {actor!r}")
        did = found
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    thread, _ = session.get_json(
        f"{base}/app.bsky.feed.getPostThread", {"uri": uri, "depth": 1000, "parentHeight": 1000}
    )
    if not isinstance(thread, dict):
        raise FetchError(f"{base}/app.bsky.feed.getPostThread: expected an object")
    reposts = _cursor_pages(
        session, f"{base}/app.bsky.feed.getRepostedBy", {"uri": uri}, "repostedBy", "reposts"
    )
    likes = _cursor_pages(session, f"{base}/app.bsky.feed.getLikes", {"uri": uri}, "likes", "likes")
    authors: dict[str, dict] = {}
    _authors(thread.get("thread"), authors)
    dids = sorted({*authors, *(p["did"] for p in reposts + likes)})
    profiles: list[dict[str, Any]] = []
    for i in range(0, len(dids), 25):  # getProfiles takes at most 25 actors
        page, _ = session.get_json(
            f"{base}/app.bsky.actor.getProfiles", {"actors": dids[i : i + 25]}
        )
        if isinstance(page, dict):
            profiles.extend(p for p in page.get("profiles") or [] if isinstance(p, dict))
    return {
        "source": url,
        "thread": thread.get("thread"),
        "reposted_by": reposts,
        "liked_by": likes,
        "profiles": profiles,
    }
