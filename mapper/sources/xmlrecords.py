"""Records of a big XML export (WXR ``<item>``s, Disqus ``<thread>``/``<post>``s),
read one at a time so that damage costs only the record it is in.

The file is streamed (``.gz`` too) and decoded by its byte-order mark (UTF-8,
UTF-16, UTF-32) or its declared encoding; a byte that is not in that encoding and
a character XML forbids are replaced (U+FFFD) and named in ``problems``.  A scanner
cuts the text into records at their start and end tags (skipping comments and
CDATA), and lxml parses each record alone, strictly first and, if that fails,
with its recovering parser.  So:

* junk, a blank line or a BOM before ``<?xml`` is dropped (junk is named);
* an undeclared namespace prefix (``atom:``) is declared for the record;
* a damaged record is named, and what the recovering parser can read of it is
  kept; the records before and after it are untouched;
* a truncated tail keeps the complete part of its last record: elements that
  were not closed are marked (:func:`incomplete`) for the reader to skip and name;
* a record longer than ``settings.xml_max_record_mb`` is skipped and named (a
  giant token cannot make the scan slow or the memory grow);
* a ``<!DOCTYPE`` declaring entities refuses the file; no DTD is loaded, no
  entity expanded, nothing fetched from the network.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from .. import settings
from ..errors import InputError
from ..model import Conversation
from .base import _reading, bom_encoding, open_stream

_CHUNK = 1 << 16
_MARK = "{urn:mapper}incomplete"
_PROBLEMS_PER_KIND = 5

_bad_bytes: contextvars.ContextVar[list[tuple[bytes, int]]] = contextvars.ContextVar("bad_bytes")


def _note_bad(e: UnicodeError) -> tuple[str, int]:
    if isinstance(e, UnicodeDecodeError):
        _bad_bytes.get([]).append((bytes(e.object[e.start : e.start + 1]), e.start))
    return "\ufffd", e.end  # type: ignore[attr-defined]


codecs.register_error("mapper-xml", _note_bad)

_bad_chars = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_decl = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_xmlns = re.compile(r"""\bxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(["'])(.*?)\2""", re.S)
_prefix = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_KNOWN_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "wp": "http://wordpress.org/export/1.2/",
    "dsq": "http://disqus.com/disqus-internals",
}


def incomplete(el) -> bool:
    """True for an element the file ended (or broke) inside of."""
    return el.get(_MARK) == "1"


