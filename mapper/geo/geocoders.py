"""Online geocoders through geopy, opt-in, for what the offline gazetteer cannot resolve.

Any geopy service by name (``nominatim``, ``photon``, ``arcgis``, ...) with its
options.  Requests are spaced by geopy's :class:`~geopy.extra.rate_limiter.RateLimiter`
(at least 1 s for Nominatim, as its usage policy asks); a 429 is honoured by
waiting its ``Retry-After`` (up to ``settings.http_max_wait_s``); timeouts and 5xx are
retried a bounded number of times with backoff, then the string is reported
unresolved *for now* (and not cached).  After ``settings.geocoder_max_failures``
failed requests in a row (the service is down, or the machine offline) the geocoder
stops asking for the rest of the run, says so once, and the offline answers stand.
An answer off the globe (latitude beyond ±90, longitude beyond ±180, NaN) is
rejected and named.  Every answer goes into a persistent SQLite cache keyed by the
service, its endpoint and every option that changes answers, so each distinct
normalised string is sent once per service and options, ever.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy import exc as geopy_exc
from geopy.adapters import RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from urllib3.util.retry import Retry

from .. import settings
from .cache import GeocodeCache, valid_answer
from .gazetteer import norm

log = logging.getLogger("mapper")

# geopy class options that change how a request is sent, not what it answers (the
# endpoint, from domain/scheme/api path, is in the key on its own)
_TRANSPORT_OPTIONS = frozenset(
    {
        "timeout",
        "proxies",
        "user_agent",
        "ssl_context",
        "adapter_factory",
        "domain",
        "scheme",
        "api_key",
        "username",
        "password",
        "client_id",
        "secret_key",
        "auth_id",
        "auth_token",
    }
)


class TemporaryFailure(Exception):
    """The service did not answer (throttled, timed out, down): try again later."""


def _off_globe(lat: object, lon: object) -> str | None:
    """Why ``(lat, lon)`` as a service sent them is not a point on the globe."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"coordinates {lat!r}, {lon!r} are not numbers"
    if not valid_answer({"lat": la, "lon": lo}):
        return f"coordinates {lat}, {lon} are off the globe"
    return None


