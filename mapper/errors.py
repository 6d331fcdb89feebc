"""One family of errors for everything a user can get wrong or run into.

Every failure a user can cause or meet is a :class:`MapperError`; the CLI prints
its message as one line (``mapper: error: …``) and exits with :attr:`exit_code`:

- 1, the run could not be done: an input that cannot be read (:class:`InputError`),
  a web request that failed for good (:class:`FetchError`);
- 2, the command was asked wrongly (:class:`UsageError`), including an online
  geocoder that cannot be set up as asked (:class:`GeocoderError`).

Each message names the file, line, record, URL or option and says what is wrong.
:class:`InputError` and :class:`UsageError` are also :class:`ValueError`, so code
that caught ``ValueError`` before this family existed keeps working.
"""

from __future__ import annotations


class MapperError(Exception):
    """Base of every error mapper reports to a user as one line."""

    #: the process exit status the CLI uses for this error
    exit_code: int = 1
    #: what the CLI prints before the message
    label: str = "error"


class InputError(MapperError, ValueError):
    """An input cannot be read at all (missing, unreadable, unknown format, malformed
    side file such as ``--aliases`` or ``--locations``). The message names the file
    and, where known, the line or record."""


class UsageError(MapperError, ValueError):
    """A wrong option or combination of options (exit status 2)."""

    exit_code = 2
    label = "usage error"


class FetchError(MapperError):
    """A web request failed for good (after retries), with the URL and the reason."""


class GeocoderError(UsageError):
    """An online geocoder cannot be set up as asked (unknown service, bad option, its
    usage policy not met). Transient failures during a run are not errors: the string
    is reported *unresolved for now* instead."""


__all__ = ["FetchError", "GeocoderError", "InputError", "MapperError", "UsageError"]
