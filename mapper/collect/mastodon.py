"""Collect a Mastodon thread: the status, its context, who reblogged and
favourited it (paginated via ``Link`` headers), over the public API, no keys."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tqdm.auto import tqdm

from ..errors import FetchError, UsageError
from ..http import Session, next_link
from .paging import Pager

_status_url = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses|web/statuses|web/@[^/]+)/(\d+)/?$")


def parse_url(url: str) -> tuple[str, str]:
    """``(base URL of the instance, status id)`` for ``https://INSTANCE/@user/ID``."""
    parts = urlsplit(url)
    m = _status_url.match(parts.path or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or not m:
        raise UsageError(f"{url}: not a Mastodon status URL (https://INSTANCE/@user/ID)")
    return f"{parts.scheme}://{parts.netloc}", m.group(1)


def _account_key(account: Any) -> str | None:
    if not isinstance(account, dict):
        return None
    return str(account.get("id") or account.get("acct") or account.get("url") or "") or None


def _paged(session: Session, url: str, desc: str) -> list[dict[str, Any]]:
    """Every account of a ``Link``-paginated list, once each (see :mod:`.paging`)."""
    pager = Pager(f"{url} ({desc})", _account_key)
    next_url: str | None = url
    params: dict[str, Any] | None = {"limit": 80}
    with tqdm(desc=desc, unit="account", disable=None, leave=False) as bar:
        while next_url and pager.visit(next_url):
            page, resp = session.get_json(next_url, params)
            if not isinstance(page, list):
                raise FetchError(f"{next_url}: expected a list of accounts")
            new = pager.add(page)
            bar.update(new)
            next_url, params = (next_link(resp), None) if new else (None, None)
    return pager.items()


def collect(url: str, session: Session | None = None) -> dict[str, Any]:
    """Everything ``mapper.sources.mastodon`` needs for the thread at ``url``."""
    session = session or Session()
    base, sid = parse_url(url)
    session.allow(url)
    api = f"{base}/api/v1/statuses/{sid}"
    status, _ = session.get_json(api)
    context, _ = session.get_json(f"{api}/context")
    if not isinstance(status, dict) or not isinstance(context, dict):
        raise FetchError(f"{api}: not a Mastodon status and its context")
    return {
        "source": url,
        "status": status,
        "context": context,
        "reblogged_by": _paged(session, f"{api}/reblogged_by", "reblogs"),
        "favourited_by": _paged(session, f"{api}/favourited_by", "favourites"),
    }
