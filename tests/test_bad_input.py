"""Bad input: a clear message naming file and line, exit 1 (input) or 2 (usage),
and the good records around a bad one kept."""

import json

from mapper import read
from mapper.cli import main
from tests.conftest import DATA


def test_missing_file(capsys):
    assert main(["report", "no/such/file.txt"]) == 1
    assert "no/such/file.txt: no such file" in capsys.readouterr().err


def test_unknown_format(tmp_path, capsys):
    f = tmp_path / "x.bin"
    f.write_bytes(b"\x00\x01\x02 just bytes")
    assert main(["report", str(f)]) == 1
    err = capsys.readouterr().err
    assert str(f) in err and "unknown format" in err


def test_usage_error_exit_2(capsys):
    assert main_exit(["report"]) == 2
    assert main(["graph", str(DATA / "small.html"), "-o", "out.png"]) == 2


def main_exit(argv):
    try:
        return main(argv)
    except SystemExit as e:  # argparse
        return e.code


def test_truncated_xml_keeps_earlier_records(tmp_path):
    text = (DATA / "small.wxr.xml").read_text()
    cut = text.index("<wp:comment_id>4</wp:comment_id>")
    f = tmp_path / "cut.xml"
    f.write_text(text[:cut])
    conv = read(f)
    # the file ends inside comment 4 of the only item: comments 1-3 are complete and kept
    assert {(i.source, i.kind) for i in conv.interactions} >= {
        ("url:bob.example", "comment"),
        ("url:ana.example", "reply"),
        ("twitter:cara_c", "comment"),
    }
    whats = {p["where"]: p["what"] for p in conv.problems}
    assert all(p["input"] == str(f) for p in conv.problems)
    assert "cut short" in whats["line 7"]  # the item
    assert "cut short" in whats["item 7 comment at line 42"]  # comment 4, skipped


def test_truncated_xml_two_items(tmp_path):
    text = (DATA / "small.wxr.xml").read_text()
    head, item_and_tail = text.split("<item>", 1)
    item = "<item>" + item_and_tail.split("</item>", 1)[0] + "</item>"
    f = tmp_path / "two.xml"
    f.write_text(head + item + item.replace("<wp:post_id>7", "<wp:post_id>8")[:200])
    conv = read(f)
    assert len(conv.interactions) >= 4  # the whole first item
    assert "cut short" in conv.problems[-1]["what"]


def test_bad_csv_row_reported_good_rows_kept(tmp_path, capsys):
    f = tmp_path / "interactions.csv"
    f.write_text(
        "source,target,kind,weight,at\n"
        "a,b,comment,1,\n"
        "a,c,hug,1,\n"
        "b,c,reply,lots,\n"
        "c,a,mention,2,\n"
    )
    out = tmp_path / "r.json"
    assert main(["report", str(f), "-o", str(out)]) == 0
    r = json.loads(out.read_text())
    assert [p["where"] for p in r["problems"]] == ["line 3", "line 4"]
    assert "unknown kind 'hug'" in r["problems"][0]["what"]
    assert "'lots' is not a number" in r["problems"][1]["what"]
    assert r["interactions"] == 2  # a→b and c→a (weight 2 counts as one record)
    assert f"{f}: line 3" in capsys.readouterr().err


def test_wrong_encoding_reported_and_read(tmp_path):
    f = tmp_path / "people.csv"
    f.write_bytes("id,name,location\np1,Ana,Paris\np2,Jos\xe9,M\xfcnchen\n".encode("latin-1"))
    conv = read(f)
    assert conv.problems[0]["where"] == "line 3"
    assert "not valid UTF-8" in conv.problems[0]["what"]
    assert conv.people["p2"].name == "José" and conv.people["p1"].name == "Ana"


def test_empty_file(tmp_path, capsys):
    f = tmp_path / "empty.csv"
    f.write_text("")
    assert main(["report", str(f)]) == 1
    assert "empty file" in capsys.readouterr().err
