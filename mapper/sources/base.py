"""What every reader shares: input errors, decoding, line numbers, post authors."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .. import settings
from ..errors import InputError
from ..model import Conversation, Interaction, Person, Post


@contextmanager
def _reading(path: str | Path):
    """Turn the OS's reasons for not reading ``path`` into an :class:`InputError`."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise InputError(f"{path}: damaged gzip file: {e}") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None


def _mb(n: float) -> str:
    return f"{n:,.0f} MB"


class _Capped(io.RawIOBase):
    """A read-only binary stream that raises :class:`InputError` once more than
    ``limit`` bytes have come out of it (a gzip bomb stops here, not in swap)."""

    def __init__(
        self,
        raw: io.BufferedIOBase,
        path: str | Path,
        limit: int,
        what: str,
        flag: str,
        under: BinaryIO | None = None,
    ):
        self.raw, self.path, self.limit, self.what, self.flag = raw, path, limit, what, flag
        #: the file ``raw`` reads from, closed with it (a GzipFile given a file object
        #: does not close it)
        self.under = under
        self.seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        with _reading(self.path):
            n = self.raw.readinto(b)
        self.seen += n or 0
        if self.seen > self.limit:
            raise InputError(
                f"{self.path}: {self.what} is larger than {_mb(self.limit / 2**20)}; "
                f"raise the limit with {self.flag} if the file is genuine"
            )
        return n

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            if self.under is not None:
                self.under.close()
            super().close()


def is_gzip(path: str | Path) -> bool:
    """True if ``path`` starts with the gzip magic bytes (whatever its name)."""
    with _reading(path), open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


#: bytes read from an input file at a time by :func:`open_stream`
_BUFFER = 1 << 20


def open_stream(path: str | Path) -> BinaryIO:
    """``path`` opened for reading bytes, gunzipped *as a stream* when it is gzip.

    Decompressed data is capped at :data:`mapper.settings.max_decompressed_mb`
    (``--max-decompressed-mb``); read errors, damaged gzip and the cap all raise
    :class:`InputError` naming the file.  The caller closes the stream.
    """
    with _reading(path):
        # a 1 MB buffer: a twarc2 page is one line of 100 kB to 1 MB, which the default
        # 8 kB buffer reads in many pieces (iterating a 1M-tweet file's lines: 3x the CPU)
        f = open(path, "rb", buffering=_BUFFER)  # noqa: SIM115 - returned to the caller
    try:
        with _reading(path):
            magic = f.read(2)
            f.seek(0)
    except BaseException:
        f.close()
        raise
    if magic != b"\x1f\x8b":
        return f
    limit = int(settings.max_decompressed_mb * 2**20)
    capped = _Capped(
        gzip.GzipFile(fileobj=f),
        path,
        limit,
        "its decompressed content",
        "--max-decompressed-mb",
        under=f,
    )
    return io.BufferedReader(capped, 1 << 16)


def open_bytes(path: str | Path) -> bytes:
    """The bytes of ``path`` (gunzipped for ``.gz``, streamed, never inflated whole
    before the size is known), or :class:`InputError`.

    For readers that need a whole document in memory: the content is capped at
    :data:`mapper.settings.max_document_mb` (``--max-input-mb``) so a small ``.gz``
    cannot make a reader hold gigabytes.
    """
    limit = int(settings.max_document_mb * 2**20)
    # in chunks: ``read(limit + 1)`` allocates the whole limit (512 MB) up front,
    # even for a 1 kB file
    buf = bytearray()
    with open_stream(path) as f, _reading(path):
        while len(buf) <= limit:
            chunk = f.read(min(1 << 22, limit + 1 - len(buf)))
            if not chunk:
                break
            buf += chunk
    data = bytes(buf)
    del buf
    if len(data) > limit:
        raise InputError(
            f"{path}: larger than {_mb(settings.max_document_mb)} once decompressed, too big to "
            "read as one document; raise the limit with --max-input-mb if the file is genuine"
        )
    return data


def head_bytes(path: str | Path, size: int = 65536) -> bytes:
    """The first ``size`` bytes of ``path`` (of its content, for ``.gz``), for sniffing
    without reading a multi-GB file into memory."""
    with open_stream(path) as f, _reading(path):
        return f.read(size)


# byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """``(encoding, BOM length)`` from a byte-order mark, or a UTF-16/32 text without
    one recognised by its NUL pattern (``<\\0?\\0x``); ``(None, 0)`` otherwise."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    head = data[:4]
    if len(head) == 4:
        if head[0] and not head[1] and not head[2] and not head[3]:
            return "utf-32-le", 0
        if not head[0] and not head[1] and not head[2] and head[3]:
            return "utf-32-be", 0
        if head[0] and not head[1] and head[2] and not head[3]:
            return "utf-16-le", 0
        if not head[0] and head[1] and not head[2] and head[3]:
            return "utf-16-be", 0
    return None, 0


