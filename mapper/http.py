"""One ``requests`` Session for everything the project fetches itself.

- **Retries** by urllib3's :class:`~urllib3.util.retry.Retry` on the adapter
  (:class:`RetryPolicy`, the one policy collectors and online geocoders share):
  connection errors, read timeouts, 429 and 5xx are retried a bounded number of times
  with exponential backoff; ``Retry-After`` (seconds or a date) and the
  ``X-RateLimit-Reset``/``RateLimit-Reset`` headers are honoured up to
  ``max_wait_s`` — a longer wait ends the fetch with a message saying so, a value
  that is not a time (``Retry-After: soon``) is ignored and backoff used.
- **Bounded responses**: a total deadline per response (``http_total_timeout_s``,
  also when a body trickles in a byte at a time: the timeout of ``requests`` is per
  read) and a size cap (``http_max_response_mb``, after decompression).
- **Origins**: a session only talks to the origins its caller allowed (the URL the
  user typed, ``--appview``): pagination ``Link``s, API discovery and redirects to
  another host are refused, and a name resolving to a private, loopback or
  link-local address is refused unless the user typed that address (an IP literal
  or ``localhost``) or passed ``allow_private``.
- **Cache**: successful GET responses on disk (keyed by the full URL and the
  ``Accept`` header), so a re-run does not fetch again; a damaged entry is set aside
  with a warning and fetched again.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import parse_header_links
from urllib3 import exceptions as urllib3_errors
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from . import settings
from .errors import FetchError
from .files import write_atomic

log = logging.getLogger("mapper")

__all__ = ["FetchError", "Page", "RetryPolicy", "Session", "next_link"]


class RetryPolicy(Retry):
    """urllib3's Retry, with ``Retry-After`` capped at ``max_wait_s`` (a longer wait
    raises :class:`FetchError` instead of sleeping), rate-limit reset headers
    honoured, unparsable ``Retry-After`` values ignored, an injectable ``sleep`` and
    an ``on_retry`` callback (to count requests)."""

    #: the full URL of the last failed attempt (urllib3's history keeps only its path)
    last_url: str | None = None

    def __init__(
        self,
        *args: Any,
        max_wait_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[], None] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("retry_after_max", 10**9)  # capped here, with a message
        super().__init__(*args, **kwargs)
        self.max_wait_s = max_wait_s
        self._sleep = sleep
        self._on_retry = on_retry

    def new(self, **kw: Any) -> RetryPolicy:
        r = super().new(**kw)
        r.max_wait_s, r._sleep, r._on_retry = self.max_wait_s, self._sleep, self._on_retry
        return r

    def increment(self, *args: Any, **kwargs: Any) -> RetryPolicy:
        if self._on_retry is not None:
            self._on_retry()
        r = super().increment(*args, **kwargs)
        # the URL a failed connection was for (urllib3 keeps only the path), for the log
        pool = kwargs.get("_pool")
        url = kwargs.get("url", args[1] if len(args) > 1 else None)
        if pool is not None and url:
            host = pool.host if pool.port in (None, 80, 443) else f"{pool.host}:{pool.port}"
            r.last_url = f"{pool.scheme}://{host}{url}"
        return r

    def get_backoff_time(self) -> float:
        """``backoff_factor × 2**(n-1)`` seconds after the n-th consecutive failure (urllib3
        itself does not wait before the first retry), at most ``backoff_max``."""
        n = 0
        for h in reversed(self.history):
            if h.redirect_location is not None:
                break
            n += 1
        return 0.0 if n == 0 else min(self.backoff_max, self.backoff_factor * 2 ** (n - 1))

    def get_retry_after(self, response: Any) -> float | None:
        """Seconds the server asked to wait, or ``None``; :class:`FetchError` when that
        is more than ``max_wait_s``."""
        url = getattr(response, "url", None) or "the server"
        value = response.headers.get("Retry-After")
        wait: float | None = None
        if value is not None:
            try:
                wait = self.parse_retry_after(value)
            except InvalidHeader:
                log.warning("%s: Retry-After %r is not a time; backing off instead", url, value)
        if wait is None and response.status == 429:
            wait = _reset_header(response.headers)
        if wait is not None and wait > self.max_wait_s:
            raise FetchError(
                f"{url}: the server asks to wait {wait:.0f} s before trying again, more than "
                f"the {self.max_wait_s:.0f} s mapper waits; try again later"
            )
        return wait

    def sleep(self, response: Any = None) -> None:
        wait = self.get_retry_after(response) if response is not None else None
        if wait is None:
            wait = self.get_backoff_time()
        if wait > 0:
            status = getattr(response, "status", None)
            why = f"HTTP {status}" if status else "no answer"
            # no response (a connection that failed): the URL is in the retry history
            url = getattr(response, "url", None) or getattr(self, "last_url", None)
            log.warning("%s: %s; waiting %.1f s", url or "the server", why, wait)
            self._sleep(wait)


def _reset_header(headers: Any) -> float | None:
    for name in ("X-RateLimit-Reset", "RateLimit-Reset"):
        value = headers.get(name)
        if not value:
            continue
        try:
            v = float(value)
        except ValueError:
            try:
                from datetime import datetime

                v = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                when = email.utils.parsedate_tz(value)
                if when is None:
                    continue
                v = float(email.utils.mktime_tz(when))
        # an epoch time (Mastodon sends an ISO date) or a number of seconds
        return max(0.0, v - time.time()) if v > 1e9 else max(0.0, v)
    return None


def retry_policy(
    max_retries: int = 4,
    backoff_s: float = 1.0,
    max_wait_s: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[], None] | None = None,
) -> RetryPolicy:
    """The retry policy of every request mapper sends (collectors and geocoders)."""
    return RetryPolicy(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        other=0,
        redirect=False,  # redirects are followed by Session, origin by origin
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=(429, 500, 502, 503, 504),
        backoff_factor=backoff_s,
        backoff_max=settings.http_max_wait_s if max_wait_s is None else max_wait_s,
        raise_on_status=False,
        respect_retry_after_header=True,
        max_wait_s=settings.http_max_wait_s if max_wait_s is None else max_wait_s,
        sleep=sleep,
        on_retry=on_retry,
    )


@dataclass
class Page:
    """One fetched (or cached) response: its final URL, status, headers and text."""

    url: str
    status: int
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    text: str = ""

    @property
    def links(self) -> dict[str, dict[str, str]]:
        """The ``Link`` header by ``rel``, as :attr:`requests.Response.links` gives it."""
        out: dict[str, dict[str, str]] = {}
        for link in parse_header_links(self.headers.get("Link") or ""):
            key = link.get("rel") or link.get("url")
            if key:
                for rel in key.split():
                    out[rel] = link
        return out


def next_link(page: Page | dict[str, str]) -> str | None:
    """The ``rel="next"`` URL of a response's ``Link`` header, if any (absolute)."""
    if not isinstance(page, Page):
        page = Page(url="", status=200, headers=CaseInsensitiveDict(page))
    nxt = page.links.get("next", {}).get("url")
    return urljoin(page.url, nxt) if nxt else None


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), host, port


