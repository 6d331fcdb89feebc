"""JSON inputs record by record: JSON Lines streamed line by line, or one JSON
document (an API response array, a thread) read whole; ``.gz`` either way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from ..model import Conversation
from .base import open_stream


def _open(path: str | Path) -> BinaryIO:
    # gunzipped as a stream, with the decompressed-size cap and errors named
    return open_stream(path)


#: msgspec's decoder: several times faster than ``json`` on tweet lines
_decode = msgspec.json.Decoder().decode


def records(
    path: str | Path,
    conv: Conversation,
    line_type: Any = None,
    shard: tuple[int, int, int] | None = None,
) -> Iterator[tuple[str, Any]]:
    """Yield ``(where, value)`` for each JSON value in ``path``: each line of a JSON
    Lines file (``"line 12"``), or the one document of a JSON file (``"document"``).

    ``line_type`` (a ``TypedDict``) decodes each line into just the fields a reader
    needs, skipping the rest in C; a line of another shape is decoded as it is.
    A line that is not JSON is reported in ``conv.problems`` (file and line) and
    skipped; the lines around it are kept.
    """
    typed = msgspec.json.Decoder(line_type).decode if line_type is not None else None
    if shard is not None:
        yield from _shard(path, conv, typed, shard)
        return

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


def _shard(path, conv: Conversation, typed, shard: tuple[int, int, int]):
    """The lines of an uncompressed JSON Lines file that start in ``[start, end)``;
    ``first`` is the line number of the first of them (for messages)."""
    start, end, first = shard
    with open(path, "rb") as f:
        f.seek(start)
        pos, lineno = start, first
        for raw in f:
            if pos >= end:
                break
            pos += len(raw)
            if raw.strip():
                try:
                    value = typed(raw) if typed is not None else _decode(raw)
                except msgspec.ValidationError:
                    value = _decode(raw)
                except (ValueError, RecursionError) as e:
                    conv.problem(
                        str(path), f"line {lineno}", f"not valid JSON ({_why(e)}); line skipped"
                    )
                    lineno += 1
                    continue
                yield f"line {lineno}", value
            lineno += 1


def split(path: str | Path, parts: int) -> list[tuple[int, int, int]]:
    """Byte ranges ``(start, end, first line number)`` cutting an uncompressed JSON
    Lines file into about ``parts`` pieces at line boundaries."""
    size = Path(path).stat().st_size
    if parts <= 1 or size == 0:
        return [(0, size, 1)]
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(cuts[-1], size * k // parts))
            f.readline()  # to the end of the line the cut falls in
            if f.tell() < size and f.tell() > cuts[-1]:
                cuts.append(f.tell())
        cuts.append(size)
        # line numbers of the cuts: count newlines once, chunk by chunk
        firsts, line, pos = [1], 1, 0
        f.seek(0)
        for cut in cuts[1:-1]:
            while pos < cut:
                chunk = f.read(min(1 << 24, cut - pos))
                line += chunk.count(b"\n")
                pos += len(chunk)
            firsts.append(line)
    return [(cuts[i], cuts[i + 1], firsts[i]) for i in range(len(cuts) - 1)]