_declared_res = (
    # <?xml version="1.0" encoding="windows-1251"?>
    re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""),
    # <meta charset="windows-1251"> or <meta http-equiv=... content="text/html; charset=...">
    re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I),
)


def declared_charset(data: bytes) -> str | None:
    """The character set a document declares in its first 4 kB (an XML declaration or
    an HTML ``<meta charset>``), if Python knows it; ``None`` otherwise."""
    import codecs

    head = data[:4096]
    for rx in _declared_res:
        m = rx.search(head)
        if m:
            name = m.group(1).decode("ascii")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def decode_text(
    data: bytes,
    path: str | Path,
    conv: Conversation | None = None,
    declared: str | None = None,
) -> str:
    """The text of ``data``.  Evidence, strongest first: a byte-order mark (UTF-8,
    UTF-16, UTF-32, or UTF-16/32 recognised by its NUL bytes); valid UTF-8 (a text in
    a legacy 8-bit charset is practically never valid UTF-8); the charset ``declared``
    by the container (e.g. an HTTP header) or by the document itself (``<?xml …
    encoding>``, ``<meta charset>``); else Windows-1252, with the first line that is
    not UTF-8 reported as a problem, so no record is lost."""
    import codecs

    enc, skip = bom_encoding(data)
    if enc is not None:
        text = data[skip:].decode(enc, errors="replace")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e
    charset = declared or declared_charset(data)
    if charset:
        try:
            charset = codecs.lookup(charset).name
        except LookupError:
            charset = None
    # a declared UTF-16/32 without a BOM or NULs, or UTF-8 that is not: the label lies
    if charset and not charset.startswith(("utf-16", "utf-32", "utf-8")):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            pass
    line = data.count(b"\n", 0, bad.start) + 1
    if conv is not None:
        conv.problem(
            str(path),
            f"line {line}",
            f"not valid UTF-8 (byte 0x{data[bad.start]:02x}); read as Windows-1252",
        )
    return data.decode("cp1252", errors="replace")


def sniff_text(data: bytes) -> str:
    """The head of a file as text for the readers' ``sniff``: decoded by its BOM (or
    UTF-8), with a BOM and leading blank lines (also CRLF) removed."""
    enc, skip = bom_encoding(data)
    text = data[skip:].decode(enc or "utf-8", errors="replace")
    return text.lstrip("\ufeff\r\n\t ")


def placeholder_author(post: Post) -> str:
    """The provisional target id of interactions with ``post`` before its author is known."""
    return f"post-author:{post.id}"


