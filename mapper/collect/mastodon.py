"""Collect a Mastodon thread: the status, its context, who reblogged and
favourited it (paginated via ``Link`` headers), over the public API, no keys."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tqdm.auto import tqdm

from ..http import Session, next_link

_status_url = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses|web/statuses|web/@[^/]+)/(\d+)/?$")


def parse_url(url: str) -> tuple[str, str]:
    """``(base URL of the instance, status id)`` for ``https://INSTANCE/@user/ID``."""
    parts = urlsplit(url)
    m = _status_url.match(parts.path or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or not m:
        raise ValueError(f"{url}: not a Mastodon status URL (https://INSTANCE/@user/ID)")
    return f"{parts.scheme}://{parts.netloc}", m.group(1)


def _paged(session: Session, url: str, desc: str, limit: int = 10_000) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    next_url: str | None = url
    params: dict[str, Any] | None = {"limit": 80}
    with tqdm(desc=desc, unit="account", disable=None, leave=False) as bar:
        while next_url and len(out) < limit:
            page, headers = session.get_json(next_url, params)
            if not isinstance(page, list):
                break
            out.extend(page)
            bar.update(len(page))
            nxt = next_link(headers)
            next_url, params = (nxt, None) if nxt and nxt != next_url and page else (None, None)
    return out


def collect(url: str, session: Session | None = None) -> dict[str, Any]:
    """Everything ``mapper.sources.mastodon`` needs for the thread at ``url``."""
    session = session or Session()
    base, sid = parse_url(url)
    api = f"{base}/api/v1/statuses/{sid}"
    status, _ = session.get_json(api)
    context, _ = session.get_json(f"{api}/context")
    return {
        "source": url,
        "status": status,
        "context": context,
        "reblogged_by": _paged(session, f"{api}/reblogged_by", "reblogs"),
        "favourited_by": _paged(session, f"{api}/favourited_by", "favourites"),
    }
