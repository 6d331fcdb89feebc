"""One ``requests`` Session for everything the project fetches itself.

A user agent naming the project, a timeout on every request, bounded retries
with exponential backoff on 429 and 5xx that honour ``Retry-After`` and the
``X-RateLimit-Reset``/``RateLimit-Reset`` headers, and an on-disk cache of
successful GET responses (so a re-run does not fetch again).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from . import settings
from .errors import FetchError
from .files import write_atomic

log = logging.getLogger("mapper")


def _retry_after(resp: requests.Response, default: float) -> float:
    value = resp.headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when is not None:
                return max(0.0, when.timestamp() - time.time())
    for name in ("X-RateLimit-Reset", "RateLimit-Reset", "ratelimit-reset"):
        value = resp.headers.get(name)
        if value:
            try:
                v = float(value)
            except ValueError:
                try:
                    from datetime import datetime

                    v = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
                except ValueError:
                    continue
            # an epoch time (Mastodon sends an ISO date) or a number of seconds
            return max(0.0, v - time.time()) if v > 1e9 else v
    return default


class Session:
    """GET JSON with retries, rate-limit waits and an on-disk cache.

    ``cache_dir=None`` turns caching off.  ``sleep`` is injectable for tests.
    """

    def __init__(
        self,
        cache_dir: str | Path | None = "default",
        timeout: float | None = None,
        max_retries: int = 4,
        backoff_s: float = 1.0,
        max_wait_s: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.s = requests.Session()
        self.s.headers["User-Agent"] = settings.user_agent
        self.s.headers["Accept"] = "application/json"
        self.timeout = timeout or settings.http_timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self.cache_dir = (
            settings.cache_dir / "http"
            if cache_dir == "default"
            else Path(cache_dir)
            if cache_dir
            else None
        )
        self.sent = 0

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(url.encode()).hexdigest() + ".json")

    def get(self, url: str, params: dict[str, Any] | None = None) -> requests.Response | dict:
        """The response to a GET of ``url`` (a dict when it came from the cache:
        ``{"url", "status", "headers", "text"}``); :class:`FetchError` after retries."""
        full = requests.Request("GET", url, params=params).prepare().url or url
        cf = self._cache_file(full)
        if cf is not None and cf.exists():
            return json.loads(cf.read_text(encoding="utf-8"))
        delay = self.backoff_s
        last = ""
        for attempt in range(self.max_retries + 1):
            try:
                self.sent += 1
                resp = self.s.get(full, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as e:
                last = f"{type(e).__name__}"
                if attempt == self.max_retries:
                    break
                log.warning("%s: %s; retrying in %.0f s", full, last, delay)
                self.sleep(delay)
                delay *= 2
                continue
            if resp.status_code == 429 or resp.status_code >= 500:
                wait = _retry_after(resp, delay) if resp.status_code == 429 else delay
                last = f"HTTP {resp.status_code}"
                if attempt == self.max_retries or wait > self.max_wait_s:
                    break
                log.warning("%s: %s; waiting %.0f s", full, last, wait)
                self.sleep(wait)
                delay *= 2
                continue
            if resp.status_code >= 400:
                raise FetchError(f"{full}: HTTP {resp.status_code}")
            if cf is not None:
                write_atomic(
                    cf,
                    json.dumps(
                        {
                            "url": resp.url,
                            "status": resp.status_code,
                            "headers": dict(resp.headers),
                            "text": resp.text,
                        }
                    ),
                )
            return resp
        raise FetchError(f"{full}: gave up after {self.max_retries + 1} tries ({last})")

    def get_json(
        self, url: str, params: dict[str, Any] | None = None
    ) -> tuple[Any, dict[str, str]]:
        """``(decoded JSON, response headers)``; :class:`FetchError` on a body that is not JSON."""
        r = self.get(url, params)
        text = r["text"] if isinstance(r, dict) else r.text
        headers = r["headers"] if isinstance(r, dict) else dict(r.headers)
        try:
            return json.loads(text), headers
        except json.JSONDecodeError as e:
            # don't keep a broken body in the cache
            cf = self._cache_file(requests.Request("GET", url, params=params).prepare().url or url)
            if cf is not None:
                cf.unlink(missing_ok=True)
            raise FetchError(f"{url}: response is not JSON ({e.msg} at char {e.pos})") from None


def next_link(headers: dict[str, str]) -> str | None:
    """The ``rel="next"`` URL of an HTTP ``Link`` header, if any."""
    link = headers.get("Link") or headers.get("link") or ""
    for part in link.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            start, end = part.find("<"), part.find(">")
            if 0 <= start < end:
                return part[start + 1 : end]
    return None
