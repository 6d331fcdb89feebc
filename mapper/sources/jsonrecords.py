"""JSON inputs record by record: JSON Lines streamed line by line, or one JSON
document (an API response array, a thread) read whole; ``.gz`` either way."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from ..model import Conversation
from .base import InputError


def _open(path: str | Path) -> BinaryIO:
    try:
        f = open(path, "rb")  # noqa: SIM115 - returned to the caller
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    if f.read(2) == b"\x1f\x8b":
        f.seek(0)
        return gzip.open(f)  # type: ignore[return-value]
    f.seek(0)
    return f


#: msgspec's decoder: several times faster than ``json`` on tweet lines
_decode = msgspec.json.Decoder().decode


def records(
    path: str | Path, conv: Conversation, line_type: Any = None
) -> Iterator[tuple[str, Any]]:
    """Yield ``(where, value)`` for each JSON value in ``path``: each line of a JSON
    Lines file (``"line 12"``), or the one document of a JSON file (``"document"``).

    ``line_type`` (a ``TypedDict``) decodes each line into just the fields a reader
    needs, skipping the rest in C; a line of another shape is decoded as it is.
    A line that is not JSON is reported in ``conv.problems`` (file and line) and
    skipped; the lines around it are kept.
    """
    typed = msgspec.json.Decoder(line_type).decode if line_type is not None else None

    def decode(raw: bytes) -> Any:
        if typed is not None:
            try:
                return typed(raw)
            except msgspec.ValidationError:
                pass  # valid JSON of another shape: the reader says what is wrong
        return _decode(raw)

    with _open(path) as f:
        first = f.readline()
        try:
            value = decode(first) if first.strip() else None
        except (ValueError, RecursionError):  # not JSON, bad UTF-8, 10k-digit ints, deep nesting
            value = None
        if value is None:
            # not one value per line: a pretty-printed document or array
            rest = first + f.read()
            try:
                yield "document", _decode(rest)
                return
            except (ValueError, RecursionError) as e:
                if not first.strip().startswith(b"{"):
                    conv.problem(
                        str(path),
                        f"line {getattr(e, 'lineno', 1)}",
                        f"not valid JSON ({_why(e)})",
                    )
                    return
                lines = rest.splitlines(keepends=True)
        else:
            lines = None
            yield "line 1", value
        numbered = enumerate(lines, 1) if lines is not None else enumerate(f, 2)
        for lineno, raw in numbered:
            if not raw.strip():
                continue
            try:
                yield f"line {lineno}", decode(raw)
            except (ValueError, RecursionError) as e:
                conv.problem(
                    str(path),
                    f"line {lineno}",
                    f"not valid JSON ({_why(e)}); line skipped",
                )


def looks_like_json(head: str) -> bool:
    return head.lstrip()[:1] in ("{", "[")


def _why(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    return str(getattr(e, "msg", None) or e)[:120]
