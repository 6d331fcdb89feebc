"""Collect a Bluesky thread over the public AppView (no login): getPostThread
with full depth, who reposted and liked the post, and the profiles involved."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tqdm.auto import tqdm

from .. import settings
from ..http import Session

_post_url = re.compile(r"^/profile/([^/]+)/post/([A-Za-z0-9]+)/?$")


def parse_url(url: str) -> tuple[str, str]:
    """``(handle or DID, record key)`` for ``https://bsky.app/profile/HANDLE/post/ID``."""
    m = _post_url.match(urlsplit(url).path or "")
    if not m:
        raise ValueError(f"{url}: not a Bluesky post URL (https://bsky.app/profile/HANDLE/post/ID)")
    return m.group(1), m.group(2)


def _cursor_pages(
    session: Session, url: str, params: dict[str, Any], key: str, desc: str, limit: int = 10_000
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    with tqdm(desc=desc, unit="profile", disable=None, leave=False) as bar:
        while len(out) < limit:
            page, _ = session.get_json(
                url, {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
            )
            items = [x.get("actor", x) for x in page.get(key) or []]
            out.extend(items)
            bar.update(len(items))
            cursor = page.get("cursor")
            if not cursor or not items:
                break
    return out


def _authors(node: Any, acc: dict[str, dict]) -> None:
    if not isinstance(node, dict):
        return
    post = node.get("post")
    if isinstance(post, dict) and isinstance(post.get("author"), dict):
        acc[post["author"].get("did")] = post["author"]
    _authors(node.get("parent"), acc)
    for child in node.get("replies") or []:
        _authors(child, acc)


def collect(url: str, session: Session | None = None, appview: str | None = None) -> dict[str, Any]:
    """Everything ``mapper.sources.bluesky`` needs for the thread at ``url``."""
    session = session or Session()
    base = (appview or settings.bluesky_appview).rstrip("/") + "/xrpc"
    actor, rkey = parse_url(url)
    did = actor
    if not actor.startswith("did:"):
        res, _ = session.get_json(f"{base}/com.atproto.identity.resolveHandle", {"handle": actor})
        did = res["did"]
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    thread, _ = session.get_json(
        f"{base}/app.bsky.feed.getPostThread", {"uri": uri, "depth": 1000, "parentHeight": 1000}
    )
    reposts = _cursor_pages(
        session, f"{base}/app.bsky.feed.getRepostedBy", {"uri": uri}, "repostedBy", "reposts"
    )
    likes = _cursor_pages(session, f"{base}/app.bsky.feed.getLikes", {"uri": uri}, "likes", "likes")
    authors: dict[str, dict] = {}
    _authors(thread.get("thread"), authors)
    dids = sorted({*authors, *(p.get("did") for p in reposts + likes)} - {None})
    profiles: list[dict[str, Any]] = []
    for i in range(0, len(dids), 25):  # getProfiles takes at most 25 actors
        page, _ = session.get_json(
            f"{base}/app.bsky.actor.getProfiles", {"actors": dids[i : i + 25]}
        )
        profiles.extend(page.get("profiles") or [])
    return {
        "source": url,
        "thread": thread.get("thread"),
        "reposted_by": reposts,
        "liked_by": likes,
        "profiles": profiles,
    }
