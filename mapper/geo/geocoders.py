"""Online geocoders through geopy, opt-in, for what the offline gazetteer cannot resolve.

Any geopy service by name (``nominatim``, ``photon``, ``arcgis``, ...) with its
options.  Requests are spaced by geopy's :class:`~geopy.extra.rate_limiter.RateLimiter`
(at least 1 s for Nominatim, as its usage policy asks); a 429 is honoured by
waiting its ``Retry-After``; timeouts and 5xx are retried a bounded number of
times with backoff, then the string is reported unresolved *for now* (and not
cached).  Every answer goes into a persistent SQLite cache, so each distinct
normalised string is sent once, ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from .. import settings
from .cache import GeocodeCache
from .gazetteer import norm

log = logging.getLogger("mapper")


class TemporaryFailure(Exception):
    """The service did not answer (throttled, timed out, down): try again later."""


class OnlineGeocoder:
    """One geopy service with rate limiting, bounded retries and a persistent cache."""

    def __init__(
        self,
        service: str,
        geocoder: Any,
        cache: GeocodeCache,
        min_delay_s: float,
        max_retries: int = 3,
        backoff_s: float = 2.0,
        max_wait_s: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.service = service
        self.geocoder = geocoder
        self.cache = cache
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self.sent = 0  # requests actually sent, for tests and the summary
        self._limited = RateLimiter(
            geocoder.geocode, min_delay_seconds=min_delay_s, max_retries=0, swallow_exceptions=False
        )

    def geocode(self, text: str) -> dict[str, Any] | None:
        """``{"lat", "lon", "name", "raw_type"}`` for ``text``, ``None`` if the service
        knows no such place; :class:`TemporaryFailure` when it could not answer."""
        key = norm(text)
        if not key:
            return None
        cached = self.cache.get(self.service, key)
        if cached is not None:
            return cached.get("answer")
        delay = self.backoff_s
        for attempt in range(self.max_retries + 1):
            try:
                self.sent += 1
                loc = self._limited(text, exactly_one=True)
            except geopy_exc.GeocoderRateLimited as e:
                wait = float(e.retry_after) if e.retry_after is not None else delay
                if attempt == self.max_retries or wait > self.max_wait_s:
                    raise TemporaryFailure(f"{self.service}: rate limited") from e
                log.warning("%s: rate limited; waiting %.0f s as asked", self.service, wait)
                self.sleep(wait)
            except (
                geopy_exc.GeocoderTimedOut,
                geopy_exc.GeocoderUnavailable,
                geopy_exc.GeocoderServiceError,
            ) as e:
                if isinstance(
                    e,
                    (
                        geopy_exc.GeocoderAuthenticationFailure,
                        geopy_exc.GeocoderInsufficientPrivileges,
                    ),
                ):
                    raise TemporaryFailure(f"{self.service}: refused ({e})") from e
                if attempt == self.max_retries:
                    raise TemporaryFailure(f"{self.service}: {type(e).__name__}: {e}") from e
                log.warning("%s: %s; retrying in %.0f s", self.service, type(e).__name__, delay)
                self.sleep(delay)
                delay *= 2
            else:
                answer = None
                if loc is not None:
                    raw = loc.raw if isinstance(loc.raw, dict) else {}
                    answer = {
                        "lat": float(loc.latitude),
                        "lon": float(loc.longitude),
                        "name": loc.address,
                        "raw_type": raw.get("addresstype") or raw.get("type"),
                    }
                self.cache.put(self.service, key, {"answer": answer})
                return answer
        raise TemporaryFailure(f"{self.service}: no answer")


def default_cache_path() -> Path:
    return settings.cache_dir / "geocode-cache.sqlite"


def online_geocoder(
    service: str,
    options: dict[str, str] | None = None,
    user_agent: str | None = None,
    cache_path: str | Path | None = None,
    min_delay_s: float | None = None,
) -> OnlineGeocoder:
    """Build an :class:`OnlineGeocoder` for geopy service ``service`` (e.g. ``nominatim``).

    ``options`` go to the geopy class (``domain``, ``scheme``, ``api_key``, ...).
    Nominatim needs a user agent of your own (``--user-agent``), per its policy.
    """
    name = service.lower()
    try:
        cls = get_geocoder_for_service(name)
    except geopy_exc.GeocoderNotFound:
        raise ValueError(f"unknown geocoder {service!r} (see geopy's list of services)") from None
    opts: dict[str, Any] = dict(options or {})
    if "timeout" in opts:
        opts["timeout"] = float(opts["timeout"])
    else:
        opts["timeout"] = settings.http_timeout_s
    if name == "nominatim" and not user_agent:
        raise ValueError(
            "Nominatim requires --user-agent naming your application "
            "(its usage policy forbids default user agents)"
        )
    if user_agent:
        opts["user_agent"] = user_agent
    try:
        geocoder = cls(**opts)
    except TypeError as e:
        raise ValueError(f"geocoder {service!r}: bad option: {e}") from None
    # the public Nominatim allows one request a second; a self-hosted one may allow more
    public = name == "nominatim" and "domain" not in opts
    min_delay = min_delay_s if min_delay_s is not None else (1.0 if name == "nominatim" else 0.0)
    if public and min_delay < 1.0:
        raise ValueError(
            "the public Nominatim allows at most one request a second "
            "(--min-delay must be at least 1)"
        )
    cache = GeocodeCache(cache_path or default_cache_path())
    return OnlineGeocoder(name, geocoder, cache, min_delay_s=min_delay)
