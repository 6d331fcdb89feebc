"""Collect a WordPress post's comments over the site's public REST API.

Finds the API (the ``Link: <…>; rel="https://api.w.org/"`` header or
``<link rel="https://api.w.org/">`` in the page, else ``/wp-json/``), the post by its
slug, and every comment (paginated by ``X-WP-TotalPages``) with parent, author name,
author URL and type.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from tqdm.auto import tqdm

from ..http import FetchError, Session


def _api_root(session: Session, url: str) -> str:
    r = session.get(url)
    headers = r["headers"] if isinstance(r, dict) else dict(r.headers)
    text = r["text"] if isinstance(r, dict) else r.text
    for part in (headers.get("Link") or headers.get("link") or "").split(","):
        if "api.w.org" in part and "<" in part:
            return part[part.find("<") + 1 : part.find(">")]
    m = re.search(r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]+href=["']([^"']+)""", text)
    if m:
        return m.group(1)
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/wp-json/"


def collect(url: str, session: Session | None = None) -> dict[str, Any]:
    """``{"source", "post", "comments"}`` for the post at ``url``."""
    session = session or Session()
    api = _api_root(session, url)
    slug = [s for s in urlsplit(url).path.split("/") if s]
    if not slug:
        raise FetchError(f"{url}: no post slug in the URL")
    posts, _ = session.get_json(urljoin(api, "wp/v2/posts"), {"slug": slug[-1], "_embed": "author"})
    if not posts:
        raise FetchError(f"{url}: the site's API has no post with slug {slug[-1]!r}")
    post = posts[0]
    comments: list[dict[str, Any]] = []
    page, pages = 1, 1
    with tqdm(desc="comments", unit="page", disable=None, leave=False) as bar:
        while page <= pages:
            batch, headers = session.get_json(
                urljoin(api, "wp/v2/comments"),
                {
                    "post": post["id"],
                    "per_page": 100,
                    "page": page,
                    "orderby": "id",
                    "order": "asc",
                },
            )
            comments.extend(batch)
            pages = int(headers.get("X-WP-TotalPages") or headers.get("x-wp-totalpages") or 1)
            page += 1
            bar.update(1)
    return {"source": url, "post": post, "comments": comments}
