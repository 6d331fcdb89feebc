"""JSON inputs record by record: JSON Lines streamed line by line, or one JSON
document (an API response array, a thread) read whole; ``.gz`` either way."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from .. import settings
from ..model import Conversation
from .base import InputError, open_stream


def _open(path: str | Path) -> BinaryIO:
    # gunzipped as a stream, with the decompressed-size cap and errors named
    return open_stream(path)


#: msgspec's decoder: several times faster than ``json`` on tweet lines
_decode = msgspec.json.Decoder().decode

_BOM = b"\xef\xbb\xbf"

#: Values nested deeper than this are cut (replaced by ``null``) so the rest of the
#: document can be read: msgspec, like Python, stops at about 1,000 levels.
MAX_DEPTH = 800

#: set to a list (the Dask engine's read task: :mod:`mapper.distributed`), it receives
#: the number of lines of each byte range read (``records(..., shard=...)``), counted
#: as they are read: counting them again cost a tenth of a range's task
SHARD_LINES: ContextVar[list[int] | None] = ContextVar("shard_lines", default=None)


def records(
    path: str | Path,
    conv: Conversation,
    line_type: Any = None,
    shard: tuple[int, int, int] | None = None,
    typed_if: Callable[[Any], bool] | None = None,
) -> Iterator[tuple[str, Any]]:
    """Yield ``(where, value)`` for each JSON value in ``path``: each line of a JSON
    Lines file (``"line 12"``), or the one document of a JSON file (``"document"``).

    ``line_type`` (a ``TypedDict``) decodes each line into just the fields a reader
    needs, skipping the rest in C; a line of another shape, or one whose typed value
    fails ``typed_if``, is decoded as it is.  A BOM and blank (or CRLF) lines before
    the first value are skipped.  A line that is not JSON is reported in
    ``conv.problems`` (file and line) and skipped; the lines around it are kept.
    Damage that can be repaired is repaired and named: a lone surrogate escape (half
    an emoji) becomes U+FFFD, bytes that are not UTF-8 become U+FFFD, values nested
    deeper than :data:`MAX_DEPTH` are cut.
    """
    typed = msgspec.json.Decoder(line_type).decode if line_type is not None else None
    if shard is not None:
        yield from _shard(path, conv, typed, typed_if, shard)
        return

    def decode(raw: bytes, where: str) -> Any:
        return _decode_line(raw, typed, typed_if, str(path), where, conv)

    with _open(path) as f:
        lineno, first = _first_line(f)
        if first is None:
            return  # nothing but blank lines: the reader says the file is empty
        lines: Iterable[bytes] = f
        try:
            value = decode(first, f"line {lineno}")
            yield f"line {lineno}", value
        except _NotJSON as bad:
            # one value per line whose first line is bad, or a document over many lines?
            ahead = _blank_lines_and_next(f)
            if _complete_object(first) or _is_object(ahead[-1] if ahead else b""):
                conv.problem(str(path), f"line {lineno}", f"not valid JSON ({bad}); line skipped")
                lines = itertools.chain(ahead, f)
            else:
                document = first + b"".join(ahead) + _read_capped(f, path)
                try:
                    yield "document", _repaired(document, str(path), "document", conv)
                except _NotJSON as e:
                    line = e.line + lineno - 1
                    conv.problem(str(path), f"line {line}", f"not valid JSON ({e})")
                return
        spath = str(path)
        for raw in lines:
            lineno += 1
            if raw.isspace() or not raw:  # (not strip(): it copies every line)
                continue
            where = f"line {lineno}"
            try:
                yield where, _decode_line(raw, typed, typed_if, spath, where, conv)
            except _NotJSON as e:
                conv.problem(str(path), where, f"not valid JSON ({e}); line skipped")


def _blank_lines_and_next(f: BinaryIO) -> list[bytes]:
    """The lines up to and including the next non-blank one (the stream cannot seek)."""
    out = []
    for raw in f:
        out.append(raw)
        if raw.strip():
            break
    return out


def _read_capped(f: BinaryIO, path: str | Path) -> bytes:
    """The rest of a JSON document, within :data:`mapper.settings.max_document_mb`."""
    limit = int(settings.max_document_mb * 2**20)
    data = f.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{path}: a JSON document larger than {settings.max_document_mb:g} MB, too big to "
            "read whole (JSON Lines are streamed); raise the limit with --max-input-mb"
        )
    return data


def _decode_line(
    raw: bytes,
    typed: Callable[[bytes], Any] | None,
    typed_if: Callable[[Any], bool] | None,
    path: str,
    where: str,
    conv: Conversation,
) -> Any:
    """One line's value: typed when it has the reader's shape, else as it is, else
    repaired (:func:`_repaired`); :class:`_NotJSON` when it is not JSON at all."""
    if typed is not None:
        try:
            value = typed(raw)
            if typed_if is None or typed_if(value):
                return value
        except msgspec.ValidationError:
            pass  # valid JSON of another shape: the reader says what is wrong
        except (ValueError, RecursionError):
            return _repaired(raw, path, where, conv)
    try:
        return _decode(raw)
    except (ValueError, RecursionError):
        return _repaired(raw, path, where, conv)


class _NotJSON(ValueError):
    """A value that is not JSON even after repair; ``line`` counts from the value's start."""

    def __init__(self, why: str, line: int = 1):
        super().__init__(why)
        self.line = line


def _first_line(f: BinaryIO) -> tuple[int, bytes | None]:
    """``(line number, bytes)`` of the first non-blank line, past a BOM."""
    lineno = 0
    for raw in f:
        lineno += 1
        if lineno == 1 and raw.startswith(_BOM):
            raw = raw[3:]
        if raw.strip():
            return lineno, raw
    return lineno, None


