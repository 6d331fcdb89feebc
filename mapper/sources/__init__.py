"""Readers, one module per format, chosen by sniffing the content.

Each reader module has ``NAME``, ``sniff(head: str) -> bool`` (``head`` is the
first 64 kB of the file, decoded) and ``read(path, author=None) -> Conversation``.
The extension alone never decides: a ``.txt`` may be a CSV, an ``.xml`` may be
WXR or Disqus.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from ..model import Conversation
from . import (
    bluesky,
    csvfiles,
    disqus,
    html,
    mastodon,
    savedpage,
    twitter_v1,
    twitter_v2,
    wp_rest,
    wxr,
)
from .base import InputError, head_bytes, sniff_text

# Most specific first: the saved-page text format accepts any bulleted text.
READERS: list[ModuleType] = [
    wp_rest,
    twitter_v2,
    twitter_v1,
    mastodon,
    bluesky,
    wxr,
    disqus,
    html,
    csvfiles,
    savedpage,
]

__all__ = ["READERS", "InputError", "detect", "read"]


def detect(path: str | Path) -> ModuleType:
    """The reader module for ``path``, or :class:`InputError` naming the file."""
    data = head_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    head = sniff_text(data)
    if not head.strip("\x00\ufeff \t\r\n"):
        raise InputError(f"{path}: empty file")
    for reader in READERS:
        if reader.sniff(head):
            return reader
    names = ", ".join(r.NAME for r in READERS)
    raise InputError(f"{path}: unknown format (not one of: {names})")


def read(paths: str | Path | Iterable[str | Path], author: str | None = None) -> Conversation:
    """Read one or more inputs into one Conversation (not yet merged)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    conv = Conversation()
    for path in paths:
        reader = detect(path)
        try:
            part = reader.read(path, author=author)
        except InputError:
            raise
        except RecursionError:
            raise InputError(f"{path}: nested too deeply to read") from None
        except Exception as e:  # never a traceback for the user; the message asks for a report
            raise InputError(
                f"{path}: internal error in the {reader.NAME} reader "
                f"({type(e).__name__}: {str(e)[:200]}); please report it"
            ) from e
        if not (part.people or part.posts or part.edges_count()):
            # exit 1 rather than a silent empty map: say what the reader met instead
            why = "; ".join(f"{p.get('where')}: {p.get('what')}" for p in part.problems[:3])
            raise InputError(
                f"{path}: nothing readable as {reader.NAME}" + (f" ({why})" if why else "")
            )
        if not conv.people and not conv.edges_count():
            part.problems[:0] = conv.problems
            conv = part  # the first (often the only) input: nothing to fold into
        else:
            conv.extend(part)
    return conv
