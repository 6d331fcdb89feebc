"""Parsers under fuzzing: mutated real-format files either parse or give an
InputError naming the file — never a traceback, never an endless loop."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper import sources
from mapper.sources import InputError
from tests import hostile
from tests.conftest import DATA, EXAMPLE


def seed_files(directory) -> list:
    """Small real-format files of every kind mapper reads (ours, invented)."""
    files = [
        DATA / "small.wxr.xml",
        DATA / "small.html",
        DATA / "small-people.csv",
        DATA / "small-interactions.csv",
        EXAMPLE / "thread.txt",
    ]
    corpus = hostile.write_all(directory)
    return files + [
        corpus[k][0] for k in ("twitter_v1", "twitter_v2", "mastodon", "bluesky", "disqus")
    ]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    files = seed_files(tmp_path_factory.mktemp("seeds") / "hostile")
    return [(f.name, f.read_bytes()) for f in files]


def mutate(data: bytes, op: str, pos: float, blob: bytes) -> bytes:
    i = int(pos * len(data))
    if op == "truncate":
        return data[:i]
    if op == "insert":
        return data[:i] + blob + data[i:]
    if op == "overwrite":
        return data[:i] + blob + data[i + len(blob) :]
    if op == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16")
    if op == "latin1":
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if op == "deep":
        head = data.lstrip()[:1]
        if head in (b"{", b"["):
            return b"[" * 50_000 + data + b"]" * 50_000
        return data[:i] + b"<a>" * 50_000 + data[i:]
    if op == "huge-number":
        return data[:i] + b"9" * 20_000 + data[i:]
    if op == "nul":
        return data[:i] + b"\x00" * len(blob) + data[i:]
    return data


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.integers(min_value=0, max_value=9),
    op=st.sampled_from(
        ["truncate", "insert", "overwrite", "utf16", "latin1", "deep", "huge-number", "nul"]
    ),
    pos=st.floats(min_value=0, max_value=1),
    blob=st.binary(min_size=1, max_size=64),
)
def test_mutated_inputs_parse_or_fail_cleanly(seeds, tmp_path, which, op, pos, blob):
    name, data = seeds[which % len(seeds)]
    path = tmp_path / name
    path.write_bytes(mutate(data, op, pos, blob))
    try:
        conv = sources.read(path)
    except InputError as e:
        assert str(path) in str(e)
        assert "internal error" not in str(e), e  # a reader bug, caught by the safety net
        return
    for p in conv.problems:
        assert p["input"] and p["where"] and p["what"]


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_good_records_around_a_bad_one_are_kept(tmp_path, kind):
    if kind == "jsonl":
        rows = [
            json.dumps({"id_str": str(i), "text": "hi", "user": {"screen_name": f"u{i}"}})
            for i in range(10)
        ]
        bad = '{"id_str": "x", "user": {"screen_name": '
        name = "t.jsonl"
    else:
        rows = ["source,target,kind,weight,at"] + [f"u{i},u{i + 1},comment,1," for i in range(10)]
        bad = 'u5,"unterminated,comment,1,'
        name = "interactions.csv"
    good = tmp_path / ("good-" + name)
    good.write_text("\n".join(rows) + "\n")
    broken = tmp_path / name
    broken.write_text("\n".join([*rows[:5], bad, *rows[5:]]) + "\n")
    a, b = sources.read(good), sources.read(broken)
    assert len(b.problems) == 1 and b.problems[0]["where"] == "line 6"
    assert set(a.people) == set(b.people)  # every good row, before and after the bad one
    shutil.rmtree(tmp_path)