def _literal_local(host: str) -> bool:
    """A host that names a local address by itself (an IP literal, ``localhost``)."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


class Session:
    """GET with the shared retry policy, bounded responses, origin checks and an
    on-disk cache.

    ``cache_dir=None`` turns caching off.  ``sleep`` is injectable for tests.  Call
    :meth:`allow` with each URL the user gave; once one is allowed, requests to any
    other origin raise :class:`FetchError`.
    """

    def __init__(
        self,
        cache_dir: str | Path | None = "default",
        timeout: float | None = None,
        max_retries: int = 4,
        backoff_s: float = 1.0,
        max_wait_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        total_timeout: float | None = None,
        max_bytes: int | None = None,
        allow_private: bool = False,
    ):
        self.s = requests.Session()
        self.s.headers["User-Agent"] = settings.user_agent
        self.s.headers["Accept"] = "application/json"
        self._adapter = HTTPAdapter()
        self.s.mount("http://", self._adapter)
        self.s.mount("https://", self._adapter)
        self.timeout = timeout or settings.http_timeout_s
        self.total_timeout = total_timeout or settings.http_total_timeout_s
        self.max_bytes = max_bytes or int(settings.http_max_response_mb * 2**20)
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_wait_s = settings.http_max_wait_s if max_wait_s is None else max_wait_s
        self.sleep = sleep
        self.max_redirects = 5
        self.allow_private = allow_private
        self.origins: set[tuple[str, str, int]] = set()
        self._typed_hosts: set[str] = set()
        self._checked_hosts: dict[str, str | None] = {}
        self.cache_dir = (
            settings.cache_dir / "http"
            if cache_dir == "default"
            else Path(cache_dir)
            if cache_dir
            else None
        )
        self.sent = 0

    # --- where requests may go -------------------------------------------------

    def allow(self, url: str) -> None:
        """Allow requests to the origin of ``url`` (a URL the user gave)."""
        scheme, host, port = _origin(url)
        self.origins.add((scheme, host, port))
        self._typed_hosts.add(host)

    def _same_origin(self, url: str) -> bool:
        if not self.origins:
            return True  # nothing allowed yet: get() allows the first URL it is given
        scheme, host, port = _origin(url)
        for s, h, p in self.origins:
            same_host = host == h or host.removeprefix("www.") == h.removeprefix("www.")
            if not same_host:
                continue
            if (scheme, port) == (s, p):
                return True
            # http → https on the default ports is the same site, upgraded
            if s == "http" and scheme == "https" and p == 80 and port == 443:
                return True
        return False

    def check(self, url: str) -> None:
        """:class:`FetchError` unless ``url`` may be fetched (see the class docs)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: refused: only http and https URLs are fetched")
        if not self._same_origin(url):
            allowed = ", ".join(sorted(f"{s}://{h}:{p}" for s, h, p in self.origins))
            raise FetchError(
                f"{url}: refused: another origin than the one you gave ({allowed}); "
                "a server's links and redirects are followed only on that origin"
            )
        host = _origin(url)[1]
        if self.allow_private or (host in self._typed_hosts and _literal_local(host)):
            return
        if host not in self._checked_hosts:
            self._checked_hosts[host] = _non_public_address(host)
        bad = self._checked_hosts[host]
        if bad:
            raise FetchError(
                f"{url}: refused: {host} resolves to {bad}, a private, loopback or link-local "
                "address (type that address yourself, or pass --allow-private, to fetch it)"
            )

    # --- fetching ----------------------------------------------------------------

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = f"{self.s.headers.get('Accept')!s} {url}"
        return self.cache_dir / (hashlib.sha256(key.encode()).hexdigest() + ".json")

    def _cached(self, cf: Path | None) -> Page | None:
        if cf is None or not cf.exists():
            return None
        try:
            d = json.loads(cf.read_text(encoding="utf-8"))
            if not (
                isinstance(d, dict)
                and isinstance(d.get("url"), str)
                and isinstance(d.get("status"), int)
                and isinstance(d.get("headers"), dict)
                and isinstance(d.get("text"), str)
            ):
                raise ValueError("not a cached response")
            return Page(d["url"], d["status"], CaseInsensitiveDict(d["headers"]), d["text"])
        except (OSError, ValueError, UnicodeDecodeError) as e:
            aside = cf.with_suffix(".damaged")
            try:
                cf.replace(aside)
            except OSError:
                aside = cf
            log.warning("HTTP cache entry %s is damaged (%s); set aside, fetching again", aside, e)
            return None

    def _policy(self) -> RetryPolicy:
        def counted() -> None:
            self.sent += 1

        return retry_policy(
            self.max_retries, self.backoff_s, self.max_wait_s, lambda s: self.sleep(s), counted
        )

    def get(self, url: str, params: dict[str, Any] | None = None) -> Page:
        """The response to a GET of ``url``, following redirects on the allowed origin;
        :class:`FetchError` after retries, on a 4xx, or when a limit is passed."""
        full = requests.Request("GET", url, params=params).prepare().url or url
        if not self.origins:
            self.allow(full)  # a bare Session: the first URL is the one its caller gave
        cf = self._cache_file(full)
        cached = self._cached(cf)
        if cached is not None:
            return cached
        target = full
        for _hop in range(self.max_redirects + 1):
            self.check(target)
            page = self._fetch(target)
            if page.status in (301, 302, 303, 307, 308) and page.headers.get("Location"):
                target = urljoin(target, page.headers["Location"])
                continue
            break
        else:
            raise FetchError(f"{full}: too many redirects (more than {self.max_redirects})")
        if page.status == 429 or page.status >= 500:
            raise FetchError(
                f"{full}: gave up after {self.max_retries + 1} tries (HTTP {page.status})"
            )
        if page.status >= 400:
            raise FetchError(f"{full}: HTTP {page.status}")
        if cf is not None:
            write_atomic(
                cf,
                json.dumps(
                    {
                        "url": page.url,
                        "status": page.status,
                        "headers": dict(page.headers),
                        "text": page.text,
                    }
                ),
            )
        return page

    def _fetch(self, url: str) -> Page:
        """One request (urllib3 retrying as the policy says), its body read under the
        total deadline and the size cap."""
        self._adapter.max_retries = self._policy()
        deadline = time.monotonic() + self.total_timeout
        self.sent += 1
        try:
            resp = self.s.get(
                url,
                timeout=(min(self.timeout, self.total_timeout), self.timeout),
                allow_redirects=False,
                stream=True,
            )
        except FetchError:
            raise
        except requests.exceptions.RetryError:
            raise FetchError(f"{url}: gave up after {self.max_retries + 1} tries") from None
        except (requests.Timeout, requests.ConnectionError) as e:
            why = "timed out" if isinstance(e, requests.Timeout) else "connection failed"
            raise FetchError(f"{url}: gave up after {self.max_retries + 1} tries ({why})") from None
        except requests.RequestException as e:
            raise FetchError(f"{url}: {type(e).__name__}: {str(e)[:200]}") from None
        with resp:
            size = resp.headers.get("Content-Length", "")
            if size.isdigit() and int(size) > self.max_bytes:
                raise FetchError(self._too_big(url))
            body = bytearray()
            try:
                while True:
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url}: no complete answer within {self.total_timeout:.0f} s "
                            "(the body came too slowly)"
                        )
                    chunk = resp.raw.read1(65536, decode_content=True)
                    if not chunk:
                        break
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(self._too_big(url))
                if resp.raw.length_remaining:  # the connection closed before the end
                    raise FetchError(f"{url}: broken response (the body is shorter than announced)")
            except FetchError:
                raise
            except (urllib3_errors.HTTPError, http.client.HTTPException, OSError) as e:
                # a short body, a damaged gzip body, a reset connection, a read timeout
                raise FetchError(f"{url}: broken response ({_reason(e)})") from None
        encoding = resp.encoding or "utf-8"
        try:
            text = bytes(body).decode(encoding, errors="replace")
        except LookupError:
            text = bytes(body).decode("utf-8", errors="replace")
        return Page(resp.url or url, resp.status_code, CaseInsensitiveDict(resp.headers), text)

    def _too_big(self, url: str) -> str:
        return (
            f"{url}: response larger than {self.max_bytes / 2**20:,.0f} MB "
            "(settings.http_max_response_mb)"
        )

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> tuple[Any, Page]:
        """``(decoded JSON, the page)``; :class:`FetchError` on a body that is not JSON."""
        page = self.get(url, params)
        try:
            return json.loads(page.text), page
        except (json.JSONDecodeError, RecursionError) as e:
            # don't keep a broken body in the cache
            cf = self._cache_file(requests.Request("GET", url, params=params).prepare().url or url)
            if cf is not None:
                cf.unlink(missing_ok=True)
            where = f" ({e.msg} at char {e.pos})" if isinstance(e, json.JSONDecodeError) else ""
            raise FetchError(f"{url}: response is not JSON{where}") from None


def _reason(e: BaseException) -> str:
    """The innermost useful reason of a urllib3/requests error, on one line."""
    names = {
        "IncompleteRead": "the body is shorter than announced",
        "DecodeError": "the compressed body is damaged",
        "ReadTimeoutError": "timed out",
        "ProtocolError": "the connection broke",
    }
    chain: list[str] = []
    todo: list[BaseException] = [e]
    while todo and len(chain) < 20:
        seen = todo.pop()
        chain.append(type(seen).__name__)
        todo += [a for a in seen.args if isinstance(a, BaseException)]
        todo += [x for x in (seen.__cause__, seen.__context__) if x is not None]
    for name, why in names.items():  # the most specific reason first
        if name in chain:
            return why
    return f"{type(e).__name__}: {' '.join(str(e).split())[:150]}"


def _non_public_address(host: str) -> str | None:
    """An address ``host`` resolves to that is not on the public internet, if any."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None  # the request itself will say the name does not resolve
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not addr.is_global or addr.is_multicast:
            return str(addr)
    return None