class OnlineGeocoder:
    """One geopy service with rate limiting, bounded retries, a circuit breaker and a
    persistent cache."""

    def __init__(
        self,
        service: str,
        geocoder: Any,
        cache: GeocodeCache,
        min_delay_s: float,
        max_retries: int = 3,
        backoff_s: float = 2.0,
        max_wait_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        query_options: dict[str, Any] | None = None,
        scope: str | None = None,
        max_failures: int | None = None,
    ):
        self.service = service
        self.geocoder = geocoder
        self.cache = cache
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        #: longest Retry-After obeyed (s); a longer one leaves the string for later
        self.max_wait_s = settings.http_max_wait_s if max_wait_s is None else max_wait_s
        self.sleep = sleep
        self.sent = 0  # requests actually sent, for tests and the summary
        #: keyword arguments of every ``geocode`` call (``exactly_one``, ``language``, ...)
        self.query_options: dict[str, Any] = {"exactly_one": True, **(query_options or {})}
        #: the cache key's first half: service, endpoint and answer-changing options
        self.scope = scope or json.dumps(
            {
                "service": service,
                "endpoint": getattr(geocoder, "api", None),
                "query": self.query_options,
            },
            sort_keys=True,
            default=str,
        )
        self.max_failures = settings.geocoder_max_failures if max_failures is None else max_failures
        self.failures = 0  # failed requests in a row
        #: why the geocoder stopped asking (the circuit breaker opened), else None
        self.stopped: str | None = None
        #: (string, why) of answers rejected as impossible (off the globe)
        self.rejected: list[tuple[str, str]] = []
        self._limited = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_s,
            max_retries=0,
            swallow_exceptions=False,
            # geopy asserts error_wait_seconds >= min_delay_seconds (a bare
            # AssertionError for --min-delay above 5 s otherwise)
            error_wait_seconds=max(5.0, min_delay_s),
        )

    def _failed(self, why: str) -> None:
        """Count one failed request; open the breaker after ``max_failures`` in a row."""
        self.failures += 1
        if self.stopped is None and self.max_failures and self.failures >= self.max_failures:
            self.stopped = (
                f"{self.service}: stopped asking after {self.failures} failed requests "
                f"in a row ({why}); offline answers kept (settings.geocoder_max_failures)"
            )
            log.warning("%s", self.stopped)

    def geocode(self, text: str) -> dict[str, Any] | None:
        """``{"lat", "lon", "name", "raw_type"}`` for ``text``, ``None`` if the service
        knows no such place; :class:`TemporaryFailure` when it could not answer."""
        key = norm(text)
        if not key:
            return None
        cached = self.cache.get(self.scope, key)
        if cached is not None:
            return cached.get("answer")
        delay = self.backoff_s
        for attempt in range(self.max_retries + 1):
            if self.stopped is not None:
                raise TemporaryFailure(self.stopped)
            try:
                self.sent += 1
                loc = self._limited(text, **self.query_options)
            except geopy_exc.GeocoderRateLimited as e:
                try:
                    wait = float(e.retry_after) if e.retry_after is not None else delay
                except (TypeError, ValueError):
                    wait = delay
                if not math.isfinite(wait) or wait < 0:
                    wait = delay
                if wait > self.max_wait_s:
                    raise TemporaryFailure(
                        f"{self.service}: rate limited, asked to wait {wait:,.0f} s, more "
                        f"than the {self.max_wait_s:,.0f} s allowed (settings.http_max_wait_s)"
                    ) from e
                if attempt == self.max_retries:
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
                why = f"{type(e).__name__}: {' '.join(str(e).split())}"
                self._failed(why)
                if attempt == self.max_retries or self.stopped is not None:
                    raise TemporaryFailure(f"{self.service}: {why}") from e
                log.warning("%s: %s; retrying in %.0f s", self.service, type(e).__name__, delay)
                self.sleep(delay)
                delay *= 2
            except (ValueError, TypeError, KeyError, AttributeError) as e:
                # geopy could not make a point of the answer (NaN, latitude beyond
                # ±90, missing fields): the service answered, but nothing usable
                self.failures = 0
                why = f"unusable answer ({' '.join(str(e).split())[:120]})"
                self.rejected.append((text, why))
                log.warning("%s: %r: %s; ignored", self.service, text, why)
                return None
            else:
                self.failures = 0
                answer = None
                if isinstance(loc, list):  # exactly_one=False: the first answer
                    loc = loc[0] if loc else None
                if loc is not None:
                    raw = loc.raw if isinstance(loc.raw, dict) else {}
                    # geopy wraps a longitude beyond ±180 silently: judge what was sent
                    off = _off_globe(raw.get("lat", loc.latitude), raw.get("lon", loc.longitude))
                    if off is None:
                        off = _off_globe(loc.latitude, loc.longitude)
                    if off is not None:
                        self.rejected.append((text, off))
                        log.warning("%s: %r: %s; ignored", self.service, text, off)
                        return None  # not cached: a later answer may be sane
                    answer = {
                        "lat": float(loc.latitude),
                        "lon": float(loc.longitude),
                        "name": loc.address,
                        "raw_type": raw.get("addresstype") or raw.get("type"),
                    }
                self.cache.put(self.scope, key, {"answer": answer})
                return answer
        raise TemporaryFailure(f"{self.service}: no answer")


def default_cache_path() -> Path:
    return settings.cache_dir / "geocode-cache.sqlite"


def _option_value(value: str) -> Any:
    """A ``--geocoder-option`` value as geopy wants it (``true``/``false`` as bools)."""
    low = value.strip().lower()
    return {"true": True, "false": False}.get(low, value)