def unknown_author(post: Post) -> str:
    """The id of the unknown author of ``post``: one per site (the host of its URL),
    else one per input file."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(post.url or "").hostname or "").lower().removeprefix("www.")
    except ValueError:
        host = ""
    return f"post-author:{host or post.id.split('#', 1)[0]}"


_credit_res = (
    re.compile(r"\bby\s+@([A-Za-z0-9_]{1,30})", re.I),
    re.compile(r"\(\s*@([A-Za-z0-9_]{1,30})\s*\)"),
)


def resolve_author(conv: Conversation, post: Post, override: str | None = None) -> None:
    """Decide who wrote ``post`` and point its interactions at that person.

    Order: a byline the reader already found (``post.author_id``), then
    ``override`` (``--author``: a handle, id or name), then shares that credit
    the post (``By @x``, ``(@x)``) together with replies that person wrote in
    the thread.  The evidence is kept in ``post.author_evidence``.  If nothing
    says who it is, the placeholder person stays, named after the post.
    """
    placeholder = placeholder_author(post)
    if post.author_id is None and override:
        post.author_id = _person_for(conv, override, "--author")
        post.author_evidence.append({"kind": "override", "value": override, "source": "--author"})
    if post.author_id is None:
        credits: dict[str, int] = {}
        for it in conv.interactions:
            if it.kind in ("share", "retweet", "quote", "via") and it.text:
                for rx in _credit_res:
                    for h in rx.findall(it.text):
                        credits[h.lower()] = credits.get(h.lower(), 0) + 1
                        post.author_evidence.append(
                            {"kind": "credit", "value": f"@{h}", "source": it.ref or it.source}
                        )
        if credits:
            best = max(sorted(credits), key=lambda h: credits[h])
            post.author_id = _person_for(conv, best, "credit")
            for it in conv.interactions:
                writer = conv.people.get(it.source)
                if it.kind == "reply" and writer and writer.name.lower() == best:
                    post.author_evidence.append(
                        {
                            "kind": "reply",
                            "value": f"{writer.name} replied in the thread",
                            "source": it.ref or "",
                        }
                    )
    if post.author_id is None:
        # nobody says who wrote it: one unknown author per site (or file), not per post,
        # so a blog's many authorless posts do not become many people
        site = unknown_author(post)
        targeted = False
        for it in conv.interactions:
            if it.target == placeholder:
                it.target, targeted = site, True
        if targeted and site not in conv.people:
            conv.people[site] = Person(id=site, name=f"author of {site.split(':', 1)[1]}")
        return
    for it in conv.interactions:
        if it.target == placeholder:
            it.target = post.author_id
    conv.people.pop(placeholder, None)
    # a tweet that shares the post and credits its author is one act, not two
    shared = {(it.source, it.target, it.ref) for it in conv.interactions if it.kind == "share"}
    conv.interactions[:] = [
        it
        for it in conv.interactions
        if not (it.kind == "mention" and (it.source, it.target, it.ref) in shared)
    ]


def _person_for(conv: Conversation, token: str, source: str) -> str:
    """The id of the person ``token`` names: an id, a handle or a name already in
    ``conv``; else a new person.  A credit (``By @x`` in a tweet) and the user's
    ``--author`` handle are Twitter handles; ``--author`` with spaces is a name."""
    from ..ids import handle_person, new_person, norm_name

    t = token.strip().lstrip("@")
    if t in conv.people:
        return t
    for pid, p in conv.people.items():
        if any(h.lower() == t.lower() for h in p.handles.values()):
            return pid
    if source == "--author":
        n = norm_name(t)
        for pid, p in conv.people.items():
            if n and norm_name(p.name) == n:
                return pid
    if re.fullmatch(r"[A-Za-z0-9_]{1,30}", t):
        p = handle_person(t, platform="twitter" if source == "credit" else "user", source=source)
    else:
        p = new_person(t, source=source, platform="user")
    return conv.add_person(p).id


_mention_re = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,30})\b")
_rt_re = re.compile(r"^\s*RT\s+@([A-Za-z0-9_]{1,30}):?", re.I)
_via_re = re.compile(r"\bvia\s+@([A-Za-z0-9_]{1,30})", re.I)


def tweet_interactions(
    text: str, source: str, default_target: str | None, ref: str, conv: Conversation, at=None
) -> None:
    """Interactions in the text of a tweet-like post by ``source``.

    ``RT @x`` is a retweet of x, ``via @x`` credits x, any other ``@x`` is a
    mention; a post with neither RT nor via shares ``default_target`` (the
    post's author).  The ``@x`` of an ``RT @x`` is not counted again as a mention.
    """
    used: set[str] = set()
    rt = _rt_re.match(text)
    if rt:
        _edge(conv, source, rt.group(1), "retweet", ref, text, at)
        used.add(rt.group(1).lower())
    for h in _via_re.findall(text):
        if h.lower() not in used:
            _edge(conv, source, h, "via", ref, text, at)
            used.add(h.lower())
    if not rt and default_target:
        conv.interactions.append(
            Interaction(source, default_target, "share", at=at, ref=ref, text=text)
        )
    for h in _mention_re.findall(text):
        if h.lower() not in used:
            _edge(conv, source, h, "mention", ref, text, at)
            used.add(h.lower())


def mentions(
    text: str, source: str, ref: str, conv: Conversation, at=None, *, platform: str
) -> None:
    """A mention edge for each ``@handle`` in a comment's text written on ``platform``
    (``web`` for a blog comment: ``@Name`` is a name there, not a Twitter handle)."""
    seen: set[str] = set()
    for h in _mention_re.findall(text or ""):
        if h.lower() not in seen:
            seen.add(h.lower())
            _edge(conv, source, h, "mention", ref, text, at, platform)


def _edge(
    conv: Conversation,
    source: str,
    handle: str,
    kind: str,
    ref: str,
    text: str,
    at,
    platform: str = "twitter",
) -> None:
    from ..ids import handle_person

    target = conv.add_person(handle_person(handle, platform=platform, source=kind)).id
    if target != source:
        conv.interactions.append(Interaction(source, target, kind, at=at, ref=ref, text=text))


_bio_patterns = (
    re.compile(r"📍\s*([^\n|•·/]{2,60})"),
    re.compile(
        r"\b(?:location|located in|based in|based out of|lives? in|living in)\s*[:\-]?\s*"
        r"([A-Z][^\n|•·/.;!]{1,60})",
        re.I,
    ),
)


def location_from_bio(text: str) -> str | None:
    """A place named in a profile bio ("📍 Galway", "Based in Boise, ID"), if any."""
    for rx in _bio_patterns:
        m = rx.search(text or "")
        if m:
            return m.group(1).strip(" ,")
    return None


def html_text(markup: str | None, separator: str = "") -> str:
    """The text of an HTML fragment carried in JSON (a Mastodon status or field, a
    WordPress ``rendered`` comment): tags dropped and entities decoded by BeautifulSoup,
    a line break for each ``<br>`` and paragraph end, ``separator`` between the other
    pieces of text."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return markup.strip()  # plain text: the common case for names and fields
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for p in soup.find_all("p"):
        p.append("\n")
    return soup.get_text(separator).strip()
