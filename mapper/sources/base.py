"""What every reader shares: input errors, decoding, line numbers, post authors."""

from __future__ import annotations

import gzip
import re
import zlib
from contextlib import contextmanager
from pathlib import Path

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


def open_bytes(path: str | Path) -> bytes:
    """The bytes of ``path`` (gunzipped for ``.gz``), or :class:`InputError`."""
    with _reading(path):
        data = Path(path).read_bytes()
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def head_bytes(path: str | Path, size: int = 65536) -> bytes:
    """The first ``size`` bytes of ``path`` (of its content, for ``.gz``), for sniffing
    without reading a multi-GB file into memory."""
    with _reading(path), open(path, "rb") as f:
        if f.read(2) == b"\x1f\x8b":
            f.seek(0)
            with gzip.open(f) as g:
                return g.read(size)
        f.seek(0)
        return f.read(size)


def decode_text(data: bytes, path: str | Path, conv: Conversation | None = None) -> str:
    """UTF-8 text of ``data``.  Other encodings are decoded as Windows-1252 and
    the first bad line is reported as a problem, so no record is lost."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        if conv is not None:
            conv.problem(
                str(path),
                f"line {line}",
                f"not valid UTF-8 (byte 0x{data[e.start]:02x}); read as Windows-1252",
            )
        return data.decode("cp1252", errors="replace")


def placeholder_author(post: Post) -> str:
    """The provisional target id of interactions with ``post`` before its author is known."""
    return f"post-author:{post.id}"


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
        targeted = any(it.target == placeholder for it in conv.interactions)
        if targeted and placeholder not in conv.people:
            conv.people[placeholder] = Person(
                id=placeholder, name=f"author of {post.title or post.url or post.id}"
            )
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


# --- XML -----------------------------------------------------------------------


def local(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]


def iter_elements(path: str | Path, wanted: set[str], conv: Conversation):
    """Yield ``(element, line)`` for each completed element whose local name is in
    ``wanted``, parsing without entity expansion or external entities.

    A truncated or malformed file stops the iteration with a problem naming the
    line; everything yielded before it is kept.
    """
    import io
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    data = open_bytes(path)
    # line numbers: expat reports them on error; for records we count start tags
    try:
        parser = iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True)
        starts: dict[int, int] = {}
        line_guess = _LineFinder(data)
        for event, el in parser:
            name = local(el.tag)
            if name not in wanted:
                continue
            if event == "start":
                starts[id(el)] = line_guess.next_line(name)
            else:
                yield el, starts.pop(id(el), 0)
    except ParseError as e:
        line = getattr(e, "position", (0, 0))[0]
        msg = str(e).split(":")[0]
        conv.problem(str(path), f"line {line}", f"malformed XML ({msg}); records after it are lost")
    except DefusedXmlException as e:
        conv.problem(str(path), "document", f"refused unsafe XML: {type(e).__name__}")
    except (LookupError, ValueError) as e:  # an unknown encoding in the XML declaration
        conv.problem(str(path), "line 1", f"unreadable XML ({str(e)[:100]}); file skipped")


class _LineFinder:
    """Finds the line of successive start tags by scanning the raw bytes."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.line = 1

    def next_line(self, name: str) -> int:
        rx = re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?" + re.escape(name.encode()) + rb"[\s>/]")
        m = rx.search(self.data, self.pos)
        if not m:
            return 0
        self.line += self.data.count(b"\n", self.pos, m.start())
        self.pos = m.start() + 1
        return self.line


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
