"""Collect a WordPress post's comments over the site's public REST API.

Finds the API (the ``Link: <…>; rel="https://api.w.org/"`` header or
``<link rel="https://api.w.org/">`` in the page, else ``/wp-json/``, else the
plain-permalink form ``/?rest_route=/``), the post by its slug (or by ``?p=ID`` on
plain-permalink sites), and every comment (paginated by ``X-WP-TotalPages``, never
past an empty page or :data:`mapper.settings.collect_max_pages`) with parent,
author name, author URL and type.  Only the site's own origin is ever asked.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from tqdm.auto import tqdm

from ..errors import FetchError
from ..http import Page, Session
from .paging import Pager

_API_REL = "https://api.w.org/"


def _api_root(session: Session, url: str) -> str:
    page = session.get(url)
    link = page.links.get(_API_REL, {}).get("url")
    if not link:
        m = re.search(
            r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]+href=["']([^"']+)""", page.text
        )
        link = m.group(1) if m else None
    if link:
        return urljoin(page.url or url, link)
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/wp-json/"


def endpoint(api: str, route: str) -> str:
    """The URL of ``route`` (``wp/v2/posts``) under the API root ``api``: a path under
    ``/wp-json/``, or the ``rest_route`` query parameter on plain-permalink sites
    (``index.php?rest_route=/``)."""
    parts = urlsplit(api)
    query = parse_qs(parts.query, keep_blank_values=True)
    if "rest_route" in query:
        query["rest_route"] = [query["rest_route"][0].rstrip("/") + "/" + route.lstrip("/")]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    return urljoin(api if api.endswith("/") else api + "/", route)


def _get_list(session: Session, api: str, route: str, params: dict[str, Any]) -> tuple[Any, Page]:
    data, page = session.get_json(endpoint(api, route), params)
    return data, page


def _find_post(session: Session, api: str, url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for key, route in (("p", "wp/v2/posts"), ("page_id", "wp/v2/pages")):
        if query.get(key, [""])[0].isdigit():
            post, _ = session.get_json(endpoint(api, f"{route}/{query[key][0]}"))
            if isinstance(post, dict) and "id" in post:
                return post
    slug = [s for s in parts.path.split("/") if s and s != "index.php"]
    if not slug:
        raise FetchError(f"{url}: no post slug or ?p=ID in the URL")
    for route in ("wp/v2/posts", "wp/v2/pages"):
        found, _ = _get_list(session, api, route, {"slug": slug[-1], "_embed": "author"})
        if isinstance(found, list) and found and isinstance(found[0], dict) and "id" in found[0]:
            return found[0]
    raise FetchError(f"{url}: the site's API has no post with slug {slug[-1]!r}")


def _comment_key(c: Any) -> Any:
    return c.get("id") if isinstance(c, dict) and isinstance(c.get("id"), (int, str)) else None


def collect(url: str, session: Session | None = None) -> dict[str, Any]:
    """``{"source", "post", "comments"}`` for the post at ``url``."""
    session = session or Session()
    session.allow(url)
    api = _api_root(session, url)
    try:
        post = _find_post(session, api, url)
    except FetchError as e:
        if "/wp-json/" not in api or "HTTP 404" not in str(e):
            raise
        # no pretty permalinks: the API lives at index.php?rest_route=/
        parts = urlsplit(url)
        api = f"{parts.scheme}://{parts.netloc}/?rest_route=/"
        post = _find_post(session, api, url)
    pager = Pager(f"{url} (comments)", _comment_key)
    page, pages = 1, 1
    with tqdm(desc="comments", unit="page", disable=None, leave=False) as bar:
        while page <= pages and pager.visit(page):
            batch, resp = _get_list(
                session,
                api,
                "wp/v2/comments",
                {
                    "post": post["id"],
                    "per_page": 100,
                    "page": page,
                    "orderby": "id",
                    "order": "asc",
                },
            )
            if not isinstance(batch, list):
                raise FetchError(f"{endpoint(api, 'wp/v2/comments')}: expected a list of comments")
            if not pager.add(batch):
                break  # an empty page (or one already seen): whatever TotalPages says
            total = str(resp.headers.get("X-WP-TotalPages") or "1").strip()
            pages = int(total) if total.isdigit() else 1
            page += 1
            bar.update(1)
    return {"source": url, "post": post, "comments": pager.items()}