def local(tag) -> str:
    """``{namespace}name`` or ``prefix:name`` → ``name``."""
    return str(tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _encoding(head: bytes) -> tuple[str, int]:
    """The encoding of an XML file from its first bytes, and the BOM's length."""
    enc, bom = bom_encoding(head)
    if enc is not None:
        return enc, bom
    m = _decl.search(head[:1024])
    if m:
        try:
            return codecs.lookup(m.group(1).decode("ascii")).name, 0
        except LookupError:
            pass
    return "utf-8", 0


class _Text:
    """The decoded text of a file, chunk by chunk, with line numbers of what was dropped."""

    def __init__(self, path: str | Path, conv: Conversation):
        self.path, self.conv = str(path), conv
        self.raw = open_stream(path)  # gunzipped as a stream, capped
        head = self._read(_CHUNK)
        enc, bom = _encoding(head)
        m = _decl.search(head[:1024])
        if m and not bom:
            try:
                codecs.lookup(m.group(1).decode("ascii"))
            except LookupError:
                conv.problem(
                    self.path, "line 1", f"unknown encoding {m.group(1).decode()!r}; read as UTF-8"
                )
        self.encoding = enc
        self.decoder = codecs.getincrementaldecoder(enc)(errors="mapper-xml")
        self.pending = head[bom:]
        self.line = 1  # line number of the first character of the next chunk
        self.bad_reported = 0
        self.eof = False

    def close(self) -> None:
        self.raw.close()

    def next_chunk(self, size: int = _CHUNK) -> str:
        """The next piece of text, about ``size`` bytes ('' at the end)."""
        if self.eof:
            return ""
        data = self.pending or self._read(max(size, _CHUNK))
        self.pending = b""
        final = not data
        token = _bad_bytes.set([])
        try:
            text = self.decoder.decode(data, final=final)
        finally:
            bad = _bad_bytes.get()
            _bad_bytes.reset(token)
        for b, pos in bad:
            self._report(
                self.line + data[:pos].count(b"\n"),
                f"byte 0x{b.hex()} is not {self.encoding}; replaced",
            )
        self.line += data.count(b"\n")
        if final:
            self.eof = True
        return text

    def _read(self, size: int) -> bytes:
        try:
            with _reading(self.path):
                return self.raw.read(size)
        except InputError as e:  # damaged gzip, the decompressed-size cap: keep what was read
            self.conv.problem(self.path, f"line {self.line}", f"{e}; the rest is not read")
            return b""

    def _report(self, line: int, what: str) -> None:
        self.bad_reported += 1
        if self.bad_reported <= _PROBLEMS_PER_KIND:
            self.conv.problem(self.path, f"line {line}", what)
        elif self.bad_reported == _PROBLEMS_PER_KIND + 1:
            self.conv.problem(self.path, f"line {line}", "more bad bytes or characters; replaced")


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def iter_records(
    path: str | Path, wanted: set[str], conv: Conversation, parts: str | None = None
) -> Iterator[tuple]:
    """Yield ``(element, line)`` for each record whose local name is in ``wanted``,
    in file order, each parsed alone (see the module's docstring).  ``parts`` names
    the repeated child of a record (WXR's ``comment``): a damaged record is then
    parsed part by part, so one broken comment costs only itself."""
    with _reading(path):
        text = _Text(path, conv)
        try:
            yield from _Scanner(text, wanted, conv, parts).records()
        finally:
            text.close()


class _Scanner:
    def __init__(self, text: _Text, wanted: set[str], conv: Conversation, parts: str | None = None):
        self.text, self.conv, self.path = text, conv, text.path
        names = "|".join(re.escape(w) for w in sorted(wanted))
        # one leading literal "<": the regex engine then skips ahead at C speed
        self.any_re = re.compile(
            rf"<(?:!--|!\[CDATA\[|(/?)(?:[A-Za-z_][\w.-]*:)?({names})(?=[\s/>]))"
        )
        self.parts_re = (
            re.compile(rf"<(/?)(?:[A-Za-z_][\w.-]*:)?{re.escape(parts)}(?=[\s/>])")
            if parts
            else None
        )
        self.buf = ""
        self.base_line = 1  # line number of buf[0]
        self.ns: dict[str, str] = {}
        self.max_chars = int(float(settings.xml_max_record_mb) * 1_000_000)

    # --- buffer -----------------------------------------------------------------
    def more(self) -> bool:
        # reads grow with the buffer, so a long record costs linear, not quadratic, copying
        chunk = self.text.next_chunk(len(self.buf))
        if not chunk:
            return False
        self.buf += chunk
        return True

    def drop(self, upto: int) -> None:
        self.base_line += self.buf.count("\n", 0, upto)
        self.buf = self.buf[upto:]

    def line_at(self, i: int) -> int:
        return self.base_line + self.buf.count("\n", 0, i)

    def find(self, s: str, start: int) -> int:
        """Index of ``s`` at or after ``start``, reading more as needed (-1 at the end)."""
        pos = start
        while True:
            i = self.buf.find(s, pos)
            if i >= 0:
                return i
            pos = max(start, len(self.buf) - len(s))
            if len(self.buf) - start > self.max_chars or not self.more():
                return -1

    # --- prolog -----------------------------------------------------------------
    def prolog(self) -> bool:
        """Skip to the root element, refusing entity declarations; False: refused."""
        while True:
            while "<" not in self.buf and len(self.buf) < self.max_chars:
                if not self.more():
                    break
            i = self.buf.find("<")
            if i < 0:
                return True
            junk = self.buf[:i]
            if junk.strip().strip("\ufeff"):
                decl = self.buf.find("<?xml")
                self.conv.problem(
                    self.path,
                    f"line {self.line_at(0)}",
                    f"{len(junk.strip())} character(s) of junk before the XML; ignored",
                )
                if decl > i:
                    i = decl
            self.drop(i)
            while len(self.buf) < 2 and self.more():
                pass
            if self.buf.startswith("<?"):
                end = self.find("?>", 0)
                if end < 0:
                    return True
                self.drop(end + 2)
            elif self.buf.startswith("<!--"):
                end = self.find("-->", 0)
                if end < 0:
                    return True
                self.drop(end + 3)
            elif self.buf.startswith("<!"):
                end = self._doctype_end()
                doctype = self.buf[:end] if end >= 0 else self.buf
                if "<!ENTITY" in doctype.upper() or end < 0:
                    self.conv.problem(
                        self.path,
                        f"line {self.base_line}",
                        "refused unsafe XML: the DOCTYPE declares entities "
                        "(entity expansion or external entities); nothing read",
                    )
                    return False
                self.drop(end)
            else:
                end = self.find(">", 0)
                root = self.buf[: end + 1] if end >= 0 else self.buf
                for prefix, _q, uri in _xmlns.findall(root):
                    self.ns[prefix] = uri
                if end >= 0:
                    self.drop(end + 1)
                return True

    def _doctype_end(self) -> int:
        depth, i = 0, 2
        while True:
            while i >= len(self.buf):
                if len(self.buf) > self.max_chars or not self.more():
                    return -1
            c = self.buf[i]
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
            elif c == ">" and depth <= 0:
                return i + 1
            i += 1

    # --- records ----------------------------------------------------------------
    def records(self) -> Iterator[tuple]:
        if not self.prolog():
            return
        while True:
            m = self._search(self.any_re, 0, outside=True)
            if m is None:
                return
            tok = m.group(0)
            if tok in ("<!--", "<![CDATA["):  # between records: skipped whole
                close = self.find("-->" if tok == "<!--" else "]]>", m.end())
                if close < 0:
                    self.conv.problem(
                        self.path,
                        f"line {self.base_line}",
                        f"unterminated {'comment' if tok == '<!--' else 'CDATA'} (or longer "
                        f"than {self.max_chars // 1_000_000} MB); the rest is not read",
                    )
                    return
                self.drop(close + 3)
                continue
            if m.group(1):  # a stray end tag
                self.drop(m.end())
                continue
            self.drop(m.start())
            name = m.group(2)
            line = self.base_line
            end, truncated = self._record_end(name)
            if end is None:  # longer than the cap
                self.conv.problem(
                    self.path,
                    f"line {line}",
                    f"<{name}> record longer than {self.max_chars // 1_000_000} MB "
                    "(settings.xml_max_record_mb); skipped",
                )
                self._skip_past(name)
                continue
            record = self.buf[:end]
            self.drop(end)
            el = self._parse(record, name, line, truncated)
            if el is not None:
                yield el, line

    def _search(self, rx: re.Pattern, pos: int, outside: bool):
        """The next match of ``rx`` at or after ``pos``; outside a record, text before
        it is dropped as it goes so memory stays bounded, and after 4 × the record cap
        of text without a record (a giant token) the rest of the file is given up."""
        skipped = 0
        while True:
            m = rx.search(self.buf, pos)
            if m is not None:
                return m
            keep = 64  # a start tag cut between two chunks
            if outside and len(self.buf) > keep:
                skipped += len(self.buf) - keep
                self.drop(len(self.buf) - keep)
                if skipped > 4 * self.max_chars:
                    self.conv.problem(
                        self.path,
                        f"line {self.base_line}",
                        f"more than {4 * self.max_chars // 1_000_000} MB of text without a "
                        "record (a giant token?); the rest of the file is not read",
                    )
                    return None
            pos = max(0, len(self.buf) - keep)
            if not self.more():
                return None

    def _record_end(self, name: str) -> tuple[int | None, bool]:
        """Where the record starting at buf[0] ends; (end, truncated)."""
        gt = self.find(">", 0)
        if gt < 0:
            return (len(self.buf), True) if len(self.buf) <= self.max_chars else (None, True)
        if self.buf[gt - 1] == "/":
            return gt + 1, False
        pos = gt + 1
        while True:
            m = self.any_re.search(self.buf, pos)
            if m is None:
                if len(self.buf) > self.max_chars:
                    return None, True
                pos = max(pos, len(self.buf) - 64)
                if not self.more():
                    return len(self.buf), True
                continue
            tok = m.group(0)
            if tok in ("<!--", "<![CDATA["):
                close = self.find("-->" if tok == "<!--" else "]]>", m.end())
                if close < 0:
                    return (None, True) if len(self.buf) > self.max_chars else (len(self.buf), True)
                pos = close + 3
                continue
            if m.group(2) != name:
                pos = m.end()
                continue
            if m.group(1):  # </name>
                gt = self.find(">", m.end())
                return (gt + 1 if gt >= 0 else len(self.buf)), gt < 0
            # a new <name> inside an unclosed one: the first was cut short
            return m.start(), True

    def _skip_past(self, name: str) -> None:
        """After an oversized record: drop text up to the next record start."""
        self.drop(1)
        m = self._search(self.any_re, 0, outside=True)
        if m is not None:
            self.drop(m.start())

    # --- parsing ------------------------------------------------------------------
    def _wrap(self, record: str) -> bytes:
        ns = dict(self.ns)
        for p in set(_prefix.findall(record)):
            if p not in ns and p != "xml":
                ns[p] = _KNOWN_NS.get(p, f"urn:mapper:undeclared:{p}")
                self.ns[p] = ns[p]
                self.conv.problem(
                    self.path, "document", f"undeclared namespace prefix '{p}:'; read anyway"
                )
        attrs = "".join(
            f' xmlns="{_attr(u)}"' if not p else f' xmlns:{p}="{_attr(u)}"' for p, u in ns.items()
        )
        return f"<mapper-record{attrs}>{record}</mapper-record>".encode()

    def _parse(self, record: str, name: str, line: int, truncated: bool):
        # characters XML forbids (checked per record, not over text that is skipped)
        if _bad_chars.search(record):
            for m in _bad_chars.finditer(record):
                self.text._report(
                    line + record.count("\n", 0, m.start()),
                    f"character U+{ord(m.group()):04X} is not allowed in XML; replaced",
                )
            record = _bad_chars.sub("\ufffd", record)
        data = self._wrap(record)
        if not truncated:
            try:
                root = etree.fromstring(data, _parser(False))
                return root[0] if len(root) else None
            except etree.XMLSyntaxError as e:
                where = line + max((e.lineno or 1) - 1, 0)
                msg = str(e.msg or e).split(", line")[0]
                self.conv.problem(
                    self.path,
                    f"line {where}",
                    f"malformed XML in <{name}> ({msg}); kept what could be read of it",
                )
                if self.parts_re is not None:
                    el = self._by_parts(record, line)
                    if el is not None:
                        return el
        else:
            self.conv.problem(
                self.path,
                f"line {line}",
                f"<{name}> cut short (the file ends or breaks inside it); "
                "its complete parts are kept",
            )
        return _recover(data[: -len("</mapper-record>")] if truncated else data)

    def _by_parts(self, record: str, line: int):
        """A damaged record read part by part: its head, then each part alone (a part
        that is itself damaged is recovered as far as it goes and marked)."""
        assert self.parts_re is not None
        spans, start = [], None
        for m in self.parts_re.finditer(record):
            if not m.group(1):
                start = m.start()
            elif start is not None:
                gt = record.find(">", m.end())
                spans.append((start, gt + 1 if gt >= 0 else len(record)))
                start = None
        if not spans:
            return None
        head = record[: spans[0][0]]
        name = re.match(r"<([^\s/>]+)", head)
        if name is None:
            return None
        el = _recover(self._wrap(head + f"</{name.group(1)}>"))
        if el is None:
            return None
        for a in list(el.attrib):
            if a == _MARK:
                del el.attrib[a]
        for a, b in spans:
            data = self._wrap(record[a:b])
            try:
                root = etree.fromstring(data, _parser(False))
                part = root[0] if len(root) else None
            except etree.XMLSyntaxError as e:
                where = line + record.count("\n", 0, a) + max((e.lineno or 1) - 1, 0)
                msg = str(e.msg or e).split(", line")[0]
                self.conv.problem(self.path, f"line {where}", f"malformed XML ({msg})")
                part = _recover(data)
                if part is not None:
                    part.set(_MARK, "1")
            if part is not None:
                el.append(part)
        return el


def _recover(data: bytes):
    """Parse with lxml's recovering parser; mark elements it had to close itself."""
    p = etree.XMLPullParser(
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    p.feed(data)
    first = None
    for ev, el in p.read_events():
        if ev == "start" and first is None and el.getparent() is not None:
            first = el
    with contextlib.suppress(etree.XMLSyntaxError):
        p.close()
    for ev, el in p.read_events():
        if ev == "end":
            el.set(_MARK, "1")
    return first


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