def _complete_object(line: bytes) -> bool:
    s = line.strip()
    return len(s) > 1 and s[:1] == b"{" and s[-1:] == b"}"


def _is_object(line: bytes) -> bool:
    """Whether ``line`` is a JSON object on its own (then the file is JSON Lines)."""
    if not _complete_object(line):
        return False
    try:
        return isinstance(_decode(line), dict)
    except (ValueError, RecursionError):
        return False


def _repaired(raw: bytes, path: str, where: str, conv: Conversation) -> Any:
    """Decode ``raw`` after repairing what can be repaired, each repair named in
    ``conv.problems``; :class:`_NotJSON` when it is still not JSON."""
    fixes: list[str] = []
    if raw.startswith(_BOM):
        raw = raw[3:]
    for _ in range(4):  # each repair at most once
        try:
            value = _decode(raw)
        except RecursionError:
            if any("nested" in f for f in fixes):
                raise _NotJSON("nested too deeply") from None
            raw, cut = _cut_deep(raw, MAX_DEPTH)
            fixes.append(f"{cut} value(s) nested deeper than {MAX_DEPTH} levels skipped")
            continue
        except ValueError as e:  # msgspec's DecodeError, or UnicodeDecodeError
            if not any("surrogate" in f for f in fixes):
                raw, n = _replace_lone_surrogates(raw)
                if n:
                    fixes.append(f"{n} lone surrogate escape(s) (half an emoji) replaced by U+FFFD")
                    continue
            if not any("UTF-8" in f for f in fixes):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as u:
                    raw = raw.decode("utf-8", errors="replace").encode("utf-8")
                    fixes.append(
                        f"bytes that are not UTF-8 (first 0x{u.object[u.start]:02x}) "
                        "replaced by U+FFFD"
                    )
                    continue
            raise _NotJSON(_why(e), _error_line(raw, e)) from None
        for fix in fixes:
            conv.problem(path, where, fix)
        return value
    raise _NotJSON("could not be repaired")


def _error_line(raw: bytes, e: Exception) -> int:
    m = re.search(r"byte (\d+)", str(e))
    return raw.count(b"\n", 0, int(m.group(1))) + 1 if m else 1


_ESCAPE = re.compile(
    rb"(\\+)u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|"
    rb"(\\+)u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def _replace_lone_surrogates(raw: bytes) -> tuple[bytes, int]:
    """``raw`` with each ``\\uD800``–``\\uDFFF`` escape that is not half of a pair
    replaced by ``\\uFFFD``, and how many there were."""
    n = 0

    def fix(m: re.Match[bytes]) -> bytes:
        nonlocal n
        slashes = m.group(1) or m.group(4)
        if len(slashes) % 2 == 0:
            return m.group(0)  # an escaped backslash followed by the letters "ud83d"
        if m.group(2) is not None and m.group(3) is not None:
            return m.group(0)  # a whole pair: an emoji
        n += 1
        return slashes + b"ufffd"

    return _ESCAPE.sub(fix, raw), n


_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _cut_deep(raw: bytes, limit: int) -> tuple[bytes, int]:
    """``raw`` with every array or object that starts deeper than ``limit`` replaced by
    ``null``, and how many were cut (strings are skipped whole, so brackets in them
    do not count)."""
    out: list[bytes] = []
    depth = 0
    keep_from = 0
    cut_at = -1  # where the value being cut started
    cuts = 0
    for m in _TOKEN.finditer(raw):
        tok = m.group()
        if tok[:1] == b'"':
            continue
        if tok in (b"[", b"{"):
            depth += 1
            if depth > limit and cut_at < 0:
                cut_at = m.start()
                out.append(raw[keep_from:cut_at])
                out.append(b"null")
                cuts += 1
        else:
            depth -= 1
            if cut_at >= 0 and depth == limit:
                keep_from = m.end()
                cut_at = -1
    if cut_at >= 0:  # never closed: the rest goes (the decoder will say it is truncated)
        return b"".join(out), cuts
    out.append(raw[keep_from:])
    return b"".join(out), cuts


def nothing_read(conv: Conversation, path: str | Path, what: str) -> None:
    """:class:`InputError` when ``path`` gave no person and no interaction: a file
    with nothing readable ends the run with exit status 1, its first problem named."""
    if conv.people or conv.edges_count():
        return
    if conv.problems:
        first = conv.problems[0]
        more = f" and {len(conv.problems) - 1} more" if len(conv.problems) > 1 else ""
        raise InputError(
            f"{path}: no {what} could be read ({first['where']}: {first['what']}{more})"
        )
    raise InputError(f"{path}: no {what} in the file")


def looks_like_json(head: str) -> bool:
    """Whether ``head`` starts like JSON (past a BOM and blank lines)."""
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def _why(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    return str(getattr(e, "msg", None) or e)[:120]


def _shard(
    path: str | Path,
    conv: Conversation,
    typed: Callable[[bytes], Any] | None,
    typed_if: Callable[[Any], bool] | None,
    shard: tuple[int, int, int],
) -> Iterator[tuple[str, Any]]:
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
            if pos == len(raw) and raw.startswith(_BOM):
                raw = raw[3:]
            if raw and not raw.isspace():
                where = f"line {lineno}"
                try:
                    yield where, _decode_line(raw, typed, typed_if, str(path), where, conv)
                except _NotJSON as e:
                    conv.problem(str(path), where, f"not valid JSON ({e}); line skipped")
            lineno += 1
    counts = SHARD_LINES.get()
    if counts is not None:
        counts.append(lineno - first)


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