def online_geocoder(
    service: str,
    options: dict[str, str] | None = None,
    user_agent: str | None = None,
    cache_path: str | Path | None = None,
    min_delay_s: float | None = None,
) -> OnlineGeocoder:
    """Build an :class:`OnlineGeocoder` for geopy service ``service`` (e.g. ``nominatim``).

    ``options`` go to the geopy class (``domain``, ``scheme``, ``api_key``, ...) or,
    when the class does not take them, to every ``geocode`` call (``language``,
    ``country_codes``, ``exactly_one``, ...).  Nominatim needs a user agent of your
    own (``--user-agent``), per its policy.  ``min_delay_s`` (seconds between
    requests) above ``settings.http_max_wait_s`` is capped there, with a warning.
    """
    name = service.lower()
    try:
        cls = get_geocoder_for_service(name)
    except geopy_exc.GeocoderNotFound:
        raise ValueError(f"unknown geocoder {service!r} (see geopy's list of services)") from None
    init_params = set(inspect.signature(cls.__init__).parameters) - {"self"}
    query_params = set(inspect.signature(cls.geocode).parameters) - {"self", "query"}
    opts: dict[str, Any] = {}
    query_opts: dict[str, Any] = {}
    for key, value in (options or {}).items():
        if key in init_params:
            opts[key] = value
        elif key in query_params and key != "timeout":
            query_opts[key] = _option_value(value)
        else:
            raise ValueError(f"geocoder {service!r}: unknown option {key!r}")
    if "timeout" in opts:
        try:
            opts["timeout"] = float(opts["timeout"])
        except ValueError:
            raise ValueError(f"geocoder timeout {opts['timeout']!r}: not a number") from None
        if not (math.isfinite(opts["timeout"]) and opts["timeout"] > 0):
            raise ValueError(f"geocoder timeout {opts['timeout']!r}: must be above 0 s")
    else:
        opts["timeout"] = settings.http_timeout_s
    if name == "nominatim" and not user_agent:
        raise ValueError(
            "Nominatim requires --user-agent naming your application "
            "(its usage policy forbids default user agents)"
        )
    if user_agent:
        opts["user_agent"] = user_agent
    if "adapter_factory" in init_params:
        # geopy's requests adapter lets urllib3 obey any Retry-After (299 s, twice)
        # before geopy sees the 429; here the wait is ours, capped
        opts["adapter_factory"] = functools.partial(
            RequestsAdapter, max_retries=Retry(total=2, respect_retry_after_header=False)
        )
    try:
        geocoder = cls(**opts)
    except TypeError as e:
        raise ValueError(f"geocoder {service!r}: bad option: {e}") from None
    # the public Nominatim allows one request a second; a self-hosted one may allow more
    public = name == "nominatim" and "domain" not in opts
    min_delay = min_delay_s if min_delay_s is not None else (1.0 if name == "nominatim" else 0.0)
    if not math.isfinite(min_delay) or min_delay < 0:
        raise ValueError(f"--min-delay {min_delay}: must be a number of seconds, 0 or more")
    if min_delay > settings.http_max_wait_s:
        log.warning(
            "--min-delay %g s capped at %g s (settings.http_max_wait_s)",
            min_delay,
            settings.http_max_wait_s,
        )
        min_delay = settings.http_max_wait_s
    if public and min_delay < 1.0:
        raise ValueError(
            "the public Nominatim allows at most one request a second "
            "(--min-delay must be at least 1)"
        )
    scope = json.dumps(
        {
            "service": name,
            "endpoint": getattr(geocoder, "api", None) or opts.get("domain"),
            "options": {k: v for k, v in opts.items() if k not in _TRANSPORT_OPTIONS},
            "query": {"exactly_one": True, **query_opts},
        },
        sort_keys=True,
        default=str,
    )
    cache = GeocodeCache(cache_path or default_cache_path())
    return OnlineGeocoder(
        name, geocoder, cache, min_delay_s=min_delay, query_options=query_opts, scope=scope
    )
