"""Generic reading of hostile or odd files: byte-order marks, UTF-16, declared
charsets, blank leading lines, gzip streamed under caps, inputs that are outputs,
inputs that yield nothing (issue #18)."""

from __future__ import annotations

import gzip
import json

import pytest

from mapper import read, settings
from mapper.cli import main
from mapper.errors import InputError
from mapper.sources import detect
from mapper.sources.base import decode_text, open_bytes, open_stream
from tests.conftest import DATA

PEOPLE = (DATA / "small-people.csv").read_text()
WXR = (DATA / "small.wxr.xml").read_text()


def names(conv) -> set[str]:
    return {p.name for p in conv.people.values()}


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: b"\xef\xbb\xbf" + t.encode(),  # UTF-8 BOM (Excel's "CSV UTF-8")
        lambda t: t.encode("utf-16"),  # BOM + UTF-16 LE
        lambda t: t.encode("utf-16-be"),  # no BOM: recognised by its NULs
        lambda t: b"\r\n\r\n" + t.replace("\n", "\r\n").encode(),  # blank CRLF lines first
    ],
    ids=["utf8-bom", "utf16-bom", "utf16be-nobom", "blank-crlf-lines"],
)
def test_csv_in_any_unicode_form_reads_the_same(tmp_path, encode):
    f = tmp_path / "people.csv"
    f.write_bytes(encode(PEOPLE))
    assert names(read(f)) == names(read(DATA / "small-people.csv"))


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: b"\xef\xbb\xbf" + t.encode(),
        lambda t: b"\n\r\n  " + t.encode(),  # a blank line before <?xml: a WordPress plugin bug
        lambda t: b"\xef\xbb\xbf\n" + t.encode(),
        lambda t: t.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
        lambda t: t.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"),
    ],
    ids=["bom", "blank-line", "bom-blank-line", "utf16-bom", "utf16le-nobom"],
)
def test_wxr_with_bom_blank_lines_or_utf16_reads_every_comment(tmp_path, encode):
    f = tmp_path / "export.xml"
    f.write_bytes(encode(WXR))
    want = read(DATA / "small.wxr.xml")
    got = read(f)
    assert names(got) == names(want)
    assert len(got.interactions) == len(want.interactions)
    # the same problems (the spam comment left out), wherever the file is
    assert [(p["where"], p["what"]) for p in got.problems] == [
        (p["where"], p["what"]) for p in want.problems
    ]


def test_json_with_bom_is_json(tmp_path):
    thread = {"source": "x", "post": {"id": 1, "link": "http://a.example/p"}, "comments": []}
    f = tmp_path / "wp.json"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps(thread).encode())
    assert detect(f).NAME.startswith("WordPress REST")


def test_declared_charset_honoured(tmp_path):
    html = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    data = html.encode("cp1251")
    assert "Привет" in decode_text(data, "x.html")
    xml = '<?xml version="1.0" encoding="windows-1251"?><a>Привет</a>'
    assert "Привет" in decode_text(xml.encode("cp1251"), "x.xml")
    # a label that lies (UTF-8 bytes, latin-1 label) loses to valid UTF-8
    assert "Привет" in decode_text(html.replace("windows-1251", "iso-8859-1").encode(), "x")


def test_undeclared_legacy_bytes_are_kept_and_reported(tmp_path):
    conv = read(DATA / "small-people.csv")
    f = tmp_path / "people.csv"
    f.write_bytes(PEOPLE.replace("Bob Builder", "Bob Bödeker").encode("cp1252"))
    got = read(f)
    assert "Bob Bödeker" in names(got)
    assert len(got.people) == len(conv.people)
    assert any("not valid UTF-8" in p["what"] and p["where"] == "line 3" for p in got.problems)


def test_gzip_is_streamed_and_capped(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as g:
        for _ in range(8):
            g.write(b"\n" * 2**20)  # 8 MB of blank lines in ~8 kB
    assert bomb.stat().st_size < 64 * 1024
    monkeypatch.setattr(settings, "max_document_mb", 2)
    with pytest.raises(InputError, match=r"bomb\.txt\.gz: larger than 2 MB .*--max-input-mb"):
        open_bytes(bomb)
    monkeypatch.setattr(settings, "max_document_mb", 64)
    monkeypatch.setattr(settings, "max_decompressed_mb", 4)
    with pytest.raises(InputError, match=r"decompressed content is larger than 4 MB"):
        open_bytes(bomb)
    # a stream reads in pieces: nothing is inflated before it is asked for
    with open_stream(bomb) as f:
        assert f.read(10) == b"\n" * 10


def test_cli_caps_a_gzip_bomb_with_one_line(tmp_path, capsys):
    bomb = tmp_path / "people.csv.gz"
    with gzip.open(bomb, "wb") as g:
        g.write(PEOPLE.encode())
        g.write(b"\n" * (3 * 2**20))
    assert main(["report", str(bomb), "--max-input-mb", "1", "-o", str(tmp_path / "r.json")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--max-input-mb" in err and str(bomb) in err
    # the flag raises the limit: the same file then reads
    assert main(["report", str(bomb), "--max-input-mb", "8", "-o", str(tmp_path / "r.json")]) == 0


def test_damaged_gzip_is_one_line(tmp_path, capsys):
    f = tmp_path / "people.csv.gz"
    f.write_bytes(gzip.compress(PEOPLE.encode())[:-12])
    assert main(["report", str(f)]) == 1
    err = capsys.readouterr().err
    assert "damaged gzip" in err and str(f) in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b"\x00\x00\x00\x00", b"<rss><channel></channel></rss>"])
def test_input_with_nothing_readable_exits_1(tmp_path, capsys, content):
    f = tmp_path / "export.xml"
    f.write_bytes(content if content.startswith(b"\x00") else WXR[:200].encode())
    assert main(["report", str(f), "-o", str(tmp_path / "r.json")]) == 1
    err = capsys.readouterr().err
    assert str(f) in err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("command", ["report", "people", "map"])
def test_output_equal_to_an_input_is_refused(tmp_path, capsys, command, monkeypatch):
    f = tmp_path / "people.csv"
    f.write_text(PEOPLE)
    link = tmp_path / "link.csv"
    link.symlink_to(f)
    monkeypatch.chdir(tmp_path)
    for out in (str(f), "./people.csv", str(link)):
        assert main([command, "people.csv", "-o", out]) == 2
        err = capsys.readouterr().err
        assert "would be overwritten" in err
    assert f.read_text() == PEOPLE
    assert main(["map", "people.csv", "-o", "m.html", "--report", str(f)]) == 2
    assert main(["report", str(f), "--locations", "loc.csv", "-o", "loc.csv"]) == 2
    assert f.read_text() == PEOPLE


def test_a_gzip_stream_closes_its_file(tmp_path, monkeypatch):
    """Closing the stream of a .gz input closes the file under it (GzipFile does not
    close a file it was given): no descriptor is left for the garbage collector."""
    from mapper.sources import base

    path = tmp_path / "t.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"a": 1}\n')
    opened = []
    real_open = open

    def tracked(*args, **kwargs):
        opened.append(real_open(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(base, "open", tracked, raising=False)
    assert base.head_bytes(path) == b'{"a": 1}\n'
    with base.open_stream(path) as s:
        assert s.read() == b'{"a": 1}\n'
    assert opened and all(f.closed for f in opened)
